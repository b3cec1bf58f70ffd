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
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    DateTime,
    Select,
    and_,
    any_,
    bindparam,
    cast,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.errors import not_found
from loyalty.core.jobs import enqueue
from loyalty.core.persistence import newest_first
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language
from loyalty.core.sealing import sealer
from loyalty.identity.models import User
from loyalty.mail.messages import known, render
from loyalty.notifications.models import Channel, DeliveryStatus, Notification, NotificationDelivery
from loyalty.notifications.preferences import fan_out_plan
from loyalty.notifications.schemas import InboxPage, NotificationOut, ReadAll
from loyalty.notifications.topics import ALL, TOPICS, Topic, TopicKind


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone mailed at an address rather than through their account's: kept sealed until sent."""

    email: str
    name: str
    language: str


DELIVER = "deliver"  # the job entrypoint that sends a batch of deliveries (their ids)
DELIVERY_BATCH = 500  # delivery ids per job: 100 jobs for 50,000 pushes
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
        """Set-based, inside the database: one statement decides who gets what through which channel and
        when (``preferences.fan_out_plan``), writes the notifications and their deliveries with INSERT ...
        SELECT and answers the ids of the deliveries due now, which are enqueued as jobs of
        :data:`DELIVERY_BATCH` ids each (those held by quiet hours wait for the reconciler, which enqueues
        what is due every minute). The audience never leaves the database when it is a SELECT. Answers the
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
        plan_query, possible = fan_out_plan(rule, Topic(topic), explicit, now)
        used = [channel for channel in ALL if possible[channel]]
        if not used:
            return []
        plan = plan_query.where(recipients).cte("plan")
        # Referenced twice below, so PostgreSQL materialises it: each person's id is drawn once.
        told = (
            select(plan, func.loyalty_uuid7().label("notification_id"))
            .where(or_(*(plan.c[channel.value] for channel in used)))
            .cte("told")
        )
        notified = (
            insert(Notification)
            .from_select(
                ["id", "user_id", "topic", "template", "params", "created_at"],
                select(
                    told.c.notification_id,
                    told.c.user_id,
                    literal(str(topic)),
                    literal(template),
                    cast(literal(json.dumps(dict(params))), JSONB),
                    literal(now, DateTime(timezone=True)),
                ),
                include_defaults=False,
            )
            .returning(Notification.id)
            .cte("notified")
        )
        at = literal(now, DateTime(timezone=True))
        rows = union_all(
            *(
                select(
                    func.loyalty_uuid7().label("id"),
                    told.c.notification_id,
                    literal(channel.value).label("channel"),
                    literal(
                        DeliveryStatus.SENT if channel is Channel.INBOX else DeliveryStatus.PENDING
                    ).label("status"),
                    # The inbox is shown as soon as the event commits; the rest waits out quiet hours.
                    (at if channel is Channel.INBOX else func.coalesce(told.c.quiet_until, at)).label("due"),
                    (at if channel is Channel.INBOX else cast(null(), DateTime(timezone=True))).label(
                        "sent_at"
                    ),
                ).where(told.c[channel.value])
                for channel in used
            )
        )
        delivered = (
            insert(NotificationDelivery)
            .from_select(
                ["id", "notification_id", "channel", "status", "next_attempt_at", "sent_at"],
                rows,
                include_defaults=False,
            )
            .returning(
                NotificationDelivery.id, NotificationDelivery.status, NotificationDelivery.next_attempt_at
            )
            .cte("delivered")
        )
        result = (
            await self.session.execute(
                select(
                    select(func.array_agg(notified.c.id)).scalar_subquery().label("notified"),
                    select(func.array_agg(aggregate_order_by(delivered.c.id, delivered.c.id)))
                    .where(delivered.c.status == DeliveryStatus.PENDING, delivered.c.next_attempt_at <= at)
                    .scalar_subquery()
                    .label("due"),
                )
            )
        ).one()
        await enqueue(self.session, DELIVER, result.due or [], per_job=DELIVERY_BATCH)
        return list(result.notified or [])

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
