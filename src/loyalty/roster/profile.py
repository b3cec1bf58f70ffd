"""An employee's profile: their account, and what HR's roster says of them (read-only to them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.core.context import Actor, Principal
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.runtime import Runtime
from loyalty.identity.models import User
from loyalty.identity.schemas import HR_MANAGED_FIELDS, Profile, ProfileUpdate
from loyalty.roster.models import RosterEntry


class ProfileService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def get(self, user_id: UUID) -> Profile:
        user, entry = (
            await self.session.execute(
                select(User, RosterEntry)
                .outerjoin(RosterEntry, RosterEntry.id == User.roster_entry_id)
                .where(User.id == user_id)
            )
        ).one()
        return _profile(user, entry)

    async def update(self, principal: Principal, data: ProfileUpdate, actor: Actor) -> Profile:
        """The account fields a person corrects themselves; HR-managed fields are refused (422)."""
        user_id = principal.user_id
        managed = [name for name in HR_MANAGED_FIELDS if getattr(data, name) is not msgspec.UNSET]
        if managed:
            raise AppError(
                422,
                ErrorCode.FIELD_MANAGED_BY_HR,
                "these fields are kept by HR; file a rectification request to change them",
                errors=[{"field": name, "message": "managed by HR"} for name in managed],
            )
        user = await self.session.get_one(User, user_id, with_for_update=True)
        for name in ("full_name", "phone", "language"):
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(user, name, value.strip() if isinstance(value, str) else value)
        await self.session.flush()
        changed = sorted(k for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET)
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor, "profile_corrected", principal.subject_ref, self.runtime.clock.now(), fields=changed
        )
        return await self.get(user_id)


def _profile(user: User, entry: RosterEntry | None) -> Profile:
    return Profile(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        phone=user.phone,
        language=user.language,
        employee_number=entry.employee_number if entry else None,
        company=entry.company if entry else None,
        department=entry.department if entry else None,
        city=entry.city if entry else None,
        roles=[user.role],
        restricted=user.restricted_at is not None,
        created_at=user.created_at,
    )


def employee_numbers(session: AsyncSession) -> Callable[[UUID], Awaitable[str | None]]:
    """The lookup identity's password rules use to refuse a password that contains the employee number."""

    async def employee_number_of(roster_entry_id: UUID) -> str | None:
        number: str | None = await session.scalar(
            select(RosterEntry.employee_number).where(RosterEntry.id == roster_entry_id)
        )
        return number

    return employee_number_of
