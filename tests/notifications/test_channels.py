"""Channels and their rules: push devices, preferences per topic and channel, quiet hours, marketing
consent, restriction, the set-based fan-out, exactly-once push, FCM's answers and one-click unsubscribe."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import UTC, timedelta
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import select, text

from loyalty.core.jobs import enqueue
from loyalty.core.runtime import Runtime
from loyalty.identity.models import User
from loyalty.notifications.delivery import deliver, reconcile
from loyalty.notifications.models import Channel
from loyalty.notifications.push import FcmPush, PushMessage, PushOutcome, PushResult
from loyalty.notifications.services import DELIVER, NotificationService
from loyalty.notifications.topics import Topic
from tests.helpers import API, Api, Employee
from tests.notifications.fcm_standin import fcm_standin

PREFERENCES = f"{API}/me/notification-preferences"
DEVICES = f"{API}/me/devices"
ALMATY = ZoneInfo("Asia/Almaty")
PARAMS = {"request_kind": "access", "status": "completed", "note": ""}


def runtime_of(api: Api) -> Runtime:
    runtime: Runtime = api.app.state.runtime
    return runtime


async def rows(api: Api, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    async with runtime_of(api).db_config.get_session() as session:
        return [tuple(row) for row in await session.execute(text(sql), params)]


async def execute(api: Api, sql: str, **params: Any) -> None:
    async with runtime_of(api).db_config.get_session() as session:
        await session.execute(text(sql), params)
        await session.commit()


async def user_id_of(api: Api, employee: Employee) -> UUID:
    found = await rows(api, "SELECT id FROM users WHERE email = :e", e=employee.email)
    return UUID(str(found[0][0]))


async def announce(
    api: Api,
    user_ids: list[UUID],
    topic: Topic = Topic.ANNOUNCEMENTS,
    channels: tuple[Channel, ...] | None = None,
    *,
    commit: bool = True,
) -> int:
    runtime = runtime_of(api)
    async with runtime.db_config.get_session() as session:
        count = await NotificationService(session, runtime).notify_many(
            user_ids, topic, "data_request_status", PARAMS, channels
        )
        await (session.commit() if commit else session.rollback())
    return count


async def deliveries(api: Api, user_id: UUID) -> list[tuple[Any, ...]]:
    return await rows(
        api,
        "SELECT n.topic, d.channel, d.status, d.last_error FROM notification_deliveries d"
        " JOIN notifications n ON n.id = d.notification_id WHERE n.user_id = :u ORDER BY n.created_at, d.channel",
        u=user_id,
    )


def pushed(api: Api) -> list[dict[str, Any]]:
    path = runtime_of(api).settings.push_path / "push.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def with_device(api: Api, token: str) -> tuple[Employee, UUID]:
    employee = await api.register()
    response = await api.client.post(
        DEVICES, json={"token": token, "platform": "android"}, headers=employee.headers
    )
    assert response.status_code == 201, response.text
    return employee, await user_id_of(api, employee)


async def test_devices_are_registered_once_per_token_moved_between_accounts_and_removed(api: Api) -> None:
    await api.publish_policy("1")
    first = await api.register()
    second = await api.register()
    body = {"token": "fcm-token-1", "platform": "android", "app_version": "1.4.0"}
    created = await api.client.post(DEVICES, json=body, headers=first.headers)
    assert created.status_code == 201, created.text
    again = await api.client.post(DEVICES, json=body | {"app_version": "1.5.0"}, headers=first.headers)
    assert (again.status_code, again.json()["id"], again.json()["app_version"]) == (
        200,
        created.json()["id"],
        "1.5.0",
    )
    moved = await api.client.post(DEVICES, json=body, headers=second.headers)
    assert (moved.status_code, moved.json()["id"]) == (201, created.json()["id"])
    assert await rows(api, "SELECT user_id FROM push_devices") == [(await user_id_of(api, second),)]
    # The first account no longer holds it: removing it there is not found; its holder removes it by token.
    gone = await api.client.delete(f"{DEVICES}/fcm-token-1", headers=first.headers)
    assert (gone.status_code, gone.json()["code"]) == (404, "not_found")
    assert (await api.client.delete(f"{DEVICES}/fcm-token-1", headers=second.headers)).status_code == 204
    assert await rows(api, "SELECT retired_reason FROM push_devices") == [("removed",)]
    # By id, after registering it again (which brings it back).
    back = await api.client.post(DEVICES, json=body, headers=second.headers)
    assert back.status_code == 201
    assert (
        await api.client.delete(f"{DEVICES}/{back.json()['id']}", headers=second.headers)
    ).status_code == 204
    bad = await api.client.post(DEVICES, json={"token": "x", "platform": "windows"}, headers=first.headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "validation_failed")


async def test_the_preference_matrix_locks_required_topics_and_validates(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    matrix = (await api.client.get(PREFERENCES, headers=employee.headers)).json()
    topics = {t["topic"]: t for t in matrix["topics"]}
    assert "pool_low" not in topics  # partner admins' topic
    assert topics["data_requests"]["channels"] == [
        {"channel": "inbox", "enabled": True, "locked": True},
        {"channel": "email", "enabled": True, "locked": True},
    ]
    assert {c["channel"]: c["enabled"] for c in topics["announcements"]["channels"]} == {
        "inbox": True,
        "push": True,
        "email": False,
    }
    assert matrix["quiet_hours"] is None
    locked = await api.client.put(
        PREFERENCES,
        json={"preferences": [{"topic": "data_requests", "channel": "email", "enabled": False}]},
        headers=employee.headers,
    )
    assert (locked.status_code, locked.json()["code"]) == (422, "topic_locked")
    foreign = await api.client.put(
        PREFERENCES,
        json={"preferences": [{"topic": "pool_low", "channel": "email", "enabled": False}]},
        headers=employee.headers,
    )
    assert (foreign.status_code, foreign.json()["code"]) == (422, "validation_failed")
    zone = await api.client.put(
        PREFERENCES,
        json={"quiet_hours": {"starts": "22:00:00", "ends": "07:00:00", "time_zone": "Mars/Olympus"}},
        headers=employee.headers,
    )
    assert (zone.status_code, zone.json()["code"]) == (422, "validation_failed")
    changed = await api.client.put(
        PREFERENCES,
        json={
            "preferences": [{"topic": "announcements", "channel": "push", "enabled": False}],
            "quiet_hours": {"starts": "22:00:00", "ends": "07:00:00"},
        },
        headers=employee.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["quiet_hours"] == {
        "starts": "22:00:00",
        "ends": "07:00:00",
        "time_zone": "Asia/Almaty",
    }
    announcements = next(t for t in changed.json()["topics"] if t["topic"] == "announcements")
    assert {c["channel"]: c["enabled"] for c in announcements["channels"]}["push"] is False
    cleared = await api.client.put(PREFERENCES, json={"quiet_hours": None}, headers=employee.headers)
    assert cleared.json()["quiet_hours"] is None


async def test_opt_outs_restriction_and_marketing_consent_decide_who_is_told(api: Api) -> None:
    await api.publish_policy("1")
    opted, opted_id = await with_device(api, "ok-opted")
    restricted, restricted_id = await with_device(api, "ok-restricted")
    plain, plain_id = await with_device(api, "ok-plain")
    await api.client.put(
        PREFERENCES,
        json={"preferences": [{"topic": "announcements", "channel": "push", "enabled": False}]},
        headers=opted.headers,
    )
    assert (await api.client.post(f"{API}/me/restriction", headers=restricted.headers)).status_code == 200
    everyone = [opted_id, restricted_id, plain_id]
    assert await announce(api, everyone) == 2  # restricted: nothing that the law does not require
    assert await deliveries(api, opted_id) == [("announcements", "inbox", "sent", None)]
    assert await deliveries(api, restricted_id) == []
    assert await deliveries(api, plain_id) == [
        ("announcements", "inbox", "sent", None),
        ("announcements", "push", "pending", None),
    ]
    # A legally required topic reaches the restricted person too, whatever they chose.
    assert await announce(api, everyone, Topic.POLICY_CHANGES, (Channel.INBOX,)) == 3
    await api.drain_jobs()
    assert [line["token"] for line in pushed(api)] == ["ok-plain"]

    # Marketing: only with the consent purpose; withdrawing it stops what is still pending at once.
    assert await announce(api, everyone, Topic.OFFER_DIGEST) == 2
    withdrawn = await api.client.post(
        f"{API}/me/consents",
        json={"policy_version": "1", "purposes": {"core": True, "marketing": False, "analytics": False}},
        headers=plain.headers,
    )
    assert withdrawn.status_code == 201, withdrawn.text
    await api.drain_jobs()
    # The announcement before, then the digest to the one who still consents and did not opt out of it.
    assert [line["token"] for line in pushed(api)] == ["ok-plain", "ok-opted"]
    digest = [d for d in await deliveries(api, plain_id) if d[0] == "offer_digest"]
    assert digest == [
        ("offer_digest", "inbox", "sent", None),
        ("offer_digest", "push", "skipped", "no_marketing_consent"),
    ]
    assert await announce(api, [plain_id], Topic.OFFER_DIGEST) == 0


async def test_quiet_hours_defer_push_but_not_the_inbox_nor_security(api: Api) -> None:
    await api.publish_policy("1")
    employee, user_id = await with_device(api, "ok-night")
    local = api.clock.now().astimezone(ALMATY)
    starts = (local - timedelta(hours=1)).replace(second=0, microsecond=0)
    ends = (local + timedelta(hours=2)).replace(second=0, microsecond=0)
    response = await api.client.put(
        PREFERENCES,
        json={"quiet_hours": {"starts": starts.time().isoformat(), "ends": ends.time().isoformat()}},
        headers=employee.headers,
    )
    assert response.status_code == 200, response.text
    await announce(api, [user_id])
    await announce(api, [user_id], Topic.SECURITY, (Channel.PUSH,))
    due = await rows(
        api,
        "SELECT n.topic, d.next_attempt_at FROM notification_deliveries d JOIN notifications n"
        " ON n.id = d.notification_id WHERE d.channel = 'push' ORDER BY n.topic",
    )
    assert due[0] == ("announcements", ends.astimezone(UTC))
    assert due[1][0] == "security"
    assert due[1][1] <= api.clock.now()
    await api.drain_jobs()
    assert [line["data"]["topic"] for line in pushed(api)] == ["security"]
    assert (
        len((await api.client.get(f"{API}/me/notifications", headers=employee.headers)).json()["items"]) == 1
    )  # the announcement's inbox item shows at once; the security push had no inbox channel
    # Quiet hours that began after it was written hold it back too; once they end it goes.
    await execute(
        api, "UPDATE notification_deliveries SET next_attempt_at = :t", t=api.clock.now() - timedelta(hours=1)
    )
    assert await reconcile(runtime_of(api)) == 1
    await api.drain_jobs()
    assert await rows(
        api, "SELECT next_attempt_at FROM notification_deliveries WHERE status = 'pending'"
    ) == [(ends.astimezone(UTC),)]
    api.clock.advance(ends.astimezone(UTC) - api.clock.now())
    assert await reconcile(runtime_of(api)) == 1
    await api.drain_jobs()
    assert [line["data"]["topic"] for line in pushed(api)] == ["security", "announcements"]


async def test_a_rolled_back_fan_out_sends_nothing_and_a_select_of_ids_fans_out(api: Api) -> None:
    await api.publish_policy("1")
    people = [await with_device(api, f"ok-{n}") for n in range(3)]
    await announce(api, [user_id for _, user_id in people], commit=False)
    # (Signing the three up mailed them their codes: those are notifications of topic 'account'.)
    assert await rows(api, "SELECT count(*) FROM notifications WHERE topic <> 'account'") == [(0,)]
    assert await rows(api, "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'deliver'") == [(0,)]
    runtime = runtime_of(api)
    async with runtime.db_config.get_session() as session:
        everyone = select(User.id).where(User.role == "employee")
        count = await NotificationService(session, runtime).notify_many(
            everyone, Topic.ANNOUNCEMENTS, "data_request_status", PARAMS
        )
        await session.commit()
    assert count == 3
    # One job carries the three push deliveries' ids (the queue carries only ids, a batch per job).
    jobs = await rows(api, "SELECT payload FROM pgqueuer WHERE entrypoint = 'deliver'")
    pushes = await rows(api, "SELECT id FROM notification_deliveries WHERE channel = 'push' ORDER BY id")
    assert len(jobs) == 1
    assert bytes(jobs[0][0]).decode().split(",") == [str(row[0]) for row in pushes]
    assert len(pushes) == 3
    await api.drain_jobs()
    assert sorted(line["token"] for line in pushed(api)) == ["ok-0", "ok-1", "ok-2"]


async def test_push_goes_once_per_person_despite_a_duplicate_job_and_a_crashed_run(api: Api) -> None:
    await api.publish_policy("1")
    _, user_id = await with_device(api, "ok-once")
    await announce(api, [user_id])
    (delivery_id,) = (
        row[0] for row in await rows(api, "SELECT id FROM notification_deliveries WHERE channel = 'push'")
    )

    class Crash:
        """A worker that dies while sending: its transaction never commits."""

        async def send(self, message: PushMessage) -> PushResult:
            raise asyncio.CancelledError

        async def aclose(self) -> None:
            return None

    with contextlib.suppress(asyncio.CancelledError):
        await deliver(runtime_of(api), delivery_id, Crash())
    # The claim was committed before the send: the row stays claimed and no other run sends it meanwhile.
    assert await rows(api, "SELECT status FROM notification_deliveries WHERE id = :d", d=delivery_id) == [
        ("sending",)
    ]
    assert await deliver(runtime_of(api), delivery_id) is None
    # The queue's job is lost with the crash; once the claim's lease is over the reconciler hands it back
    # and brings the job back, and a duplicate adds nothing.
    await execute(api, "DELETE FROM pgqueuer")
    assert await reconcile(runtime_of(api)) == 0
    api.clock.advance(timedelta(seconds=runtime_of(api).settings.notifications.claim_lease_seconds + 1))
    assert await reconcile(runtime_of(api)) == 1
    async with runtime_of(api).db_config.get_session() as session:
        assert await enqueue(session, DELIVER, [delivery_id]) == 0
        await session.commit()
    await asyncio.gather(api.drain_jobs(), deliver(runtime_of(api), delivery_id))
    await api.drain_jobs()
    assert [line["token"] for line in pushed(api)] == ["ok-once"]
    assert await rows(api, "SELECT status FROM notification_deliveries WHERE id = :d", d=delivery_id) == [
        ("sent",)
    ]


async def test_no_live_device_means_no_push(api: Api) -> None:
    await api.publish_policy("1")
    employee, user_id = await with_device(api, "ok-removed")
    await announce(api, [user_id])
    # Removed after the fan-out: the pending push is skipped when its turn comes.
    assert (await api.client.delete(f"{DEVICES}/ok-removed", headers=employee.headers)).status_code == 204
    await announce(api, [user_id])  # and none is written for a person without a device
    await api.drain_jobs()
    assert pushed(api) == []
    assert sorted(await deliveries(api, user_id), key=str) == [
        ("announcements", "inbox", "sent", None),
        ("announcements", "inbox", "sent", None),
        ("announcements", "push", "skipped", "no_device"),
    ]


async def test_fcm_answers_retire_tokens_retry_with_retry_after_and_refresh_the_access_token(
    api: Api, tmp_path: Path
) -> None:
    async with fcm_standin(tmp_path) as standin:
        credentials = json.loads(standin.credentials_file.read_text())
        fcm = FcmPush(credentials, base_url=standin.base_url, token_url=None, timeout=5)
        try:

            async def send(token: str) -> PushResult:
                return await fcm.send(
                    PushMessage(token=token, title="t", body="b", data={"topic": "x"}, collapse_key="n-1")
                )

            assert await send("ok-1") == PushResult(PushOutcome.SENT)
            assert standin.sent[0]["android"] == {"collapse_key": "n-1", "notification": {"tag": "n-1"}}
            assert await send("gone-1") == PushResult(PushOutcome.RETIRE, reason="UNREGISTERED")
            assert await send("bad-1") == PushResult(PushOutcome.RETIRE, reason="INVALID_ARGUMENT")
            assert await send("payload-1") == PushResult(PushOutcome.FAILED, reason="INVALID_ARGUMENT")
            assert await send("busy-1") == PushResult(
                PushOutcome.RETRY, reason="QUOTA_EXCEEDED", retry_after=120
            )
            assert await send("down-1") == PushResult(PushOutcome.RETRY, reason="UNAVAILABLE")
            assert standin.tokens_issued == 1  # one access token for all of these
            standin.expired.add("access-1")
            assert await send("ok-2") == PushResult(PushOutcome.SENT)
            assert standin.tokens_issued == 2  # refreshed once after the 401
        finally:
            await fcm.aclose()


async def test_a_delivery_through_fcm_retires_dead_tokens_and_waits_as_fcm_asks(
    api: Api, tmp_path: Path
) -> None:
    await api.publish_policy("1")
    employee, user_id = await with_device(api, "gone-phone")
    for token in ("busy-tablet", "bad-old-phone"):
        body = {"token": token, "platform": "ios"}
        assert (await api.client.post(DEVICES, json=body, headers=employee.headers)).status_code == 201
    await announce(api, [user_id])
    (delivery_id,) = (
        row[0] for row in await rows(api, "SELECT id FROM notification_deliveries WHERE channel = 'push'")
    )
    async with fcm_standin(tmp_path) as standin:
        credentials = json.loads(standin.credentials_file.read_text())
        fcm = FcmPush(credentials, base_url=standin.base_url, token_url=None, timeout=5)
        try:
            attempt = await deliver(runtime_of(api), delivery_id, fcm)
            # Two tokens retired; the busy one asked for two minutes, longer than the first backoff.
            assert attempt is not None
            assert attempt.retry_in == timedelta(seconds=120)
            retired = await rows(
                api,
                "SELECT token, retired_reason FROM push_devices WHERE retired_at IS NOT NULL ORDER BY token",
            )
            assert retired == [("bad-old-phone", "invalid_argument"), ("gone-phone", "unregistered")]
            assert await deliveries(api, user_id) == [
                ("announcements", "inbox", "sent", None),
                ("announcements", "push", "pending", "QUOTA_EXCEEDED"),
            ]
            assert sorted(standin.attempts) == ["bad-old-phone", "busy-tablet", "gone-phone"]
        finally:
            await fcm.aclose()


async def test_notification_mail_carries_a_one_click_unsubscribe_that_works_without_signing_in(
    api: Api,
) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    user_id = await user_id_of(api, employee)
    await announce(api, [user_id], Topic.ANNOUNCEMENTS, (Channel.EMAIL,))
    await announce(api, [user_id], Topic.DATA_REQUESTS, (Channel.EMAIL,))
    await api.drain_jobs()
    mails = [
        m for m in await api.mailbox.messages(employee.email) if m["X-Loyalty-Kind"] == "data_request_status"
    ]
    assert len(mails) == 2
    required = [m for m in mails if m["List-Unsubscribe"] is None]
    optional = [m for m in mails if m["List-Unsubscribe"] is not None]
    assert len(required) == 1
    assert len(optional) == 1
    assert optional[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = urlparse(str(make_header(decode_header(optional[0]["List-Unsubscribe"]))).strip("<>"))
    assert link.path == f"{API}/notifications/unsubscribe"
    forged = await api.client.post(f"{link.path}?token=not-a-token", content=b"List-Unsubscribe=One-Click")
    assert (forged.status_code, forged.json()["code"]) == (422, "validation_failed")
    done = await api.client.post(
        f"{link.path}?{link.query}",
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert done.json() == {"topic": "announcements", "channel": "email", "enabled": False}, done.text
    assert await announce(api, [user_id], Topic.ANNOUNCEMENTS, (Channel.EMAIL,)) == 0


async def test_erasure_takes_the_inbox_devices_and_preferences(api: Api) -> None:
    await api.publish_policy("1")
    employee, user_id = await with_device(api, "ok-erased")
    await api.client.put(
        PREFERENCES,
        json={
            "preferences": [{"topic": "announcements", "channel": "email", "enabled": True}],
            "quiet_hours": {"starts": "23:00:00", "ends": "06:00:00"},
        },
        headers=employee.headers,
    )
    await announce(api, [user_id])
    export = (await api.client.get(f"{API}/me/export", headers=employee.headers)).json()
    assert [d["platform"] for d in export["push_devices"]] == ["android"]
    assert "token" not in export["push_devices"][0]
    assert export["notification_preferences"][0]["topic"] == "announcements"
    assert export["notification_quiet_hours"][0]["time_zone"] == "Asia/Almaty"
    assert len(export["notifications"]) == 1
    erased = await api.client.request(
        "DELETE", f"{API}/me", json={"password": employee.password}, headers=employee.headers
    )
    assert erased.status_code == 202, erased.text
    for table in ("notifications", "push_devices", "notification_preferences", "notification_quiet_hours"):
        assert await rows(api, f"SELECT count(*) FROM {table} WHERE user_id = :u", u=user_id) == [(0,)], table
