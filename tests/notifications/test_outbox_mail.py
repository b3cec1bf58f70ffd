"""Every mail goes through the outbox: codes, invitations and notices are notifications written with the
request, sent by the worker. Their secrets are sealed until sent and wiped after; an SMTP outage delays
a mail and never loses it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import msgspec
import pytest
from sqlalchemy import text

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.core.sealing import sealer
from loyalty.notifications.delivery import deliver, reconcile
from loyalty.notifications.models import Channel
from loyalty.notifications.services import NotificationService
from loyalty.notifications.topics import Topic
from loyalty.privacy.retention import run_retention
from loyalty.settings import NotificationSettings, PrivacySettings, Settings, SettingsError
from loyalty.worker import run_worker
from tests.conftest import AppClient
from tests.helpers import API, STRONG_PASSWORD, Api, Mailbox, bearer
from tests.notifications.test_notifications import FlakyMailer, runtime_of, scalar, subject
from tests.privacy.test_rights import scan

CODE_MAIL = (
    "SELECT n.id, n.user_id, n.params, n.sealed, d.id AS delivery_id, d.status FROM notifications n "
    "JOIN notification_deliveries d ON d.notification_id = n.id WHERE n.template = :template "
    "ORDER BY n.id DESC LIMIT 1"  # UUIDv7: in the order they were made (the test clock stands still)
)


@asynccontextmanager
async def app_with_flaky_mailer(
    tmp_path: Path,
    settings: Settings,
    clock: ManualClock,
    database_url: str,
    notifications: NotificationSettings,
) -> AsyncIterator[tuple[Api, FlakyMailer]]:
    """The app sending through a mailer a test can make fail (working at first), its mail read back."""
    mailer = FlakyMailer(tmp_path / "flaky", failures=0)
    tuned = msgspec.structs.replace(settings, notifications=notifications)
    app = create_app(tuned, clock=clock, mailer=mailer, database_url=database_url)
    async with AppClient(app) as client:
        yield Api(client=client, app=app, mailbox=Mailbox(tmp_path / "flaky"), clock=clock), mailer


async def code_mail(api: Api, template: str) -> Any:
    async with runtime_of(api).db_config.get_session() as session:
        return (await session.execute(text(CODE_MAIL), {"template": template})).one()


async def test_a_registration_code_is_sealed_until_sent_then_wiped(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster(full_name="Aliya Sealed")
    registered = await api.client.post(f"{API}/auth/register", json=api.registration(entry))
    assert registered.status_code == 202
    assert api.mailbox.present(entry["email"]) == []  # the worker sends it, not the request

    queued = await code_mail(api, "registration_code")
    # No account yet: addressed by its sealed values, with only what is not secret in the open.
    assert (queued.user_id, queued.params, queued.status) == (None, {"minutes": 15}, "pending")
    assert queued.sealed is not None
    assert entry["email"].encode() not in queued.sealed
    assert b"Aliya" not in queued.sealed

    code = await api.mailbox.last_code(entry["email"])  # drains the queue: the worker sends it
    assert code.encode() not in queued.sealed
    opened = sealer(runtime_of(api).settings.secret_key).open(queued.sealed)
    assert opened == {
        "to": entry["email"],
        "name": "Aliya Sealed",
        "language": "ru",
        "params": {"code": code},
    }
    (message,) = api.mailbox.present(entry["email"])
    assert subject(message) == f"Код регистрации: {code}"

    sent = await code_mail(api, "registration_code")
    assert (sent.status, sent.sealed, sent.params) == ("sent", None, {"minutes": 15})
    async with runtime_of(api).db_config.get_session() as session:
        # Neither the code nor the address is anywhere in the outbox any more.
        assert await scan(session, (code, entry["email"]), skip={"roster_entries", "one_time_codes"}) == []
    verified = await api.client.post(f"{API}/auth/verify", json={"email": entry["email"], "code": code})
    assert verified.status_code == 201, verified.text


async def test_invitations_and_reset_codes_are_sealed_and_never_in_the_inbox(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    asked = await api.client.post(f"{API}/auth/password-reset", json={"email": employee.email})
    assert asked.status_code == 202
    invited = await api.client.post(
        f"{API}/admin/users",
        json={"email": "new-hr@loyalty.kz", "full_name": "New Hr", "role": "hr_admin"},
        headers=bearer(await api.admin_token()),
    )
    assert invited.status_code == 201, invited.text
    reset = await code_mail(api, "password_reset_code")
    invitation = await code_mail(api, "invitation")
    # Sent to the account's own address: the account is named, the code sealed.
    assert reset.user_id is not None
    assert reset.params == {"minutes": 15}
    assert invitation.user_id is not None
    assert invitation.params == {"role": "hr_admin", "minutes": 4320}
    for queued in (reset, invitation):
        assert set(sealer(runtime_of(api).settings.secret_key).open(queued.sealed)) == {"params"}

    reset_code = await api.mailbox.last_code(employee.email)
    invitation_code = await api.mailbox.last_code("new-hr@loyalty.kz")
    for template in ("password_reset_code", "invitation"):
        assert (await code_mail(api, template)).sealed is None
    params = await scalar(api, "SELECT string_agg(params::text, ' ') FROM notifications")
    assert reset_code not in params
    assert invitation_code not in params
    # Account mails are email only: the inbox never shows them.
    inbox = (await api.client.get(f"{API}/me/notifications", headers=employee.headers)).json()
    assert (inbox["items"], inbox["unread_count"]) == ([], 0)
    confirmed = await api.client.post(
        f"{API}/auth/password-reset/confirm",
        json={"email": employee.email, "code": reset_code, "new_password": STRONG_PASSWORD + "x"},
    )
    assert confirmed.status_code == 204, confirmed.text


async def test_an_account_mail_cannot_be_put_in_the_inbox(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    runtime = runtime_of(api)
    async with runtime.db_config.get_session() as session:
        user_id = await session.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": employee.email})
        outbox = NotificationService(session, runtime)
        for channels in ((Channel.INBOX,), (Channel.EMAIL, Channel.PUSH)):
            with pytest.raises(ValueError, match="email only"):
                await outbox.notify(user_id, Topic.ACCOUNT, "password_reset_code", {}, channels)


async def test_an_smtp_outage_delays_the_code_and_it_is_sent_once_when_smtp_is_back(
    tmp_path: Path, settings: Settings, clock: ManualClock, database_url: str
) -> None:
    notifications = NotificationSettings(retry_base_seconds=30)
    async with app_with_flaky_mailer(tmp_path, settings, clock, database_url, notifications) as (api, mailer):
        client = api.client
        await api.publish_policy("1")
        entry = await api.add_to_roster()
        mailer.failures = 1_000  # the SMTP server is down
        registered = await client.post(f"{API}/auth/register", json=api.registration(entry))
        assert registered.status_code == 202  # the request does not notice
        queued = await code_mail(api, "registration_code")
        attempt = await deliver(runtime_of(api), queued.delivery_id)
        assert attempt is not None
        assert (attempt.status, attempt.retry_in) == ("pending", timedelta(seconds=30))
        row = await scalar(
            api,
            "SELECT row(d.status, d.attempts, d.next_attempt_at = :due, n.sealed IS NOT NULL)::text "
            "FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id "
            "WHERE d.id = :d",
            d=queued.delivery_id,
            due=clock.now() + timedelta(seconds=30),
        )
        assert row == "(pending,1,t,t)"  # backing off, and still able to send the code later
        assert api.mailbox.present(entry["email"]) == []

        mailer.failures = 0  # SMTP is back; the job the request queued runs
        code = await api.mailbox.last_code(entry["email"])
        assert len(api.mailbox.present(entry["email"])) == 1
        # Run again, reconciled later, or run twice at once: nothing more is sent.
        assert await deliver(runtime_of(api), queued.delivery_id) is None
        clock.advance(timedelta(hours=2))
        assert await reconcile(runtime_of(api)) == 0
        await api.drain_jobs()
        assert len(api.mailbox.present(entry["email"])) == 1
        sent = await code_mail(api, "registration_code")
        assert (sent.status, sent.sealed) == ("sent", None)
        clock.advance(timedelta(hours=-2))
        verified = await client.post(f"{API}/auth/verify", json={"email": entry["email"], "code": code})
        assert verified.status_code == 201, verified.text


async def test_a_mail_that_fails_for_good_is_wiped(
    tmp_path: Path, settings: Settings, clock: ManualClock, database_url: str
) -> None:
    notifications = NotificationSettings(max_attempts=1)
    async with app_with_flaky_mailer(tmp_path, settings, clock, database_url, notifications) as (api, mailer):
        client = api.client
        await api.publish_policy("1")
        entry = await api.add_to_roster()
        mailer.failures = 1
        assert (await client.post(f"{API}/auth/register", json=api.registration(entry))).status_code == 202
        await api.drain_jobs()
        failed = await code_mail(api, "registration_code")
        assert (failed.status, failed.sealed) == ("failed", None)


async def test_the_erasure_confirmation_reaches_the_erased_person_and_leaves_nothing(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register(full_name="Erlan Erasable")
    assert (
        await api.client.patch(f"{API}/me", json={"language": "en"}, headers=employee.headers)
    ).status_code == 200
    request = (
        await api.client.post(f"{API}/me/data-requests", json={"kind": "erasure"}, headers=employee.headers)
    ).json()
    before = len(await api.mailbox.messages(employee.email))
    hr = bearer(await api.hr_token())
    done = await api.client.post(f"{API}/hr/data-requests/{request['id']}/complete", json={}, headers=hr)
    assert done.status_code == 200, done.text
    assert len(api.mailbox.present(employee.email)) == before  # queued with the erasure, not sent
    queued = await code_mail(api, "data_request_status")
    assert queued.user_id is None  # the account is gone; the address is sealed
    assert employee.email.encode() not in queued.sealed

    mails = await api.mailbox.messages(employee.email)
    assert len(mails) == before + 1
    assert subject(mails[-1]) == "Your data request: completed"
    assert "Hello Erlan Erasable" in mails[-1].get_payload(decode=True).decode()
    async with runtime_of(api).db_config.get_session() as session:
        # Sent, then wiped: nothing of the person is left (HR's roster entry stays while employed).
        assert await scan(session, ("Erasable", employee.email), skip={"roster_entries"}) == []
    assert (await code_mail(api, "data_request_status")).sealed is None


async def test_retention_forgets_finished_account_mails(api: Api) -> None:
    await api.publish_policy("1")
    await api.register()
    mails = "SELECT count(*) FROM notifications WHERE topic = 'account'"
    assert await scalar(api, mails) == 2  # the HR admin's invitation and the registration code
    days = runtime_of(api).settings.notifications.read_retention_days
    api.clock.advance(timedelta(days=days, minutes=1))
    report = await run_retention(runtime_of(api))
    assert report is not None
    assert report["finished_mails"] == 2
    assert await scalar(api, mails) == 0


async def test_the_worker_runs_retention_on_its_schedule(
    settings: Settings, clock: ManualClock, database_url: str, tmp_path: Path
) -> None:
    every_second = msgspec.structs.replace(
        settings, privacy=PrivacySettings(retention_schedule="* * * * * *")
    )
    app = create_app(every_second, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        api = Api(client=client, app=app, mailbox=Mailbox(tmp_path / "mail"), clock=clock)
        await api.publish_policy("1")
        await api.register()
        sessions = "SELECT count(*) FROM auth_sessions"
        assert await scalar(api, sessions) > 0
        clock.advance(timedelta(days=400))  # every session has ended: retention deletes them
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(runtime_of(api), stop))
        try:
            for _ in range(100):  # up to 10 s; the schedule fires every second
                if await scalar(api, sessions) == 0:
                    break
                await asyncio.sleep(0.1)
            assert await scalar(api, sessions) == 0
            schedule = "SELECT count(*) FROM pgqueuer_schedules WHERE entrypoint = 'retention'"
            assert await scalar(api, schedule) == 1  # one row, shared by every worker
        finally:
            stop.set()
            await worker


def test_a_bad_retention_schedule_stops_start_up() -> None:
    with pytest.raises(SettingsError, match="LOYALTY_PRIVACY_RETENTION_SCHEDULE must be a cron expression"):
        Settings.from_env({"LOYALTY_PRIVACY_RETENTION_SCHEDULE": "every hour"})
