"""Retention: erase what has served its purpose, by the periods in ``LOYALTY_PRIVACY_*``.

Run by ``loyalty retention run`` and by the job worker on ``LOYALTY_PRIVACY_RETENTION_SCHEDULE``
(``loyalty.worker``: pgqueuer runs a schedule once across all workers). A transaction-scoped advisory
lock makes a run exclusive besides, so a manual run and a scheduled one cannot overlap: one works, the
other skips.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import delete, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.models import AuditEvent
from loyalty.core.context import SYSTEM_ACTOR
from loyalty.core.idempotency import IdempotencyKey
from loyalty.core.runtime import Runtime
from loyalty.identity.models import AuthSession, CodePurpose, OneTimeCode, User
from loyalty.notifications.models import (
    Channel,
    DeliveryStatus,
    Notification,
    NotificationDelivery,
    PushDevice,
)
from loyalty.privacy.rights import erase, erase_person, find_roster_person
from loyalty.roster.models import EmploymentStatus, RosterEntry

RETENTION_LOCK = 0x524554454E54  # "RETENT"
ERASE_BATCH = 500
JOB_LOG_RETENTION = timedelta(days=30)
log = structlog.get_logger("loyalty.retention")


async def run_retention(runtime: Runtime) -> dict[str, int] | None:
    """What was removed, by kind; None when another instance holds the run."""
    async with runtime.db_config.get_session() as session:
        if not await session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": RETENTION_LOCK}):
            return None
        report = await _run(session, runtime)
        await session.commit()
    log.info("retention_run", **report)
    return report


async def _run(session: AsyncSession, runtime: Runtime) -> dict[str, int]:
    return await _erase_people(session, runtime) | await _delete_expired(session, runtime)


async def _erase_people(session: AsyncSession, runtime: Runtime) -> dict[str, int]:
    """People whose data has served its purpose, erased through the registry like any erasure."""
    now = runtime.clock.now()
    rules = runtime.settings.privacy
    report: dict[str, int] = {}

    left_before = now - timedelta(days=rules.terminated_retention_days)
    departed = list(
        await session.scalars(
            select(User.id)
            .join(RosterEntry, RosterEntry.id == User.roster_entry_id)
            .where(RosterEntry.status == EmploymentStatus.TERMINATED, RosterEntry.terminated_at < left_before)
            .limit(ERASE_BATCH)
        )
    )
    withdrawn = list(
        await session.scalars(
            select(User.id)
            .where(
                User.core_consent.is_(False),
                User.core_withdrawn_at < now - timedelta(days=rules.core_withdrawal_grace_days),
            )
            .limit(ERASE_BATCH)
        )
    )
    for user_id in departed:
        await erase(session, runtime, user_id, SYSTEM_ACTOR, reason="retention: employment ended")
    for user_id in set(withdrawn) - set(departed):
        await erase(session, runtime, user_id, SYSTEM_ACTOR, reason="retention: core consent withdrawn")
    report["accounts_of_departed_employees"] = len(departed)
    report["accounts_without_core_consent"] = len(set(withdrawn) - set(departed))

    # Someone who left without an account is erased through the registry too, so what else points at
    # their roster entry (a request HR filed for them, its notes) goes with it.
    departed_entries = list(
        await session.scalars(
            select(RosterEntry.id)
            .where(
                RosterEntry.status == EmploymentStatus.TERMINATED,
                RosterEntry.terminated_at < left_before,
                ~select(User.id).where(User.roster_entry_id == RosterEntry.id).exists(),
            )
            .limit(ERASE_BATCH)
        )
    )
    for entry_id in departed_entries:
        person = await find_roster_person(session, entry_id, lock=True)
        await erase_person(session, runtime, person, SYSTEM_ACTOR, reason="retention: employment ended")
    report["roster_entries_of_departed_employees"] = len(departed_entries)
    return report


def _delivery(notification_id: Any, condition: Any) -> Any:
    return (
        select(NotificationDelivery.id)
        .where(NotificationDelivery.notification_id == notification_id, condition)
        .exists()
    )


async def _delete_expired(session: AsyncSession, runtime: Runtime) -> dict[str, int]:
    """Records kept only for a while: codes, read notifications, sessions, idempotency keys, old audit
    events."""
    now = runtime.clock.now()
    rules = runtime.settings.privacy
    report: dict[str, int] = {}

    async def removed(statement: Any) -> int:
        return len((await session.execute(statement)).all())

    report["unverified_registrations"] = await removed(
        delete(OneTimeCode)
        .where(
            OneTimeCode.purpose == CodePurpose.REGISTRATION,
            OneTimeCode.consumed_at.is_(None),
            OneTimeCode.created_at < now - timedelta(hours=rules.unverified_registration_hours),
        )
        .returning(OneTimeCode.id)
    )
    # A used registration code still holds what the person typed (and a collision marker that the
    # contested-registration window reads), so it goes once that window has passed.
    report["used_registration_codes"] = await removed(
        delete(OneTimeCode)
        .where(
            OneTimeCode.purpose == CodePurpose.REGISTRATION,
            OneTimeCode.consumed_at
            < now - timedelta(hours=runtime.settings.auth.contested_registration_hours),
        )
        .returning(OneTimeCode.id)
    )
    report["spent_codes"] = await removed(
        delete(OneTimeCode)
        .where(
            or_(OneTimeCode.consumed_at.is_not(None), OneTimeCode.expires_at < now),
            OneTimeCode.purpose != CodePurpose.REGISTRATION,
        )
        .returning(OneTimeCode.id)
    )
    report["read_notifications"] = await removed(
        delete(Notification)
        .where(
            Notification.read_at < now - timedelta(days=runtime.settings.notifications.read_retention_days)
        )
        .returning(Notification.id)
    )
    # A mail that never showed in an inbox (a code, an invitation) is never read: it goes once it is done
    # (sent, or failed for good) and as old as read items may get.
    report["finished_mails"] = await removed(
        delete(Notification)
        .where(
            Notification.created_at
            < now - timedelta(days=runtime.settings.notifications.read_retention_days),
            ~_delivery(Notification.id, NotificationDelivery.channel == Channel.INBOX),
            ~_delivery(Notification.id, NotificationDelivery.status == DeliveryStatus.PENDING),
        )
        .returning(Notification.id)
    )
    report["retired_push_devices"] = await removed(
        delete(PushDevice).where(PushDevice.retired_at.is_not(None)).returning(PushDevice.id)
    )
    # The job queue's own history (job ids, statuses, tracebacks) is kept for a month of troubleshooting;
    # pgqueuer folds it into per-second counts but never deletes it.
    report["job_log_entries"] = await removed(
        text("DELETE FROM pgqueuer_log WHERE created < :before RETURNING id").bindparams(
            before=now - JOB_LOG_RETENTION
        )
    )
    report["ended_sessions"] = await removed(
        delete(AuthSession).where(AuthSession.expires_at < now).returning(AuthSession.id)
    )
    report["idempotency_keys"] = await removed(
        delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now).returning(IdempotencyKey.key)
    )
    await session.execute(text("SELECT set_config('loyalty.audit_maintenance', 'on', true)"))
    report["audit_events"] = await removed(
        delete(AuditEvent)
        .where(AuditEvent.at < now - timedelta(days=rules.audit_retention_days))
        .returning(AuditEvent.seq)
    )
    return report
