"""``loyalty worker``: delivers what is queued, including jobs committed while it runs, and stops cleanly
on SIGTERM; ``--drain`` runs what is due and exits."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import msgspec

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.notifications.models import Channel
from loyalty.settings import Settings, WorkerSettings
from tests.helpers import Api, Mailbox
from tests.notifications.test_notifications import notify
from tests.test_cli import cli_env, run_cli

KIND = "data_request_status"


def sent(mailbox: Mailbox, to: str) -> int:
    """How many notification mails ``to`` got (the registration code shares the folder), as the worker
    under test left them (``present``: this process must not deliver them itself)."""
    return sum(1 for message in mailbox.present(to) if message["X-Loyalty-Kind"] == KIND)


async def test_drain_sends_what_is_due_and_exits(api: Api, database_url: str, tmp_path: Path) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    await notify(api, employee, channels=(Channel.EMAIL,))
    env = cli_env(database_url, tmp_path)
    drained = await asyncio.to_thread(run_cli, ["worker", "--drain"], env)
    assert drained.returncode == 0, drained.stderr
    assert sent(Mailbox(tmp_path / "mail"), employee.email) == 1


async def test_the_worker_delivers_while_running_and_stops_on_sigterm(
    api: Api, database_url: str, tmp_path: Path
) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_")}
    env = clean | cli_env(database_url, tmp_path) | {"LOYALTY_WORKER_DRAIN_TIMEOUT_SECONDS": "5"}
    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "loyalty",
        "worker",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert worker.stdout is not None
        started = await asyncio.wait_for(worker.stdout.readline(), 30)
        assert started.startswith(b"worker running"), started
        await notify(api, employee, channels=(Channel.EMAIL,))  # committed while the worker listens
        mailbox = Mailbox(tmp_path / "mail")
        for _ in range(75):  # up to 15 s
            if sent(mailbox, employee.email):
                break
            await asyncio.sleep(0.2)
        assert sent(mailbox, employee.email) == 1
        worker.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(worker.wait(), 20) == 0
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()


async def test_the_web_process_runs_the_worker_when_asked(
    api: Api, settings: Settings, clock: ManualClock, database_url: str
) -> None:
    """What `loyalty up` relies on: with LOYALTY_WORKER_IN_PROCESS the app's lifespan (run here on the
    test's loop, as a server runs it on its own) delivers notifications."""
    await api.publish_policy("1")
    employee = await api.register()
    in_process = msgspec.structs.replace(settings, worker=WorkerSettings(in_process=True))
    app = create_app(in_process, clock=clock, database_url=database_url)
    try:
        async with app.lifespan():
            await notify(api, employee, channels=(Channel.EMAIL,))
            for _ in range(75):  # up to 15 s
                if sent(api.mailbox, employee.email):
                    break
                await asyncio.sleep(0.2)
            assert sent(api.mailbox, employee.email) == 1
    finally:
        await app.state.runtime.db_config.get_engine().dispose()
