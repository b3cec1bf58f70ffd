"""Load benchmark for issuing redemption codes: requests per second and p99, and how long the hot offer's
row stays locked by the issuing transaction.

    .venv/bin/python bench/redemption_load.py [--duration 15] [--connections 32] [--employees 2000]
        [--offers 500] [--timed-duration 8] [--database-url URL] [--show-sql] [--python-client] [--keep]

Uses ``wrk`` (Debian package ``wrk``) when it is installed, else (or with ``--python-client``) a Python
httpx client in this process, whose CPU then competes with the server's. Needs a PostgreSQL server; by
default the local one at
``postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench_redemption``. That database is DROPPED and
created anew (the name must contain ``bench``), migrated and seeded with the demo data; then the script
adds, directly in the database and with the service's own classes, ``--employees`` consenting employees
with a session each (login and registration are throttled per IP, so their access tokens are minted here
with the service's ``TokenService`` and a secret key shared with the server), ``--offers`` live offers
with ``per_employee_per_day = 1000`` and one hot offer with ``total = 10,000,000`` and
``per_employee_per_day = 1000``.

It starts ``loyalty up`` (one uvicorn worker) on a free 127.0.0.1 port and drives
``POST /api/v1/offers/{id}/redemptions`` with wrk (keep-alive connections, one thread, a Lua script
rotating the employees' tokens), or without wrk with as many httpx tasks on keep-alive connections doing
the same, in three cases:

  a.  ``--connections`` connections, many employees on many offers (a random offer per request);
  b.  ``--connections`` connections, every employee on the one hot offer;
  b1. one connection on the hot offer (the lock hold when the event loop has nothing else to do).

Every answer is counted by status and error code, and the database is checked afterwards (each offer's
``issued_count`` equals its live codes, every day counter equals its codes). While the load runs, the script
samples ``pg_stat_activity`` 20 times a second: how many transactions wait for a row lock, and what the
transaction holding it is doing (waiting for the app to send the next statement, or committing).

A second pass (``--timed-duration`` seconds per case, 0 to skip) runs the same server through this file
(``--serve``, which installs SQLAlchemy event hooks and wrappers of asyncpg's ``Connection.fetch`` /
``fetchrow`` / ``fetchval`` / ``execute`` and ``Transaction`` start / commit / rollback, for the hot path's
prepared statements that bypass SQLAlchemy, and then runs the very same ``loyalty up``): every
statement of every issuing transaction is timed, so the report lists the statements one issue runs, how
long each takes, and the time from the end of ``UPDATE offers SET issued_count = ...`` to the end of
``COMMIT``: the hot row's lock hold as the app sees it. The headline numbers come from the first pass.

Last, with the server stopped, it replays the tail of the transaction with asyncpg on the hot row
(``BEGIN; UPDATE offers ... RETURNING; COMMIT`` in a loop): the lock hold with no application in between,
once with the server's ``synchronous_commit`` and once with ``synchronous_commit = off``, and with 8
connections at once, which is the most issues per second the row takes at all.

Only 127.0.0.1 (and the database server given) is contacted; every load run ends by itself (its
duration); the database is dropped at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import re
import resource
import secrets
import shutil
import signal
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import Any
from uuid import UUID

import harness

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench_redemption"
SAMPLE_INTERVAL = 0.05  # pg_stat_activity samples while the load runs
HOT_TOTAL = 10_000_000
PER_DAY = 1000
REPLAY_SECONDS = 3.0
REPLAY_CONNECTIONS = 8
SERIAL_SECONDS = 5  # case b1: the hot offer through one connection
TIMED_SECONDS = 8  # each case again on the server with the statement timing hooks
PASSTHROUGH = ("LOYALTY_DATABASE_POOL_SIZE", "LOYALTY_DATABASE_MAX_OVERFLOW")

# The statement that takes the hot row's lock, and the one that ends the transaction.
HOT_UPDATE_PREFIX = "UPDATE offers SET issued_count"
BEGIN, COMMIT = -1, -2


# ============================================================================ inside the server process


def serve_instrumented(host: str, port: int, dump_path: str) -> None:
    """Run ``loyalty up`` with hooks that time each statement of every transaction that issued a code.

    Timings are kept per asyncpg connection from the first statement to COMMIT (or ROLLBACK) and written to
    ``dump_path`` as JSON when the process ends (SIGTERM included)."""
    dump = install_statement_hooks(dump_path)

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        # uvicorn shuts down gracefully on SIGTERM, restores this handler and raises the signal again.
        dump()
        sys.exit(0)

    import atexit

    atexit.register(dump)
    signal.signal(signal.SIGTERM, on_sigterm)
    sys.argv = ["loyalty", "up", "--host", host, "--port", str(port)]
    from loyalty.cli import main

    main()


def install_statement_hooks(dump_path: str) -> Any:
    """Time every statement, BEGIN, COMMIT and ROLLBACK per asyncpg connection; returns the function that
    writes what was recorded for the transactions that issued a code.

    Two paths reach PostgreSQL: SQLAlchemy (timed by its ``before/after_cursor_execute`` events) and the
    hot path's prepared statements run straight on the request's asyncpg connection
    (``loyalty.core.prepared``: ``Connection.fetch/fetchrow/fetchval/execute``, timed by wrapping those
    methods). Both are keyed by the asyncpg connection underneath, so a transaction mixing them is seen
    whole. BEGIN / COMMIT / ROLLBACK come from wrapping asyncpg's ``Transaction``, which both paths use
    (SQLAlchemy's adapter starts and ends its transactions with one too): ``start`` and the private
    ``__commit`` / ``__rollback`` that ``commit()``, ``rollback()`` and ``async with`` all end in.
    Statements sent outside a transaction since the connection was checked out (the guard's session
    check) are kept too and reported as run before BEGIN."""
    import asyncpg
    from asyncpg.transaction import Transaction
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.pool import Pool

    perf = time.perf_counter
    open_tx: dict[int, list[list[Any]]] = {}  # id(asyncpg connection) -> [statement id, start, end]
    in_tx: set[int] = set()  # connections inside a top-level transaction
    control: set[int] = set()  # connections sending BEGIN / COMMIT / ROLLBACK / SAVEPOINT right now
    sql_ids: dict[str, int] = {}
    hot_ids: set[int] = set()  # ids of the statements that take the hot row's lock
    finished: list[tuple[float, list[list[Any]]]] = []
    rolled_back = Counter[str]()
    max_outside = 16  # statements kept per connection outside a transaction

    def sql_id(statement: str) -> int:
        found = sql_ids.get(statement)
        if found is None:
            found = sql_ids[statement] = len(sql_ids)
            if statement.startswith(HOT_UPDATE_PREFIX):
                hot_ids.add(found)
        return found

    def started(key: int, statement: str) -> list[Any]:
        entries = open_tx.setdefault(key, [])
        if key not in in_tx and len(entries) >= max_outside:
            del entries[0]
        entry = [sql_id(statement), perf(), None]
        entries.append(entry)
        return entry

    # ---- SQLAlchemy's statements
    @event.listens_for(Engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        started(id(conn.connection.driver_connection), statement)

    @event.listens_for(Engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        entries = open_tx.get(id(conn.connection.driver_connection))
        if entries:
            entries[-1][2] = perf()

    @event.listens_for(Pool, "checkout")
    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        # A new request: what earlier checkouts ran outside a transaction is not its own.
        key = id(record.driver_connection)
        if key not in in_tx:
            open_tx.pop(key, None)

    # ---- statements sent straight on the asyncpg connection
    def timed_statement(original: Any) -> Any:
        async def wrapper(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
            key = id(self)
            if key in control or query.strip() in ("", ";"):  # BEGIN & co., SQLAlchemy's ping
                return await original(self, query, *args, **kwargs)
            entry = started(key, query)
            try:
                return await original(self, query, *args, **kwargs)
            finally:
                entry[2] = perf()

        wrapper.__name__ = original.__name__
        return wrapper

    for name in ("fetch", "fetchrow", "fetchval", "execute"):
        setattr(asyncpg.Connection, name, timed_statement(getattr(asyncpg.Connection, name)))

    # ---- BEGIN / COMMIT / ROLLBACK (and SAVEPOINTs) of either path
    original_start: Any = Transaction.start
    original_commit: Any = Transaction._Transaction__commit
    original_rollback: Any = Transaction._Transaction__rollback

    def record(key: int, kind: int, began: float) -> None:
        entries = open_tx.setdefault(key, [])
        # SQLAlchemy sends BEGIN from inside the first statement's execute: keep that statement last, so
        # that after_cursor_execute finds it.
        at = len(entries) - 1 if entries and entries[-1][2] is None else len(entries)
        entries.insert(at, [kind, began, perf()])

    def issuing(entries: list[list[Any]]) -> bool:
        return any(e[0] in hot_ids for e in entries)

    async def start(self: Any) -> None:
        key = id(self._connection)
        began = perf()
        control.add(key)
        try:
            await original_start(self)
        finally:
            control.discard(key)
        if self._nested:
            record(key, sql_id("SAVEPOINT"), began)
        else:
            in_tx.add(key)
            record(key, BEGIN, began)

    async def commit(self: Any) -> None:
        key = id(self._connection)
        nested = self._nested
        entries = None if nested else open_tx.pop(key, None)
        if not nested:
            in_tx.discard(key)
        began = perf()
        control.add(key)
        try:
            await original_commit(self)
        finally:
            control.discard(key)
        if nested:
            record(key, sql_id("RELEASE SAVEPOINT"), began)
        elif entries and issuing(entries):
            entries.append([COMMIT, began, perf()])
            finished.append((time.time(), entries))

    async def rollback(self: Any) -> None:
        key = id(self._connection)
        nested = self._nested
        entries = None if nested else open_tx.pop(key, None)
        if not nested:
            in_tx.discard(key)
        began = perf()
        control.add(key)
        try:
            await original_rollback(self)
        finally:
            control.discard(key)
        if nested:
            record(key, sql_id("ROLLBACK TO SAVEPOINT"), began)
        elif entries and any(e[0] >= 0 for e in entries):
            rolled_back["issuing" if issuing(entries) else "other"] += 1

    Transaction.start = start
    Transaction._Transaction__commit = commit
    Transaction._Transaction__rollback = rollback

    written = False

    def dump() -> None:
        nonlocal written
        if written:
            return
        written = True
        sql = [s for s, _ in sorted(sql_ids.items(), key=lambda item: item[1])]
        Path(dump_path).write_text(json.dumps({"sql": sql, "tx": finished, "rolled_back": rolled_back}))

    return dump


# ============================================================================ measurements


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def _system_busy_seconds() -> tuple[float, float]:
    """CPU seconds all CPUs spent busy since boot (user, nice, system, irq, softirq), and stolen by the
    hypervisor for other guests (steal)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(values[:3]) + values[5] + values[6]) / tick, values[7] / tick


def speed_index(rounds: int = 7) -> float:
    """Milliseconds one fixed piece of pure Python takes here now (median): this machine's speed varies
    with its neighbours, and every CPU figure scales with it."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        sum(i * i for i in range(100_000))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _all_processes() -> dict[int, tuple[str, float]]:
    """Every process's name and CPU seconds, to name what else used the machine during a case."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                head, tail = (entry / "stat").read_text().rsplit(")", 1)
                fields = tail.split()
                cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError, IndexError):
                continue
            try:
                name = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                name = ""
            found[int(entry.name)] = (name or head.split("(", 1)[-1], cpu)
    return found


@dataclass
class CpuSnapshot:
    wall: float
    server: float
    postgres: dict[int, float]
    wrk: float
    bench: float
    system: float
    steal: float
    processes: dict[int, tuple[str, float]] = field(default_factory=dict)


def cpu_snapshot(server_pid: int | None, pg_pids: list[int]) -> CpuSnapshot:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # wrk, once waited for
    system, steal = _system_busy_seconds()
    return CpuSnapshot(
        wall=time.perf_counter(),
        server=harness.proc_cpu_seconds(server_pid) if server_pid else 0.0,
        postgres={pid: harness.proc_cpu_seconds(pid) for pid in pg_pids},
        wrk=children.ru_utime + children.ru_stime,
        bench=time.process_time(),
        system=system,
        steal=steal,
        processes=_all_processes(),
    )


def cpu_usage(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
    """Percent of one core over the interval, per party; ``other`` is the rest of the machine."""
    wall = max(after.wall - before.wall, 1e-9)
    postgres = sum(after.postgres.get(pid, 0.0) - before.postgres.get(pid, 0.0) for pid in after.postgres)
    used = {
        "server": after.server - before.server,
        "postgres": postgres,
        "wrk": after.wrk - before.wrk,
        "bench": after.bench - before.bench,
    }
    used["other"] = max(0.0, after.system - before.system - sum(used.values()))
    used["steal"] = after.steal - before.steal
    return {key: 100 * value / wall for key, value in used.items()}


def other_consumers(before: CpuSnapshot, after: CpuSnapshot, ours: set[int], top: int = 3) -> str:
    """The processes besides ours that used the most CPU over the interval."""
    wall = max(after.wall - before.wall, 1e-9)
    deltas = []
    for pid, (name, cpu) in after.processes.items():
        if pid in ours or pid == os.getpid():
            continue
        used = cpu - before.processes.get(pid, (name, 0.0))[1]
        if used / wall > 0.02:
            deltas.append((used / wall, name))
    deltas.sort(reverse=True)
    return ", ".join(f"{100 * share:.0f}% {name[:70]}" for share, name in deltas[:top]) or "-"


# ============================================================================ the database


@dataclass
class Fixture:
    people: list[tuple[UUID, UUID]]  # (user id, auth session id)
    offers: list[UUID]
    hot: UUID
    qr_sign_us: float = 0.0
    seconds: float = 0.0


async def fill(env: dict[str, str], employees: int, offers: int) -> Fixture:
    """Employees with consent and a session each, and the offers, made with the service's own classes."""
    import msgspec
    from sqlalchemy import select

    from loyalty.app import create_app
    from loyalty.catalog.schemas import OfferIn
    from loyalty.catalog.services import OfferService
    from loyalty.demo.seed import CITIES, COMPANIES, DEPARTMENTS
    from loyalty.identity.models import AccountStatus, AuthSession, User
    from loyalty.partners.models import Partner, PartnerStatus
    from loyalty.privacy.consent import record_consent
    from loyalty.privacy.models import PolicyVersion
    from loyalty.privacy.policies import PurposeChoice
    from loyalty.redemption.ledger import Ledger
    from loyalty.roster.models import RosterEntry
    from loyalty.settings import Settings

    started = time.perf_counter()
    app = create_app(Settings.from_env(env))
    runtime = app.state.runtime
    now = runtime.clock.now()
    try:
        async with runtime.db_config.get_session() as session:
            policy = await session.scalar(
                select(PolicyVersion).order_by(PolicyVersion.effective_at.desc()).limit(1)
            )
            assert policy is not None, "the demo seed publishes policy 1"
            password_hash = await runtime.hasher.hash(secrets.token_urlsafe(24))
            entries = [
                RosterEntry(
                    employee_number=f"BR-{i:06d}",
                    email=f"bench.redeem.{i}@bench.loyalty.kz",
                    full_name=f"Bench Employee {i}",
                    company=COMPANIES[i % len(COMPANIES)],
                    department=DEPARTMENTS[i % len(DEPARTMENTS)],
                    city=CITIES[i % len(CITIES)],
                )
                for i in range(employees)
            ]
            session.add_all(entries)
            await session.flush()
            users = [
                User(
                    email=entry.email,
                    full_name=entry.full_name,
                    role="employee",
                    status=AccountStatus.ACTIVE,
                    roster_entry_id=entry.id,
                    password_hash=password_hash,
                )
                for entry in entries
            ]
            session.add_all(users)
            await session.flush()
            for user in users:
                await record_consent(
                    session,
                    user,
                    policy,
                    PurposeChoice(granted=["core"], declined=[]),
                    language="ru",
                    method="registration",
                    now=now,
                    ip=None,
                    user_agent="bench/redemption_load.py",
                )
            sessions = [
                AuthSession(
                    user_id=user.id,
                    created_at=now,
                    expires_at=now + timedelta(days=1),
                    ip="127.0.0.1",
                    user_agent="bench/redemption_load.py",
                )
                for user in users
            ]
            session.add_all(sessions)
            await session.flush()
            people = [(user.id, auth.id) for user, auth in zip(users, sessions, strict=True)]

            partners = list(
                await session.scalars(
                    select(Partner.id).where(Partner.status == PartnerStatus.ACTIVE).order_by(Partner.id)
                )
            )
            assert partners, "the demo seed creates partners"
            today = now.date()

            def body(title: str, limits: dict[str, int]) -> OfferIn:
                return msgspec.convert(
                    {
                        "category": "food",
                        "title": {"ru": title, "en": title, "kk": title},
                        "discount": {"kind": "percent", "value": 10},
                        "valid_from": (today - timedelta(days=2)).isoformat(),
                        "valid_until": (today + timedelta(days=30)).isoformat(),
                        "status": "published",
                        "limits": limits,
                    },
                    OfferIn,
                )

            many = []
            for i in range(offers):
                service = OfferService(session, runtime, partners[i % len(partners)], Ledger(session))
                created = await service.create(body(f"Bench offer {i}", {"per_employee_per_day": PER_DAY}))
                many.append(created.id)
            hot = await OfferService(session, runtime, partners[0], Ledger(session)).create(
                body("Bench hot offer", {"total": HOT_TOTAL, "per_employee_per_day": PER_DAY})
            )
            await session.commit()
        fixture = Fixture(people=people, offers=many, hot=hot.id)
        # The one piece of CPU work between the hot UPDATE and COMMIT besides the response: the QR JWT.
        times = []
        for _ in range(300):
            begin = time.perf_counter()
            runtime.qr.sign(
                redemption_id=people[0][0],
                offer_id=hot.id,
                partner_id=partners[0],
                code="ABCD2345",
                issued_at=now,
                expires_at=now + timedelta(minutes=15),
            )
            times.append(time.perf_counter() - begin)
        fixture.qr_sign_us = statistics.median(times) * 1e6
        fixture.seconds = time.perf_counter() - started
        return fixture
    finally:
        await runtime.db_config.get_engine().dispose()


# ============================================================================ the server


class TimedServer(harness.Server):
    """``loyalty up`` through this file's ``--serve``: every issuing transaction's statements are timed and
    written to ``statements.json`` in the work folder when the server stops (SIGTERM included)."""

    def __init__(self, workdir: Path, port: int, env: dict[str, str]) -> None:
        super().__init__(workdir, port, env, log_name="server-timed.log")
        self.dump_path = workdir / "statements.json"

    def command(self) -> list[str]:
        script = str(Path(__file__).resolve())
        return [sys.executable, script, "--serve", harness.HOST, str(self.port), str(self.dump_path)]


# ============================================================================ load


LUA = r"""
local tokens = {%(tokens)s}
local paths = {%(paths)s}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  n = 0
  math.randomseed(%(seed)d)
end

function request()
  n = n + 1
  local path = paths[math.random(#paths)]
  local token = tokens[(n %% #tokens) + 1]
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. token}, "")
end

function response(status, headers, body)
  local key = tostring(status)
  if status ~= 201 then
    local code = body and string.match(body, '"code"%%s*:%%s*"([^"]+)"')
    if code then key = key .. ":" .. code end
  end
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests %%d\nBENCH duration_us %%d\n", summary.requests, summary.duration))
  io.write(string.format("BENCH socket_errors %%d\n", e.connect + e.read + e.write + e.timeout))
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("BENCH p%%s %%d\n", p, latency:percentile(p)))
  end
  io.write(string.format("BENCH max %%d\nBENCH mean %%f\n", latency.max, latency.mean))
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do
      io.write(string.format("BENCH status_%%s %%d\n", k, v))
    end
  end
end
"""


@dataclass
class LoadResult:
    name: str
    connections: int = 0
    requests: int = 0
    duration: float = 0.0  # seconds
    p50: float = float("nan")  # ms
    p90: float = float("nan")
    p99: float = float("nan")
    p999: float = float("nan")
    max: float = float("nan")
    mean: float = float("nan")
    statuses: Counter[str] = field(default_factory=Counter)
    socket_errors: int = 0
    wall_start: float = 0.0
    wall_end: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    db_new_codes: int = 0
    sampler: dict[str, Any] = field(default_factory=dict)
    others: str = ""
    speed: float = float("nan")

    @property
    def ok(self) -> int:
        return self.statuses.get("201", 0)

    @property
    def rate(self) -> float:
        return self.ok / self.duration if self.duration else float("nan")

    @property
    def not_ok(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()) if k != "201") or "none"


def write_lua(path: Path, tokens: list[str], paths: list[str], seed: int) -> None:
    path.write_text(
        LUA
        % {
            "tokens": ",".join(f'"{t}"' for t in tokens),
            "paths": ",".join(f'"{p}"' for p in paths),
            "seed": seed,
        }
    )


async def wrk_load(name: str, base_url: str, script: Path, connections: int, duration: int) -> LoadResult:
    out = await harness.run_wrk(base_url, connections, duration, "--timeout", "30s", "-s", str(script))
    result = LoadResult(name, connections)
    for line in out.splitlines():
        if not line.startswith("BENCH "):
            continue
        _, key, value = line.split(" ", 2)
        if key.startswith("status_"):
            result.statuses[key.removeprefix("status_")] += int(value)
        elif key == "requests":
            result.requests = int(value)
        elif key == "duration_us":
            result.duration = int(value) / 1e6
        elif key == "socket_errors":
            result.socket_errors = int(value)
        else:
            attr = {"p50": "p50", "p90": "p90", "p99": "p99", "p99.9": "p999", "max": "max", "mean": "mean"}[
                key
            ]
            setattr(result, attr, float(value) / 1000)
    return result


PROBLEM_CODE = re.compile(rb'"code"\s*:\s*"([^"]+)"')  # as the Lua script's response() reads it


async def python_load(
    name: str, base_url: str, tokens: list[str], paths: list[str], connections: int, duration: int, seed: int
) -> LoadResult:
    """The Lua script's load without wrk: ``connections`` tasks on keep-alive httpx connections, each
    request on a random path with the next token in turn; every answer counted by status and, but for
    201, the problem+json ``code`` (``409:limit_reached``). Its CPU is this process's and competes with the
    server's. Unlike wrk it waits for the requests in flight at the end and counts them."""
    import random

    import httpx

    rng = random.Random(seed)
    result = LoadResult(name, connections)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()  # status codes, or the transport error's name
    n = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=harness.REQUEST_TIMEOUT, http1=True, http2=False
    ) as client:

        async def send() -> httpx.Response:
            nonlocal n
            n += 1
            path = paths[rng.randrange(len(paths))]
            token = tokens[n % len(tokens)]
            response = await client.post(path, headers={"Authorization": f"Bearer {token}"})
            key = str(response.status_code)
            if response.status_code != 201:
                found = PROBLEM_CODE.search(response.content)
                if found:
                    key += ":" + found.group(1).decode(errors="replace")
            result.statuses[key] += 1
            return response

        started, finished = await harness.http_load(connections, duration, send, latencies, outcomes)
    result.requests = len(latencies)
    result.duration = finished - started
    result.socket_errors = sum(count for key, count in outcomes.items() if not key.isdigit())
    if latencies:
        ms = sorted(value * 1000 for value in latencies)
        result.p50, result.p90, result.p99 = (harness.percentile(ms, p) for p in (50, 90, 99))
        result.p999 = statistics.quantiles(ms, n=1000, method="inclusive")[998] if len(ms) > 1 else ms[0]
        result.max, result.mean = ms[-1], statistics.fmean(ms)
    return result


@dataclass
class Load:
    """What drives one case: wrk with a Lua script when wrk is installed, else :func:`python_load`."""

    use_wrk: bool
    base_url: str
    workdir: Path

    async def run(
        self,
        name: str,
        key: str,
        tokens: list[str],
        paths: list[str],
        connections: int,
        duration: int,
        seed: int,
    ) -> LoadResult:
        if self.use_wrk:
            script = self.workdir / f"{key}.lua"
            write_lua(script, tokens, paths, seed)
            return await wrk_load(name, self.base_url, script, connections, duration)
        return await python_load(name, self.base_url, tokens, paths, connections, duration, seed)


async def pg_backends(dsn: str) -> list[int]:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'loyalty'"
        )
        return [row["pid"] for row in rows]
    finally:
        await conn.close()


def _query_label(query: str) -> str:
    text = " ".join(query.split())
    if text.startswith(HOT_UPDATE_PREFIX):
        return "UPDATE offers"
    for prefix in ("COMMIT", "BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK"):
        if text.upper().startswith(prefix):
            return prefix
    return statement_label(text)


async def sample_activity(dsn: str, stop: asyncio.Event) -> dict[str, Any]:
    """pg_stat_activity of the server's connections: lock waiters, and what the lock holder is doing."""
    import asyncpg

    conn = await asyncpg.connect(dsn)
    samples = 0
    waiters = 0
    in_transaction = 0
    active = 0
    holders: Counter[str] = Counter()
    with_waiters = 0
    try:
        while not stop.is_set():
            rows = await conn.fetch(
                "SELECT pid, state, wait_event_type, wait_event, query, pg_blocking_pids(pid) AS blockers "
                "FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'loyalty'"
            )
            samples += 1
            by_pid = {row["pid"]: row for row in rows}
            lock_waiters = [row for row in rows if row["wait_event_type"] == "Lock"]
            waiters += len(lock_waiters)
            in_transaction += sum(1 for row in rows if row["state"] == "idle in transaction")
            active += sum(1 for row in rows if row["state"] == "active")
            if lock_waiters:
                with_waiters += 1
                blockers = {pid for row in lock_waiters for pid in row["blockers"]}
                # The holder is the blocker that is not itself waiting for the lock.
                for pid in blockers:
                    holder = by_pid.get(pid)
                    if holder is None or holder["wait_event_type"] == "Lock":
                        continue
                    label = _query_label(holder["query"] or "")
                    if holder["state"] == "idle in transaction":
                        holders[f"idle in transaction after {label} (waiting for the app)"] += 1
                    elif holder["state"] == "active":
                        wait = holder["wait_event"] or "on CPU"
                        holders[f"active in {label} ({holder['wait_event_type'] or '-'}: {wait})"] += 1
                    else:
                        holders[f"{holder['state']} after {label}"] += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), SAMPLE_INTERVAL)
    finally:
        await conn.close()
    return {
        "samples": samples,
        "lock_waiters": waiters / samples if samples else float("nan"),
        "idle_in_transaction": in_transaction / samples if samples else float("nan"),
        "active": active / samples if samples else float("nan"),
        "with_waiters": with_waiters / samples if samples else float("nan"),
        "holders": holders,
    }


async def count_codes(dsn: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM redemptions"))
    finally:
        await conn.close()


async def load_phase(
    run: Callable[[], Awaitable[LoadResult]], dsn: str, server_pid: int | None
) -> LoadResult:
    before_codes = await count_codes(dsn)
    pids = await pg_backends(dsn)
    speed = speed_index()
    stop = asyncio.Event()
    sampler = asyncio.create_task(sample_activity(dsn, stop))
    before = cpu_snapshot(server_pid, pids)
    wall_start = time.time()
    try:
        result = await run()
    finally:
        stop.set()
        sampled = await sampler
    wall_end = time.time()
    after = cpu_snapshot(server_pid, sorted(set(pids) | set(await pg_backends(dsn))))
    result.cpu = cpu_usage(before, after)
    result.speed = speed
    ours = {pid for pid in after.postgres} | ({server_pid} if server_pid else set())
    result.others = other_consumers(before, after, ours)
    result.sampler = sampled
    result.wall_start, result.wall_end = wall_start, wall_end
    await asyncio.sleep(0.5)  # requests wrk left in flight finish
    result.db_new_codes = await count_codes(dsn) - before_codes
    return result


async def drive(
    base_url: str,
    workdir: Path,
    fixture: Fixture,
    env: dict[str, str],
    connections: int,
    duration: int,
    serial_duration: int,
    dsn: str,
    server_pid: int | None,
    use_wrk: bool,
) -> dict[str, LoadResult]:
    import logging

    import httpx

    from loyalty.core.clock import Clock
    from loyalty.core.tokens import AccessClaims, TokenService
    from loyalty.settings import Settings

    logging.getLogger("httpx").setLevel(logging.WARNING)  # no line per checked request
    settings = Settings.from_env(env)
    tokens = TokenService(settings.secret_key, settings.auth.access_token_ttl_seconds)
    many_paths = [f"{harness.API}/offers/{offer}/redemptions" for offer in fixture.offers]
    hot_paths = [f"{harness.API}/offers/{fixture.hot}/redemptions"]

    def minted() -> list[str]:
        # Fresh 15-minute access tokens for every run, minted like the service mints them.
        now = Clock().now()
        return [
            tokens.issue_access(AccessClaims(user_id=user, session_id=sid, role="employee"), now)
            for user, sid in fixture.people
        ]

    load = Load(use_wrk, base_url, workdir)
    # One checked request, then a short unmeasured run that opens every pooled connection and fills the
    # prepared-statement caches.
    first_token = tokens.issue_access(
        AccessClaims(user_id=fixture.people[0][0], session_id=fixture.people[0][1], role="employee"),
        Clock().now(),
    )
    async with httpx.AsyncClient(timeout=30) as client:
        answer = await client.post(
            f"{base_url}{many_paths[0]}", headers={"Authorization": f"Bearer {first_token}"}
        )
    if answer.status_code != 201:
        raise RuntimeError(f"a checked issue failed: {answer.status_code} {answer.text[:500]}")
    await load.run("warm-up", "warmup", minted(), many_paths + hot_paths, connections, 3, 1)

    cases = [
        ("a", "a: many offers", many_paths, connections, duration),
        ("b", "b: one hot offer", hot_paths, connections, duration),
        # The same hot offer with one connection: the lock hold when the event loop has nothing else to do.
        ("b1", "b1: hot, 1 conn", hot_paths, 1, serial_duration),
    ]
    results = {}
    for seed, (key, name, paths, clients, seconds) in enumerate(cases, 2):
        print(f"case {name} ({len(paths)} offer(s), {clients} connection(s), {seconds} s) ...", flush=True)
        results[key] = await load_phase(
            functools.partial(load.run, name, key, minted(), paths, clients, seconds, seed), dsn, server_pid
        )
    return results


# ============================================================================ after the load


async def check_database(dsn: str, hot: UUID) -> dict[str, Any]:
    """Every limit's bookkeeping agrees with the codes actually issued."""
    import asyncpg

    conn = await asyncpg.connect(dsn)
    try:
        drift = await conn.fetchval(
            "SELECT count(*) FROM offers o WHERE o.issued_count <> "
            "(SELECT count(*) FROM redemptions r WHERE r.offer_id = o.id AND r.status = 'issued')"
        )
        counters = await conn.fetchval(
            """
            SELECT count(*) FROM (
              SELECT c.used, (SELECT count(*) FROM redemptions r
                              WHERE r.user_id = c.user_id AND r.offer_id = c.offer_id
                                AND r.local_day = c.period_start AND r.status = 'issued') AS codes
              FROM redemption_counters c WHERE c.period = 'day') x
            WHERE used <> codes
            """
        )
        over = await conn.fetchval(
            "SELECT count(*) FROM redemption_counters c JOIN offers o ON o.id = c.offer_id "
            "WHERE c.period = 'day' AND c.used > o.limit_per_employee_per_day"
        )
        hot_row = await conn.fetchrow(
            "SELECT issued_count, limit_total, n_tup_hot_upd, n_tup_upd FROM offers, pg_stat_user_tables "
            "WHERE offers.id = $1 AND relname = 'offers'",
            hot,
        )
        codes = await conn.fetchval("SELECT count(*) FROM redemptions")
        return {
            "offers_with_drift": drift,
            "counters_with_drift": counters,
            "counters_over_limit": over,
            "hot_issued": hot_row["issued_count"],
            "codes": codes,
            "hot_updates_share": hot_row["n_tup_hot_upd"] / max(hot_row["n_tup_upd"], 1),
        }
    finally:
        await conn.close()


REPLAY_UPDATE = (
    "UPDATE offers SET issued_count = (offers.issued_count + $1), updated_at = $2 "
    "WHERE offers.id = $3 AND (offers.limit_total IS NULL OR offers.issued_count < offers.limit_total) "
    "RETURNING offers.issued_count"
)


async def replay(dsn: str, hot: UUID) -> dict[str, dict[str, float]]:
    """The transaction's tail on the hot row with no application in between: UPDATE ... RETURNING; COMMIT."""
    import asyncpg

    from loyalty.core.clock import Clock

    results: dict[str, dict[str, float]] = {}
    conn = await asyncpg.connect(dsn)
    try:
        update = await conn.prepare(REPLAY_UPDATE)
        for name, local in (("replay, 1 connection", None), ("replay, synchronous_commit=off", "off")):
            holds, commits = [], []
            deadline = time.perf_counter() + REPLAY_SECONDS
            while time.perf_counter() < deadline:
                transaction = conn.transaction()
                await transaction.start()
                if local:
                    await conn.execute("SET LOCAL synchronous_commit = off")
                sent = time.perf_counter()
                counted = await update.fetchval(1, Clock().now(), hot)
                updated = time.perf_counter()
                await transaction.commit()
                committed = time.perf_counter()
                assert counted is not None
                holds.append((committed - sent) * 1000)
                commits.append((committed - updated) * 1000)
            results[name] = {
                "n": len(holds),
                "hold_mean": mean(holds),
                "hold_p50": harness.percentile(holds, 50),
                "hold_p99": harness.percentile(holds, 99),
                "commit_mean": mean(commits),
                "rate": len(holds) / REPLAY_SECONDS,
            }
    finally:
        await conn.close()

    # Several connections on the one row: the most issues per second the row takes at all.
    connections = [await asyncpg.connect(dsn) for _ in range(REPLAY_CONNECTIONS)]
    done = 0
    try:
        deadline = time.perf_counter() + REPLAY_SECONDS

        async def worker(conn: Any) -> None:
            nonlocal done
            update = await conn.prepare(REPLAY_UPDATE)
            while time.perf_counter() < deadline:
                async with conn.transaction():
                    await update.fetchval(1, Clock().now(), hot)
                done += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(c) for c in connections))
        elapsed = time.perf_counter() - started
    finally:
        for conn in connections:
            await conn.close()
    results[f"replay, {REPLAY_CONNECTIONS} connections"] = {"n": done, "rate": done / elapsed}
    return results


def statement_label(sql: str) -> str:
    """A short name of a statement: its verb and tables (SQLAlchemy's and the prepared statements' texts)."""
    text = " ".join(sql.split())
    upper = text.upper()
    for prefix in ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"):
        if upper.startswith(prefix):
            return prefix
    verb = text.split(" ", 1)[0].upper()
    match = re.search(r"\b(?:FROM|INTO|UPDATE)\s+(\w+)", text, re.IGNORECASE)
    if verb == "SELECT" and match is None:
        # No table: a function call, e.g. SELECT pg_advisory_xact_lock(hashtextextended($1, $2)).
        called = re.match(r"SELECT\s+(\w+)\s*\(", text, re.IGNORECASE)
        return f"SELECT {called.group(1)}(...)" if called else "SELECT"
    table = match.group(1) if match else "?"
    if verb == "INSERT" and "ON CONFLICT" in upper:
        action = "DO NOTHING" if "DO NOTHING" in upper else "DO UPDATE"
        return f"INSERT INTO {table} ... ON CONFLICT {action}"
    if verb == "SELECT":
        # Joined tables, and joined subqueries by the table they read: JOIN (SELECT ... FROM t ...).
        joined = [
            name or f"({inner})"
            for name, inner in re.findall(
                r"\bJOIN\s+(?:(\w+)|\(\s*SELECT\b.*?\bFROM\s+(\w+))", text, re.IGNORECASE
            )
        ]
        return f"SELECT {' + '.join([table, *joined])}"
    return f"{verb} {table}" if verb != "INSERT" else f"INSERT INTO {table}"


@dataclass
class TxStats:
    count: int = 0
    statements: list[tuple[str, str]] = field(default_factory=list)  # (label, sql) of one transaction
    per_statement: dict[str, list[float]] = field(default_factory=dict)
    update_ms: list[float] = field(default_factory=list)  # the hot UPDATE: lock wait + execution
    gap_ms: list[float] = field(default_factory=list)  # end of UPDATE -> COMMIT sent
    commit_ms: list[float] = field(default_factory=list)
    hold_ms: list[float] = field(default_factory=list)  # end of UPDATE -> end of COMMIT
    total_ms: list[float] = field(default_factory=list)  # BEGIN sent -> end of COMMIT


def analyse(dump: dict[str, Any], start: float, end: float) -> TxStats:
    sql: list[str] = dump["sql"]
    stats = TxStats()
    per: dict[str, list[float]] = defaultdict(list)
    for wall, entries in dump["tx"]:
        if not start <= wall <= end + 0.5:
            continue
        entries = [list(e) for e in entries if e[2] is not None]
        begin = next((e for e in entries if e[0] == BEGIN), None)
        if begin is not None:
            # SQLAlchemy sends BEGIN from inside the first statement's execute: take it out of that one.
            host = next((e for e in entries if e[0] >= 0 and e[1] <= begin[1] <= e[2]), None)
            if host is not None:
                host[2] -= begin[2] - begin[1]
                begin[1] = host[1] - 1e-9
        entries.sort(key=lambda e: e[1])
        labels = []
        for kind, t0, t1 in entries:
            label = "BEGIN" if kind == BEGIN else "COMMIT" if kind == COMMIT else statement_label(sql[kind])
            if kind >= 0 and sql[kind].startswith(HOT_UPDATE_PREFIX):
                label = "UPDATE offers (total limit; locks the row)"
            if begin is not None and t0 < begin[1]:
                label += " (before BEGIN)"  # outside the transaction, e.g. the guard's session check
            labels.append((label, "" if kind < 0 else sql[kind]))
            per[label].append((t1 - t0) * 1000)
        hot = next(e for e in entries if e[0] >= 0 and sql[e[0]].startswith(HOT_UPDATE_PREFIX))
        commit = next(e for e in entries if e[0] == COMMIT)
        stats.count += 1
        stats.update_ms.append((hot[2] - hot[1]) * 1000)
        stats.gap_ms.append((commit[1] - hot[2]) * 1000)
        stats.commit_ms.append((commit[2] - commit[1]) * 1000)
        stats.hold_ms.append((commit[2] - hot[2]) * 1000)
        stats.total_ms.append((commit[2] - (begin or entries[0])[1]) * 1000)
        if not stats.statements:
            stats.statements = labels
    stats.per_statement = dict(per)
    return stats


# ============================================================================ report


def report(
    results: dict[str, LoadResult],
    timed: dict[str, LoadResult],
    tx: dict[str, TxStats],
    dump: dict[str, Any] | None,
    checks: dict[str, Any],
    replays: dict[str, dict[str, float]],
    fixture: Fixture,
    args: argparse.Namespace,
    startup_s: float,
    show_sql: bool,
) -> None:
    width = 100
    line = "-" * width
    harness.banner("loyalty redemption benchmark (bench/redemption_load.py)", width)
    print(f"machine    : {harness.machine()}")
    print(f"python     : {harness.python_version()}")
    print(
        f"server     : loyalty up, 1 uvicorn worker, live after {startup_s:.1f} s; statements timed in a "
        f"second pass of {args.timed_duration} s per case with SQLAlchemy and asyncpg hooks"
    )
    print(f"database   : {args.database_url.split('@')[-1]}")
    print(
        f"data       : {len(fixture.people)} employees with sessions, {len(fixture.offers)} offers "
        f"(per_employee_per_day {PER_DAY}) + 1 hot offer (total {HOT_TOTAL:,}, per day {PER_DAY}); "
        f"made in {fixture.seconds:.1f} s"
    )
    client = "wrk, 1 thread" if args.use_wrk else "Python httpx client in this process (no wrk)"
    print(f"load       : {client}, {args.connections} connections, {args.duration} s per case")
    print(line)
    print(
        f"{'case':<18}{'conns':>6}{'requests':>9}{'201/s':>9}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'CPU ms/201':>11}  non-201"
    )
    for result in results.values():
        server_ms = result.cpu["server"] / 100 * result.duration * 1000 / max(result.ok, 1)
        print(
            f"{result.name:<18}{result.connections:>6}{result.requests:>9}{result.rate:>9.1f}{result.p50:>9.1f}"
            f"{result.p90:>9.1f}{result.p99:>9.1f}{result.max:>9.1f}{server_ms:>11.1f}  {result.not_ok}"
            + (f"; socket errors {result.socket_errors}" if result.socket_errors else "")
        )
    print("(CPU ms/201: CPU time of the server process per code issued)")
    print(line)
    bench = "sampler" if args.use_wrk else "httpx client + sampler"
    for key, result in results.items():
        cpu = result.cpu
        print(
            f"CPU {key:<3}(100% = one core): server {cpu['server']:.0f}%, its PostgreSQL backends "
            f"{cpu['postgres']:.0f}%, wrk {cpu['wrk']:.0f}%, {bench} {cpu['bench']:.0f}%, rest of the machine "
            f"{cpu['other']:.0f}%, stolen {cpu['steal']:.0f}%; speed index {result.speed:.1f} ms"
            + ("  <- busy machine: numbers are low" if cpu["other"] > 25 else "")
        )
        if cpu["other"] > 25:
            print(f"    busiest other processes: {result.others}")
    for key, result in results.items():
        s = result.sampler
        print(
            f"pg_stat_activity {key} ({s['samples']} samples): {s['active']:.1f} active, "
            f"{s['idle_in_transaction']:.1f} idle in transaction, {s['lock_waiters']:.1f} waiting for a row "
            f"lock; a lock holder in {100 * s['with_waiters']:.0f}% of samples"
        )
        total = sum(s["holders"].values())
        for what, n in s["holders"].most_common(4):
            print(f"    holder {100 * n / total:5.1f}%  {what}")
    made = " / ".join(f"{r.db_new_codes}" for r in results.values())
    counted = " / ".join(f"{r.ok}" for r in results.values())
    print(
        f"database check: codes made per case {made} (201s counted {counted}; "
        + (
            "wrk drops the answers still in flight when it stops"
            if args.use_wrk
            else "the client counts them all"
        )
        + "); offers whose issued_count differs from their codes: "
        f"{checks['offers_with_drift']}; day counters differing from their codes: {checks['counters_with_drift']}; "
        f"counters over the limit: {checks['counters_over_limit']}; hot offer issued_count {checks['hot_issued']:,}"
    )
    print(line)
    keys = [key for key in timed if tx.get(key) and tx[key].count]
    if dump is not None and "b" in keys:
        statements = tx["b"].statements
        counts = " / ".join(f"{tx[k].count}" for k in keys)
        print(
            f"statements of one issuing transaction, mean ms from the app's call to its return ({counts} "
            f"transactions timed in {' / '.join(keys)}):"
        )
        rates = ", ".join(
            f"{k} {timed[k].rate:.1f}/s p99 {timed[k].p99:.0f} ms ({timed[k].not_ok} non-201)" for k in keys
        )
        print(f"  (timed pass, hooks on: {rates})")
        wide = max([52, *(len(label) for label, _ in statements)])
        print(f"  {'#':>2} {'statement':<{wide}}" + "".join(f"{k + ' mean':>9}{k + ' p99':>9}" for k in keys))
        for i, (label, _) in enumerate(statements, 1):
            cells = ""
            for k in keys:
                values = tx[k].per_statement.get(label, [])
                cells += f"{mean(values):>9.2f}{harness.percentile(values, 99):>9.2f}"
            print(f"  {i:>2} {label:<{wide}}{cells}")
        whole = ", ".join(f"{k} {mean(tx[k].total_ms):.2f}" for k in keys)
        print(f"  whole transaction (BEGIN sent -> COMMIT returned), mean ms: {whole}")
        if show_sql:
            print("  SQL:")
            for i, (label, sql) in enumerate(statements, 1):
                print(f"  {i:>2} {label}: {' '.join(sql.split()) or label}")
        print(line)
        print("hot row lock hold as the app sees it: end of UPDATE offers -> end of COMMIT (ms)")
        print(
            f"  {'case':<6}{'mean':>8}{'p50':>8}{'p99':>8}  = app before COMMIT mean/p99 + COMMIT mean/p99"
            "  | UPDATE incl. lock wait mean/p99"
        )
        for key in keys:
            t = tx[key]
            print(
                f"  {key:<6}{mean(t.hold_ms):>8.2f}{harness.percentile(t.hold_ms, 50):>8.2f}{harness.percentile(t.hold_ms, 99):>8.2f}  = "
                f"{mean(t.gap_ms):.2f}/{harness.percentile(t.gap_ms, 99):.2f} + {mean(t.commit_ms):.2f}/{harness.percentile(t.commit_ms, 99):.2f}"
                f"  | {mean(t.update_ms):.2f}/{harness.percentile(t.update_ms, 99):.2f}"
            )
        for key in ("b", "b1"):
            if key in keys:
                rate = timed[key].rate
                print(
                    f"  case {key}: {rate:.1f} issues/s on one row = one per {1000 / rate:.2f} ms; "
                    f"1 / mean hold = {1000 / mean(tx[key].hold_ms):.0f} issues/s at most"
                )
        print(
            f"  QR signing (Ed25519 JWT; after the COMMIT unless an Idempotency-Key needs the answer stored): {fixture.qr_sign_us:.0f} µs median"
        )
        rolled = dump.get("rolled_back", {})
        if rolled:
            print(f"  rolled back transactions: {dict(rolled)}")
        print(line)
    print(
        "replay of the tail on the hot row, server stopped (asyncpg, prepared UPDATE ... RETURNING; COMMIT):"
    )
    for name, r in replays.items():
        if "hold_mean" in r:
            print(
                f"  {name:<34} hold mean {r['hold_mean']:.3f} ms, p50 {r['hold_p50']:.3f}, p99 {r['hold_p99']:.3f} "
                f"(COMMIT {r['commit_mean']:.3f}); {r['rate']:.0f} issues/s = 1/hold"
            )
        else:
            print(f"  {name:<34} {r['rate']:.0f} issues/s on the one row")
    print("=" * width)


# ============================================================================ main


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve_instrumented(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return 0
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--duration", type=int, default=15, help="seconds per case (default 15)")
    parser.add_argument("--connections", type=int, default=32, help="client connections (default 32)")
    parser.add_argument("--employees", type=int, default=2000, help="employees with sessions (default 2000)")
    parser.add_argument("--offers", type=int, default=500, help="offers of case a (default 500)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="dropped and created anew")
    parser.add_argument(
        "--timed-duration",
        type=int,
        default=TIMED_SECONDS,
        help=f"seconds per case of the second pass, with statement timing (default {TIMED_SECONDS}; 0 = skip)",
    )
    parser.add_argument("--show-sql", action="store_true", help="print the full SQL of one issue")
    parser.add_argument(
        "--python-client", action="store_true", help="drive the load with httpx even if wrk is installed"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the temp folder")
    args = parser.parse_args()
    if not 1 <= args.duration <= 300:
        parser.error("--duration must be between 1 and 300 seconds")
    if not 1 <= args.connections <= 256:
        parser.error("--connections must be between 1 and 256")
    if not 1 <= args.employees <= 50_000 or not 1 <= args.offers <= 5_000:
        parser.error("--employees must be 1..50000 and --offers 1..5000")
    if not 0 <= args.timed_duration <= 120:
        parser.error("--timed-duration must be between 0 and 120 seconds")
    if args.duration * 2 + 60 > 15 * 60:
        parser.error("access tokens last 15 minutes: keep --duration shorter")
    args.use_wrk = not args.python_client and shutil.which("wrk") is not None
    if not args.python_client and not args.use_wrk:
        print(
            "wrk not found (apt-get install wrk); using the Python httpx client, whose CPU competes with the server",
            file=sys.stderr,
        )
    harness.sigterm_interrupts()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)  # no log line per readiness probe or check
    workdir = harness.make_workdir("loyalty-bench-redemption-")
    # The secret key is shared with this script, which mints the employees' access tokens. The job worker
    # stays out of the measured process, as in production (a separate `loyalty worker`): its periodic
    # producers ran inside it here and once tripled the CPU per code of the one-connection case.
    env = harness.server_env(
        workdir,
        args.database_url,
        keep=PASSTHROUGH,
        settings={"LOYALTY_SECRET_KEY": secrets.token_urlsafe(48), "LOYALTY_WORKER_IN_PROCESS": "false"},
    )
    dsn = harness.asyncpg_dsn(args.database_url)
    servers: list[harness.Server] = []
    exit_code = 0
    try:
        print(
            f"recreating {args.database_url.rsplit('/', 1)[-1]}, migrating, seeding the demo data ...",
            flush=True,
        )
        asyncio.run(harness.prepare_database(args.database_url, env, hint="([a-z0-9_])"))
        print(f"adding {args.employees} employees and {args.offers + 1} offers ...", flush=True)
        fixture = asyncio.run(fill(env, args.employees, args.offers))

        def run_pass(instrumented: bool, duration: int, serial: int) -> tuple[dict[str, LoadResult], float]:
            server = (
                TimedServer(workdir, harness.free_port(), env)
                if instrumented
                else harness.Server(workdir, harness.free_port(), env)
            )
            servers.append(server)
            what = "with statement timing hooks" if instrumented else "plain `loyalty up`"
            print(f"starting the server ({what}) on {server.base_url}, work folder {workdir} ...", flush=True)
            server.start()
            startup = server.wait_live()
            try:
                results = asyncio.run(
                    drive(
                        server.base_url,
                        workdir,
                        fixture,
                        env,
                        args.connections,
                        duration,
                        serial,
                        dsn,
                        server.proc.pid if server.proc else None,
                        args.use_wrk,
                    )
                )
            finally:
                harness.restore_signals()
            server.stop()
            return results, startup

        results, startup_s = run_pass(False, args.duration, SERIAL_SECONDS)
        timed: dict[str, LoadResult] = {}
        dump = None
        if args.timed_duration:
            timed, _ = run_pass(True, args.timed_duration, min(SERIAL_SECONDS, args.timed_duration))
            dump_path = workdir / "statements.json"
            dump = json.loads(dump_path.read_text()) if dump_path.exists() else None
        tx = {key: analyse(dump, r.wall_start, r.wall_end) for key, r in timed.items()} if dump else {}
        print("checking the database and replaying the hot row's transaction tail ...", flush=True)
        checks = asyncio.run(check_database(dsn, fixture.hot))
        replays = asyncio.run(replay(dsn, fixture.hot))
        report(results, timed, tx, dump, checks, replays, fixture, args, startup_s, args.show_sql)
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("\ninterrupted; stopping the server ...", file=sys.stderr)
        exit_code = 130
    except Exception as exc:
        print(f"\nbenchmark failed: {exc!r}", file=sys.stderr)
        if servers and servers[-1].proc is not None:
            print(servers[-1].log_tail(), file=sys.stderr)
        exit_code = 1
    finally:
        with harness.sigint_ignored():
            for server in servers:
                server.stop()
            if not args.keep:
                with contextlib.suppress(Exception):
                    asyncio.run(harness.drop_database(args.database_url))
        harness.remove_workdir(workdir, args.keep, " and the database")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
