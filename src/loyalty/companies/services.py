"""The group's companies (admins create and rename them) and HR admins' company scopes.

A company is named by its ``name`` everywhere else: roster entries through a foreign key with
``ON UPDATE CASCADE``, offers' eligibility arrays by validation on write and a rewrite on rename
(``loyalty.flows.company_rename``).
A writer that names companies locks them ``FOR KEY SHARE`` while it checks them, so a rename either
waits for its commit (and then rewrites what it wrote) or wins first (and the writer sees the name gone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.companies.models import Company, StaffCompanyScope
from loyalty.companies.schemas import CompanyIn, CompanyOut, CompanyPatch, HrScopeIn, HrScopeOut
from loyalty.companies.scope import hr_scopes_of
from loyalty.core.access import Role
from loyalty.core.context import SYSTEM_ACTOR, Actor
from loyalty.core.errors import AppError, ErrorCode, conflict, invalid_field
from loyalty.core.persistence import after, conflict_on_violation, get_or_404, insert_or_conflict, to_struct
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.identity.models import User

CURSOR_SCOPE = "companies"


def unknown_companies(names: Iterable[str], field: str) -> AppError:
    missing = sorted(set(names))
    return AppError(
        422,
        ErrorCode.UNKNOWN_COMPANY,
        f"no company is called {', '.join(missing)}",
        errors=[{"field": field, "message": f"unknown company: {name}"} for name in missing],
    )


async def lock_companies(session: AsyncSession, names: Iterable[str]) -> dict[str, UUID]:
    """The ids of the companies called ``names`` that exist, each locked against a rename until commit."""
    wanted = sorted(set(names))
    if not wanted:
        return {}
    rows = await session.execute(
        select(Company.name, Company.id)
        .where(Company.name.in_(wanted))
        .with_for_update(read=True, key_share=True)
    )
    return {name: company_id for name, company_id in rows}


async def require_companies(session: AsyncSession, names: Iterable[str], field: str) -> dict[str, UUID]:
    """Like :func:`lock_companies`, but every name must exist: 422 ``unknown_company`` names the rest."""
    wanted = set(names)
    found = await lock_companies(session, wanted)
    if missing := wanted - found.keys():
        raise unknown_companies(missing, field)
    return found


async def ensure_companies(session: AsyncSession, names: Iterable[str]) -> list[str]:
    """Create the companies among ``names`` that do not exist yet (group-wide HR naming a new one);
    answers the names it created."""
    wanted = sorted(set(names))
    if not wanted:
        return []
    created = await session.scalars(
        pg_insert(Company)
        .values([{"name": name} for name in wanted])
        .on_conflict_do_nothing(index_elements=[Company.name])
        .returning(Company.name)
    )
    return sorted(created)


def company_view(company: Company) -> CompanyOut:
    return to_struct(CompanyOut, company)


@dataclass(frozen=True, slots=True)
class Renaming:
    """A company renamed but not yet recorded: what :meth:`CompanyService.record_rename` audits."""

    company: Company
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new


class CompanyService:
    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor = SYSTEM_ACTOR) -> None:
        self.session = session
        self.runtime = runtime
        self.actor = actor

    async def _audit(self, action: str, **details: object) -> None:
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor, action, None, self.runtime.clock.now(), **details
        )

    async def list_companies(self, *, limit: int, cursor: str | None) -> Page[CompanyOut]:
        cursors = self.runtime.cursors
        query = select(Company).order_by(Company.name).limit(limit + 1)
        if cursor:
            (last_name,) = cursors.decode(CURSOR_SCOPE, cursor)
            query = query.where(after([Company.name], [str(last_name)], descending=False))
        page, next_cursor = cursors.page(
            CURSOR_SCOPE, list(await self.session.scalars(query)), limit, lambda last: [last.name]
        )
        return Page(items=[company_view(company) for company in page], next_cursor=next_cursor)

    async def create(self, data: CompanyIn) -> CompanyOut:
        company = await insert_or_conflict(
            self.session, Company(name=data.name.strip()), "a company with this name exists already"
        )
        await self._audit("company_created", company_id=company.id, name=company.name)
        return company_view(company)

    async def rename(self, company_id: UUID, data: CompanyPatch) -> Renaming:
        """Lock the company and rename it; roster entries follow through the foreign key. What else names
        the company is rewritten before :meth:`record_rename`."""
        company = await get_or_404(self.session, Company, Company.id == company_id, what="company", lock=True)
        renaming = Renaming(company, company.name, data.name.strip())
        if not renaming.changed:
            return renaming
        async with conflict_on_violation(self.session, "a company with this name exists already"):
            company.name = renaming.new
        return renaming

    async def record_rename(self, renaming: Renaming, *, offers: int) -> CompanyOut:
        company = renaming.company
        await self.session.refresh(company)
        await self._audit(
            "company_renamed",
            company_id=company.id,
            old_name=renaming.old,
            new_name=renaming.new,
            offers=offers,
        )
        return company_view(company)


class HrScopeService:
    """What an HR admin may work on: ``users.hr_group_wide`` and, when false, their company rows."""

    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor = SYSTEM_ACTOR) -> None:
        self.session = session
        self.runtime = runtime
        self.actor = actor

    async def assign(self, user: User, *, group_wide: bool, companies: list[str], field: str) -> HrScopeOut:
        """Write the scope of ``user`` (an HR admin, locked or just created) in the caller's transaction."""
        names = sorted({name.strip() for name in companies})
        if group_wide and names:
            raise invalid_field(field, "a group-wide HR admin names no companies")
        if not group_wide and not names:
            raise invalid_field(field, "name at least one company, or make the HR admin group-wide")
        ids = await require_companies(self.session, names, field)
        user.hr_group_wide = group_wide
        await self.session.flush()
        await self.session.execute(delete(StaffCompanyScope).where(StaffCompanyScope.user_id == user.id))
        if ids:
            now = self.runtime.clock.now()
            await self.session.execute(
                pg_insert(StaffCompanyScope).values(
                    [{"user_id": user.id, "company_id": ids[name], "created_at": now} for name in names]
                )
            )
        return HrScopeOut(user_id=user.id, group_wide=group_wide, companies=names)

    async def change(self, user_id: UUID, data: HrScopeIn) -> HrScopeOut:
        user = await get_or_404(self.session, User, User.id == user_id, what="staff user", lock=True)
        if user.role != Role.HR_ADMIN:
            raise conflict("only an HR admin has a company scope")
        before = await self.read(user)
        scope = await self.assign(
            user, group_wide=data.group_wide, companies=data.companies, field="companies"
        )
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor,
            "hr_scope_changed",
            user.subject_ref,
            self.runtime.clock.now(),
            group_wide=scope.group_wide,
            companies=scope.companies,
            was_group_wide=before.group_wide,
            was_companies=before.companies,
        )
        return scope

    async def read(self, user: User) -> HrScopeOut:
        return (await hr_scopes_of(self.session, [user]))[user.id].view(user.id)
