"""Notifying someone, and their inbox.

``notify`` and ``notify_many`` write the notification and one delivery per channel the topic's rules let
through (``preferences.py``) in the caller's transaction, and enqueue the deliveries that need sending in
that same transaction (an outbox on the job queue): a rolled-back
event leaves neither, a committed one cannot lose its mail, because the reconciler (``delivery.py``)
re-enqueues whatever is still pending once it is due. The inbox itself needs no sending: its delivery
is written as sent, and the item shows as soon as the event commits.

Every mail the service sends takes this path (``mail``: codes, invitations, notices), so an SMTP outage
delays mail and never loses it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, Select, and_, any_, bindparam, func, null, select, update
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from loyalty.core.errors import not_found
from loyalty.core.jobs import enqueue
from loyalty.core.persistence import newest_first
from loyalty.core.prepared import connection_of
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language
from loyalty.core.sealing import sealer
from loyalty.identity.models import User
from loyalty.mail.messages import known, render
from loyalty.notifications.models import Channel, DeliveryStatus, Notification, NotificationDelivery
from loyalty.notifications.preferences import (
    channel_on,
    has_device,
    may_receive,
    quiet_until,
    waits_for_quiet_hours,
)
from loyalty.notifications.schemas import InboxPage, NotificationOut, ReadAll
from loyalty.notifications.topics import ALL, TOPICS, Topic, TopicKind


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone mailed at an address rather than through their account's: kept sealed until sent."""

    email: str
    name: str
    language: str


DELIVER = "deliver"  # the job entrypoint that sends one delivery
CURSOR_SCOPE = "notifications"


def item(row: Any, language: str, name: str) -> NotificationOut:
    title, body = render(row.template, language, {**row.params, "name": name})
    return NotificationOut(
        id=row.id, topic=row.topic, title=title, body=body, created_at=row.created_at, read_at=row.read_at
    )


def in_inbox() -> Any:
    return (
        select(NotificationDelivery.id)
        .where(
            NotificationDelivery.notification_id == Notification.id,
            NotificationDelivery.channel == Channel.INBOX,
        )
        .exists()
    )


# What an inbox item is rendered from (see ``item``).
ITEM_COLUMNS = (
    Notification.id,
    Notification.topic,
    Notification.template,
    Notification.params,
    Notification.created_at,
    Notification.read_at,
)


class NotificationService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def notify(
        self,
        user_id: UUID,
        topic: Topic,
        template: str,
        params: Mapping[str, str | int | None],
        channels: Iterable[Channel] | None = None,
    ) -> Notification | None:
        """Tell ``user_id`` about ``topic`` through ``channels`` (the topic's own by default, as the person
        chose), committed (or not) with the caller's transaction; None when the topic's rules let nothing
        through (``preferences.py``). ``params`` are the template's values; the reader's name is filled in
        when rendered."""
        written = await self.fan_out([user_id], topic, template, params, channels)
        if not written:
            return None
        # What was written, as a detached object (the rows went in as one statement, not through the ORM).
        return Notification(
            id=written[0],
            user_id=user_id,
            topic=topic,
            template=template,
            params=dict(params),
            created_at=self.runtime.clock.now(),
            read_at=None,
        )

    async def mail(
        self,
        template: str,
        params: Mapping[str, str | int | None],
        *,
        user_id: UUID | None = None,
        to: Recipient | None = None,
        secret: Mapping[str, str | int] | None = None,
        topic: Topic = Topic.ACCOUNT,
    ) -> Notification:
        """Mail ``template`` (email only, never in the inbox) through the outbox, in the caller's
        transaction: to the account ``user_id`` at its address, or to ``to`` (someone without an account,
        or an address other than the account's). ``secret`` values (a one-time code) are sealed with the
        recipient, never stored or logged in plain text, and wiped once the mail is sent or has failed for
        good. Only for required topics, which no preference, quiet hours or restriction holds back."""
        if user_id is None and to is None:
            raise ValueError("a mail needs an account or an address")
        if TOPICS[topic].kind is not TopicKind.REQUIRED:
            raise ValueError(f"{topic} is not a required topic: notify the person instead")
        if not known(template):
            raise ValueError(f"no texts for notification template {template!r}")
        values: dict[str, Any] = {}
        if to is not None:
            values.update(to=to.email, name=to.name, language=to.language)
        if secret:
            values["params"] = dict(secret)
        now = self.runtime.clock.now()
        notification = Notification(
            user_id=user_id,
            topic=topic,
            template=template,
            params=dict(params),
            sealed=sealer(self.runtime.settings.secret_key).seal(values) if values else None,
            created_at=now,
        )
        self.session.add(notification)
        await self.session.flush()
        delivery = NotificationDelivery(
            notification_id=notification.id,
            channel=Channel.EMAIL,
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
        )
        self.session.add(delivery)
        await self.session.flush()
        await enqueue(self.session, DELIVER, [delivery.id])
        return notification

    async def notify_many(
        self,
        user_ids: Iterable[UUID] | Select[tuple[UUID]],
        topic: Topic,
        template: str,
        params: Mapping[str, str | int | None],
        channels: Iterable[Channel] | None = None,
    ) -> int:
        """Tell each of ``user_ids`` (ids, or a SELECT of user ids for a large audience, which then never
        leaves the database) the same thing, in the caller's transaction; how many were notified."""
        return len(await self.fan_out(user_ids, topic, template, params, channels))

    async def fan_out(
        self,
        user_ids: Iterable[UUID] | Select[tuple[UUID]],
        topic: Topic,
        template: str,
        params: Mapping[str, str | int | None],
        channels: Iterable[Channel] | None = None,
    ) -> list[UUID]:
        """Set-based: one SELECT decides who gets what through which channel and when, two INSERTs from
        arrays write the notifications and deliveries, and the due deliveries are enqueued in batches (those
        held by quiet hours wait for the reconciler, which enqueues what is due every minute). Answers the
        notifications' ids."""
        if not known(template):
            raise ValueError(f"no texts for notification template {template!r}")
        explicit = None if channels is None else frozenset(channels)
        if explicit is not None and not explicit:
            raise ValueError("a notification needs at least one channel")
        if topic == Topic.ACCOUNT and explicit is not None and explicit != {Channel.EMAIL}:
            # A code or an invitation is for the mailbox it was sent to: never in an inbox or a push.
            raise ValueError("account mails are sent by email only")
        rule = TOPICS[Topic(topic)]
        now = self.runtime.clock.now()
        if isinstance(user_ids, Select):
            recipients: Any = User.id.in_(user_ids)
        else:
            wanted = list(dict.fromkeys(user_ids))
            if not wanted:
                return []
            recipients = User.id == any_(bindparam("recipients", wanted, type_=ARRAY(PG_UUID(as_uuid=True))))
        on = [channel_on(rule, Topic(topic), c, explicit, User.id) for c in ALL]
        # A push needs a live device: nobody without one gets a delivery (and a job) to skip.
        on[ALL.index(Channel.PUSH)] = and_(on[ALL.index(Channel.PUSH)], has_device(User.id))
        labelled = [expression.label(c.value) for expression, c in zip(on, ALL, strict=True)]
        wait = quiet_until(User.id, now) if waits_for_quiet_hours(rule) else null()
        plan = (
            select(User.id, *labelled, wait.label("quiet_until"))
            .where(recipients, *may_receive(rule))
            .order_by(User.id)
        )
        notifications: list[tuple[UUID, UUID]] = []
        deliveries: list[tuple[UUID, UUID, str, str, datetime, datetime | None]] = []
        due: list[UUID] = []
        for row in await self.session.execute(plan):
            used = [c for c in ALL if getattr(row, c.value)]
            if not used:
                continue
            notification_id = uuid7()
            notifications.append((notification_id, row.id))
            for channel in used:
                delivery_id = uuid7()
                if channel is Channel.INBOX:  # shown as soon as the event commits
                    deliveries.append((delivery_id, notification_id, channel, DeliveryStatus.SENT, now, now))
                    continue
                at = row.quiet_until or now
                deliveries.append((delivery_id, notification_id, channel, DeliveryStatus.PENDING, at, None))
                if at <= now:  # one held by quiet hours is enqueued by the reconciler once they end
                    due.append(delivery_id)
        if not notifications:
            return []
        connection = await connection_of(self.session)
        await connection.execute(
            "INSERT INTO notifications (id, user_id, topic, template, params, created_at)"
            " SELECT n.id, n.user_id, $3, $4, $5::jsonb, $6 FROM unnest($1::uuid[], $2::uuid[]) AS n(id, user_id)",
            *map(list, zip(*notifications, strict=True)),
            str(topic),
            template,
            json.dumps(dict(params)),
            now,
        )
        await connection.execute(
            "INSERT INTO notification_deliveries"
            " (id, notification_id, channel, status, attempts, next_attempt_at, sent_at)"
            " SELECT d.id, d.notification_id, d.channel, d.status, 0, d.next_attempt_at, d.sent_at"
            " FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[])"
            " AS d(id, notification_id, channel, status, next_attempt_at, sent_at)",
            *map(list, zip(*deliveries, strict=True)),
        )
        await enqueue(self.session, DELIVER, due)
        return [notification_id for notification_id, _ in notifications]

    async def inbox(self, user_id: UUID, *, language: Language, limit: int, cursor: str | None) -> InboxPage:
        """My inbox, newest first, rendered in ``language``, with how many items I have not read."""
        query = newest_first(
            select(*ITEM_COLUMNS).where(Notification.user_id == user_id, in_inbox()),
            Notification.created_at,
            Notification.id,
            self.runtime.cursors.decode(CURSOR_SCOPE, cursor) if cursor else None,
            limit,
        )
        rows = list(await self.session.execute(query))
        page, next_cursor = self.runtime.cursors.page(
            CURSOR_SCOPE, rows, limit, lambda last: [last.created_at.isoformat(), str(last.id)]
        )
        unread = await self.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None), in_inbox())
        )
        name = await self.session.scalar(select(User.full_name).where(User.id == user_id)) or ""
        return InboxPage(
            items=[item(row, language, name) for row in page],
            next_cursor=next_cursor,
            unread_count=unread or 0,
        )

    async def mark_read(self, user_id: UUID, notification_id: UUID, *, language: Language) -> NotificationOut:
        """Mark one of my items read (again is fine: it keeps the first time); someone else's is not found."""
        mine = and_(Notification.id == notification_id, Notification.user_id == user_id, in_inbox())
        await self.session.execute(
            update(Notification)
            .where(mine, Notification.read_at.is_(None))
            .values(read_at=self.runtime.clock.now())
            .execution_options(synchronize_session=False)
        )
        row = (
            await self.session.execute(
                select(*ITEM_COLUMNS, User.full_name).join(User, User.id == Notification.user_id).where(mine)
            )
        ).one_or_none()
        if row is None:
            raise not_found("notification")
        return item(row, language, row.full_name or "")

    async def mark_all_read(self, user_id: UUID) -> ReadAll:
        marked = await self.session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None), in_inbox())
            .values(read_at=self.runtime.clock.now())
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        )
        return ReadAll(marked=len(marked.all()))
