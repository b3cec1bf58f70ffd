"""Liveness and readiness for orchestrators."""

from __future__ import annotations

import asyncio

from litestar import Controller, get
from litestar.datastructures import State
from msgspec import Struct
from sqlalchemy import text

from loyalty.core.access import public
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.runtime import Runtime


class HealthStatus(Struct):
    status: str


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/live", opt=public(), sync_to_thread=False)
    def live(self) -> HealthStatus:
        return HealthStatus(status="ok")

    @get("/ready", opt=public())
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
