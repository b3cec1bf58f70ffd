"""The hot path's statements: written once as SQLAlchemy expressions with named ``bindparam``s, compiled
once for asyncpg, and run on the request's own asyncpg connection, where asyncpg keeps them prepared.
Rows come back as asyncpg records (:class:`Row`) that the caller turns straight into response Structs.

This skips, per request, what SQLAlchemy would otherwise redo: building the statement, its cache key,
the ORM's execution and result wrapping. The rules stay in one place (the expressions that build the
statement); only their execution is different. Statements run outside SQLAlchemy's transaction: reads
need none (each statement sees a consistent snapshot), and writes open one with asyncpg's
``connection.transaction()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import asyncpg
from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

DIALECT = PGDialect_asyncpg()  # type: ignore[no-untyped-call]


class Row(asyncpg.Record):  # type: ignore[misc]
    """A record whose columns also read as attributes, as SQLAlchemy's rows do, so one view function
    serves both."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Prepared:
    """One statement: its SQL text with ``$n`` placeholders and the names of its parameters in order."""

    __slots__ = ("_defaults", "_names", "sql")

    def __init__(self, statement: ClauseElement) -> None:
        compiled = cast(SQLCompiler, statement.compile(dialect=DIALECT))
        if "POSTCOMPILE" in compiled.string:
            raise ValueError("expanding IN parameters change the SQL per call: use = ANY(:list) instead")
        if compiled.insert_prefetch or compiled.update_prefetch:
            columns = [column.name for column in [*compiled.insert_prefetch, *compiled.update_prefetch]]
            raise ValueError(
                f"give {', '.join(columns)} a value: column defaults computed in Python do not run here"
            )
        self.sql: str = compiled.string
        self._names: tuple[str, ...] = tuple(compiled.positiontup or ())
        # Values the expression carries itself (literals); the call supplies the named bindparams.
        self._defaults = {
            name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required
        }

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        try:
            return [params[name] if name in params else self._defaults[name] for name in self._names]
        except KeyError as missing:
            raise TypeError(f"no value for parameter {missing} of a prepared statement") from None

    async def fetch(self, connection: asyncpg.Connection, **params: Any) -> list[Row]:
        return cast(list[Row], await connection.fetch(self.sql, *self.args(params), record_class=Row))

    async def fetchrow(self, connection: asyncpg.Connection, **params: Any) -> Row | None:
        return cast(Row | None, await connection.fetchrow(self.sql, *self.args(params), record_class=Row))

    async def fetchval(self, connection: asyncpg.Connection, **params: Any) -> Any:
        return await connection.fetchval(self.sql, *self.args(params))


async def connection_of(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under the request's session (checked out of the pool on first use)."""
    raw = await (await session.connection()).get_raw_connection()
    return cast(asyncpg.Connection, raw.driver_connection)
