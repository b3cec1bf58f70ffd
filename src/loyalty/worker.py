"""The job worker: pgqueuer running our entrypoints and schedules. ``loyalty worker`` runs it as its own
process; in development the web process runs it too (``LOYALTY_WORKER_IN_PROCESS``), and tests drain the
queue with :func:`drain`. The one place that knows the queue's runner; enqueueing is ``core/jobs.py``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import timedelta

import asyncpg
import structlog
from pgqueuer import AsyncpgPoolDriver, PgQueuer, RetryRequested
from pgqueuer.models import Job, Schedule
from pgqueuer.types import QueueExecutionMode
from sqlalchemy.engine import make_url

from loyalty.core.jobs import job_id, job_ids
from loyalty.core.runtime import Runtime
from loyalty.flows.announcements import ANNOUNCE, fan_out
from loyalty.flows.notices import PRODUCERS, Producer
from loyalty.notifications.delivery import deliver_batch, reconcile
from loyalty.notifications.push import PushSender, build_push
from loyalty.notifications.services import DELIVER
from loyalty.privacy.retention import run_retention

RECONCILE = "reconcile_notifications"
RETENTION = "retention"
log = structlog.get_logger("loyalty.worker")


def build_queue(pool: asyncpg.Pool, runtime: Runtime, push: PushSender) -> PgQueuer:
    pgq = PgQueuer(AsyncpgPoolDriver(pool))

    @pgq.entrypoint(DELIVER)
    async def deliver_job(job: Job) -> None:
        done = await deliver_batch(runtime, job_ids(job.payload), push, job=int(job.id))
        retries = [attempt for attempt in done.values() if attempt.retry_in is not None]
        if retries:
            # The job again, after the longest wait any of its deliveries asked for (never sooner than
            # FCM's Retry-After); its run claims only what is still pending. Only the failures' kinds: the
            # queue's log keeps the reason, and a message may name the person.
            wait = max(attempt.retry_in for attempt in retries if attempt.retry_in is not None)
            kinds = ", ".join(sorted({str(attempt.error) for attempt in retries}))
            raise RetryRequested(delay=wait, reason=f"{len(retries)} deliveries failed: {kinds}")

    @pgq.entrypoint(ANNOUNCE)
    async def announce_job(job: Job) -> None:
        await fan_out(runtime, job_id(job.payload))

    # One run per minute across all workers (the schedule's row is shared); it only sweeps and enqueues.
    @pgq.schedule(RECONCILE, "* * * * *")
    async def reconcile_job(_: Schedule) -> None:
        await reconcile(runtime)

    # Retention on LOYALTY_PRIVACY_RETENTION_SCHEDULE, once across all workers (a changed schedule
    # replaces the old one: clean_old); the run's own advisory lock keeps a manual run from overlapping.
    if expression := runtime.settings.privacy.retention_schedule:

        @pgq.schedule(RETENTION, expression, clean_old=True)
        async def retention_job(_: Schedule) -> None:
            try:
                await run_retention(runtime)
            except Exception:  # logged through our processors (no bound SQL values); the next run retries
                log.exception("retention_run_failed")

    # The notification producers (flows/notices.py), scheduled like the reconciler: one run per tick
    # across all workers; each is idempotent besides, so a run repeated tells nobody twice.
    for name, (expression, producer) in PRODUCERS.items():
        pgq.schedule(name, expression)(producing(runtime, producer))

    return pgq


def producing(runtime: Runtime, producer: Producer) -> Callable[[Schedule], Awaitable[None]]:
    async def run(_: Schedule) -> None:
        await producer(runtime)

    return run


def asyncpg_dsn(runtime: Runtime) -> str:
    url = make_url(runtime.db_config.connection_string or "")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def queue_pool(runtime: Runtime, size: int) -> AsyncIterator[tuple[asyncpg.Pool, PushSender]]:
    """The queue's connections and the push sender (one per worker: FCM's access token is kept in it)."""
    pool = await asyncpg.create_pool(asyncpg_dsn(runtime), min_size=1, max_size=size)
    push = build_push(runtime.settings)
    try:
        yield pool, push
    finally:
        await push.aclose()
        await pool.close()


async def run_worker(runtime: Runtime, stop: asyncio.Event) -> None:
    """Work until ``stop`` is set; then fetch nothing more and give running jobs
    ``LOYALTY_WORKER_DRAIN_TIMEOUT_SECONDS`` to finish before cancelling them (a cancelled job is picked up
    again by another worker once its heartbeat is stale, and its delivery is still pending)."""
    settings = runtime.settings.worker
    batch = max(1, settings.concurrency // 2)
    async with queue_pool(runtime, size=4) as (pool, push):
        pgq = build_queue(pool, runtime, push)
        work = asyncio.create_task(
            pgq.run(batch_size=batch, max_concurrent_tasks=max(settings.concurrency, 2 * batch))
        )
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({work, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if work.done():
            work.result()  # the worker ended by itself: a failure surfaces here
            return
        log.info("worker_draining", timeout_seconds=settings.drain_timeout_seconds)
        pgq.shutdown.set()
        try:
            async with asyncio.timeout(settings.drain_timeout_seconds):
                await work
        except TimeoutError:
            log.warning("worker_drain_timeout")
            work.cancel()
            with suppress(asyncio.CancelledError):
                await work


async def drain(runtime: Runtime, *, wait: timedelta = timedelta(seconds=0.5)) -> None:
    """Run every job that is due now, then return (tests; ``loyalty worker --drain``)."""
    async with queue_pool(runtime, size=2) as (pool, push):
        pgq = build_queue(pool, runtime, push)
        await pgq.qm.run(mode=QueueExecutionMode.drain, dequeue_timeout=wait)
