"""Notifications: written with the event (outbox on the job queue), delivered once by the worker,
re-enqueued by the reconciler when the queue lost a job, read in the reader's language from the inbox."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any
from uuid import UUID

from litestar import Litestar, post
from pgqueuer import AsyncpgDriver, Queries
from sqlalchemy import text

from loyalty.app import create_app
from loyalty.core.access import ALL_ROLES, allow
from loyalty.core.clock import ManualClock
from loyalty.core.dependencies import Caller, Db, RuntimeDep
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.jobs import enqueue
from loyalty.core.mailer import FileMailer, OutgoingMail
from loyalty.core.prepared import connection_of
from loyalty.core.runtime import Runtime
from loyalty.notifications.delivery import deliver, reconcile
from loyalty.notifications.models import Channel
from loyalty.notifications.services import DELIVER, NotificationService
from loyalty.privacy.retention import run_retention
from loyalty.settings import NotificationSettings, Settings
from tests.conftest import AppClient
from tests.helpers import API, Api, Employee, Mailbox, bearer

INBOX = f"{API}/me/notifications"


def runtime_of(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtime
    return runtime


async def user_id_of(api: Api, employee: Employee) -> UUID:
    async with runtime_of(api).db_config.get_session() as session:
        found = await session.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": employee.email})
    assert isinstance(found, UUID)
    return found


async def notify(
    api: Api,
    employee: Employee,
    note: str = "",
    channels: tuple[Channel, ...] = (Channel.INBOX, Channel.EMAIL),
    *,
    commit: bool = True,
) -> UUID:
    runtime = runtime_of(api)
    user_id = await user_id_of(api, employee)
    async with runtime.db_config.get_session() as session:
        notification = await NotificationService(session, runtime).notify(
            user_id,
            topic="data_requests",
            template="data_request_status",
            params={"request_kind": "access", "status": "completed", "note": note},
            channels=channels,
        )
        await (session.commit() if commit else session.rollback())
    return notification.id


async def scalar(api: Api, sql: str, **params: Any) -> Any:
    async with runtime_of(api).db_config.get_session() as session:
        return await session.scalar(text(sql), params)


async def email_delivery(api: Api, notification_id: UUID) -> UUID:
    found = await scalar(
        api,
        "SELECT id FROM notification_deliveries WHERE notification_id = :n AND channel = 'email'",
        n=notification_id,
    )
    assert isinstance(found, UUID)
    return found


def subject(message: Any) -> str:
    return str(make_header(decode_header(message["Subject"])))


async def test_the_migrated_queue_schema_is_what_pgqueuer_expects(api: Api) -> None:
    async with runtime_of(api).db_config.get_session() as session:
        plan = await Queries(AsyncpgDriver(await connection_of(session))).plan_upgrade()
    assert list(plan.statements) == []


# The notifications of events other than the account mails (the registration code, invitations) the
# test's set-up sent through the same outbox.
EVENT_NOTIFICATIONS = "SELECT count(*) FROM notifications WHERE topic <> 'account'"
EVENT_DELIVERIES = (
    "SELECT count(*) FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id "
    "WHERE n.topic <> 'account'"
)


async def test_a_rolled_back_event_leaves_no_notification_and_no_job(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    await notify(api, employee, commit=False)
    assert await scalar(api, EVENT_NOTIFICATIONS) == 0
    assert await scalar(api, EVENT_DELIVERIES) == 0
    assert await scalar(api, "SELECT count(*) FROM pgqueuer") == 0

    notification_id = await notify(api, employee)
    delivery_id = await email_delivery(api, notification_id)
    # Committed together: the notification, a sent inbox delivery, a pending email and its one job.
    async with runtime_of(api).db_config.get_session() as session:
        deliveries = (
            await session.execute(
                text(
                    "SELECT channel, status FROM notification_deliveries WHERE notification_id = :n "
                    "ORDER BY channel"
                ),
                {"n": notification_id},
            )
        ).all()
        jobs = (await session.execute(text("SELECT entrypoint, dedupe_key, payload FROM pgqueuer"))).all()
    assert [tuple(row) for row in deliveries] == [("email", "pending"), ("inbox", "sent")]
    assert [tuple(row) for row in jobs] == [(DELIVER, f"{DELIVER}:{delivery_id}", str(delivery_id).encode())]
    kinds = [message["X-Loyalty-Kind"] for message in api.mailbox.present(employee.email)]
    assert "data_request_status" not in kinds  # the worker sends it, not the transaction


async def test_a_delivery_is_sent_once_even_if_its_job_runs_twice(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    before = len(await api.mailbox.messages(employee.email))
    delivery_id = await email_delivery(api, await notify(api, employee))
    await api.drain_jobs()
    assert len(await api.mailbox.messages(employee.email)) == before + 1
    # The same job again (a duplicate, or a run the queue believed lost): nothing more is sent.
    async with runtime_of(api).db_config.get_session() as session:
        assert await enqueue(session, DELIVER, [delivery_id]) == 1
        await session.commit()
    await api.drain_jobs()
    # Two runs at the same moment: one holds the row, the other finds nothing to do.
    assert await asyncio.gather(
        deliver(runtime_of(api), delivery_id), deliver(runtime_of(api), delivery_id)
    ) == [
        None,
        None,
    ]
    assert len(await api.mailbox.messages(employee.email)) == before + 1
    row = await scalar(
        api,
        "SELECT row(status, attempts, sent_at IS NOT NULL)::text FROM notification_deliveries WHERE id = :d",
        d=delivery_id,
    )
    assert row == "(sent,1,t)"
    assert subject((await api.mailbox.messages(employee.email))[-1]) == "Ваш запрос о данных: completed"


async def test_simultaneous_runs_of_a_pending_delivery_send_it_once(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    before = len(await api.mailbox.messages(employee.email))
    delivery_id = await email_delivery(api, await notify(api, employee))
    results = await asyncio.gather(*(deliver(runtime_of(api), delivery_id) for _ in range(4)))
    assert results.count(None) == 3
    assert len(await api.mailbox.messages(employee.email)) == before + 1


async def test_the_reconciler_re_enqueues_a_delivery_the_queue_lost(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    before = len(await api.mailbox.messages(employee.email))
    delivery_id = await email_delivery(api, await notify(api, employee))
    runtime = runtime_of(api)
    # While its job is queued, the reconciler adds nothing.
    assert await reconcile(runtime) == 0
    async with runtime.db_config.get_session() as session:
        await session.execute(text("DELETE FROM pgqueuer"))
        await session.commit()
    await api.drain_jobs()
    assert len(await api.mailbox.messages(employee.email)) == before  # lost: nothing ran
    assert await reconcile(runtime) == 1
    assert await scalar(api, "SELECT dedupe_key FROM pgqueuer") == f"{DELIVER}:{delivery_id}"
    await api.drain_jobs()
    assert len(await api.mailbox.messages(employee.email)) == before + 1
    assert await reconcile(runtime) == 0  # sent: nothing left to re-enqueue


class FlakyMailer:
    """Fails the first ``failures`` messages as an unreachable SMTP server would, then writes files."""

    def __init__(self, folder: Path, failures: int) -> None:
        self.failures = failures
        self.files = FileMailer(folder, "loyalty <no-reply@loyalty.local>")

    async def send(self, mail: OutgoingMail) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionRefusedError(f"cannot reach smtp for {mail.to}")
        await self.files.send(mail)


async def flaky_api(
    tmp_path: Path,
    settings: Settings,
    clock: ManualClock,
    database_url: str,
    mailer: FlakyMailer,
    **rules: int,
) -> tuple[Api, AppClient]:
    import msgspec

    tuned = msgspec.structs.replace(settings, notifications=NotificationSettings(**rules))
    app: Litestar = create_app(tuned, clock=clock, mailer=mailer, database_url=database_url)
    client = AppClient(app)
    await client.__aenter__()
    return Api(client=client, app=app, mailbox=Mailbox(tmp_path / "flaky"), clock=clock), client


async def test_a_failed_delivery_is_retried_with_backoff_and_sent(
    tmp_path: Path, settings: Settings, clock: ManualClock, database_url: str
) -> None:
    mailer = FlakyMailer(tmp_path / "flaky", failures=0)
    api, client = await flaky_api(tmp_path, settings, clock, database_url, mailer, retry_base_seconds=1)
    try:
        await api.publish_policy("1")
        employee = await api.register()  # its code goes to the file mailer: no failure yet
        mailer.failures = 1
        delivery_id = await email_delivery(api, await notify(api, employee))
        attempt = await deliver(runtime_of(api), delivery_id)
        assert attempt is not None
        assert (attempt.status, attempt.retry_in, attempt.error) == (
            "pending",
            timedelta(seconds=1),
            "ConnectionRefusedError",
        )
        row = await scalar(
            api,
            "SELECT row(status, attempts, last_error, next_attempt_at = :due)::text "
            "FROM notification_deliveries WHERE id = :d",
            d=delivery_id,
            due=clock.now() + timedelta(seconds=1),
        )
        assert row == "(pending,1,ConnectionRefusedError,t)"  # the kind only: no address
        # Its job is still queued (the worker had not picked it): the worker now sends it.
        await api.drain_jobs()
        assert (
            await scalar(
                api,
                "SELECT row(status, attempts)::text FROM notification_deliveries WHERE id = :d",
                d=delivery_id,
            )
            == "(sent,2)"
        )
        assert len(await api.mailbox.messages(employee.email)) == 2  # the registration code, then this
    finally:
        await client.__aexit__(None, None, None)


async def test_the_worker_retries_through_the_queue_until_the_last_attempt(
    tmp_path: Path, settings: Settings, clock: ManualClock, database_url: str
) -> None:
    mailer = FlakyMailer(tmp_path / "flaky", failures=0)
    api, client = await flaky_api(
        tmp_path, settings, clock, database_url, mailer, retry_base_seconds=1, max_attempts=2
    )
    try:
        await api.publish_policy("1")
        employee = await api.register()
        mailer.failures = 5
        delivery_id = await email_delivery(api, await notify(api, employee))
        await api.drain_jobs()  # fails, is retried by the queue a second later, fails for good
        assert (
            await scalar(
                api,
                "SELECT row(status, attempts)::text FROM notification_deliveries WHERE id = :d",
                d=delivery_id,
            )
            == "(failed,2)"
        )
        assert mailer.failures == 3
        clock.advance(timedelta(days=1))
        assert await reconcile(runtime_of(api)) == 0  # failed for good: not re-enqueued
    finally:
        await client.__aexit__(None, None, None)


async def test_inbox_pages_newest_first_counts_unread_and_marks_read(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    ids = []
    for note in ("first", "second", "third"):
        ids.append(str(await notify(api, employee, note, channels=(Channel.INBOX,))))
        api.clock.advance(timedelta(minutes=1))
    await notify(api, employee, "mail only", channels=(Channel.EMAIL,))  # not in the inbox
    page = (await api.client.get(INBOX, params={"limit": 2}, headers=employee.headers)).json()
    assert [item["id"] for item in page["items"]] == [ids[2], ids[1]]
    assert page["unread_count"] == 3
    rest = (
        await api.client.get(
            INBOX, params={"limit": 2, "cursor": page["next_cursor"]}, headers=employee.headers
        )
    ).json()
    assert ([item["id"] for item in rest["items"]], rest["next_cursor"]) == ([ids[0]], None)
    assert rest["items"][0]["body"].endswith("first")

    read = await api.client.post(f"{INBOX}/{ids[1]}/read", headers=employee.headers)
    assert read.status_code == 200
    first_read_at = read.json()["read_at"]
    api.clock.advance(timedelta(minutes=5))
    again = await api.client.post(f"{INBOX}/{ids[1]}/read", headers=employee.headers)
    assert again.json()["read_at"] == first_read_at
    assert (await api.client.get(INBOX, headers=employee.headers)).json()["unread_count"] == 2
    everything = await api.client.post(f"{INBOX}/read-all", headers=employee.headers)
    assert everything.json() == {"marked": 2}
    assert (await api.client.get(INBOX, headers=employee.headers)).json()["unread_count"] == 0
    bad = await api.client.get(INBOX, params={"cursor": "forged"}, headers=employee.headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")


async def test_another_person_never_sees_or_marks_my_notifications(api: Api) -> None:
    await api.publish_policy("1")
    mine, theirs = await api.many_employees(2)
    notification_id = await notify(api, mine, "mine alone", channels=(Channel.INBOX,))
    listed = (await api.client.get(INBOX, headers=theirs.headers)).json()
    assert (listed["items"], listed["unread_count"]) == ([], 0)
    stolen = await api.client.post(f"{INBOX}/{notification_id}/read", headers=theirs.headers)
    assert (stolen.status_code, stolen.json()["code"]) == (404, "not_found")
    assert (await api.client.post(f"{INBOX}/read-all", headers=theirs.headers)).json() == {"marked": 0}
    assert (await api.client.get(INBOX, headers=mine.headers)).json()["unread_count"] == 1
    hr_inbox = (await api.client.get(INBOX, headers=bearer(await api.hr_token()))).json()
    assert hr_inbox["items"] == []


async def test_items_are_rendered_in_the_readers_language(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    await notify(api, employee, channels=(Channel.INBOX,))
    titles = {}
    for language in ("kk", "ru", "en"):
        page = (await api.client.get(INBOX, params={"lang": language}, headers=employee.headers)).json()
        titles[language] = page["items"][0]["title"]
    assert titles == {
        "kk": "Деректер бойынша өтінішіңіз: completed",
        "ru": "Ваш запрос о данных: completed",
        "en": "Your data request: completed",
    }
    english = await api.client.get(INBOX, headers=employee.headers | {"Accept-Language": "en-GB,en;q=0.8"})
    assert english.json()["items"][0]["title"] == "Your data request: completed"


async def test_a_data_request_decision_reaches_the_inbox_and_the_mail_in_my_language(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    assert (
        await api.client.patch(f"{API}/me", json={"language": "en"}, headers=employee.headers)
    ).status_code == 200
    filed = (
        await api.client.post(f"{API}/me/data-requests", json={"kind": "access"}, headers=employee.headers)
    ).json()
    before = len(await api.mailbox.messages(employee.email))
    hr = bearer(await api.hr_token())
    done = await api.client.post(
        f"{API}/hr/data-requests/{filed['id']}/complete", json={"note": "Sent by post"}, headers=hr
    )
    assert done.status_code == 200, done.text
    assert len(api.mailbox.present(employee.email)) == before  # the worker sends it, not the request
    inbox = (await api.client.get(INBOX, params={"lang": "ru"}, headers=employee.headers)).json()
    assert [item["topic"] for item in inbox["items"]] == ["data_requests"]
    assert inbox["items"][0]["body"].endswith("completed.\nSent by post")
    await api.drain_jobs()
    mails = await api.mailbox.messages(employee.email)
    assert len(mails) == before + 1
    assert subject(mails[-1]) == "Your data request: completed"


async def test_retention_erases_read_items_after_the_configured_days(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    old_read = str(await notify(api, employee, "a", channels=(Channel.INBOX,)))
    unread = str(await notify(api, employee, "b", channels=(Channel.INBOX,)))
    assert (await api.client.post(f"{INBOX}/{old_read}/read", headers=employee.headers)).status_code == 200
    days = runtime_of(api).settings.notifications.read_retention_days
    api.clock.advance(timedelta(days=days) - timedelta(minutes=1))
    signed_in = bearer(await api.login(employee.email, employee.password))  # the first token expired
    recent_read = str(await notify(api, employee, "c", channels=(Channel.INBOX,)))
    assert (await api.client.post(f"{INBOX}/{recent_read}/read", headers=signed_in)).status_code == 200
    api.clock.advance(timedelta(minutes=2))
    report = await run_retention(runtime_of(api))
    assert report is not None
    assert report["read_notifications"] == 1
    left = (await api.client.get(INBOX, headers=signed_in)).json()["items"]
    assert sorted(item["id"] for item in left) == sorted([unread, recent_read])


async def test_retention_prunes_the_job_queues_history_after_a_month(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    await notify(api, employee, channels=(Channel.EMAIL,))
    await api.drain_jobs()
    logged = await scalar(api, "SELECT count(*) FROM pgqueuer_log")
    # Three jobs (the HR admin's invitation, the registration code, this), each queued, picked, successful.
    assert logged == 9
    async with runtime_of(api).db_config.get_session() as session:
        await session.execute(
            text("UPDATE pgqueuer_log SET created = :at"), {"at": api.clock.now() - timedelta(days=31)}
        )
        await session.commit()
    report = await run_retention(runtime_of(api))
    assert report is not None
    assert report["job_log_entries"] == logged
    assert await scalar(api, "SELECT count(*) FROM pgqueuer_log") == 0


async def test_a_request_that_fails_after_notifying_leaves_no_notification_and_no_job(api: Api) -> None:
    """Through the real request transaction: the handler notifies, then the event fails."""

    @post("/test/notify-then-fail", opt=allow(*ALL_ROLES, consent_exempt=True))
    async def notify_then_fail(db_session: Db, runtime: RuntimeDep, principal: Caller) -> None:
        await NotificationService(db_session, runtime).notify(
            principal.user_id,
            topic="data_requests",
            template="data_request_status",
            params={"request_kind": "access", "status": "completed", "note": ""},
            channels=(Channel.INBOX, Channel.EMAIL),
        )
        raise AppError(409, ErrorCode.CONFLICT, "the event failed after notifying")

    api.app.register(notify_then_fail)
    await api.publish_policy("1")
    employee = await api.register()
    failed = await api.client.post("/test/notify-then-fail", headers=employee.headers)
    assert (failed.status_code, failed.json()["code"]) == (409, "conflict")
    assert await scalar(api, EVENT_NOTIFICATIONS) == 0
    assert await scalar(api, EVENT_DELIVERIES) == 0
    assert await scalar(api, "SELECT count(*) FROM pgqueuer") == 0
