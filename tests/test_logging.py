"""Logs say what happened to which request, and never hold passwords, codes or tokens."""

from __future__ import annotations

from pathlib import Path

import pytest

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.settings import AppSettings, MailSettings, Settings, WorkerSettings
from tests.conftest import TEST_SECRET, AppClient
from tests.helpers import API, STRONG_PASSWORD, Api, Mailbox


async def test_a_whole_session_leaves_no_secret_in_the_logs(
    tmp_path: Path, clock: ManualClock, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = Settings(
        app=AppSettings(secret_key=TEST_SECRET, data_dir=str(tmp_path), log_level="DEBUG", log_format="json"),
        mail=MailSettings(dir=str(tmp_path / "mail")),
        worker=WorkerSettings(in_process=False),
    ).completed()
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        api = Api(client=client, app=app, mailbox=Mailbox(tmp_path / "mail"), clock=clock)
        await api.publish_policy()
        employee = await api.register()
        code = await api.mailbox.last_code(employee.email)
        refreshed = await client.post(f"{API}/auth/refresh", json={"refresh_token": employee.refresh_token})
        await client.post(f"{API}/auth/login", json={"email": employee.email, "password": "Wrong-Guess-1234"})
    output = capsys.readouterr()
    logs = output.out + output.err
    assert '"event": "request"' in logs
    assert '"request_id"' in logs
    for secret in (
        STRONG_PASSWORD,
        "Wrong-Guess-1234",
        code,
        employee.access_token,
        employee.refresh_token,
        refreshed.json()["refresh_token"],
        TEST_SECRET,
    ):
        assert secret not in logs
