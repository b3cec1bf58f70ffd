"""The persistence moves every service makes, written once: find a row or answer 404 (optionally
locking it), write inside a savepoint that turns a constraint violation into 409, the keyset "rows after
this one" condition, and ORM row to response Struct.

Why not advanced-alchemy's repositories and services: our writes are mostly single conditional
statements the database decides (``UPDATE ... WHERE used < cap RETURNING``, ``ON CONFLICT``,
``FOR UPDATE SKIP LOCKED``), which a generic repository would hide, and our lists are keyset pages with
signed cursors rather than offset pages. advanced-alchemy gives us the base models, the engine and
session configuration, the request-scoped transaction and the Alembic commands; these helpers cover the rest.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, Select, literal, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from loyalty.core.errors import ErrorCode, conflict, not_found

Row = TypeVar("Row")
SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])
StructT = TypeVar("StructT", bound=msgspec.Struct)
SortColumn = ColumnElement[Any] | QueryableAttribute[Any]


async def get_or_404(
    session: AsyncSession,
    model: type[Row],
    *criteria: ColumnElement[bool],
    what: str,
    lock: bool = False,
    key_share: bool = False,
) -> Row:
    """The one ``model`` row meeting ``criteria`` (at least one: an empty WHERE would pick any row), or
    404 ``not_found`` naming ``what``. ``lock`` holds the row until the transaction ends: ``FOR UPDATE``,
    or ``FOR NO KEY UPDATE`` with ``key_share`` (inserts that only reference the row are not held up)."""
    if not criteria:
        raise ValueError("get_or_404 needs at least one condition")
    query = select(model).where(*criteria)
    if lock:
        query = query.with_for_update(key_share=key_share)
    row = await session.scalar(query)
    if row is None:
        raise not_found(what)
    return row


@asynccontextmanager
async def conflict_on_violation(
    session: AsyncSession, detail: str, code: ErrorCode = ErrorCode.CONFLICT
) -> AsyncIterator[None]:
    """Run the block's writes in a savepoint and flush them; if a constraint refuses them, only they roll
    back and the request answers 409 with ``code`` (the database, not a prior SELECT, decides)."""
    try:
        async with session.begin_nested():
            yield
            await session.flush()
    except IntegrityError:
        raise conflict(detail, code) from None


async def insert_or_conflict(
    session: AsyncSession, row: Row, detail: str, code: ErrorCode = ErrorCode.CONFLICT
) -> Row:
    """Insert ``row``; a unique constraint that refuses it answers 409 ``code`` with ``detail``."""
    async with conflict_on_violation(session, detail, code):
        session.add(row)
    return row


def after(columns: Sequence[SortColumn], key: Sequence[Any], *, descending: bool) -> ColumnElement[bool]:
    """Rows that come after the row whose sort key is ``key`` in ``ORDER BY columns`` (all ascending or
    all descending): one row comparison, which PostgreSQL answers from an index on the same columns."""
    if len(columns) != len(key) or not columns:
        raise ValueError("a keyset condition needs one value per sort column")
    values = tuple_(*(literal(value, column.type) for column, value in zip(columns, key, strict=True)))
    row = tuple_(*columns)
    return row < values if descending else row > values


def newest_first(
    query: SelectT, at: SortColumn, row_id: SortColumn, last: Sequence[Any] | None, limit: int
) -> SelectT:
    """``query`` newest first by (``at``, ``row_id``), after ``last`` (a decoded cursor: the last row's time
    in ISO form and its id), one row more than ``limit`` so the page knows whether more follow."""
    if last is not None:
        last_at, last_id = last
        query = query.where(
            after((at, row_id), [datetime.fromisoformat(last_at), UUID(last_id)], descending=True)
        )
    return query.order_by(at.desc(), row_id.desc()).limit(limit + 1)


def to_struct(struct_type: type[StructT], row: Any) -> StructT:
    """``row``'s attributes as ``struct_type`` (same names), validated as msgspec validates a request."""
    return msgspec.convert(row, struct_type, from_attributes=True)
