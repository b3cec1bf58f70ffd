"""Sending deliveries, run by the job worker (``loyalty.worker``): each job carries a batch of delivery ids.

Exactly once to the person, in three steps per batch:

1. *Claim*, committed before anything leaves: the batch's pending rows are locked (``FOR UPDATE SKIP
   LOCKED``, so a second run of the same ids at the same time finds nothing to do) and the topic's rules
   are checked again — an opt-out, a withdrawn marketing consent or a restriction skips what is still
   pending; quiet hours that began since it was written move it to their end — and the rest become
   ``sending`` (``claimed_at``, the job's id), in one statement each.
2. *Send*, concurrently (at most :data:`PUSH_CONCURRENCY` FCM requests and :data:`MAIL_CONCURRENCY` SMTP
   sessions at once), each message under the delivery's id: FCM's collapse key, Android's ``tag``, APNs'
   ``apns-collapse-id`` and the mail's ``Message-ID``.
3. *Mark* the outcomes in one statement, only on rows still held by this claim: sent, failed for good,
   skipped, or pending again after a backoff (at least FCM's ``Retry-After``); dead tokens are retired and
   sealed values wiped. A retry is the job's: the queue runs it again after the longest wait it asked for.

A worker that dies between 1 and 3 leaves its rows ``sending``. The queue runs its job again once the
job's heartbeat is stale (pgqueuer, 30 s), and that run takes its own claims over; a claim whose job is gone
goes back to pending through the reconciler after ``LOYALTY_NOTIFICATIONS_CLAIM_LEASE_SECONDS``. Either
way the message goes again under the same id. What this guarantees: the transport (FCM, SMTP) is at least
once, and a repeat (only ever of a message in flight when a worker died) carries the first one's id, so a
device shows it once (the repeat replaces it; the file backend behaves so, ``push.py``); a mail client
may show a repeated mail twice unless it drops one by ``Message-ID`` (Gmail is known to). The reconciler also
re-enqueues any pending delivery whose time has come and which no queued or running job carries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import structlog
from sqlalchemy import Row, and_, any_, bindparam, or_, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.jobs import enqueue
from loyalty.core.mailer import OutgoingMail
from loyalty.core.metrics import NOTIFICATION_DELIVERIES
from loyalty.core.prepared import connection_of
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
from loyalty.notifications.push import PushMessage, PushOutcome, PushResult, PushSender, build_push
from loyalty.notifications.services import DELIVER, DELIVERY_BATCH
from loyalty.notifications.topics import TOPICS, Topic, TopicKind, TopicRule

UNSUBSCRIBE_PATH = "/api/v1/notifications/unsubscribe"
MESSAGE_ID_DOMAIN = "loyalty.local"

RECONCILE_BATCH = 5_000
MAX_BACKOFF = timedelta(hours=1)
CLAIM_CHUNK = 100  # deliveries claimed, sent and marked together within a job's batch
PUSH_CONCURRENCY = 32  # FCM requests in flight per batch
MAIL_CONCURRENCY = 4  # SMTP sessions per batch: a mail server limits connections per client
log = structlog.get_logger("loyalty.notifications")
IDS = ARRAY(PG_UUID(as_uuid=True))


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one run of a delivery did; ``retry_in`` asks the queue to run it again that much later."""

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


@dataclass(slots=True)
class Sent:
    """The outcome of sending one claimed delivery, and the tokens it found dead."""

    attempt: Attempt
    retired: list[tuple[UUID, str]] = field(default_factory=list)


def message_id(delivery_id: UUID) -> str:
    """The id every copy of a delivery's message carries, however often it is sent."""
    return str(delivery_id)


async def deliver(runtime: Runtime, delivery_id: UUID, push: PushSender | None = None) -> Attempt | None:
    """Send one delivery (:func:`deliver_batch`); None when there is nothing to do (sent already, being
    sent, or erased)."""
    return (await deliver_batch(runtime, [delivery_id], push)).get(delivery_id)


async def deliver_batch(
    runtime: Runtime, delivery_ids: Sequence[UUID], push: PushSender | None = None, *, job: int | None = None
) -> dict[UUID, Attempt]:
    """Claim, send and mark the deliveries ``delivery_ids`` that are pending (and, for ``job``, those this
    job claimed in a run that died), :data:`CLAIM_CHUNK` at a time (what a crash may leave claimed after
    its send); answers what became of each one it found to do."""
    done: dict[UUID, Attempt] = {}
    senders: list[PushSender] = [] if push is None else [push]
    try:
        for start in range(0, len(delivery_ids), CLAIM_CHUNK):
            chunk = list(delivery_ids[start : start + CLAIM_CHUNK])
            done.update(await _deliver_chunk(runtime, chunk, senders, job))
    finally:
        if push is None and senders:
            await senders[0].aclose()
    return done


async def _deliver_chunk(
    runtime: Runtime, delivery_ids: list[UUID], senders: list[PushSender], job: int | None
) -> dict[UUID, Attempt]:
    """Claim, send and mark one chunk; ``senders`` holds the push sender once one is needed."""
    now = runtime.clock.now()
    async with runtime.db_config.get_session() as session:
        found = await _claimable(session, delivery_ids, job, now)
        done: dict[UUID, Attempt] = {}
        held: dict[UUID, str] = {}
        deferred: dict[UUID, datetime] = {}
        claimed: list[Row[Any]] = []
        for row in found:
            rule = rule_of(row.topic)
            reason = held_back(rule, row)
            if reason is not None:
                held[row.id] = reason
                done[row.id] = Attempt(DeliveryStatus.SKIPPED)
            elif waits_for_quiet_hours(rule) and row.quiet_until is not None:
                # Not a retry through the queue: the reconciler enqueues it again once the quiet hours end.
                deferred[row.id] = row.quiet_until
                done[row.id] = Attempt(DeliveryStatus.PENDING, error="quiet_hours")
            else:
                claimed.append(row)
        connection = await connection_of(session)
        if held:
            await connection.execute(
                "UPDATE notification_deliveries d SET status = 'skipped', attempts = d.attempts + 1,"
                " last_error = h.reason, claimed_at = NULL, claimed_by_job = NULL"
                " FROM unnest($1::uuid[], $2::text[]) AS h(id, reason) WHERE d.id = h.id",
                list(held),
                list(held.values()),
            )
        if deferred:
            await connection.execute(
                "UPDATE notification_deliveries d SET status = 'pending', next_attempt_at = q.until,"
                " claimed_at = NULL, claimed_by_job = NULL"
                " FROM unnest($1::uuid[], $2::timestamptz[]) AS q(id, until) WHERE d.id = q.id",
                list(deferred),
                list(deferred.values()),
            )
        if claimed:
            await connection.execute(
                "UPDATE notification_deliveries SET status = 'sending', claimed_at = $2, claimed_by_job = $3,"
                " attempts = attempts + 1 WHERE id = ANY($1::uuid[])",
                [row.id for row in claimed],
                now,
                job,
            )
        devices = await _devices(session, [row.user_id for row in claimed if row.channel == Channel.PUSH])
        await session.commit()
    for reason in held.values():
        log.info("delivery_held_back", reason=reason)
    if not claimed:
        return done
    if not senders and any(row.channel == Channel.PUSH for row in claimed):
        senders.append(build_push(runtime.settings))
    sender = senders[0] if senders else None
    limits = (asyncio.Semaphore(PUSH_CONCURRENCY), asyncio.Semaphore(MAIL_CONCURRENCY))
    results = await asyncio.gather(
        *(_send(runtime, row, devices.get(row.user_id, []), sender, limits) for row in claimed)
    )
    await _mark(runtime, claimed, results, now)
    for row, result in zip(claimed, results, strict=True):
        done[row.id] = result.attempt
        outcome = "retry" if result.attempt.retry_in is not None else str(result.attempt.status)
        NOTIFICATION_DELIVERIES.labels(channel=row.channel, outcome=outcome).inc()
        if result.attempt.status == DeliveryStatus.FAILED or result.attempt.retry_in is not None:
            log.warning("delivery_failed", delivery_id=str(row.id), error_type=result.attempt.error)
    log.info("deliveries_sent", count=len(claimed), job=job)
    return done


def rule_of(topic: Any) -> TopicRule:
    return TOPICS.get(topic) or TOPICS[Topic.ANNOUNCEMENTS]  # a topic since removed: as a service one


async def _claimable(
    session: AsyncSession, delivery_ids: list[UUID], job: int | None, now: datetime
) -> list[Row[Any]]:
    """The batch's rows this run may send, locked, with what the rules and the message need."""
    claimable: Any = NotificationDelivery.status == DeliveryStatus.PENDING
    if job is not None:  # the queue runs a job again only once its last run's heartbeat went stale
        claimable = or_(
            claimable,
            and_(
                NotificationDelivery.status == DeliveryStatus.SENDING,
                NotificationDelivery.claimed_by_job == job,
            ),
        )
    return list(
        await session.execute(
            select(
                NotificationDelivery.id,
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
            .where(NotificationDelivery.id == any_(bindparam("ids", delivery_ids, type_=IDS)), claimable)
            .order_by(NotificationDelivery.id)
            .with_for_update(of=NotificationDelivery, skip_locked=True)
        )
    )


async def _devices(session: AsyncSession, user_ids: list[UUID]) -> dict[UUID, list[Any]]:
    """The live devices of these people, oldest first."""
    devices: dict[UUID, list[Any]] = {}
    if not user_ids:
        return devices
    for device in await session.execute(
        select(PushDevice.id, PushDevice.user_id, PushDevice.token)
        .where(
            PushDevice.user_id == any_(bindparam("users", list(set(user_ids)), type_=IDS)),
            PushDevice.retired_at.is_(None),
        )
        .order_by(PushDevice.created_at, PushDevice.id)
    ):
        devices.setdefault(device.user_id, []).append(device)
    return devices


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


async def _send(
    runtime: Runtime,
    row: Row[Any],
    devices: list[Any],
    push: PushSender | None,
    limits: tuple[asyncio.Semaphore, asyncio.Semaphore],
) -> Sent:
    """Send one claimed delivery; what became of it. Any failure is this delivery's (a retry, or failed
    after the last attempt); only the process stopping (cancellation) leaves it claimed."""
    push_limit, mail_limit = limits
    try:
        if row.channel == Channel.INBOX:
            return Sent(Attempt(DeliveryStatus.SENT))
        if row.channel == Channel.EMAIL:
            rule = rule_of(row.topic)
            headers = {} if rule.kind is TopicKind.REQUIRED else unsubscribe_headers(runtime, row)
            mail = _mail(runtime, row, headers)
            if mail is None:
                return Sent(Attempt(DeliveryStatus.SKIPPED, error="no_recipient"))
            async with mail_limit:
                await runtime.mailer.send(mail)
            return Sent(Attempt(DeliveryStatus.SENT))
        assert push is not None, "a push sender is built when a push is claimed"
        return await _push(runtime, row, devices, push, push_limit)
    except Exception as exc:
        wait = timedelta(seconds=exc.retry_after or 0) if isinstance(exc, RetryLater) else None
        reason = exc.reason if isinstance(exc, RetryLater) else type(exc).__name__
        return Sent(_failure(runtime, row.attempts + 1, reason, wait), getattr(exc, "retired", []))


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
    return OutgoingMail(
        to=to,
        subject=subject,
        body=body,
        kind=found.template,
        headers=headers,
        message_id=f"<{message_id(found.id)}@{MESSAGE_ID_DOMAIN}>",
    )


def unsubscribe_headers(runtime: Runtime, found: Row[Any]) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe from this topic by email."""
    token = LinkSigner(runtime.settings.secret_key).unsubscribe_token(
        user_id=found.user_id, topic=found.topic, channel=Channel.EMAIL, now=runtime.clock.now()
    )
    url = f"{runtime.settings.app.public_url.rstrip('/')}{UNSUBSCRIBE_PATH}?{urlencode({'token': token})}"
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


async def _push(
    runtime: Runtime, row: Row[Any], devices: list[Any], push: PushSender, limit: asyncio.Semaphore
) -> Sent:
    """To each of the person's live devices, at once. Sent when one device took it (a device that asked for
    a retry then misses this one rather than getting the others' copy twice); retried when none took it and
    one may later; skipped when the person has no device left."""
    title, body = render(row.template, row.language, {**row.params, "name": row.full_name})
    data = {"notification_id": str(row.notification_id), "delivery_id": str(row.id), "topic": row.topic}

    async def to(device: Any) -> PushResult:
        message = PushMessage(
            token=device.token, title=title, body=body, data=data, collapse_key=message_id(row.id)
        )
        async with limit:
            return await push.send(message)

    results = await asyncio.gather(*(to(device) for device in devices))
    retired = [
        (device.id, result.reason.lower())
        for device, result in zip(devices, results, strict=True)
        if result.outcome is PushOutcome.RETIRE
    ]
    if any(r.outcome is PushOutcome.SENT for r in results):
        return Sent(Attempt(DeliveryStatus.SENT), retired)
    retries = [r for r in results if r.outcome is PushOutcome.RETRY]
    if retries:
        wait = timedelta(seconds=max((r.retry_after or 0.0) for r in retries))
        return Sent(_failure(runtime, row.attempts + 1, retries[0].reason, wait), retired)
    failed = [r.reason for r in results if r.outcome is PushOutcome.FAILED]
    if failed:
        return Sent(Attempt(DeliveryStatus.FAILED, error=failed[0]), retired)
    return Sent(Attempt(DeliveryStatus.SKIPPED, error="no_device"), retired)


def _failure(runtime: Runtime, attempts: int, error: str, at_least: timedelta | None = None) -> Attempt:
    """A failed try: pending again after the backoff (or ``at_least``), or failed after the last attempt."""
    if attempts >= runtime.settings.notifications.max_attempts:
        return Attempt(DeliveryStatus.FAILED, error=error[:200])
    wait = max(backoff(runtime, attempts), at_least or timedelta(0))
    return Attempt(DeliveryStatus.PENDING, retry_in=wait, error=error[:200])


async def _mark(runtime: Runtime, claimed: list[Row[Any]], results: list[Sent], claimed_at: datetime) -> None:
    """The outcomes of one claim, in one statement on the rows it still holds; dead tokens retired, and the
    sealed values of finished mails wiped."""
    now = runtime.clock.now()
    attempts = [result.attempt for result in results]
    async with runtime.db_config.get_session() as session:
        connection = await connection_of(session)
        await connection.execute(
            "UPDATE notification_deliveries d SET status = o.status,"
            " sent_at = CASE WHEN o.status = 'sent' THEN $5::timestamptz END,"
            " last_error = o.error, next_attempt_at = coalesce(o.retry_at, d.next_attempt_at),"
            " claimed_at = NULL, claimed_by_job = NULL"
            " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS o(id, status, error, retry_at)"
            " WHERE d.id = o.id AND d.status = 'sending' AND d.claimed_at = $6::timestamptz",
            [row.id for row in claimed],
            [str(attempt.status) for attempt in attempts],
            [attempt.error for attempt in attempts],
            [None if attempt.retry_in is None else now + attempt.retry_in for attempt in attempts],
            now,
            claimed_at,
        )
        for result in results:
            for device_id, reason in result.retired:
                await retire(session, device_id, reason, now)
                log.info("push_token_retired", device_id=str(device_id), reason=reason)
        # An email delivery that is done (sent, skipped or failed for good) no longer needs the sealed
        # values: the code and the address go. (Only email deliveries read them.)
        finished = [
            row.notification_id
            for row, attempt in zip(claimed, attempts, strict=True)
            if row.channel == Channel.EMAIL
            and row.sealed is not None
            and attempt.status != DeliveryStatus.PENDING
        ]
        if finished:
            await connection.execute(
                "UPDATE notifications SET sealed = NULL WHERE id = ANY($1::uuid[])", finished
            )
        await session.commit()


# Pending deliveries that are due and that no queued or running ``deliver`` job carries.
LOST = text(
    "WITH queued AS MATERIALIZED ("
    " SELECT unnest(string_to_array(convert_from(payload, 'UTF8'), ','))::uuid AS id FROM pgqueuer"
    " WHERE entrypoint = :entrypoint AND status::text IN ('queued', 'picked'))"
    " SELECT d.id FROM notification_deliveries d"
    " WHERE d.status = 'pending' AND d.next_attempt_at <= :now"
    " AND NOT EXISTS (SELECT FROM queued q WHERE q.id = d.id)"
    " ORDER BY d.next_attempt_at, d.id LIMIT :limit"
)


async def reconcile(runtime: Runtime) -> int:
    """Hand back claims older than the lease (their worker died and their job is gone or stuck), then
    enqueue every pending delivery that is due and that no queued or running job carries; answers how
    many were enqueued, i.e. how many the queue had lost."""
    now = runtime.clock.now()
    lease = timedelta(seconds=runtime.settings.notifications.claim_lease_seconds)
    async with runtime.db_config.get_session() as session:
        expired = await session.execute(
            text(
                "UPDATE notification_deliveries SET status = 'pending', next_attempt_at = :now,"
                " claimed_at = NULL, claimed_by_job = NULL"
                " WHERE status = 'sending' AND claimed_at < :stale RETURNING id"
            ),
            {"now": now, "stale": now - lease},
        )
        if stale := len(expired.all()):
            log.warning("delivery_claims_expired", count=stale)
        due = list(await session.scalars(LOST, {"entrypoint": DELIVER, "now": now, "limit": RECONCILE_BATCH}))
        added = await enqueue(session, DELIVER, due, per_job=DELIVERY_BATCH)
        await session.commit()
    if added:
        log.warning("deliveries_reenqueued", count=added)
    return added
