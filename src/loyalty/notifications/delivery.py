"""Sending deliveries, run by the job worker (``loyalty.worker``).

A delivery is sent at most once per successful run: its row is locked (``FOR UPDATE SKIP LOCKED``, so a
second run of the same job at the same time finds nothing to do) and marked sent only while it is still
pending, in the transaction that holds the lock. A failure is counted on the row and retried with
exponential backoff until ``LOYALTY_NOTIFICATIONS_MAX_ATTEMPTS``; the reconciler re-enqueues any pending
delivery whose time has come and whose job the queue no longer holds (the queue deduplicates by id, so
re-enqueueing what is still queued adds nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.jobs import enqueue
from loyalty.core.mailer import OutgoingMail
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import DEFAULT_LANGUAGE
from loyalty.core.sealing import sealer
from loyalty.identity.models import User
from loyalty.mail.messages import render
from loyalty.notifications.models import Channel, DeliveryStatus, Notification, NotificationDelivery
from loyalty.notifications.services import DELIVER

RECONCILE_BATCH = 500
MAX_BACKOFF = timedelta(hours=1)
log = structlog.get_logger("loyalty.notifications")


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one run of a delivery's job did; ``retry_in`` asks the queue to run it again that much later."""

    status: DeliveryStatus
    retry_in: timedelta | None = None
    error: str | None = None


def backoff(runtime: Runtime, attempts: int) -> timedelta:
    base = timedelta(seconds=runtime.settings.notifications.retry_base_seconds)
    wait: timedelta = base * 2 ** max(attempts - 1, 0)
    return min(wait, MAX_BACKOFF)


async def deliver(runtime: Runtime, delivery_id: UUID) -> Attempt | None:
    """Send one delivery; None when there is nothing to do (sent already, being sent, or erased)."""
    async with runtime.db_config.get_session() as session:
        found = (
            await session.execute(
                select(
                    NotificationDelivery.channel,
                    NotificationDelivery.attempts,
                    NotificationDelivery.notification_id,
                    Notification.template,
                    Notification.params,
                    Notification.sealed,
                    User.email,
                    User.full_name,
                    User.language,
                )
                .join(Notification, Notification.id == NotificationDelivery.notification_id)
                # Someone mailed without an account has no user row: their address is sealed.
                .outerjoin(User, User.id == Notification.user_id)
                .where(
                    NotificationDelivery.id == delivery_id,
                    NotificationDelivery.status == DeliveryStatus.PENDING,
                )
                .with_for_update(of=NotificationDelivery, skip_locked=True)
            )
        ).one_or_none()
        if found is None:
            return None
        try:
            outcome = await _send(runtime, found)
        except Exception as exc:
            attempt = await _failed(session, runtime, delivery_id, found.attempts + 1, type(exc).__name__)
            if attempt.status == DeliveryStatus.FAILED:
                await _wipe(session, found)
            await session.commit()
            log.warning("delivery_failed", delivery_id=str(delivery_id), error_type=attempt.error)
            return attempt
        now = runtime.clock.now()
        await session.execute(
            update(NotificationDelivery)
            .where(
                NotificationDelivery.id == delivery_id, NotificationDelivery.status == DeliveryStatus.PENDING
            )
            .values(
                status=outcome,
                sent_at=now if outcome == DeliveryStatus.SENT else None,
                attempts=NotificationDelivery.attempts + 1,
                last_error=None,
            )
            .execution_options(synchronize_session=False)
        )
        await _wipe(session, found)
        await session.commit()
    log.info("delivery_done", delivery_id=str(delivery_id), channel=found.channel, status=outcome)
    return Attempt(outcome)


async def _send(runtime: Runtime, found: Row[Any]) -> DeliveryStatus:
    if found.channel == Channel.EMAIL:
        mail = _mail(runtime, found)
        if mail is None:
            return DeliveryStatus.SKIPPED
        await runtime.mailer.send(mail)
        return DeliveryStatus.SENT
    if found.channel == Channel.INBOX:
        return DeliveryStatus.SENT
    # No push provider is connected yet: the delivery is recorded as skipped rather than retried forever.
    return DeliveryStatus.SKIPPED


def _mail(runtime: Runtime, found: Row[Any]) -> OutgoingMail | None:
    """The message, rendered in the recipient's language with the sealed values opened; None when it has
    no recipient (its sealed values are gone and no account holds an address)."""
    sealed = sealer(runtime.settings.secret_key).open(found.sealed) if found.sealed is not None else {}
    to = sealed.get("to") or found.email
    if not to:
        return None
    values = {**found.params, **sealed.get("params", {}), "name": sealed.get("name") or found.full_name or ""}
    language = sealed.get("language") or found.language or DEFAULT_LANGUAGE
    subject, body = render(found.template, language, values)
    return OutgoingMail(to=to, subject=subject, body=body, kind=found.template)


async def _wipe(session: AsyncSession, found: Row[Any]) -> None:
    """An email delivery that is done (sent, or failed for good) no longer needs the sealed values: the
    code and the address go. (Only email deliveries read them; a sealed notification has no other.)"""
    if found.channel == Channel.EMAIL and found.sealed is not None:
        await session.execute(
            update(Notification)
            .where(Notification.id == found.notification_id)
            .values(sealed=None)
            .execution_options(synchronize_session=False)
        )


async def _failed(
    session: AsyncSession, runtime: Runtime, delivery_id: UUID, attempts: int, error: str
) -> Attempt:
    final = attempts >= runtime.settings.notifications.max_attempts
    wait = backoff(runtime, attempts)
    await session.execute(
        update(NotificationDelivery)
        .where(NotificationDelivery.id == delivery_id, NotificationDelivery.status == DeliveryStatus.PENDING)
        .values(
            status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            attempts=attempts,
            last_error=error[:200],
            next_attempt_at=runtime.clock.now() + wait,
        )
        .execution_options(synchronize_session=False)
    )
    if final:
        return Attempt(DeliveryStatus.FAILED, error=error)
    return Attempt(DeliveryStatus.PENDING, retry_in=wait, error=error)


async def reconcile(runtime: Runtime) -> int:
    """Enqueue every pending delivery that is due (the queue skips those it still holds); how many
    jobs were added, i.e. how many the queue had lost."""
    async with runtime.db_config.get_session() as session:
        due = list(
            await session.scalars(
                select(NotificationDelivery.id)
                .where(
                    NotificationDelivery.status == DeliveryStatus.PENDING,
                    NotificationDelivery.next_attempt_at <= runtime.clock.now(),
                )
                .order_by(NotificationDelivery.next_attempt_at)
                .limit(RECONCILE_BATCH)
            )
        )
        added = await enqueue(session, DELIVER, due)
        await session.commit()
    if added:
        log.warning("deliveries_reenqueued", count=added)
    return added
