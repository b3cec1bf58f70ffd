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
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.db import embedded
from loyalty.db.pool import MeasuredPool
from loyalty.settings import Settings

MIGRATIONS_DIR = "migrations"


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
    return SQLAlchemyAsyncConfig(
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
                }
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
