"""Policy versions (draft, published, effective), how they read in each language, and the purposes a
person can say yes or no to."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.core.context import Actor
from loyalty.core.errors import AppError, ErrorCode, conflict, invalid_field, not_found
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language, LocalizedText
from loyalty.identity.models import User
from loyalty.notifications.services import NotificationService
from loyalty.notifications.topics import Topic
from loyalty.privacy.models import PolicyVersion
from loyalty.privacy.schemas import (
    CORE_PURPOSE,
    CurrentPolicy,
    PolicyAdminView,
    PolicyCreate,
    PurposeOut,
    UpcomingPolicy,
)
from loyalty.roster.people import working_employees

POLICY_CHANGE_TEMPLATE = "policy_change"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_policy_query(now: datetime | ColumnElement[datetime]) -> Any:
    return (
        select(PolicyVersion)
        .where(PolicyVersion.published_at.is_not(None), PolicyVersion.effective_at <= now)
        .order_by(PolicyVersion.effective_at.desc(), PolicyVersion.published_at.desc())
        .limit(1)
    )


def upcoming_policy_query(now: datetime) -> Any:
    """The next published version to take effect after ``now`` (the one people will be asked to accept)."""
    return (
        select(PolicyVersion)
        .where(PolicyVersion.published_at.is_not(None), PolicyVersion.effective_at > now)
        .order_by(PolicyVersion.effective_at, PolicyVersion.published_at)
        .limit(1)
    )


def affected_by(policy: PolicyVersion) -> Select[Any]:
    """Who a version will affect: employees with a live account (active, on the roster as employed; erased
    people have no account any more) whose consent is tied to a version it supersedes, i.e. one that takes
    effect before it. Staff and partner admins give no consent and are never in it."""
    superseded = select(PolicyVersion.id).where(
        PolicyVersion.published_at.is_not(None),
        PolicyVersion.effective_at < policy.effective_at,
        PolicyVersion.id != policy.id,
    )
    return working_employees(User.consented_policy_version_id.in_(superseded)).order_by(User.id)


@dataclass(frozen=True, slots=True)
class PurposeChoice:
    granted: list[str]
    declined: list[str]


def purpose_codes(policy: PolicyVersion) -> dict[str, bool]:
    """Each purpose of ``policy`` and whether it is required."""
    return {str(p["code"]): bool(p["required"]) for p in policy.purposes}


class PolicyService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def create(self, data: PolicyCreate, actor: Actor) -> PolicyAdminView:
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
            summary={"kk": data.summary.kk, "ru": data.summary.ru, "en": data.summary.en}
            if data.summary
            else None,
        )
        self.session.add(policy)
        await self.session.flush()
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor,
            "policy_created",
            None,
            self.runtime.clock.now(),
            policy_version=policy.version,
            effective_at=data.effective_at.isoformat(),
        )
        return admin_view(policy)

    async def publish(self, version: str, actor: Actor) -> PolicyAdminView:
        now = self.runtime.clock.now()
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
        announced = await self.announce(policy) if policy.effective_at > now else None
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor, "policy_published", None, now, policy_version=policy.version, announced_to=announced
        )
        return admin_view(policy, announced_to=announced)

    async def announce(self, policy: PolicyVersion) -> int:
        """Tell everyone ``policy`` will affect (:func:`affected_by`) that it is coming and what changed, in
        this transaction: the announcement commits with the publication or not at all."""
        summary = policy.summary or {}
        users = list(await self.session.scalars(affected_by(policy)))
        return await NotificationService(self.session, self.runtime).notify_many(
            users,
            Topic.POLICY_CHANGES,
            POLICY_CHANGE_TEMPLATE,
            {
                "version": policy.version,
                "effective_on": policy.effective_at.date().isoformat(),
                **{f"summary_{lang}": summary.get(lang, "") for lang in ("kk", "ru", "en")},
            },
        )

    async def upcoming_text(self, language: Language) -> UpcomingPolicy:
        """The published version that takes effect next, in ``language``; 404 ``policy_not_found``."""
        policy = await self.session.scalar(upcoming_policy_query(self.runtime.clock.now()))
        if policy is None:
            raise AppError(404, ErrorCode.POLICY_NOT_FOUND, "no privacy policy version is scheduled")
        current = present_policy(policy, language)
        summary = LocalizedText(**policy.summary).pick(current.language)[0] if policy.summary else None
        return UpcomingPolicy(**{f: getattr(current, f) for f in current.__struct_fields__}, summary=summary)

    async def list_all(self) -> list[PolicyAdminView]:
        policies = await self.session.scalars(
            select(PolicyVersion).order_by(PolicyVersion.effective_at.desc())
        )
        return [admin_view(policy) for policy in policies]

    async def current_text(self, language: Language) -> CurrentPolicy:
        """The policy in effect, in ``language`` (or the closest we have); 404 ``policy_not_found``."""
        return present_policy(await self.require_current(self.runtime.clock.now()), language)

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


def admin_view(policy: PolicyVersion, *, announced_to: int | None = None) -> PolicyAdminView:
    return PolicyAdminView(
        id=policy.id,
        version=policy.version,
        effective_at=policy.effective_at,
        published_at=policy.published_at,
        sha256={lang: text_sha256(text) for lang, text in policy.texts.items()},
        purposes=policy.purposes,
        created_at=policy.created_at,
        summary=policy.summary,
        announced_to=announced_to,
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
