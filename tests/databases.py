"""Test databases copied from the migrated template once per test process and then reused.

``CREATE DATABASE ... TEMPLATE`` and ``DROP DATABASE`` cost a second or more each on a busy disk (both
flush the whole copy), which was most of the suite's time. A database a test has finished with is put
back as it was instead: every table emptied and refilled with the template's rows (what the
migrations seeded), every sequence set back, in one transaction with triggers and foreign-key checks
off (``session_replication_role = replica``) so the rows come back exactly as the template holds
them. A test that changed the schema (a downgrade, an added column left behind) is noticed by the
schema fingerprint and its database dropped rather than reused.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import asyncpg

USER_RELATIONS = """
    SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS name, n.nspname AS schema, c.relname AS relation
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind::text = $1 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
    ORDER BY name
"""

# Anything a test could change in the schema: relations (their oids change when dropped and made
# again), columns, triggers, functions and indexes.
SCHEMA_FINGERPRINT = """
    SELECT md5(concat_ws('|',
        (SELECT string_agg(c.oid::text || c.relname || c.relkind::text, ',' ORDER BY c.oid)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_t%'),
        (SELECT string_agg(a.attrelid::text || a.attname || a.atttypid::text || a.attisdropped::text,
                           ',' ORDER BY a.attrelid, a.attnum)
           FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE a.attnum > 0 AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            AND n.nspname NOT LIKE 'pg\\_t%'),
        (SELECT string_agg(t.oid::text || t.tgenabled::text, ',' ORDER BY t.oid) FROM pg_trigger t),
        (SELECT string_agg(p.oid::text || md5(p.prosrc), ',' ORDER BY p.oid)
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))
    ))
"""

COPIED_COLUMNS = """
    SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
    WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
"""


@dataclass(frozen=True)
class TableRows:
    schema: str
    relation: str
    columns: list[str]
    data: bytes  # COPY binary


@dataclass(frozen=True)
class TemplateState:
    """What a reused database must hold again before the next test: the template's own rows."""

    fingerprint: str
    tables: tuple[str, ...]
    rows: tuple[TableRows, ...]
    sequences: tuple[tuple[str, int, bool], ...]

    @classmethod
    async def read(cls, dsn: str) -> TemplateState:
        connection = await asyncpg.connect(dsn)
        try:
            relations = await connection.fetch(USER_RELATIONS, "r")
            tables = [row["name"] for row in relations]
            rows = []
            for row in relations:
                if await connection.fetchval(f"SELECT EXISTS (SELECT FROM {row['name']})"):
                    columns = await connection.fetchval(COPIED_COLUMNS, row["oid"])
                    buffer = io.BytesIO()
                    await connection.copy_from_table(
                        row["relation"],
                        schema_name=row["schema"],
                        columns=columns,
                        output=buffer,
                        format="binary",
                    )
                    rows.append(TableRows(row["schema"], row["relation"], columns, buffer.getvalue()))
            sequences = []
            for row in await connection.fetch(USER_RELATIONS, "S"):
                state = await connection.fetchrow(f"SELECT last_value, is_called FROM {row['name']}")
                sequences.append((row["name"], state["last_value"], state["is_called"]))
            fingerprint = await connection.fetchval(SCHEMA_FINGERPRINT)
        finally:
            await connection.close()
        return cls(fingerprint, tuple(tables), tuple(rows), tuple(sequences))

    async def restore(self, connection: asyncpg.Connection) -> bool:  # type: ignore[type-arg]
        """Put the template's rows back; False (nothing changed) when the schema is not the template's."""
        async with connection.transaction():
            if await connection.fetchval(SCHEMA_FINGERPRINT) != self.fingerprint:
                return False
            await connection.execute(
                "SET LOCAL session_replication_role = replica; SET LOCAL lock_timeout = '5s'"
            )
            await connection.execute("; ".join(f"DELETE FROM {table}" for table in self.tables))
            for table in self.rows:
                await connection.copy_to_table(
                    table.relation,
                    schema_name=table.schema,
                    columns=table.columns,
                    source=io.BytesIO(table.data),
                    format="binary",
                )
            for name, last_value, is_called in self.sequences:
                await connection.execute("SELECT setval($1::regclass, $2, $3)", name, last_value, is_called)
        return True


@dataclass
class DatabasePool:
    """Per test process: databases made from the template when none is free, reused after a reset."""

    admin_dsn: str
    dsn_of: Callable[[str], str]  # the asyncpg DSN of a database on the same server
    template: str
    state: TemplateState
    prefix: str
    free: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list)

    async def acquire(self) -> str:
        while self.free:
            name = self.free.pop()
            if await self._reset(name):
                return name
            await self._drop(name)
        name = f"{self.prefix}_{len(self.made)}"
        self.made.append(name)
        await self._admin(
            f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'
        )
        return name

    def release(self, name: str) -> None:
        self.free.append(name)

    async def drop_all(self) -> None:
        for name in self.made:
            await self._drop(name)

    async def _reset(self, name: str) -> bool:
        # Connections a test left open (a subprocess, a forgotten engine) must not hold locks on the rows.
        await self._admin(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        connection = await asyncpg.connect(self.dsn_of(name))
        try:
            return await self.state.restore(connection)
        except asyncpg.PostgresError:
            return False
        finally:
            await connection.close()

    async def _drop(self, name: str) -> None:
        await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def _admin(self, *statements: str) -> None:
        await execute(self.admin_dsn, *statements)


async def execute(dsn: str, *statements: str) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()
