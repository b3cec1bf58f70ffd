"""PostgreSQL restarted under load: 503 ``database_unavailable`` while it is down (never 500), readiness
503, every request succeeds again soon after it is back without restarting the service, and every
write that was answered 2xx is there."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from typing import Any

import asyncpg

from tests.conftest import _asyncpg_dsn
from tests.helpers import API, Api, bearer
from tests.ops.conftest import RestartablePostgres

RECOVERY_LIMIT_SECONDS = 5.0


async def test_requests_answer_503_while_postgres_is_down_and_succeed_again_after(
    api: Api, restartable_postgres: RestartablePostgres, database_url: str
) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    hr = bearer(await api.hr_token())
    serial = iter(range(1_000_000))
    outcomes: list[tuple[float, str, int, str | None, str | None]] = []  # when, kind, status, code, number
    stop = asyncio.Event()

    async def read() -> None:
        response = await api.client.get(f"{API}/offers", headers=employee.headers)
        _record("read", response, None)

    async def write() -> None:
        number = f"R{next(serial):06d}"
        body = {
            "employee_number": number,
            "email": f"{number.lower()}@group.kz",
            "full_name": "Restart Test",
            "company": "Dala Energy",
            "department": "IT",
            "city": "Astana",
        }
        response = await api.client.post(f"{API}/hr/employees", json=body, headers=hr)
        _record("write", response, number)

    def _record(kind: str, response: Any, number: str | None) -> None:
        code = response.json().get("code") if response.status_code >= 400 else None
        if response.status_code == 503:
            assert response.headers["retry-after"] == "2"
        outcomes.append((time.monotonic(), kind, response.status_code, code, number))

    async def load(step: Any) -> None:
        while not stop.is_set():
            await step()
            await asyncio.sleep(0.01)

    tasks = [asyncio.create_task(load(step)) for step in (read, read, write, write)]
    await asyncio.sleep(0.5)
    await asyncio.to_thread(restartable_postgres.stop)
    stopped_at = time.monotonic()
    await asyncio.sleep(1.0)
    ready = await api.client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["code"] == "database_unavailable"
    starting_at = time.monotonic()  # answers from here on may already come from the started server
    await asyncio.to_thread(restartable_postgres.start)
    started_at = time.monotonic()
    await asyncio.sleep(RECOVERY_LIMIT_SECONDS + 1.0)
    stop.set()
    await asyncio.gather(*tasks)

    statuses = Counter((kind, status, code) for _, kind, status, code, _ in outcomes)
    assert {status for _, _, status, _, _ in outcomes} <= {200, 201, 503}, statuses
    assert all(code == "database_unavailable" for _, _, status, code, _ in outcomes if status == 503)
    down = [status for when, _, status, _, _ in outcomes if stopped_at + 0.2 < when < starting_at]
    assert down, statuses
    assert set(down) == {503}, statuses
    recovered = [status for when, _, status, _, _ in outcomes if when > started_at + RECOVERY_LIMIT_SECONDS]
    assert len(recovered) >= 20, statuses
    assert set(recovered) <= {200, 201}, statuses
    assert (await api.client.get("/health/ready")).status_code == 200

    answered = {number for _, kind, status, _, number in outcomes if kind == "write" and status == 201}
    connection = await asyncpg.connect(_asyncpg_dsn(database_url))
    try:
        stored = {
            row["employee_number"]
            for row in await connection.fetch(
                "SELECT employee_number FROM roster_entries WHERE employee_number = ANY($1::text[])",
                sorted(answered),
            )
        }
    finally:
        await connection.close()
    assert answered
    assert stored == answered
