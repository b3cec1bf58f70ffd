"""Notifying someone, and their inbox.

``notify`` writes the notification and one delivery per channel in the caller's transaction and enqueues
the deliveries that need sending in that same transaction (an outbox on the job queue): a rolled-back
event leaves neither, a committed one cannot lose its mail, because the reconciler (``delivery.py``)
re-enqueues whatever is still pending once it is due. The inbox itself needs no sending: its delivery
is written as sent, and the item shows as soon as the event commits.

Every mail the service sends takes this path (``mail``: codes, invitations, notices), so an SMTP outage
delays mail and never loses it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.errors import not_found
from loyalty.core.jobs import enqueue
from loyalty.core.persistence import after
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language
from loyalty.core.sealing import sealer
from loyalty.identity.models import User
from loyalty.mail.messages import known, render
from loyalty.notifications.models import Channel, DeliveryStatus, Notification, NotificationDelivery
from loyalty.notifications.schemas import InboxPage, NotificationOut, ReadAll
from loyalty.notifications.topics import TOPICS, Topic


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
    ) -> Notification:
        """Tell ``user_id`` about ``topic`` through ``channels`` (the topic's own by default), committed (or
        not) with the caller's transaction. ``params`` are the template's values; the reader's name is
        filled in when rendered."""
        wanted = TOPICS[topic].channels if channels is None else channels
        return await self._write(user_id, topic, template, params, wanted, sealed=None)

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
        good."""
        if user_id is None and to is None:
            raise ValueError("a mail needs an account or an address")
        values: dict[str, Any] = {}
        if to is not None:
            values.update(to=to.email, name=to.name, language=to.language)
        if secret:
            values["params"] = dict(secret)
        sealed = sealer(self.runtime.settings.secret_key).seal(values) if values else None
        return await self._write(user_id, topic, template, params, (Channel.EMAIL,), sealed=sealed)

    async def _write(
        self,
        user_id: UUID | None,
        topic: Topic,
        template: str,
        params: Mapping[str, str | int | None],
        channels: Iterable[Channel],
        *,
        sealed: bytes | None,
    ) -> Notification:
        if not known(template):
            raise ValueError(f"no texts for notification template {template!r}")
        wanted = list(dict.fromkeys(channels))
        if not wanted:
            raise ValueError("a notification needs at least one channel")
        if (sealed is not None or topic == Topic.ACCOUNT) and wanted != [Channel.EMAIL]:
            # A code or an invitation is for the mailbox it was sent to: never in an inbox or a push.
            raise ValueError("account mails and notifications with sealed values are sent by email only")
        now = self.runtime.clock.now()
        notification = Notification(
            user_id=user_id,
            topic=topic,
            template=template,
            params=dict(params),
            sealed=sealed,
            created_at=now,
        )
        self.session.add(notification)
        await self.session.flush()
        deliveries = [
            NotificationDelivery(
                notification_id=notification.id,
                channel=channel,
                status=DeliveryStatus.SENT if channel == Channel.INBOX else DeliveryStatus.PENDING,
                sent_at=now if channel == Channel.INBOX else None,
                next_attempt_at=now,
            )
            for channel in wanted
        ]
        self.session.add_all(deliveries)
        await self.session.flush()
        await enqueue(self.session, DELIVER, [d.id for d in deliveries if d.status == DeliveryStatus.PENDING])
        return notification

    async def notify_many(
        self, user_ids: Iterable[UUID], topic: Topic, template: str, params: Mapping[str, str | int | None]
    ) -> int:
        """Tell each of ``user_ids`` the same thing through the topic's channels, in the caller's
        transaction; how many were notified. (The fan-out of announcements and digests goes through here.)"""
        count = 0
        for user_id in user_ids:
            await self.notify(user_id, topic, template, params)
            count += 1
        return count

    async def inbox(self, user_id: UUID, *, language: Language, limit: int, cursor: str | None) -> InboxPage:
        """My inbox, newest first, rendered in ``language``, with how many items I have not read."""
        query = select(*ITEM_COLUMNS).where(Notification.user_id == user_id, in_inbox())
        if cursor:
            at, notification_id = self.runtime.cursors.decode(CURSOR_SCOPE, cursor)
            query = query.where(
                after(
                    (Notification.created_at, Notification.id),
                    [datetime.fromisoformat(at), UUID(notification_id)],
                    descending=True,
                )
            )
        rows = list(
            await self.session.execute(
                query.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit + 1)
            )
        )
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
