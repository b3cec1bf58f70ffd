"""The suite's own machinery: a reused test database is the template again, and a changed schema is
never handed to the next test (tests/databases.py)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import asyncpg

from tests.databases import DatabasePool


@contextlib.asynccontextmanager
async def borrowed(pool: DatabasePool) -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    """A database of the pool and a connection to it; closed, then given back to the pool."""
    name = await pool.acquire()
    connection = await asyncpg.connect(pool.dsn_of(name))
    try:
        yield name, connection
    finally:
        await connection.close()
    pool.release(name)


async def test_a_reused_database_holds_the_templates_rows_and_sequences_again(
    database_pool: DatabasePool,
) -> None:
    async with borrowed(database_pool) as (name, connection):
        version = await connection.fetchval("SELECT version_num FROM alembic_version")
        await connection.execute("UPDATE alembic_version SET version_num = 'changed by a test'")
        first = await connection.fetchval("SELECT nextval('audit_events_seq_seq')")
        await connection.execute("SELECT nextval('audit_events_seq_seq') FROM generate_series(1, 5)")

    async with borrowed(database_pool) as (again, connection):
        assert again == name
        assert await connection.fetchval("SELECT version_num FROM alembic_version") == version
        assert await connection.fetchval("SELECT nextval('audit_events_seq_seq')") == first


async def test_a_database_whose_schema_a_test_changed_is_not_reused(database_pool: DatabasePool) -> None:
    async with borrowed(database_pool) as (name, connection):
        await connection.execute("ALTER TABLE alembic_version ADD COLUMN left_behind text")

    async with borrowed(database_pool) as (fresh, connection):
        assert fresh != name
        columns = await connection.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'alembic_version'"
        )
        assert [row["column_name"] for row in columns] == ["version_num"]
