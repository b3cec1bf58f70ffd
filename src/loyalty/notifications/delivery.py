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
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import structlog
from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.jobs import enqueue
from loyalty.core.mailer import OutgoingMail
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import DEFAULT_LANGUAGE
from loyalty.core.sealing import sealer
from loyalty.core.signing import LinkSigner
from loyalty.identity.models import User
from loyalty.mail.messages import render
from loyalty.notifications.devices import retire
from loyalty.notifications.models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationDelivery,
    PushDevice,
)
from loyalty.notifications.preferences import opted_out, quiet_until, waits_for_quiet_hours
from loyalty.notifications.push import PushMessage, PushOutcome, PushSender, build_push
from loyalty.notifications.services import DELIVER
from loyalty.notifications.topics import TOPICS, Topic, TopicKind, TopicRule

UNSUBSCRIBE_PATH = "/api/v1/notifications/unsubscribe"

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


class RetryLater(Exception):
    """The channel asked us to come back later (FCM's 429/5xx), no sooner than ``retry_after`` seconds."""

    def __init__(self, reason: str, retry_after: float | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


async def deliver(runtime: Runtime, delivery_id: UUID, push: PushSender | None = None) -> Attempt | None:
    """Send one delivery; None when there is nothing to do (sent already, being sent, or erased). The
    topic's rules are checked again first, so an opt-out, a withdrawn marketing consent or a restriction
    stops what is still pending, and quiet hours that began since it was written hold it back."""
    now = runtime.clock.now()
    async with runtime.db_config.get_session() as session:
        found = (
            await session.execute(
                select(
                    NotificationDelivery.channel,
                    NotificationDelivery.attempts,
                    Notification.id.label("notification_id"),
                    Notification.user_id,
                    Notification.topic,
                    Notification.template,
                    Notification.params,
                    Notification.sealed,
                    User.email,
                    User.full_name,
                    User.language,
                    User.restricted_at,
                    User.marketing_consent,
                    opted_out(User.id, Notification.topic, NotificationDelivery.channel).label("opted_out"),
                    quiet_until(User.id, now).label("quiet_until"),
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
        rule = (
            TOPICS.get(found.topic) or TOPICS[Topic.ANNOUNCEMENTS]
        )  # a topic since removed: as a service one
        held = held_back(rule, found)
        if held is not None:
            await _finish(session, delivery_id, DeliveryStatus.SKIPPED, None, held)
            await session.commit()
            log.info("delivery_held_back", delivery_id=str(delivery_id), reason=held)
            return Attempt(DeliveryStatus.SKIPPED)
        if waits_for_quiet_hours(rule) and found.quiet_until is not None:
            await session.execute(
                update(NotificationDelivery)
                .where(NotificationDelivery.id == delivery_id)
                .values(next_attempt_at=found.quiet_until)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
            # Not a retry through the queue: the reconciler enqueues it again once the quiet hours end.
            return Attempt(DeliveryStatus.PENDING, error="quiet_hours")
        try:
            outcome, error = await _send(session, runtime, found, rule, push)
        except Exception as exc:
            wait = timedelta(seconds=exc.retry_after or 0) if isinstance(exc, RetryLater) else None
            reason = exc.reason if isinstance(exc, RetryLater) else type(exc).__name__
            attempt = await _failed(session, runtime, delivery_id, found.attempts + 1, reason, wait)
            if attempt.status == DeliveryStatus.FAILED:
                await _wipe(session, found)
            await session.commit()
            log.warning("delivery_failed", delivery_id=str(delivery_id), error_type=attempt.error)
            return attempt
        await _finish(session, delivery_id, outcome, now if outcome == DeliveryStatus.SENT else None, error)
        await _wipe(session, found)
        await session.commit()
    log.info("delivery_done", delivery_id=str(delivery_id), channel=found.channel, status=outcome)
    return Attempt(outcome, error=error)


def held_back(rule: TopicRule, found: Row[Any]) -> str | None:
    """Why the topic's rules stop this delivery now, or None."""
    if rule.kind is TopicKind.REQUIRED:
        return None
    if found.restricted_at is not None:
        return "restricted"
    if rule.kind is TopicKind.MARKETING and not found.marketing_consent:
        return "no_marketing_consent"
    if found.opted_out:
        return "opted_out"
    return None


async def _finish(
    session: AsyncSession,
    delivery_id: UUID,
    status: DeliveryStatus,
    sent_at: datetime | None,
    error: str | None,
) -> None:
    await session.execute(
        update(NotificationDelivery)
        .where(NotificationDelivery.id == delivery_id, NotificationDelivery.status == DeliveryStatus.PENDING)
        .values(status=status, sent_at=sent_at, attempts=NotificationDelivery.attempts + 1, last_error=error)
        .execution_options(synchronize_session=False)
    )


async def _send(
    session: AsyncSession, runtime: Runtime, found: Row[Any], rule: TopicRule, push: PushSender | None
) -> tuple[DeliveryStatus, str | None]:
    if found.channel == Channel.INBOX:
        return DeliveryStatus.SENT, None
    if found.channel == Channel.EMAIL:
        headers = {} if rule.kind is TopicKind.REQUIRED else unsubscribe_headers(runtime, found)
        mail = _mail(runtime, found, headers)
        if mail is None:
            return DeliveryStatus.SKIPPED, "no_recipient"
        await runtime.mailer.send(mail)
        return DeliveryStatus.SENT, None
    title, body = render(found.template, found.language, {**found.params, "name": found.full_name})
    if push is None:
        sender = build_push(runtime.settings)
        try:
            return await _push(session, runtime, found, title, body, sender)
        finally:
            await sender.aclose()
    return await _push(session, runtime, found, title, body, push)


def _mail(runtime: Runtime, found: Row[Any], headers: dict[str, str]) -> OutgoingMail | None:
    """The message, rendered in the recipient's language with the sealed values opened; None when it has
    no recipient (its sealed values are gone and no account holds an address)."""
    sealed = sealer(runtime.settings.secret_key).open(found.sealed) if found.sealed is not None else {}
    to = sealed.get("to") or found.email
    if not to:
        return None
    values = {**found.params, **sealed.get("params", {}), "name": sealed.get("name") or found.full_name or ""}
    language = sealed.get("language") or found.language or DEFAULT_LANGUAGE
    subject, body = render(found.template, language, values)
    return OutgoingMail(to=to, subject=subject, body=body, kind=found.template, headers=headers)


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


def unsubscribe_headers(runtime: Runtime, found: Row[Any]) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe from this topic by email."""
    token = LinkSigner(runtime.settings.secret_key).unsubscribe_token(
        user_id=found.user_id, topic=found.topic, channel=Channel.EMAIL, now=runtime.clock.now()
    )
    url = f"{runtime.settings.app.public_url.rstrip('/')}{UNSUBSCRIBE_PATH}?{urlencode({'token': token})}"
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


async def _push(
    session: AsyncSession, runtime: Runtime, found: Row[Any], title: str, body: str, push: PushSender
) -> tuple[DeliveryStatus, str | None]:
    """To each of the person's live devices. Sent when one device took it (a device that asked for a retry
    then misses this one rather than getting the others' copy twice); retried when none took it and one
    may later; skipped when the person has no device left."""
    devices = (
        await session.execute(
            select(PushDevice.id, PushDevice.token).where(
                PushDevice.user_id == found.user_id, PushDevice.retired_at.is_(None)
            )
        )
    ).all()
    results = []
    for device in devices:
        result = await push.send(
            PushMessage(
                token=device.token,
                title=title,
                body=body,
                data={"notification_id": str(found.notification_id), "topic": found.topic},
                collapse_key=str(found.notification_id),
            )
        )
        if result.outcome is PushOutcome.RETIRE:
            await retire(session, device.id, result.reason.lower(), runtime.clock.now())
            log.info("push_token_retired", device_id=str(device.id), reason=result.reason)
        results.append(result)
    if any(r.outcome is PushOutcome.SENT for r in results):
        return DeliveryStatus.SENT, None
    retries = [r for r in results if r.outcome is PushOutcome.RETRY]
    if retries:
        raise RetryLater(retries[0].reason, max((r.retry_after or 0.0) for r in retries))
    failed = [r.reason for r in results if r.outcome is PushOutcome.FAILED]
    if failed:
        return DeliveryStatus.FAILED, failed[0]
    return DeliveryStatus.SKIPPED, "no_device"


async def _failed(
    session: AsyncSession,
    runtime: Runtime,
    delivery_id: UUID,
    attempts: int,
    error: str,
    at_least: timedelta | None = None,
) -> Attempt:
    final = attempts >= runtime.settings.notifications.max_attempts
    wait = max(backoff(runtime, attempts), at_least or timedelta(0))
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
