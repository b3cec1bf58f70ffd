"""Inviting staff: an account without a password and the mailed code that sets one; an HR admin's scope."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.companies.services import HrScopeService
from loyalty.core.access import Role
from loyalty.core.context import SYSTEM_ACTOR, Actor
from loyalty.core.emails import normalize_email
from loyalty.core.errors import conflict, invalid_field
from loyalty.core.persistence import insert_or_conflict, to_struct
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language
from loyalty.identity.models import AccountStatus, CodePurpose, User
from loyalty.identity.passwords import check_password_strength
from loyalty.identity.services import CodeService
from loyalty.notifications.services import NotificationService
from loyalty.staff.schemas import StaffInvite, StaffUser


class StaffService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.codes = CodeService(session, runtime)

    async def invite(self, data: StaffInvite, actor: Actor = SYSTEM_ACTOR) -> StaffUser:
        """An HR admin is group-wide unless ``companies`` names the companies they work on."""
        email = normalize_email(data.email)
        role = Role(data.role)
        if role is not Role.HR_ADMIN and data.companies is not None:
            raise invalid_field("companies", "only an HR admin works on chosen companies")
        scoped = role is Role.HR_ADMIN
        user = await self._invite(
            email,
            data.full_name.strip(),
            role,
            data.language,
            **({"hr_group_wide": data.companies is None} if scoped else {}),
        )
        scope = None
        if scoped:
            scope = await HrScopeService(self.session, self.runtime, actor).assign(
                user, group_wide=data.companies is None, companies=data.companies or [], field="companies"
            )
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor,
            "staff_invited",
            user.subject_ref,
            self.runtime.clock.now(),
            role=role.value,
            **({"group_wide": scope.group_wide, "companies": scope.companies} if scope else {}),
        )
        view = staff_view(user)
        view.hr_scope = scope
        return view

    async def invite_user(
        self, email: str, full_name: str, role: Role, language: Language, **attributes: Any
    ) -> StaffUser:
        """Create an account without a password and mail the code that sets one."""
        return staff_view(await self._invite(email, full_name, role, language, **attributes))

    async def _invite(
        self, email: str, full_name: str, role: Role, language: Language, **attributes: Any
    ) -> User:
        user = User(
            email=email,
            full_name=full_name,
            role=role,
            status=AccountStatus.INVITED,
            language=language,
            **attributes,
        )
        await insert_or_conflict(self.session, user, "an account with this email exists already")
        hours = self.runtime.settings.auth.invitation_ttl_hours
        code = await self.codes.issue(
            CodePurpose.PASSWORD_RESET, email, ttl=timedelta(hours=hours), user_id=user.id
        )
        await NotificationService(self.session, self.runtime).mail(
            "invitation",
            {"role": role.value, "minutes": hours * 60},
            user_id=user.id,
            secret={"code": code},
        )
        return user

    async def create_admin(self, email_raw: str, full_name: str, password: str) -> User:
        email = normalize_email(email_raw)
        check_password_strength(password, email=email)
        if await self.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise conflict("an account with this email exists already")
        user = User(
            email=email,
            full_name=full_name,
            role=Role.ADMIN,
            status=AccountStatus.ACTIVE,
            password_hash=await self.runtime.hasher.hash(password),
        )
        self.session.add(user)
        await self.session.flush()
        return user


def staff_view(user: User) -> StaffUser:
    return to_struct(StaffUser, user)
