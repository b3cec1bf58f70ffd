"""Admins invite staff (`/admin/users`) and manage staff accounts (`/admin/staff`)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, Parameter

from loyalty.core.access import Role, allow
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import ActorDep, Caller, Db, RuntimeDep, service
from loyalty.core.errors import ErrorCode
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.flows.erasure import erase_staff_account
from loyalty.staff.accounts import StaffAccountService
from loyalty.staff.schemas import StaffAccount, StaffAccountErased, StaffInvite, StaffUser
from loyalty.staff.services import StaffService

ADMIN = allow(Role.ADMIN)


def provide_staff_account_service(
    db_session: Db, runtime: RuntimeDep, actor: ActorDep, principal: Caller
) -> StaffAccountService:
    return StaffAccountService(db_session, runtime, actor, principal.user_id)


StaffAccountsDep = NamedDependency[StaffAccountService]


class AdminStaffController(Controller):
    path = "/admin/staff"
    tags = ["admin-staff"]
    dependencies = {"staff_accounts": Provide(provide_staff_account_service, sync_to_thread=False)}

    @get("", operation_id="listStaff", opt=ADMIN)
    async def list_accounts(
        self,
        staff_accounts: StaffAccountsDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        role: Literal["hr_admin", "partner_admin", "admin"] | None = Parameter(default=None),
        status: Literal["invited", "active", "disabled"] | None = Parameter(default=None),
        partner_id: UUID | None = Parameter(default=None),
    ) -> Page[StaffAccount]:
        return await staff_accounts.list_accounts(
            limit=limit, cursor=cursor, role=role, status=status, partner_id=partner_id
        )

    @post(
        "/{user_id:uuid}/disable",
        operation_id="disableStaff",
        opt=ADMIN | fails_with(ErrorCode.OWN_ACCOUNT, ErrorCode.LAST_ADMIN),
        status_code=200,
    )
    async def disable(self, user_id: FromPath[UUID], staff_accounts: StaffAccountsDep) -> StaffAccount:
        """Status `disabled`; every session of the account ends at once. Not your own account
        (409 `own_account`), not the last active admin (409 `last_admin`)."""
        return await staff_accounts.disable(user_id)

    @post("/{user_id:uuid}/enable", operation_id="enableStaff", opt=ADMIN, status_code=200)
    async def enable(self, user_id: FromPath[UUID], staff_accounts: StaffAccountsDep) -> StaffAccount:
        """A disabled account becomes `active` again, or `invited` if it never set a password."""
        return await staff_accounts.enable(user_id)

    @delete(
        "/{user_id:uuid}",
        operation_id="eraseStaff",
        opt=ADMIN | fails_with(ErrorCode.OWN_ACCOUNT, ErrorCode.LAST_ADMIN),
        status_code=202,
    )
    async def erase(self, user_id: FromPath[UUID], staff_accounts: StaffAccountsDep) -> StaffAccountErased:
        """Erase the account as a person's data is erased. Same rules as disabling."""
        return StaffAccountErased(
            status="erased", subject_ref=await erase_staff_account(staff_accounts, user_id)
        )


class AdminUserController(Controller):
    path = "/admin/users"
    tags = ["admin-staff"]
    dependencies = {"staff": service(StaffService)}

    @post(
        "",
        operation_id="inviteStaff",
        opt=allow(Role.ADMIN) | fails_with(ErrorCode.CONFLICT, ErrorCode.UNKNOWN_COMPANY),
    )
    async def invite(
        self,
        actor: ActorDep,
        data: JSONBody[StaffInvite],
        staff: NamedDependency[StaffService],
    ) -> StaffUser:
        """Invite a staff user; an `hr_admin` with `companies` works on those companies only."""
        return await staff.invite(data, actor)
