"""``loyalty run`` serves with several worker processes, and SIGTERM under load drains: requests in
flight finish, no new connection is served, the pools close and the command exits 0."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET
from tests.helpers import ADMIN_PASSWORD, API, Api

GRACE_SECONDS = 15
STARTUP_SECONDS = 180  # two processes importing the app on a busy two-core machine
# uvicorn's supervisor reads its signals every half second, then signals the workers.
SIGNAL_DELIVERY_SECONDS = 1.0
IN_FLIGHT = 24  # logins at once: argon2 runs one or two at a time, so they queue well past the SIGTERM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(database_url: str, tmp_path: Path, **settings: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_")}
    return clean | {
        "LOYALTY_DATABASE_URL": database_url,
        "LOYALTY_SECRET_KEY": TEST_SECRET,
        "LOYALTY_DATA_DIR": str(tmp_path / "data"),
        "LOYALTY_MAIL_DIR": str(tmp_path / "mail"),
        "LOYALTY_LOG_LEVEL": "WARNING",
        "LOYALTY_WORKER_IN_PROCESS": "false",
        "LOYALTY_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        # Logins are the slow requests this test keeps in flight; none of them may be throttled.
        "LOYALTY_AUTH_LOGIN_ATTEMPTS_PER_IP": "100000",
        "LOYALTY_AUTH_LOGIN_FAILURES_PER_ACCOUNT_IP": "100000",
        "LOYALTY_AUTH_LOGIN_FAILURES_PER_ACCOUNT": "100000",
        **settings,
    }


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``loyalty run --workers 2`` on a free port, waited for until it is ready."""
    port = free_port()
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "loyalty",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=server_env(database_url, tmp_path),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not ready(base):
            assert process.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        log.close()


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/health/ready", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def worker_pids(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
    return found


async def test_sigterm_under_load_finishes_requests_in_flight_then_exits_0(
    api: Api, served: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    await api.admin_token()  # the account the logins below use, made through the in-test app
    process, base = served
    assert len(worker_pids(process.pid)) >= 2, "two worker processes serve"

    # One connection per request, so each is accepted, read and in flight when SIGTERM arrives.
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=GRACE_SECONDS + 10, limits=limits) as client:

        async def login() -> httpx.Response:
            return await client.post(
                f"{API}/auth/login", json={"email": "root@loyalty.kz", "password": ADMIN_PASSWORD}
            )

        in_flight = [asyncio.create_task(login()) for _ in range(IN_FLIGHT)]
        await asyncio.sleep(0.5)
        assert not all(task.done() for task in in_flight), "the logins are still running at SIGTERM"
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        await asyncio.sleep(SIGNAL_DELIVERY_SECONDS)

        # No new request starts: a new connection is refused (or answered 503 by a draining worker).
        try:
            late = await client.get("/health/ready", timeout=2)
        except httpx.HTTPError:
            pass
        else:
            assert late.status_code == 503, late.text

        answers = await asyncio.gather(*in_flight)
    assert [answer.status_code for answer in answers] == [200] * IN_FLIGHT
    assert all(answer.json()["access_token"] for answer in answers)

    exit_code = await asyncio.to_thread(process.wait, GRACE_SECONDS + 10)
    drained = time.monotonic() - signalled
    assert exit_code == 0, (tmp_path / "server.log").read_text()
    assert drained < GRACE_SECONDS
    assert "Cancel" not in (tmp_path / "server.log").read_text()  # nothing was cut short at the grace
