"""Every test talks to a real PostgreSQL through the real app.

The server is an embedded one in a throwaway folder, or ``LOYALTY_TEST_DATABASE_URL`` when set. The
real Alembic migrations build a template database once; each test gets its own copy of it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.engine import make_url

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.db import embedded
from loyalty.db.config import build_sqlalchemy_config
from loyalty.settings import (
    AppSettings,
    AuthSettings,
    MailSettings,
    PrivacySettings,
    Settings,
    WorkerSettings,
)
from tests.databases import DatabasePool, TemplateState
from tests.databases import execute as _execute
from tests.helpers import Api, Mailbox

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """A URL (any database) on the server the suite uses."""
    given = os.environ.get("LOYALTY_TEST_DATABASE_URL")
    if given:
        yield given
        return
    folder = Path(tempfile.mkdtemp(prefix="loyalty-test-pg-"))
    server = embedded.start(folder / "pg", cleanup="delete")
    # A throwaway server holds nothing worth a flush to disk: without them the suite waits far less.
    for setting in ("fsync", "synchronous_commit", "full_page_writes"):
        server.psql(f"ALTER SYSTEM SET {setting} = off;")
    server.psql("SELECT pg_reload_conf();")
    yield embedded.socket_url(server, "postgres")
    server.cleanup()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def template_database(server_url: str) -> Iterator[str]:
    """A database migrated to head with the real migrations; tests copy it."""
    name = f"loyalty_template_{os.getpid()}"
    admin_dsn = _asyncpg_dsn(server_url)
    _run_in_thread(_execute(admin_dsn, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'))
    _run_in_thread_sync(lambda: _migrate(_with_database(server_url, name)))
    yield name
    _run_in_thread(_execute(admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_pool(server_url: str, template_database: str) -> Iterator[DatabasePool]:
    """This process's test databases: copies of the template, reset and reused (tests/databases.py)."""
    states: list[TemplateState] = []
    _run_in_thread_sync(
        lambda: states.append(
            asyncio.run(TemplateState.read(_asyncpg_dsn(_with_database(server_url, template_database))))
        )
    )
    pool = DatabasePool(
        admin_dsn=_asyncpg_dsn(server_url),
        dsn_of=lambda name: _asyncpg_dsn(_with_database(server_url, name)),
        template=template_database,
        state=states[0],
        prefix=f"loyalty_test_{os.getpid()}",
    )
    yield pool
    _run_in_thread(pool.drop_all())


def _migrate(url: str) -> None:
    from advanced_alchemy.alembic.commands import AlembicCommands

    config = build_sqlalchemy_config(Settings(app=AppSettings(secret_key=TEST_SECRET)), url)
    AlembicCommands(sqlalchemy_config=config).upgrade("head")


def _run_in_thread(coroutine: Any) -> None:
    _run_in_thread_sync(lambda: asyncio.run(coroutine))


def _run_in_thread_sync(work: Any) -> None:
    errors: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


@pytest.fixture
async def database_url(server_url: str, database_pool: DatabasePool) -> AsyncIterator[str]:
    name = await database_pool.acquire()
    yield _with_database(server_url, name)
    database_pool.release(name)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        app=AppSettings(secret_key=TEST_SECRET, data_dir=str(tmp_path / "data"), log_level="WARNING"),
        mail=MailSettings(backend="file", dir=str(tmp_path / "mail")),
        auth=AuthSettings(),
        privacy=PrivacySettings(retention_schedule=""),  # tests run retention themselves
        worker=WorkerSettings(in_process=False),  # tests drain the job queue themselves (Api.drain_jobs)
    ).completed()


def behind_proxy(tmp_path: Path, **concerns: Any) -> Settings:
    """Settings for an app that trusts one proxy hop, so tests can speak from many client addresses."""
    return Settings(
        app=AppSettings(
            secret_key=TEST_SECRET, data_dir=str(tmp_path), trusted_proxy_hops=1, log_level="WARNING"
        ),
        mail=MailSettings(dir=str(tmp_path / "mail")),
        **(
            {
                "privacy": PrivacySettings(retention_schedule=""),
                "worker": WorkerSettings(in_process=False),
            }
            | concerns
        ),
    ).completed()


@pytest.fixture
def mailbox(settings: Settings) -> Mailbox:
    return Mailbox(settings.mail_path)


@pytest.fixture
async def app(settings: Settings, clock: ManualClock, database_url: str) -> Litestar:
    return create_app(settings, clock=clock, database_url=database_url)


class AppClient(AsyncTestClient[Litestar]):
    """Litestar's AsyncTestClient (lifespan, base URL), with requests served on the test's own event
    loop instead of a blocking portal, so that ``asyncio.gather`` of requests really runs them at once."""

    def __init__(self, app: Litestar) -> None:
        super().__init__(app=app)
        self._transport = httpx.ASGITransport(app=app, client=("203.0.113.10", 40000))


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AppClient(app) as test_client:
        yield test_client


@pytest.fixture
async def api(client: AsyncTestClient[Litestar], app: Litestar, mailbox: Mailbox, clock: ManualClock) -> Api:
    return Api(client=client, app=app, mailbox=mailbox, clock=clock)
