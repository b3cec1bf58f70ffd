"""Which companies an HR admin works on: one :class:`HrScope` per request, loaded once by the
``hr_scope`` dependency, and turned into the SQL condition every HR query adds for its company column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.di import NamedDependency
from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.companies.models import Company, StaffCompanyScope
from loyalty.companies.schemas import HrScopeOut
from loyalty.core.access import Role
from loyalty.core.context import Principal
from loyalty.identity.models import User


@dataclass(frozen=True, slots=True)
class HrScope:
    """Group-wide, or the named companies. Fails closed: not group-wide with no companies admits nothing."""

    group_wide: bool
    companies: frozenset[str] = frozenset()

    def view(self, user_id: Any) -> HrScopeOut:
        return HrScopeOut(user_id=user_id, group_wide=self.group_wide, companies=sorted(self.companies))

    def admits(self, company: str | None) -> bool:
        return self.group_wide or (company is not None and company in self.companies)

    def condition(self, company_column: Any) -> ColumnElement[bool]:
        """The WHERE clause that keeps rows whose ``company_column`` (a company name) is in the scope."""
        if self.group_wide:
            return true()
        if not self.companies:
            return false()
        return company_column.in_(sorted(self.companies))  # type: ignore[no-any-return]


GROUP_WIDE = HrScope(group_wide=True)
NOTHING = HrScope(group_wide=False)


async def _company_names(session: AsyncSession, user_ids: list[Any]) -> dict[Any, set[str]]:
    """The companies each of ``user_ids`` is scoped to, in one query."""
    names: dict[Any, set[str]] = {user_id: set() for user_id in user_ids}
    if names:
        rows = await session.execute(
            select(StaffCompanyScope.user_id, Company.name)
            .join(Company, Company.id == StaffCompanyScope.company_id)
            .where(StaffCompanyScope.user_id.in_(list(names)))
        )
        for user_id, name in rows:
            names[user_id].add(name)
    return names


async def load_hr_scope(session: AsyncSession, user_id: Any) -> HrScope:
    group_wide = await session.scalar(
        select(User.hr_group_wide).where(User.id == user_id, User.role == Role.HR_ADMIN)
    )
    if group_wide is None:
        return NOTHING
    if group_wide:
        return GROUP_WIDE
    return HrScope(group_wide=False, companies=frozenset((await _company_names(session, [user_id]))[user_id]))


async def hr_scopes_of(session: AsyncSession, users: list[User]) -> dict[Any, HrScope]:
    """The scopes of these users who are HR admins, in one query (for lists of staff accounts)."""
    hr_admins = [user for user in users if user.role == Role.HR_ADMIN]
    names = await _company_names(session, [user.id for user in hr_admins if not user.hr_group_wide])
    return {
        user.id: GROUP_WIDE if user.hr_group_wide else HrScope(False, frozenset(names[user.id]))
        for user in hr_admins
    }


async def provide_hr_scope(
    principal: NamedDependency[Principal], db_session: NamedDependency[AsyncSession]
) -> HrScope:
    """The caller's scope; anyone but an HR admin gets the scope that admits nothing."""
    if principal.role is not Role.HR_ADMIN:
        return NOTHING
    return await load_hr_scope(db_session, principal.user_id)


HrScopeDep = NamedDependency[HrScope]
