"""Policy versions (draft, published, effective) and consent: what each person accepted, when and how."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.core.context import Actor
from loyalty.core.errors import AppError, ErrorCode, conflict, invalid_field, not_found
from loyalty.core.schemas import Language, LocalizedText
from loyalty.identity.models import User
from loyalty.privacy.models import ConsentRecord, PolicyVersion
from loyalty.privacy.schemas import (
    CORE_PURPOSE,
    ConsentCreate,
    ConsentEvent,
    CurrentPolicy,
    PolicyAdminView,
    PolicyCreate,
    PurposeOut,
)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_policy_query(now: datetime) -> Any:
    return (
        select(PolicyVersion)
        .where(PolicyVersion.published_at.is_not(None), PolicyVersion.effective_at <= now)
        .order_by(PolicyVersion.effective_at.desc(), PolicyVersion.published_at.desc())
        .limit(1)
    )


@dataclass(frozen=True, slots=True)
class PurposeChoice:
    granted: list[str]
    declined: list[str]


def purpose_codes(policy: PolicyVersion) -> dict[str, bool]:
    """Each purpose of ``policy`` and whether it is required."""
    return {str(p["code"]): bool(p["required"]) for p in policy.purposes}


class PolicyService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def create(
        self, data: PolicyCreate, *, actor: Actor, audit: AuditLog, now: datetime
    ) -> PolicyVersion:
        codes = [p.code for p in data.purposes]
        if len(set(codes)) != len(codes):
            raise invalid_field("purposes", "purpose codes must be unique")
        if not any(p.code == CORE_PURPOSE and p.required for p in data.purposes):
            raise invalid_field("purposes", f"a required '{CORE_PURPOSE}' purpose is needed")
        if data.effective_at.tzinfo is None:
            raise invalid_field("effective_at", "an instant with a UTC offset is needed")
        existing = await self.session.scalar(
            select(PolicyVersion.id).where(PolicyVersion.version == data.version)
        )
        if existing is not None:
            raise conflict(f"policy version {data.version} exists already")
        policy = PolicyVersion(
            version=data.version,
            texts={"kk": data.texts.kk, "ru": data.texts.ru, "en": data.texts.en},
            purposes=[
                {
                    "code": p.code,
                    "required": p.required,
                    "title": p.title.as_dict(),
                    "description": p.description.as_dict() if p.description else None,
                }
                for p in data.purposes
            ],
            effective_at=data.effective_at,
        )
        self.session.add(policy)
        await self.session.flush()
        await audit.record(
            actor,
            "policy_created",
            None,
            now,
            policy_version=policy.version,
            effective_at=data.effective_at.isoformat(),
        )
        return policy

    async def publish(self, version: str, now: datetime, *, actor: Actor, audit: AuditLog) -> PolicyVersion:
        policy = await self.session.scalar(
            select(PolicyVersion).where(PolicyVersion.version == version).with_for_update()
        )
        if policy is None:
            raise not_found("policy version")
        if policy.published_at is not None:
            raise AppError(409, ErrorCode.ALREADY_PUBLISHED, f"policy version {version} is published already")
        latest = await self.session.scalar(
            select(PolicyVersion)
            .where(PolicyVersion.published_at.is_not(None))
            .order_by(PolicyVersion.effective_at.desc())
            .limit(1)
        )
        if latest is not None and policy.effective_at <= latest.effective_at:
            # It would never become current: the latest effective_at wins.
            raise conflict(f"effective_at must be later than that of published version {latest.version}")
        policy.published_at = now
        await self.session.flush()
        await audit.record(actor, "policy_published", None, now, policy_version=policy.version)
        return policy

    async def list_all(self) -> list[PolicyVersion]:
        return list(
            await self.session.scalars(select(PolicyVersion).order_by(PolicyVersion.effective_at.desc()))
        )

    async def current(self, now: datetime) -> PolicyVersion | None:
        return cast(PolicyVersion | None, await self.session.scalar(current_policy_query(now)))

    async def require_current(self, now: datetime) -> PolicyVersion:
        policy = await self.current(now)
        if policy is None:
            raise AppError(404, ErrorCode.POLICY_NOT_FOUND, "no privacy policy is in effect yet")
        return policy

    async def require_current_version(self, version: str, now: datetime) -> PolicyVersion:
        """The current policy, provided ``version`` names it; else 409 ``policy_outdated``."""
        policy = await self.current(now)
        if policy is None or policy.version != version:
            raise AppError(
                409,
                ErrorCode.POLICY_OUTDATED,
                "this is not the privacy policy in effect; read and accept the current one",
                policy_version=policy.version if policy else None,
            )
        return policy


def admin_view(policy: PolicyVersion) -> PolicyAdminView:
    return PolicyAdminView(
        id=policy.id,
        version=policy.version,
        effective_at=policy.effective_at,
        published_at=policy.published_at,
        sha256={lang: text_sha256(text) for lang, text in policy.texts.items()},
        purposes=policy.purposes,
        created_at=policy.created_at,
    )


def present_policy(policy: PolicyVersion, language: Language) -> CurrentPolicy:
    text, used = LocalizedText(**policy.texts).pick(language)
    purposes = []
    for purpose in policy.purposes:
        title, _ = LocalizedText(**purpose["title"]).pick(used)
        description = purpose.get("description")
        purposes.append(
            PurposeOut(
                code=purpose["code"],
                required=purpose["required"],
                title=title,
                description=LocalizedText(**description).pick(used)[0] if description else None,
            )
        )
    return CurrentPolicy(
        version=policy.version,
        effective_at=policy.effective_at,
        language=used,
        text=text,
        sha256=text_sha256(text),
        purposes=purposes,
    )


def resolve_choice(policy: PolicyVersion, stated: dict[str, bool], *, require_all: bool) -> PurposeChoice:
    """Check ``stated`` against the policy's purposes: unknown codes are refused; with ``require_all``
    every purpose must be stated, otherwise an unstated optional purpose counts as declined."""
    known = purpose_codes(policy)
    unknown = sorted(set(stated) - set(known))
    if unknown:
        raise invalid_field("purposes", f"unknown purpose {', '.join(unknown)}")
    if require_all and (missing := sorted(set(known) - set(stated))):
        raise invalid_field("purposes", f"say yes or no to {', '.join(missing)}")
    granted = sorted(code for code in known if stated.get(code, False))
    declined = sorted(code for code in known if not stated.get(code, False))
    return PurposeChoice(granted=granted, declined=declined)


class ConsentService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
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
        self.session.add(record)
        user.consented_policy_version_id = policy.id
        user.core_consent = CORE_PURPOSE in choice.granted
        # The grace period before erasure runs from the first withdrawal, not from later re-statements.
        user.core_withdrawn_at = None if user.core_consent else (user.core_withdrawn_at or now)
        await self.session.flush()
        return record

    async def change(
        self,
        user_id: UUID,
        data: ConsentCreate,
        *,
        now: datetime,
        ip: str | None,
        user_agent: str | None,
    ) -> ConsentEvent:
        policy = await PolicyService(self.session).require_current_version(data.policy_version, now)
        user = await self.session.get_one(User, user_id, with_for_update=True)
        choice = resolve_choice(policy, data.purposes, require_all=True)
        record = await self.record(
            user,
            policy,
            choice,
            language=data.language or cast(Language, user.language),
            method="consent_update",
            now=now,
            ip=ip,
            user_agent=user_agent,
        )
        return consent_event(record, policy.version)

    async def history(
        self, user_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None
    ) -> list[ConsentEvent]:
        query = (
            select(ConsentRecord, PolicyVersion.version)
            .join(PolicyVersion, PolicyVersion.id == ConsentRecord.policy_version_id)
            .where(ConsentRecord.user_id == user_id)
            .order_by(ConsentRecord.created_at.desc(), ConsentRecord.id.desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(
                (ConsentRecord.created_at < before[0])
                | ((ConsentRecord.created_at == before[0]) & (ConsentRecord.id < before[1]))
            )
        rows = await self.session.execute(query)
        return [consent_event(record, version) for record, version in rows]


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
