"""Liveness and readiness for orchestrators; ``/metrics`` for Prometheus."""

from __future__ import annotations

import asyncio

import structlog
from litestar import Controller, Response, get
from litestar.datastructures import State
from msgspec import Struct
from sqlalchemy import text

from loyalty.core.access import public, scraper
from loyalty.core.contract import fails_with
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.jobs import queue_depth
from loyalty.core.metrics import CONTENT_TYPE, exposition
from loyalty.core.runtime import Runtime

log = structlog.get_logger("loyalty.metrics")


class HealthStatus(Struct):
    status: str


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", operation_id="getLiveness", opt=public(), sync_to_thread=False)
    def live(self) -> HealthStatus:
        return HealthStatus(status="ok")

    @get("/ready", operation_id="getReadiness", opt=public() | fails_with(ErrorCode.DATABASE_UNAVAILABLE))
    async def ready(self, state: State) -> HealthStatus:
        runtime: Runtime = state.runtime
        if state.get("draining"):
            raise AppError(503, ErrorCode.SHUTTING_DOWN, "the service is shutting down")
        try:
            async with asyncio.timeout(2):
                async with runtime.db_config.get_engine().connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception:
            raise AppError(503, ErrorCode.DATABASE_UNAVAILABLE, "the database does not answer") from None
        return HealthStatus(status="ok")


class MetricsController(Controller):
    path = "/metrics"
    include_in_schema = False

    @get("", opt=scraper())
    async def metrics(self, state: State) -> Response[bytes]:
        """Prometheus text format: every worker process's metrics (``core/metrics.py``) and the job
        queue's depth, read from the database now; the rest still answers when the database does not."""
        runtime: Runtime = state.runtime
        depth = None
        try:
            async with asyncio.timeout(2):
                async with runtime.db_config.get_engine().connect() as connection:
                    depth = await queue_depth(connection)
        except Exception as error:
            log.warning("metrics_queue_depth_unread", error_type=type(error).__name__)
        return Response(exposition(depth), media_type=CONTENT_TYPE)
