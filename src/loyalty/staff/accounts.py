"""The lifecycle of staff accounts (HR admins, partner admins, admins) as admins manage it: list,
disable, enable, erase. Employees are not staff: their accounts follow HR's roster and are not found here.

The rule that some admin stays active is kept by row locks, not by counting: every change that can take
an admin away first locks all active admins' rows in id order (``FOR NO KEY UPDATE``, so logins' session
inserts are not held up), then decides. Two admins disabling each other at once queue on the first row;
the second sees the first's change and is refused.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.companies.scope import HrScope, hr_scopes_of
from loyalty.core.access import Role
from loyalty.core.context import Actor
from loyalty.core.errors import AppError, ErrorCode, conflict, not_found
from loyalty.core.persistence import after, get_or_404
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.identity.models import AccountStatus, OneTimeCode, User
from loyalty.identity.services import SessionService
from loyalty.staff.schemas import StaffAccount

STAFF_ACCOUNT_ROLES = (Role.HR_ADMIN, Role.PARTNER_ADMIN, Role.ADMIN)
CURSOR_SCOPE = "staff-accounts"


class StaffAccountService:
    """Every method acts for ``caller_id``, the admin behind ``actor``."""

    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor, caller_id: UUID) -> None:
        self.session = session
        self.runtime = runtime
        self.actor = actor
        self.caller_id = caller_id

    async def _audit(self, action: str, subject_ref: str | None, **details: Any) -> None:
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor, action, subject_ref, self.runtime.clock.now(), **details
        )

    async def list_accounts(
        self,
        *,
        limit: int,
        cursor: str | None,
        role: str | None,
        status: str | None,
        partner_id: UUID | None,
    ) -> Page[StaffAccount]:
        """Newest first; one audit event names every account the page showed."""
        cursors = self.runtime.cursors
        query = (
            select(User).where(User.role.in_(STAFF_ACCOUNT_ROLES)).order_by(User.id.desc()).limit(limit + 1)
        )
        if cursor:
            (before,) = cursors.decode(CURSOR_SCOPE, cursor)
            query = query.where(after([User.id], [UUID(str(before))], descending=True))
        if role:
            query = query.where(User.role == role)
        if status:
            query = query.where(User.status == status)
        if partner_id:
            query = query.where(User.partner_id == partner_id)
        page, next_cursor = cursors.page(
            CURSOR_SCOPE, list(await self.session.scalars(query)), limit, lambda last: [str(last.id)]
        )
        await self._audit("staff_accounts_listed", None, subjects=[user.subject_ref for user in page])
        scopes = await hr_scopes_of(self.session, page)
        return Page(
            items=[staff_account_view(user, scopes.get(user.id)) for user in page], next_cursor=next_cursor
        )

    async def disable(self, user_id: UUID) -> StaffAccount:
        """The account stops working at once: status ``disabled`` and every session ended."""
        await self._require(user_id)
        self._refuse_own(user_id, "disable")
        user = await self._lock_for_removal(user_id)
        if user.status != AccountStatus.DISABLED:
            previous = user.status
            user.status = AccountStatus.DISABLED
            await self.session.flush()
            await SessionService(self.session, self.runtime).revoke_all(user.id, reason="disabled")
            # A pending invitation or reset code must not come back to life when the account is enabled.
            await self.session.execute(
                update(OneTimeCode)
                .where(OneTimeCode.user_id == user.id, OneTimeCode.consumed_at.is_(None))
                .values(consumed_at=self.runtime.clock.now())
            )
            await self._audit("staff_account_disabled", user.subject_ref, role=user.role, previous=previous)
        return staff_account_view(user)

    async def enable(self, user_id: UUID) -> StaffAccount:
        """A disabled account works again: ``active`` if it has a password, else ``invited`` (it sets one
        with a password-reset code)."""
        user = await self._require(user_id, lock=True)
        if user.status == AccountStatus.DISABLED:
            user.status = AccountStatus.ACTIVE if user.password_hash is not None else AccountStatus.INVITED
            await self.session.flush()
            await self._audit("staff_account_enabled", user.subject_ref, role=user.role, status=user.status)
        return staff_account_view(user)

    async def lock_for_erasure(self, user_id: UUID) -> None:
        """Refuse what disabling refuses (your own account, the last active admin) and hold the locks
        until the erasure commits."""
        await self._require(user_id)
        self._refuse_own(user_id, "erase")
        await self._lock_for_removal(user_id)

    async def _require(self, user_id: UUID, *, lock: bool = False) -> User:
        return await get_or_404(
            self.session,
            User,
            User.id == user_id,
            User.role.in_(STAFF_ACCOUNT_ROLES),
            what="staff account",
            lock=lock,
            key_share=True,
        )

    def _refuse_own(self, user_id: UUID, verb: str) -> None:
        if user_id == self.caller_id:
            raise conflict(f"you cannot {verb} your own account", ErrorCode.OWN_ACCOUNT)

    async def _lock_for_removal(self, user_id: UUID) -> User:
        """Lock every active admin (in id order), then the target; refuse when the target is the last
        active admin or the caller was disabled meanwhile (both only happen in a race: the caller is an
        active admin other than the target when the guard lets them in)."""
        active_admins = list(
            await self.session.scalars(
                select(User.id)
                .where(User.role == Role.ADMIN, User.status == AccountStatus.ACTIVE)
                .order_by(User.id)
                .with_for_update(key_share=True)
            )
        )
        user = await self.session.scalar(
            select(User)
            .where(User.id == user_id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
        if user is None:
            raise not_found("staff account")
        if active_admins == [user.id]:
            raise conflict("this is the last active admin", ErrorCode.LAST_ADMIN)
        # The guard let the caller in before these locks were taken; another admin may have disabled
        # them since. A disabled admin changes nothing.
        if self.caller_id not in active_admins:
            raise AppError(401, ErrorCode.NOT_AUTHENTICATED, "your account was disabled meanwhile")
        return user


def staff_account_view(user: User, scope: HrScope | None = None) -> StaffAccount:
    return StaffAccount(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,  # type: ignore[arg-type]
        status=user.status,  # type: ignore[arg-type]
        partner_id=user.partner_id,
        last_login_at=user.last_login_at,
        created_at=user.created_at,
        hr_scope=None if scope is None else scope.view(user.id),
    )
