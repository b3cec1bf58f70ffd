"""The job queue (pgqueuer on our PostgreSQL), as the services see it: jobs are enqueued on the request's
own connection, so they commit or roll back with the data they are about. A job carries only ids (one, or
a batch: ``per_job``); its handler reads the rest, so a job that runs late, or twice, acts on what is true
then."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from pgqueuer import AsyncpgDriver, Queries
from sqlalchemy import literal, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from loyalty.core.prepared import connection_of

BATCH = 5_000  # jobs per statement


async def enqueue(
    session: AsyncSession,
    entrypoint: str,
    ids: Sequence[UUID],
    *,
    delay: timedelta | None = None,
    per_job: int = 1,
) -> int:
    """``entrypoint`` jobs carrying ``ids``, ``per_job`` of them each (in the given order), in the session's
    transaction, run after ``delay``. A job's dedupe key is its first id: while a job starting with that id
    is queued or running no second one is added (``dedupe_key``), so callers may enqueue blindly; answers
    how many ids went into added jobs."""
    if not ids:
        return 0
    await session.flush()
    connection = await connection_of(session)
    if not connection.is_in_transaction():
        # SQLAlchemy begins the driver's transaction at its first statement; before that the jobs would
        # commit on their own, whatever became of the session.
        await session.execute(select(literal(1)))
    if not connection.is_in_transaction():
        raise RuntimeError("enqueue needs the session's transaction")
    queries = Queries(AsyncpgDriver(connection))
    groups = [ids[start : start + per_job] for start in range(0, len(ids), per_job)]
    added = 0
    for first in range(0, len(groups), BATCH):
        batch = groups[first : first + BATCH]
        jobs = await queries.enqueue(
            [entrypoint] * len(batch),
            [",".join(map(str, group)).encode() for group in batch],
            [0] * len(batch),
            [delay] * len(batch),
            [f"{entrypoint}:{group[0]}" for group in batch],
            on_conflict="skip",
        )
        added += sum(len(group) for group, job in zip(batch, jobs, strict=True) if job is not None)
    return added


def job_id(payload: bytes | None) -> UUID:
    """The id a job carries."""
    if payload is None:
        raise ValueError("a job without an id")
    return UUID(payload.decode())


def job_ids(payload: bytes | None) -> list[UUID]:
    """The ids a job carries (``enqueue`` with ``per_job``)."""
    if not payload:
        raise ValueError("a job without ids")
    return [UUID(part) for part in payload.decode().split(",")]


QUEUE_DEPTH = text(
    "SELECT entrypoint, status::text AS status, count(*) AS jobs FROM pgqueuer"
    " WHERE status IN ('queued', 'picked') GROUP BY entrypoint, status"
)


async def queue_depth(connection: AsyncConnection) -> dict[tuple[str, str], int]:
    """Jobs waiting (``queued``) and running (``picked``), by entrypoint: the queue's depth for
    ``/metrics``. Finished jobs leave the table for ``pgqueuer_log``, so this reads only live rows."""
    rows = await connection.execute(QUEUE_DEPTH)
    return {(row.entrypoint, row.status): row.jobs for row in rows}
