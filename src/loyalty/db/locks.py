"""Named locks that PostgreSQL holds until the transaction ends, for rules no row can carry."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


async def lock_until_commit(session: AsyncSession, name: str) -> None:
    """Wait for, then hold, the transaction-scoped advisory lock called ``name`` (hashed to 64 bits)."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(name, 0))))
