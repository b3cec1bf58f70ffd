"""Named locks that PostgreSQL holds until the transaction ends, for rules no row can carry."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession


def take_lock(name: Any) -> Select[tuple[Any]]:
    """The statement that waits for, then holds, the transaction-scoped advisory lock called ``name``
    (a string or a bound parameter; hashed to 64 bits)."""
    return select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0)))


async def lock_until_commit(session: AsyncSession, name: str) -> None:
    """Wait for, then hold, the transaction-scoped advisory lock called ``name`` until the commit."""
    await session.execute(take_lock(name))
