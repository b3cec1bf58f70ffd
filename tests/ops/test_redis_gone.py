"""Redis gone while ``LOYALTY_REDIS_URL`` is set: throttling goes on per process (documented in
core/throttle.py), the outage and its end are logged once each, and no request answers 500."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest
from litestar.testing import AsyncTestClient

from loyalty.app import create_app
from loyalty.core import throttle
from loyalty.core.clock import ManualClock
from loyalty.settings import AuthSettings, RedisSettings
from tests.conftest import AppClient, behind_proxy
from tests.helpers import ADMIN_PASSWORD, API, Api

REDIS = ("127.0.0.1", 6379)


def throttle_events(capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    output = capsys.readouterr()
    events = []
    for line in (output.out + output.err).splitlines():
        if line.startswith("{") and '"throttle_redis' in line:
            events.append(msgspec.json.decode(line))
    return events


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


class SwitchableProxy:
    """A TCP forwarder to the real Redis that the test cuts and restores: Redis "goes away" for the
    app while the server itself, which others use, is left alone."""

    def __init__(self) -> None:
        self.server: asyncio.Server | None = None
        self.port = 0
        self.links: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in list(self.links):
            writer.close()
        await self.server.wait_closed()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*REDIS)
        self.links |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def login(client: AsyncTestClient, password: str, client_ip: str = "198.51.100.7") -> int:  # type: ignore[type-arg]
    response = await client.post(
        f"{API}/auth/login",
        json={"email": "root@loyalty.kz", "password": password},
        headers={"X-Forwarded-For": client_ip},
    )
    return response.status_code


@contextlib.asynccontextmanager
async def app_with_redis(
    tmp_path: Path, clock: ManualClock, database_url: str, redis_url: str
) -> AsyncIterator[Api]:
    settings = behind_proxy(
        tmp_path, redis=RedisSettings(url=redis_url), auth=AuthSettings(login_failures_per_account_ip=3)
    )
    settings = msgspec.structs.replace(settings, app=msgspec.structs.replace(settings.app, log_format="json"))
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        api = Api(client=client, app=app, mailbox=None, clock=clock)  # type: ignore[arg-type]
        await api.admin_token()
        yield api


async def test_redis_unreachable_from_the_start_throttles_per_process_and_never_500s(
    tmp_path: Path, clock: ManualClock, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async with app_with_redis(tmp_path, clock, database_url, f"redis://127.0.0.1:{closed_port()}/0") as api:
        statuses = [await login(api.client, "wrong-password") for _ in range(5)]
        assert await login(api.client, ADMIN_PASSWORD, client_ip="198.51.100.8") == 200
    assert statuses == [401, 401, 401, 429, 429]  # the per account and address budget of 3, in memory
    outages = [entry for entry in throttle_events(capsys) if entry["event"] == "throttle_redis_unavailable"]
    assert len(outages) == 1
    assert outages[0]["fallback"] == "per-process limits"
    assert api.app.state.runtime.throttle.degraded


async def test_redis_lost_mid_run_falls_back_then_returns_to_redis(
    tmp_path: Path,
    clock: ManualClock,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    monkeypatch.setattr(throttle, "REDIS_RETRY_SECONDS", 0.2)
    # The cut below resets connections at once; a generous timeout keeps a CI machine busy with two
    # suites (whose event loop also runs the proxy) from turning a slow answer into a second outage.
    monkeypatch.setattr(throttle, "REDIS_TIMEOUT_SECONDS", 10.0)
    proxy = SwitchableProxy()
    await proxy.open()
    async with app_with_redis(tmp_path, clock, database_url, f"redis://127.0.0.1:{proxy.port}/15") as api:
        runtime_throttle = api.app.state.runtime.throttle
        assert await login(api.client, ADMIN_PASSWORD) == 200
        assert not runtime_throttle.degraded
        capsys.readouterr()
        await proxy.cut()
        during = [await login(api.client, ADMIN_PASSWORD) for _ in range(5)]
        assert runtime_throttle.degraded
        await proxy.open()  # the same port again
        # Redis is tried again at most every REDIS_RETRY_SECONDS: give a loaded machine a few tries.
        after = []
        for _ in range(10):
            await asyncio.sleep(0.3)
            after.append(await login(api.client, ADMIN_PASSWORD))
            if not runtime_throttle.degraded:
                break
        degraded_after = runtime_throttle.degraded
    await proxy.cut()
    events = throttle_events(capsys)
    assert during == [200] * 5
    assert set(after) == {200}
    assert not degraded_after, events
    assert [(entry["event"], entry.get("error_type")) for entry in events] == [
        ("throttle_redis_unavailable", "ConnectionError"),
        ("throttle_redis_restored", None),
    ]
