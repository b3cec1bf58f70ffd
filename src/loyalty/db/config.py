"""The SQLAlchemy configuration of the app, and the one-transaction-per-request session dependency."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from advanced_alchemy.extensions.litestar import (
    AlembicAsyncConfig,
    AsyncSessionConfig,
    EngineConfig,
    SQLAlchemyAsyncConfig,
)
from litestar.datastructures import State
from litestar.types import Scope
from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.db import embedded
from loyalty.db.pool import MeasuredPool
from loyalty.settings import Settings

MIGRATIONS_DIR = "migrations"
CONNECT_TIMEOUT_SECONDS = 5


def resolve_database_url(settings: Settings) -> str:
    if settings.database.url:
        return settings.database.url
    return embedded.app_database_url(settings.data_path)


def build_sqlalchemy_config(settings: Settings, database_url: str) -> SQLAlchemyAsyncConfig:
    from pathlib import Path

    # A source checkout has migrations/ three levels above this file; an installed package (the Docker
    # image) does not, and runs from the folder that holds migrations/ and alembic.ini (/app).
    checkout = Path(__file__).resolve().parents[3] / MIGRATIONS_DIR
    migrations = checkout if (checkout / "env.py").is_file() else Path.cwd() / MIGRATIONS_DIR
    config = SQLAlchemyAsyncConfig(
        connection_string=database_url,
        engine_config=EngineConfig(
            poolclass=MeasuredPool,  # times waits for a connection (core/metrics.py)
            pool_size=settings.database.pool_size,
            max_overflow=settings.database.max_overflow,
            pool_pre_ping=False,
            echo=settings.database.echo,
            hide_parameters=True,  # errors and logs never carry bound values (hashes, emails, codes)
            connect_args={
                "server_settings": {
                    "application_name": "loyalty",
                    "timezone": "UTC",
                    # asyncpg prepares every statement; after five runs PostgreSQL may switch to a generic
                    # plan that cannot see the values (a search's tsquery, a filter's selectivity) and is
                    # several times slower for the catalog. Planning each time costs well under a millisecond.
                    "plan_cache_mode": "force_custom_plan",
                },
                # Seconds to open a connection: a database that does not answer fails the request with
                # 503 database_unavailable instead of holding it for asyncpg's default minute.
                "timeout": CONNECT_TIMEOUT_SECONDS,
            },
        ),
        session_config=AsyncSessionConfig(expire_on_commit=False, autoflush=True),
        session_dependency_key="db_session_raw",
        alembic_config=AlembicAsyncConfig(
            script_location=str(migrations),
            script_config=str(migrations.parent / "alembic.ini"),
            version_table_name="alembic_version",
        ),
    )
    event.listen(config.get_engine().sync_engine, "checkout", discard_closed_connection)
    return config


def discard_closed_connection(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Hand out no pooled connection whose socket is already closed, so that after PostgreSQL restarts
    the first requests get fresh connections instead of failing on the dead ones.

    SQLAlchemy learns of a broken connection only when a statement it runs fails, but the hot path runs
    on the raw asyncpg connection (``core/prepared.py``), and a pre-ping costs a round trip per request.
    asyncpg marks a connection closed as soon as the server hangs up (a restart sends every backend's
    client a FATAL message and closes it), so checking that flag is free; raising
    ``DisconnectionError`` makes the pool drop this connection and open a new one.
    """
    driver = record.driver_connection
    if driver is not None and driver.is_closed():
        raise DisconnectionError("the pooled connection was closed by the server")


def transaction_dependency(config: SQLAlchemyAsyncConfig) -> Any:
    """``db_session`` for handlers: the request's session, committed after the handler returns and before
    the response is sent, rolled back if anything raised, so each request is one transaction."""

    async def provide_db_session(state: State, scope: Scope) -> AsyncGenerator[AsyncSession, None]:
        session = config.provide_session(state, scope)
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise
        else:
            await session.commit()

    return provide_db_session
