"""Benchmark of an announcement to 100,000 employees: the fan-out, then one worker pushing through the file
backend, killed mid-way and restarted.

    flock /tmp/bench.lock .venv/bin/python bench/notify_fanout.py [--employees 100000] [--database-url URL]

1. Drops and creates ``loyalty_bench_notify`` on 127.0.0.1:5432 (the name must contain ``bench``),
   migrates it and seeds the demo data; adds N employees (roster entries and accounts) with one SQL
   statement each, and gives every second one a push device.
2. ``NotificationService.notify_many`` with a SELECT of every employee's id, in one transaction: the time to
   write the notifications (inbox sent at once, one pending push each for those with a device, none for
   the others) and enqueue their jobs (500 delivery ids each), committed; and the time of each part (the
   one statement that decides and writes, the enqueueing).
3. ``loyalty worker`` (one process, the file push backend) is started; once a third of the pushes are
   sent it is killed with SIGKILL, then started again until every push delivery is sent. Reported: the
   first run's rate (sent rows over its running time, start-up included), the second run's (which first
   waits for the killed worker's jobs to go stale, 30 s of pgqueuer's heartbeat, then takes their claims
   over), and the worker's peak RSS (VmHWM).
4. Checks: every push delivery is ``sent``; the push file (what the file backend's "devices" showed) holds
   one line per device holder and notification; ``push-repeats.jsonl`` counts the messages the transport
   sent again after the kill (claimed and sent, not yet marked), which a device shows once because they
   carry the same message id (the delivery id as collapse key).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.harness import ROOT, asyncpg_dsn, make_workdir, prepare_database, server_env

DEFAULT_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench_notify"

EMPLOYEES = """
WITH roster AS (
  INSERT INTO roster_entries (id, employee_number, email, full_name, company, status, created_at, updated_at)
  SELECT gen_random_uuid(), 'B' || lpad(n::text, 7, '0'), 'bench' || n || '@group.kz', 'Bench ' || n,
         (SELECT name FROM companies ORDER BY name LIMIT 1), 'active', now(), now()
  FROM generate_series(1, $1) AS n
  RETURNING id, email, full_name
)
INSERT INTO users (id, email, password_hash, full_name, language, role, status, roster_entry_id,
                   core_consent, marketing_consent, subject_ref, created_at, updated_at)
SELECT gen_random_uuid(), email, 'bench-not-a-hash', full_name, 'ru', 'employee', 'active', id,
       true, true, md5(random()::text), now(), now()
FROM roster
"""

DEVICES = """
INSERT INTO push_devices (id, user_id, token, platform, created_at, last_seen_at)
SELECT gen_random_uuid(), id, 'bench-token-' || id, 'android', now(), now()
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM users WHERE role = 'employee') AS e
WHERE n % 2 = 0
"""


async def fan_out(env: dict[str, str]) -> tuple[float, int]:
    os.environ.update(env)
    from sqlalchemy import select

    import loyalty.notifications.services as services
    from loyalty.app import create_app
    from loyalty.identity.models import User
    from loyalty.notifications.services import NotificationService
    from loyalty.settings import Settings

    app = create_app(Settings.from_env().completed())
    runtime = app.state.runtime
    enqueue = services.enqueue
    parts: dict[str, float] = {}

    async def timed_enqueue(*args: Any, **kwargs: Any) -> int:
        began = time.perf_counter()
        try:
            return await enqueue(*args, **kwargs)
        finally:
            parts["enqueue"] = time.perf_counter() - began

    services.enqueue = timed_enqueue  # type: ignore[assignment]
    started = time.perf_counter()
    async with runtime.db_config.get_session() as session:
        count = await NotificationService(session, runtime).notify_many(
            select(User.id).where(User.role == "employee"),
            "announcements",
            "data_request_status",
            {"request_kind": "access", "status": "completed", "note": "bench"},
        )
        written = time.perf_counter() - started
        await session.commit()
    elapsed = time.perf_counter() - started
    services.enqueue = enqueue
    print(
        f"fan-out parts: decide + write {written - parts.get('enqueue', 0.0):.2f} s,"
        f" enqueue {parts.get('enqueue', 0.0):.2f} s, commit {elapsed - written:.2f} s"
    )
    await runtime.db_config.get_engine().dispose()
    return elapsed, count


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def sent_count(conn: asyncpg.Connection) -> int:
    return int(
        await conn.fetchval(
            "SELECT count(*) FROM notification_deliveries WHERE channel = 'push' AND status = 'sent'"
        )
    )


async def run_worker_until(
    env: dict[str, str], conn: asyncpg.Connection, stop_at: int | None, total: int
) -> tuple[float, int, int]:
    """Run ``loyalty worker`` until ``stop_at`` pushes are sent (then SIGKILL) or all are done (then
    SIGTERM); answers seconds run, pushes sent meanwhile and the worker's peak RSS in KiB."""
    before = await sent_count(conn)
    worker = subprocess.Popen(  # noqa: ASYNC220 (started once, not waited on in the loop)
        [sys.executable, "-m", "loyalty", "worker"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL
    )
    started = time.perf_counter()
    peak = 0
    try:
        while True:
            await asyncio.sleep(0.2)
            peak = max(peak, peak_rss_kib(worker.pid))
            done = await sent_count(conn)
            if stop_at is not None and done >= stop_at:
                worker.send_signal(signal.SIGKILL)
                break
            if done >= total:
                worker.send_signal(signal.SIGTERM)
                break
            if worker.poll() is not None:
                raise RuntimeError(f"the worker ended by itself with {worker.returncode}")
    finally:
        worker.wait(timeout=60)
    return time.perf_counter() - started, await sent_count(conn) - before, peak


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--employees", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--fanout-only", action="store_true", help="measure the fan-out, run no worker")
    args = parser.parse_args()
    workdir = make_workdir("notify-fanout-")
    env = server_env(
        workdir,
        args.database_url,
        settings={"LOYALTY_PUSH_BACKEND": "file", "LOYALTY_PUSH_DIR": str(workdir / "push")},
    )
    await prepare_database(args.database_url, env, hint="(use --database-url)")
    conn = await asyncpg.connect(asyncpg_dsn(args.database_url))
    try:
        began = time.perf_counter()
        await conn.execute(EMPLOYEES, args.employees)
        await conn.execute(DEVICES)
        await conn.execute("VACUUM ANALYZE")
        print(f"fill: {args.employees} employees, half with a device, in {time.perf_counter() - began:.1f} s")

        write_seconds, notified = await fan_out(env)
        total = int(
            await conn.fetchval("SELECT count(*) FROM notification_deliveries WHERE channel = 'push'")
        )
        jobs = int(await conn.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = 'deliver'"))
        print(
            f"fan-out: {notified} notified, {total} push deliveries, {jobs} jobs, written and enqueued in {write_seconds:.2f} s"
        )

        if args.fanout_only:
            return
        first_seconds, first_sent, first_peak = await run_worker_until(env, conn, total // 3, total)
        print(
            f"worker 1: {first_sent} sent in {first_seconds:.1f} s ({first_sent / first_seconds:.0f}/s),"
            f" killed with SIGKILL; peak RSS {first_peak / 1024:.0f} MiB"
        )
        claimed = int(
            await conn.fetchval("SELECT count(*) FROM notification_deliveries WHERE status = 'sending'")
        )
        print(f"left claimed ('sending') by the killed worker: {claimed}")
        second_seconds, second_sent, second_peak = await run_worker_until(env, conn, None, total)
        print(
            f"worker 2: {second_sent} sent in {second_seconds:.1f} s ({second_sent / second_seconds:.0f}/s,"
            f" waiting for the killed worker's jobs included); peak RSS {second_peak / 1024:.0f} MiB"
        )
        rate = (first_sent + second_sent) / (first_seconds + second_seconds)
        print(f"throughput: {rate:.0f} deliveries/s with one worker over both runs")

        statuses = dict(
            await conn.fetch(
                "SELECT status, count(*) FROM notification_deliveries WHERE channel = 'push' GROUP BY status"
            )
        )
        lines = (workdir / "push" / "push.jsonl").read_text().splitlines()
        per_notification = Counter(json.loads(line)["data"]["notification_id"] for line in lines)
        duplicates = sum(n - 1 for n in per_notification.values() if n > 1)
        repeats_file = workdir / "push" / "push-repeats.jsonl"
        repeats = len(repeats_file.read_text().splitlines()) if repeats_file.exists() else 0
        holders = int(await conn.fetchval("SELECT count(DISTINCT user_id) FROM push_devices"))
        print(f"push deliveries by status: {statuses}")
        print(
            f"push file (shown): {len(lines)} lines, {len(per_notification)} distinct notifications for"
            f" {holders} device holders, {duplicates} shown twice"
        )
        print(f"sent again by the transport after the kill, shown once (same message id): {repeats}")
        ok = statuses == {"sent": total} and len(per_notification) == holders == total
        print(
            "exactly one push per person:", "yes" if ok and duplicates == 0 else f"no ({duplicates} repeats)"
        )
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
