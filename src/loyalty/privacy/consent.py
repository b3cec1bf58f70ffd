"""Consent: what each person accepted of which policy version, when, in which language and how.
Records are append-only (a trigger refuses changes); a change of mind is a new record."""

from __future__ import annotations

from datetime import datetime
from typing import cast
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.core.context import Actor, Origin, Principal
from loyalty.core.persistence import newest_first
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language, LocalizedText, Page
from loyalty.identity.models import User
from loyalty.privacy.models import ConsentRecord, PolicyVersion
from loyalty.privacy.policies import PolicyService, PurposeChoice, resolve_choice, text_sha256
from loyalty.privacy.schemas import CORE_PURPOSE, MARKETING_PURPOSE, ConsentCreate, ConsentEvent

CONSENT_CURSOR = "consents"


async def record_consent(
    session: AsyncSession,
    user: User,
    policy: PolicyVersion,
    choice: PurposeChoice,
    *,
    language: Language,
    method: str,
    now: datetime,
    ip: str | None,
    user_agent: str | None,
) -> ConsentRecord:
    shown_text, shown_language = LocalizedText(**policy.texts).pick(language)
    record = ConsentRecord(
        user_id=user.id,
        subject_ref=user.subject_ref,
        policy_version_id=policy.id,
        language=shown_language,
        text_sha256=text_sha256(shown_text),
        purposes_granted=choice.granted,
        purposes_declined=choice.declined,
        method=method,
        created_at=now,
        ip=ip,
        user_agent=user_agent,
    )
    session.add(record)
    user.consented_policy_version_id = policy.id
    user.core_consent = CORE_PURPOSE in choice.granted
    user.marketing_consent = MARKETING_PURPOSE in choice.granted
    # The grace period before erasure runs from the first withdrawal, not from later re-statements.
    user.core_withdrawn_at = None if user.core_consent else (user.core_withdrawn_at or now)
    await session.flush()
    return record


class ConsentService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def change(
        self, principal: Principal, data: ConsentCreate, origin: Origin, actor: Actor
    ) -> ConsentEvent:
        """A new statement of consent to the policy in effect (409 ``policy_outdated`` for another)."""
        now = self.runtime.clock.now()
        policy = await PolicyService(self.session, self.runtime).require_current_version(
            data.policy_version, now
        )
        user = await self.session.get_one(User, principal.user_id, with_for_update=True)
        choice = resolve_choice(policy, data.purposes, require_all=True)
        record = await record_consent(
            self.session,
            user,
            policy,
            choice,
            language=data.language or cast(Language, user.language),
            method="consent_update",
            now=now,
            ip=origin.ip,
            user_agent=origin.user_agent,
        )
        event = consent_event(record, policy.version)
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor, "consent_changed", principal.subject_ref, now, purposes=event.purposes
        )
        return event

    async def history(self, user_id: UUID, *, limit: int, cursor: str | None) -> Page[ConsentEvent]:
        """My consent records, newest first."""
        query = newest_first(
            select(ConsentRecord, PolicyVersion.version)
            .join(PolicyVersion, PolicyVersion.id == ConsentRecord.policy_version_id)
            .where(ConsentRecord.user_id == user_id),
            ConsentRecord.created_at,
            ConsentRecord.id,
            self.runtime.cursors.decode(CONSENT_CURSOR, cursor) if cursor else None,
            limit,
        )
        rows = [consent_event(record, version) for record, version in await self.session.execute(query)]
        items, next_cursor = self.runtime.cursors.page(
            CONSENT_CURSOR, rows, limit, lambda last: [last.created_at.isoformat(), str(last.id)]
        )
        return Page(items=items, next_cursor=next_cursor)


def consent_event(record: ConsentRecord, version: str) -> ConsentEvent:
    purposes = {code: True for code in record.purposes_granted} | {
        code: False for code in record.purposes_declined
    }
    return ConsentEvent(
        id=record.id,
        policy_version=version,
        event="given" if CORE_PURPOSE in record.purposes_granted else "withdrawn",
        purposes=dict(sorted(purposes.items())),
        method=record.method,
        language=record.language,
        text_sha256=record.text_sha256,
        created_at=record.created_at,
        ip=record.ip,
        user_agent=record.user_agent,
    )
