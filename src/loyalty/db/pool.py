"""The connection pool, measured for ``/metrics``: connections in use, the pool's capacity, and how long
requests wait for a connection (``core/metrics.py`` says how the numbers combine across processes)."""

from __future__ import annotations

import logging
import time
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.pool import AsyncAdaptedQueuePool, PoolProxiedConnection

PREFIX = "loyalty"

DB_POOL_IN_USE = Gauge(
    f"{PREFIX}_db_pool_connections_in_use",
    "Database connections checked out of the pool now",
    multiprocess_mode="livesum",
)
DB_POOL_CAPACITY = Gauge(
    f"{PREFIX}_db_pool_capacity",
    "Connections the pool may hold at once (pool size + overflow), summed over the worker processes",
    multiprocess_mode="livesum",
)
DB_POOL_WAIT = Histogram(
    f"{PREFIX}_db_pool_wait_seconds",
    "Time a request waited for a pooled connection (opening one included); slow buckets are waits",
    buckets=(0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30),
)
DB_POOL_TIMEOUTS = Counter(f"{PREFIX}_db_pool_timeouts", "Requests that gave up waiting for a connection")


class MeasuredPool(AsyncAdaptedQueuePool):
    """SQLAlchemy's asyncio queue pool, timing each checkout: a request that finds every connection in
    use waits here, and that wait is what :data:`DB_POOL_WAIT` shows."""

    def connect(self) -> PoolProxiedConnection:
        started = time.perf_counter()
        try:
            return super().connect()
        except PoolTimeout:
            DB_POOL_TIMEOUTS.inc()
            raise
        finally:
            DB_POOL_WAIT.observe(time.perf_counter() - started)

    # In use = taken from the pool and not yet given back, counted where the pool itself counts them
    # (its checkout/checkin events do not pair up when a checkout is retried or a connection invalidated).
    def _do_get(self) -> Any:
        record = super()._do_get()
        DB_POOL_IN_USE.inc()
        return record

    def _do_return_conn(self, record: Any) -> None:
        DB_POOL_IN_USE.dec()
        super()._do_return_conn(record)


# SQLAlchemy names a pool's logger after its class, which puts ours under "loyalty" (logged at INFO): keep
# its "Pool disposed / recreating" chatter out of the service's log, as it is for SQLAlchemy's own pools.
logging.getLogger(f"{MeasuredPool.__module__}.{MeasuredPool.__name__}").setLevel(logging.WARNING)


def add_pool_capacity(capacity: int) -> None:
    """Add a pool's capacity to the process's (the pool itself, a :class:`MeasuredPool`, counts what is
    in use)."""
    DB_POOL_CAPACITY.inc(capacity)


def release_pool(capacity: int) -> None:
    DB_POOL_CAPACITY.dec(capacity)
