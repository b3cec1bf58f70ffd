"""Exactly once to the person: a delivery is claimed (committed) before it is sent and carries its id as the
message id, so a duplicate job sends nothing more, and a worker that dies after the send leaves a claim that
its job's re-run or, after the lease, the reconciler sends again under the same id, which the device (the
file backend) shows once and a mail client that collapses by Message-ID shows once."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from loyalty.core.jobs import enqueue
from loyalty.core.mailer import OutgoingMail
from loyalty.notifications.delivery import deliver, deliver_batch, reconcile
from loyalty.notifications.models import Channel
from loyalty.notifications.push import FilePush, PushMessage, PushResult
from loyalty.notifications.services import DELIVER, NotificationService
from loyalty.notifications.topics import Topic
from tests.helpers import API, Api
from tests.notifications.test_channels import PARAMS, execute, rows, runtime_of


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def shown(api: Api) -> list[dict[str, Any]]:
    """What the people's devices showed (the file backend)."""
    return lines(runtime_of(api).settings.push_path / "push.jsonl")


def sent_again(api: Api) -> list[dict[str, Any]]:
    """What the transport sent again and the device collapsed into what it showed."""
    return lines(runtime_of(api).settings.push_path / "push-repeats.jsonl")


async def people_with_devices(api: Api, count: int) -> list[UUID]:
    await api.publish_policy("1")
    ids = []
    for n in range(count):
        employee = await api.register()
        response = await api.client.post(
            f"{API}/me/devices", json={"token": f"phone-{n}", "platform": "android"}, headers=employee.headers
        )
        assert response.status_code == 201, response.text
        found = await rows(api, "SELECT id FROM users WHERE email = :e", e=employee.email)
        ids.append(UUID(str(found[0][0])))
    return ids


async def announce(api: Api, user_ids: list[UUID], channels: tuple[Channel, ...] | None = None) -> list[UUID]:
    """Announce to ``user_ids``; answers the ids of the deliveries to send (push, email), in id order."""
    runtime = runtime_of(api)
    async with runtime.db_config.get_session() as session:
        await NotificationService(session, runtime).notify_many(
            user_ids, Topic.ANNOUNCEMENTS, "data_request_status", PARAMS, channels
        )
        await session.commit()
    found = await rows(
        api,
        "SELECT d.id FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id"
        " WHERE n.topic = 'announcements' AND d.channel <> 'inbox' ORDER BY d.id",
    )
    return [UUID(str(row[0])) for row in found]


class SendsThenDies:
    """A worker killed right after the message left (FCM or SMTP took it), before it could mark it sent."""

    def __init__(self, push: FilePush) -> None:
        self.push = push

    async def send(self, message: PushMessage) -> PushResult:
        await self.push.send(message)
        raise asyncio.CancelledError

    async def aclose(self) -> None:
        await self.push.aclose()


async def test_duplicate_jobs_of_the_same_deliveries_send_each_once(api: Api) -> None:
    people = await people_with_devices(api, 3)
    pushes = await announce(api, people)
    assert len(pushes) == 3
    async with runtime_of(api).db_config.get_session() as session:
        # The same batch again is the same job (its dedupe key), so the queue adds nothing...
        assert await enqueue(session, DELIVER, pushes, per_job=500) == 0
        # ...but another batch of the same ids, and a job of one of them, are new jobs (run at once
        # below, beside a direct run of the batch) that must find nothing more to do.
        assert await enqueue(session, DELIVER, list(reversed(pushes)), per_job=500) == 3
        assert await enqueue(session, DELIVER, [pushes[1]]) == 1
        await session.commit()
    assert await rows(api, "SELECT count(*) FROM pgqueuer WHERE entrypoint = 'deliver'") == [(3,)]
    await asyncio.gather(api.drain_jobs(), deliver_batch(runtime_of(api), pushes))
    await api.drain_jobs()
    assert sorted(line["token"] for line in shown(api)) == ["phone-0", "phone-1", "phone-2"]
    assert sent_again(api) == []  # not even the transport sent anything twice
    assert await rows(
        api,
        "SELECT status, attempts, count(*) FROM notification_deliveries WHERE channel = 'push' GROUP BY 1, 2",
    ) == [("sent", 1, 3)]
    # Each message carries its delivery's id, as the collapse key and in its data.
    assert sorted((line["collapse_key"], line["data"]["delivery_id"]) for line in shown(api)) == [
        (str(d), str(d)) for d in pushes
    ]


async def test_a_worker_dead_after_the_send_is_taken_over_by_its_jobs_rerun_and_shown_once(api: Api) -> None:
    (person,) = await people_with_devices(api, 1)
    (delivery_id,) = await announce(api, [person])
    device = FilePush(runtime_of(api).settings.push_path)
    with contextlib.suppress(asyncio.CancelledError):
        await deliver_batch(runtime_of(api), [delivery_id], SendsThenDies(device), job=41)
    await device.aclose()
    assert len(shown(api)) == 1
    assert await rows(
        api, "SELECT status, claimed_by_job FROM notification_deliveries WHERE id = :d", d=delivery_id
    ) == [("sending", 41)]
    # Another job carrying the same id (a duplicate) finds it claimed: nothing is sent.
    assert await deliver_batch(runtime_of(api), [delivery_id], job=42) == {}
    # The queue runs job 41 again (its heartbeat went stale): that run takes its own claim over.
    done = await deliver_batch(runtime_of(api), [delivery_id], job=41)
    assert [attempt.status for attempt in done.values()] == ["sent"]
    # Sent twice by the transport, under one message id: the person saw it once.
    assert [line["collapse_key"] for line in shown(api)] == [str(delivery_id)]
    assert [line["collapse_key"] for line in sent_again(api)] == [str(delivery_id)]
    assert await rows(
        api, "SELECT status, attempts, claimed_at FROM notification_deliveries WHERE id = :d", d=delivery_id
    ) == [("sent", 2, None)]


async def test_a_claim_whose_job_is_lost_goes_back_after_the_lease_and_is_shown_once(api: Api) -> None:
    people = await people_with_devices(api, 2)
    first, second = await announce(api, people)
    device = FilePush(runtime_of(api).settings.push_path)
    with contextlib.suppress(asyncio.CancelledError):
        await deliver_batch(runtime_of(api), [first], SendsThenDies(device))
    await device.aclose()
    await execute(api, "DELETE FROM pgqueuer")  # the job died with the worker and nothing re-runs it
    # Within the lease the claim may still be live: only the other (unclaimed) delivery is re-enqueued.
    assert await reconcile(runtime_of(api)) == 1
    await api.drain_jobs()
    assert await rows(
        api, "SELECT id, status FROM notification_deliveries WHERE channel = 'push' ORDER BY id"
    ) == [(first, "sending"), (second, "sent")]
    lease = runtime_of(api).settings.notifications.claim_lease_seconds
    api.clock.advance(timedelta(seconds=lease - 1))
    assert await reconcile(runtime_of(api)) == 0
    api.clock.advance(timedelta(seconds=2))
    assert await reconcile(runtime_of(api)) == 1
    await api.drain_jobs()
    assert await reconcile(runtime_of(api)) == 0
    assert await rows(api, "SELECT status FROM notification_deliveries WHERE id = :d", d=first) == [("sent",)]
    assert sorted(line["collapse_key"] for line in shown(api)) == sorted([str(first), str(second)])
    assert [line["collapse_key"] for line in sent_again(api)] == [str(first)]


class MailsThenDies:
    """An SMTP server took the mail; the worker was killed before it marked it sent."""

    def __init__(self, mailer: Any) -> None:
        self.mailer = mailer
        self.dies = True

    async def send(self, mail: OutgoingMail) -> None:
        await self.mailer.send(mail)
        if self.dies:
            self.dies = False
            raise asyncio.CancelledError


async def test_a_mail_sent_again_after_a_crash_carries_the_same_message_id(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    user_id = UUID(str((await rows(api, "SELECT id FROM users WHERE email = :e", e=employee.email))[0][0]))
    (delivery_id,) = await announce(api, [user_id], (Channel.EMAIL,))
    runtime = runtime_of(api)
    mailer = MailsThenDies(runtime.mailer)
    runtime.mailer = mailer  # type: ignore[misc]
    try:
        with contextlib.suppress(asyncio.CancelledError):
            await deliver(runtime, delivery_id)
        api.clock.advance(timedelta(seconds=runtime.settings.notifications.claim_lease_seconds + 1))
        assert await reconcile(runtime) == 0  # the claim is handed back; its job is still queued
        await api.drain_jobs()
    finally:
        runtime.mailer = mailer.mailer  # type: ignore[misc]
    mails = [m for m in api.mailbox.present(employee.email) if m["X-Loyalty-Kind"] == "data_request_status"]
    # SMTP is at least once: two copies went out, one Message-ID, which a client may collapse.
    assert [m["Message-ID"] for m in mails] == [f"<{delivery_id}@loyalty.local>"] * 2
    assert await rows(api, "SELECT status FROM notification_deliveries WHERE id = :d", d=delivery_id) == [
        ("sent",)
    ]
