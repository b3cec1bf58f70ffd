"""Benchmark of the personal-data export: ``GET /api/v1/me/export`` for an employee with a long history.

    .venv/bin/python bench/export_load.py [--redemptions 10000] [--runs 5] [--database-url URL] [--keep]
    .venv/bin/python bench/export_load.py --redemptions 10000,50000      # does memory grow with history?

The issue's aim: exporting an employee with 10,000 redemptions stays under 2 seconds and in bounded memory.

1. Fill: drops and creates the scratch database (default ``loyalty_bench_export`` on the PostgreSQL at
   127.0.0.1:5432, user postgres, trust auth; the name must contain ``bench``), runs ``loyalty database
   upgrade --no-prompt`` and ``loyalty seed-demo`` (policy, staff, the registered demo employee
   ``aigerim.abenova.1@demo.loyalty.kz`` of roster entry DE-0001, the demo catalog).
2. For each count N of ``--redemptions`` (in the order given): replaces the demo employee's redemptions
   with N rows COPYed in with asyncpg, spread over the last two years and over all demo offers, 75 %
   redeemed, 15 % cancelled, 10 % issued (long expired: they read as expired); every NOT NULL column
   filled, the status/timestamp check constraints kept, every code unique (so the partial unique index
   on live codes holds), ``local_day`` the issuing day in the offer's time zone; then ``VACUUM ANALYZE``.
3. Starts ``python -m loyalty up`` (one uvicorn worker) on a free 127.0.0.1 port, logs in as the demo
   employee and GETs ``/api/v1/me/export`` ``--runs`` times, one after the other, streaming the body with
   httpx. Per run: time to the response headers, to the first body byte and to the last, the size, the
   number of chunks received, the server's CPU time (``/proc/<pid>/stat``) and its memory: VmRSS before
   the request, the peak VmRSS while streaming (sampled every 2 ms by a thread) and VmHWM (the kernel's
   exact peak, reset before each run by writing 5 to ``/proc/<pid>/clear_refs``). Every body must parse
   as JSON and hold exactly N redemptions with the inserted status mix. The server is stopped before the
   next count, so every count starts from a fresh process.
4. Unless ``--no-heap``: builds the app in this process and consumes ``export_document`` itself, once to
   warm up and once under ``tracemalloc``: the peak of the Python heap during one export. RSS cannot show
   growth that fits into memory the allocator already holds free; this figure has no such blind spot.

It prints one row per run and a summary per count. Only 127.0.0.1 is contacted; the server is stopped
whatever happens (Ctrl-C included). The database stays for inspection and is dropped by the next run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import harness
import httpx

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench_export"
REQUEST_TIMEOUT = 120.0
TARGET_SECONDS = 2.0
SAMPLE_INTERVAL = 0.002
HISTORY_DAYS = 730
STATUS_MIX = (("redeemed", 0.75), ("cancelled", 0.15), ("issued", 0.10))
REDEMPTION_COLUMNS = [
    "id",
    "offer_id",
    "partner_id",
    "user_id",
    "code",
    "source",
    "status",
    "issued_at",
    "expires_at",
    "redeemed_at",
    "cancelled_at",
    "local_day",
]


# --------------------------------------------------------------------------- database


def _uuid7() -> uuid.UUID:
    import uuid_utils

    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)


def generate_redemptions(
    rng: random.Random, n: int, user_id: uuid.UUID, offers: list[asyncpg.Record], now: datetime
) -> tuple[list[tuple[Any, ...]], Counter[str]]:
    from loyalty.redemption.codes import CODE_ALPHABET, CODE_LENGTH
    from loyalty.redemption.limits import local_day_of

    statuses = [status for status, _ in STATUS_MIX]
    weights = [weight for _, weight in STATUS_MIX]
    start = now - timedelta(days=HISTORY_DAYS)
    span = (now - timedelta(hours=1) - start).total_seconds()
    moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(n))
    codes: set[str] = set()
    rows: list[tuple[Any, ...]] = []
    mix: Counter[str] = Counter()
    for issued_at in moments:
        offer = rng.choice(offers)
        status = rng.choices(statuses, weights)[0]
        code = "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))
        while code in codes:  # unique codes: the partial unique index on live codes can never trip
            code = "".join(rng.choices(CODE_ALPHABET, k=CODE_LENGTH))
        codes.add(code)
        expires_at = issued_at + timedelta(minutes=15)
        later = issued_at + timedelta(seconds=rng.randint(20, 14 * 60))
        rows.append(
            (
                _uuid7(),
                offer["id"],
                offer["partner_id"],
                user_id,
                code,
                "generated",
                status,
                issued_at,
                expires_at,
                later if status == "redeemed" else None,
                later if status == "cancelled" else None,
                local_day_of(issued_at, offer["timezone"]),
            )
        )
        mix[status] += 1
    return rows, mix


@dataclass
class Filled:
    user_id: uuid.UUID
    offers: int
    partners: int
    mix: Counter[str]
    seconds: float
    plan: str


async def fill_redemptions(url: str, email: str, n: int, seed: int) -> Filled:
    """Replace the demo employee's redemptions with ``n`` generated ones."""
    started = time.perf_counter()
    conn = await asyncpg.connect(harness.asyncpg_dsn(url))
    try:
        # Every NOT NULL column without a default must be among ours, or the COPY below would fail late.
        required = {
            r["column_name"]
            for r in await conn.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'redemptions'"
                " AND is_nullable = 'NO' AND column_default IS NULL"
            )
        }
        if missing := required - set(REDEMPTION_COLUMNS):
            raise RuntimeError(f"redemptions has NOT NULL columns this script does not fill: {missing}")
        user_id = await conn.fetchval("SELECT id FROM users WHERE email = $1", email)
        if user_id is None:
            raise RuntimeError(f"the demo employee {email} is missing; did seed-demo run?")
        offers = await conn.fetch("SELECT id, partner_id, timezone FROM offers ORDER BY id")
        if not offers:
            raise RuntimeError("the demo catalog has no offers")
        rows, mix = generate_redemptions(random.Random(seed), n, user_id, offers, datetime.now(UTC))
        async with conn.transaction():
            await conn.execute("DELETE FROM redemption_counters WHERE user_id = $1", user_id)
            await conn.execute("DELETE FROM redemptions WHERE user_id = $1", user_id)
            await conn.copy_records_to_table("redemptions", records=rows, columns=REDEMPTION_COLUMNS)
        await conn.execute("VACUUM (ANALYZE) redemptions")
        stored = await conn.fetchval("SELECT count(*) FROM redemptions WHERE user_id = $1", user_id)
        if stored != n:
            raise RuntimeError(f"{stored} redemptions stored for the demo employee, expected {n}")
        # The plan of the export's redemptions section (the same shape as rights.export_document's query).
        plan_rows = await conn.fetch(
            "EXPLAIN SELECT id, offer_id, partner_id, status, source, issued_at, expires_at, redeemed_at,"
            " cancelled_at, local_day FROM redemptions WHERE user_id = $1 ORDER BY issued_at",
            user_id,
        )
        plan = " / ".join(r[0].strip().split("  (cost")[0] for r in plan_rows[:3])
        partners = len({o["partner_id"] for o in offers})
    finally:
        await conn.close()
    return Filled(user_id, len(offers), partners, mix, time.perf_counter() - started, plan)


# --------------------------------------------------------------------------- /proc


def proc_status_kib(pid: int, key: str) -> int:
    """A ``kB`` field of /proc/<pid>/status (VmRSS, VmHWM)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/{pid}/status has no {key}")


def reset_hwm(pid: int) -> bool:
    """Set VmHWM back to the current RSS (Linux >= 4.0), so that it measures one request's peak."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


class RssSampler(threading.Thread):
    """Samples VmRSS of one process every few milliseconds until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = proc_status_kib(pid, "VmRSS")
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            with contextlib.suppress(OSError, RuntimeError):
                self.peak_kib = max(self.peak_kib, proc_status_kib(self.pid, "VmRSS"))
                self.samples += 1
            self._stop_event.wait(SAMPLE_INTERVAL)

    def stop(self) -> int:
        self._stop_event.set()
        self.join(timeout=5)
        return self.peak_kib


# --------------------------------------------------------------------------- the measurement


@dataclass
class Run:
    count: int
    number: int
    headers_ms: float
    first_byte_ms: float
    total_s: float
    size: int
    chunks: int
    server_cpu_s: float
    rss_before_kib: int
    rss_peak_kib: int  # sampled VmRSS
    hwm_kib: int | None  # kernel peak since the reset, None when it could not be reset
    samples: int
    redemptions: int
    sections: dict[str, int] = field(default_factory=dict)

    @property
    def peak_kib(self) -> int:
        return max(self.rss_peak_kib, self.hwm_kib or 0)

    @property
    def growth_kib(self) -> int:
        return self.peak_kib - self.rss_before_kib


def login(client: httpx.Client, base_url: str, email: str, password: str) -> str:
    response = client.post(f"{base_url}{harness.API}/auth/login", json={"email": email, "password": password})
    if response.status_code != 200:
        raise RuntimeError(f"demo login failed: {response.status_code} {response.text[:300]}")
    return str(response.json()["access_token"])


def check_document(body: bytes, filled: Filled, n: int) -> dict[str, int]:
    """The body must be one JSON document with every section and exactly the inserted redemptions."""
    document = json.loads(body)
    redemptions = document.get("redemptions")
    if not isinstance(redemptions, list) or len(redemptions) != n:
        got = len(redemptions) if isinstance(redemptions, list) else type(redemptions).__name__
        raise RuntimeError(f"the export holds {got} redemptions, expected {n}")
    mix = Counter(r["status"] for r in redemptions)
    if mix != filled.mix:
        raise RuntimeError(
            f"the export's status mix {dict(mix)} differs from the inserted {dict(filled.mix)}"
        )
    issued = [r["issued_at"] for r in redemptions]
    if issued != sorted(issued):
        raise RuntimeError("the export's redemptions are not in issuing order")
    if (document.get("profile") or {}).get("id") != str(filled.user_id):
        raise RuntimeError("the export's profile is not the demo employee's")
    return {
        k: len(v) if isinstance(v, list) else 1 for k, v in document.items() if isinstance(v, list | dict)
    }


def measure(server: harness.Server, token: str, filled: Filled, n: int, number: int) -> Run:
    pid = server.pid
    rss_before = proc_status_kib(pid, "VmRSS")
    hwm_ok = reset_hwm(pid)
    cpu_before = harness.proc_cpu_seconds(pid)
    sampler = RssSampler(pid)
    body = bytearray()
    chunks = 0
    first_byte = headers_at = 0.0
    sampler.start()
    try:
        with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
            start = time.perf_counter()
            with client.stream(
                "GET",
                f"{server.base_url}{harness.API}/me/export",
                headers={"Authorization": f"Bearer {token}"},
            ) as response:
                headers_at = time.perf_counter()
                if response.status_code != 200:
                    response.read()
                    raise RuntimeError(f"export answered {response.status_code}: {response.text[:300]}")
                for chunk in response.iter_raw():
                    if not chunks:
                        first_byte = time.perf_counter()
                    chunks += 1
                    body += chunk
            end = time.perf_counter()
    finally:
        peak = sampler.stop()
    hwm = proc_status_kib(pid, "VmHWM") if hwm_ok else None
    cpu = harness.proc_cpu_seconds(pid) - cpu_before
    sections = check_document(bytes(body), filled, n)
    return Run(
        count=n,
        number=number,
        headers_ms=(headers_at - start) * 1000,
        first_byte_ms=(first_byte - start) * 1000,
        total_s=end - start,
        size=len(body),
        chunks=chunks,
        server_cpu_s=cpu,
        rss_before_kib=rss_before,
        rss_peak_kib=peak,
        hwm_kib=hwm,
        samples=sampler.samples,
        redemptions=sections.get("redemptions", 0),
        sections=sections,
    )


@dataclass
class HeapPeak:
    """export_document run in this process under tracemalloc: what the Python heap holds at most."""

    peak_bytes: int
    largest_chunk: int
    chunks: int
    size: int


async def python_heap_peak(env: dict[str, str], user_id: uuid.UUID) -> HeapPeak:
    """Consume ``export_document`` itself (with the runtime of an app built in this process) once to
    warm up and once under tracemalloc. Unlike RSS, this cannot hide in memory the allocator already holds
    free, so it is the exact bound of what one export keeps alive in Python objects."""
    import tracemalloc

    from loyalty.app import create_app
    from loyalty.privacy.rights import export_document
    from loyalty.settings import Settings

    app = create_app(Settings.from_env(env))
    # The app's logging configuration applies to this whole process; keep httpx's request lines quiet.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    runtime = app.state.runtime
    try:
        async for _ in export_document(runtime, runtime.clock.now(), user_id=user_id):
            pass
        largest = chunks = size = 0
        tracemalloc.start()
        try:
            base = tracemalloc.get_traced_memory()[0]
            async for chunk in export_document(runtime, runtime.clock.now(), user_id=user_id):
                largest = max(largest, len(chunk))
                size += len(chunk)
                chunks += 1
            peak = tracemalloc.get_traced_memory()[1] - base
        finally:
            tracemalloc.stop()
    finally:
        await runtime.db_config.get_engine().dispose()
    return HeapPeak(peak, largest, chunks, size)


@dataclass
class CountResult:
    count: int
    filled: Filled
    startup_s: float
    rss_after_login_kib: int
    runs: list[Run]
    heap: HeapPeak | None


def bench_count(
    url: str,
    env: dict[str, str],
    workdir: Path,
    n: int,
    runs: int,
    email: str,
    password: str,
    seed: int,
    *,
    trace_heap: bool,
) -> CountResult:
    print(f"\n{n:,} redemptions: filling ...", flush=True)
    filled = asyncio.run(fill_redemptions(url, email, n, seed))
    print(
        f"  {dict(filled.mix)} over {filled.offers} offers of {filled.partners} partners in "
        f"{filled.seconds:.1f} s; plan: {filled.plan}",
        flush=True,
    )
    server = harness.Server(workdir, harness.free_port(), env, log_name=f"server-{n}.log", poll_interval=0.25)
    try:
        server.start()
        startup = server.wait_live()
        print(f"  loyalty up (pid {server.pid}) live after {startup:.1f} s on {server.base_url}", flush=True)
        with httpx.Client(timeout=30.0) as client:
            token = login(client, server.base_url, email, password)
        rss_after_login = proc_status_kib(server.pid, "VmRSS")
        results = []
        for number in range(1, runs + 1):
            run = measure(server, token, filled, n, number)
            results.append(run)
            print(
                f"  run {number}: {run.total_s * 1000:,.0f} ms, first byte {run.first_byte_ms:.1f} ms, "
                f"{run.size:,} bytes in {run.chunks:,} chunks, server CPU {run.server_cpu_s * 1000:,.0f} ms, "
                f"RSS {run.rss_before_kib / 1024:.1f} -> peak {run.peak_kib / 1024:.1f} MiB",
                flush=True,
            )
    except Exception:
        print(server.log_tail(), file=sys.stderr)
        raise
    finally:
        server.stop()
    heap = None
    if trace_heap:
        heap = asyncio.run(python_heap_peak(env, filled.user_id))
        print(
            f"  export_document under tracemalloc: Python heap peak {heap.peak_bytes / 1024:,.0f} KiB, "
            f"{heap.chunks} chunks, largest {heap.largest_chunk:,} bytes",
            flush=True,
        )
    return CountResult(n, filled, startup, rss_after_login, results, heap)


# --------------------------------------------------------------------------- report


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def report(results: list[CountResult], args: argparse.Namespace, info: dict[str, Any]) -> None:
    width = 118
    harness.banner(
        "loyalty export benchmark (bench/export_load.py): GET /api/v1/me/export, one uvicorn worker", width
    )
    print(f"machine  : {harness.machine()}, load average before {info['loadavg'][0]:.2f}")
    print(f"python   : {harness.python_version()}")
    print(f"database : {info['database']} ({info['server_version']}); migrate + seed {info['seed_s']:.1f} s")
    print(f"runs     : {args.runs} per count, sequential, one connection each; body streamed with httpx")
    print(
        "memory   : RSS of the server process (VmRSS before; peak = max of VmRSS sampled every "
        f"{SAMPLE_INTERVAL * 1000:g} ms and VmHWM reset before each run)"
    )
    print("-" * width)
    print(
        f"{'redemptions':>11} {'run':>3} {'total ms':>9} {'headers ms':>10} {'1st byte ms':>11} "
        f"{'bytes':>11} {'chunks':>7} {'srv CPU ms':>10} {'RSS before':>10} {'RSS peak':>9} "
        f"{'growth':>7} {'samples':>7}"
    )
    for result in results:
        for run in result.runs:
            print(
                f"{run.count:>11,} {run.number:>3} {run.total_s * 1000:>9,.0f} {run.headers_ms:>10.1f} "
                f"{run.first_byte_ms:>11.1f} {run.size:>11,} {run.chunks:>7,} {run.server_cpu_s * 1000:>10,.0f} "
                f"{mib(run.rss_before_kib):>10} {mib(run.peak_kib):>9} {mib(run.growth_kib):>7} "
                f"{run.samples:>7}"
            )
    print("-" * width)
    print(
        "summary (MiB; 'RSS idle' = after startup and login, before the first export; 'heap peak' ="
        " tracemalloc peak of one export_document in this process):"
    )
    print(
        f"{'redemptions':>11} {'bytes':>11} {'median ms':>9} {'max ms':>7} {'1st byte ms':>11} "
        f"{'RSS idle':>8} {'peak RSS':>8} {'peak - idle':>11} {'max growth/run':>14} {'heap peak':>9}"
        f"  < {TARGET_SECONDS:g} s?"
    )
    for result in results:
        totals = [r.total_s for r in result.runs]
        peak = max(r.peak_kib for r in result.runs)
        print(
            f"{result.count:>11,} {result.runs[0].size:>11,} {statistics.median(totals) * 1000:>9,.0f} "
            f"{max(totals) * 1000:>7,.0f} {statistics.median(r.first_byte_ms for r in result.runs):>11.1f} "
            f"{mib(result.rss_after_login_kib):>8} {mib(peak):>8} {mib(peak - result.rss_after_login_kib):>11} "
            f"{mib(max(r.growth_kib for r in result.runs)):>14} "
            f"{mib(result.heap.peak_bytes / 1024) if result.heap else '-':>9}  "
            f"{'yes' if max(totals) < TARGET_SECONDS else 'NO'}"
        )
    print("-" * width)
    sections = results[-1].runs[-1].sections
    print("sections of the last document (items): " + ", ".join(f"{k} {v}" for k, v in sections.items()))
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth_small = max(r.peak_kib for r in small.runs) - small.rss_after_login_kib
        growth_large = max(r.peak_kib for r in large.runs) - large.rss_after_login_kib
        ratio = large.count / small.count
        print(
            f"history x{ratio:g} ({small.count:,} -> {large.count:,}): document "
            f"{large.runs[0].size / small.runs[0].size:.1f}x larger, median time "
            f"{statistics.median(r.total_s for r in large.runs) / statistics.median(r.total_s for r in small.runs):.1f}x, "
            f"server peak above idle {mib(growth_small)} -> {mib(growth_large)} MiB"
            + (
                f", Python heap peak {mib(small.heap.peak_bytes / 1024)} -> {mib(large.heap.peak_bytes / 1024)} MiB"
                if small.heap and large.heap
                else ""
            )
        )
    print("=" * width)


def main() -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument(
        "--redemptions",
        default="10000",
        help="redemptions of the demo employee; a comma-separated list runs each count (default 10000)",
    )
    parser.add_argument("--runs", type=int, default=5, help="exports per count (default 5)")
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"scratch database, DROPPED and recreated (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data (default 2026)")
    parser.add_argument(
        "--no-heap", action="store_true", help="skip the in-process tracemalloc run of export_document"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (server logs)")
    args = parser.parse_args()
    try:
        counts = [int(part.replace("_", "")) for part in args.redemptions.split(",") if part.strip()]
    except ValueError:
        parser.error("--redemptions takes integers, e.g. 10000 or 10000,50000")
    if not counts or not all(0 <= n <= 1_000_000 for n in counts):
        parser.error("--redemptions must be between 0 and 1000000")
    if not 1 <= args.runs <= 100:
        parser.error("--runs must be between 1 and 100")
    if not Path("/proc/self/status").exists():
        parser.error("this benchmark reads /proc (Linux only)")
    harness.sigterm_interrupts()
    email, password, _ = harness.demo_employee()
    url = args.database_url
    workdir = harness.make_workdir("loyalty-export-bench-")
    env = harness.server_env(workdir, url, keep=harness.TUNING_PREFIXES, settings=harness.LOAD_SETTINGS)
    info: dict[str, Any] = {"loadavg": os.getloadavg(), "database": harness.database_label(url)}
    exit_code = 0
    try:
        print(f"preparing {info['database']}: drop, create, migrate, seed-demo ...", flush=True)
        info["seed_s"] = asyncio.run(harness.prepare_database(url, env))

        async def version() -> str:
            conn = await asyncpg.connect(harness.asyncpg_dsn(url))
            try:
                return str(await conn.fetchval("SHOW server_version")).split(" ")[0]
            finally:
                await conn.close()

        info["server_version"] = "PostgreSQL " + asyncio.run(version())
        results = [
            bench_count(
                url, env, workdir, n, args.runs, email, password, args.seed, trace_heap=not args.no_heap
            )
            for n in counts
        ]
        report(results, args, info)
        slow = [r for result in results for r in result.runs if r.total_s >= TARGET_SECONDS]
        if slow:
            print(f"{len(slow)} export(s) took {TARGET_SECONDS:g} s or more", file=sys.stderr)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        exit_code = 130
    except Exception as exc:
        print(f"\nbenchmark failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        exit_code = 1
    finally:
        harness.remove_workdir(workdir, args.keep)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
