"""The suite's own machinery: a reused test database is the template again, and a changed schema is
never handed to the next test (tests/databases.py)."""

from __future__ import annotations

import asyncpg

from tests.databases import DatabasePool


async def test_a_reused_database_holds_the_templates_rows_and_sequences_again(
    database_pool: DatabasePool,
) -> None:
    name = await database_pool.acquire()
    connection = await asyncpg.connect(database_pool.dsn_of(name))
    try:
        version = await connection.fetchval("SELECT version_num FROM alembic_version")
        await connection.execute("UPDATE alembic_version SET version_num = 'changed by a test'")
        first = await connection.fetchval("SELECT nextval('audit_events_seq_seq')")
        await connection.execute("SELECT nextval('audit_events_seq_seq') FROM generate_series(1, 5)")
    finally:
        await connection.close()
    database_pool.release(name)

    again = await database_pool.acquire()
    connection = await asyncpg.connect(database_pool.dsn_of(again))
    try:
        assert again == name
        assert await connection.fetchval("SELECT version_num FROM alembic_version") == version
        assert await connection.fetchval("SELECT nextval('audit_events_seq_seq')") == first
    finally:
        await connection.close()
    database_pool.release(again)


async def test_a_database_whose_schema_a_test_changed_is_not_reused(database_pool: DatabasePool) -> None:
    name = await database_pool.acquire()
    connection = await asyncpg.connect(database_pool.dsn_of(name))
    try:
        await connection.execute("ALTER TABLE alembic_version ADD COLUMN left_behind text")
    finally:
        await connection.close()
    database_pool.release(name)

    fresh = await database_pool.acquire()
    connection = await asyncpg.connect(database_pool.dsn_of(fresh))
    try:
        assert fresh != name
        columns = await connection.fetch(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'alembic_version'"
        )
        assert [row["column_name"] for row in columns] == ["version_num"]
    finally:
        await connection.close()
    database_pool.release(fresh)
