"""HR's roster: create, correct, import (all-or-nothing per file) and terminate employees.

Every lookup carries the caller's :class:`HrScope`: an entry of a company outside it is a 404, and naming
such a company is a 403 ``company_out_of_scope`` (a row error in an import). A group-wide HR admin who
names a company that does not exist yet creates it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog, roster_ref
from loyalty.companies.scope import GROUP_WIDE, HrScope
from loyalty.companies.services import ensure_companies, lock_companies, unknown_companies
from loyalty.core.context import SYSTEM_ACTOR, Actor
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.persistence import after, get_or_404, insert_or_conflict
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.identity.models import AccountStatus, User
from loyalty.identity.services import SessionService
from loyalty.notifications.services import NotificationService, Recipient
from loyalty.roster.importing import RosterImport, clean
from loyalty.roster.models import EmploymentStatus, RosterEntry
from loyalty.roster.schemas import (
    ImportResult,
    RosterEntryIn,
    RosterEntryOut,
    RosterEntryPatch,
)

CURSOR_SCOPE = "roster"


class RosterService:
    def __init__(
        self,
        session: AsyncSession,
        runtime: Runtime,
        actor: Actor = SYSTEM_ACTOR,
        scope: HrScope = GROUP_WIDE,
    ) -> None:
        self.session = session
        self.runtime = runtime
        self.actor = actor
        self.scope = scope
        # Accounts this service has terminated in this transaction: the workflow that called it ends
        # what other domains hold for them (flows/employment.py).
        self.terminated_accounts: list[UUID] = []

    async def _record(self, action: str, subject_ref: str | None, **details: Any) -> None:
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor, action, subject_ref, self.runtime.clock.now(), **details
        )

    async def _audit(self, action: str, entry: RosterEntry, **details: Any) -> None:
        """An event about ``entry``'s person: their account's pseudonym, else the entry's."""
        account_ref = await self.session.scalar(
            select(User.subject_ref).where(User.roster_entry_id == entry.id)
        )
        await self._record(action, account_ref or roster_ref(entry.id), **details)

    async def list_entries(
        self,
        *,
        limit: int,
        cursor: str | None,
        status: str | None,
        company: str | None,
        city: str | None,
    ) -> Page[RosterEntryOut]:
        query = (
            select(RosterEntry)
            .where(self.scope.condition(RosterEntry.company))
            .order_by(RosterEntry.employee_number)
            .limit(limit + 1)
        )
        if cursor:
            (last,) = self.runtime.cursors.decode(CURSOR_SCOPE, cursor)
            query = query.where(after([RosterEntry.employee_number], [str(last)], descending=False))
        if status:
            query = query.where(RosterEntry.status == status)
        if company:
            query = query.where(RosterEntry.company == company)
        if city:
            query = query.where(RosterEntry.city == city)
        page, next_cursor = self.runtime.cursors.page(
            CURSOR_SCOPE, list(await self.session.scalars(query)), limit, lambda last: [last.employee_number]
        )
        # One event per page read, with what was asked; the entries read are the ones those filters give.
        await self._record(
            "roster_listed",
            None,
            status=status,
            company=company,
            city=city,
            limit=limit,
            continued=cursor is not None,
            returned=len(page),
        )
        return Page(items=await self._views(page), next_cursor=next_cursor)

    async def get(self, entry_id: UUID) -> RosterEntryOut:
        entry = await self._require(entry_id)
        await self._audit("roster_entry_read", entry)
        return (await self._views([entry]))[0]

    async def create(self, data: RosterEntryIn) -> RosterEntryOut:
        values = clean(msgspec.structs.asdict(data))
        await self._admit_company(values["company"])
        now = self.runtime.clock.now()
        entry = RosterEntry(
            **values, terminated_at=now if values["status"] == EmploymentStatus.TERMINATED else None
        )
        await self._flush_unique(entry)
        await self._audit("roster_entry_created", entry)
        return (await self._views([entry]))[0]

    async def update(self, entry_id: UUID, data: RosterEntryPatch) -> RosterEntryOut:
        entry = await self._require(entry_id, lock=True)
        changes = clean({k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET})
        if "company" in changes:
            await self._admit_company(changes["company"])
        status = changes.pop("status", None)
        moved = [entry.id] if changes.get("email", entry.email) != entry.email else []
        accounts = await self._accounts_of(moved)
        for name, value in changes.items():
            setattr(entry, name, value)
        await self._flush_unique(entry)
        if status is not None:
            await self._set_status(entry, status)
        if "email" in changes:
            await self._sync_account_emails([entry.id])
        await self._sign_in_email_changed(accounts)
        await self._audit(
            "roster_entry_changed", entry, fields=sorted([*changes, *(["status"] if status else [])])
        )
        return (await self._views([entry]))[0]

    async def terminate(self, entry_id: UUID) -> RosterEntryOut:
        entry = await self._require(entry_id, lock=True)
        await self._set_status(entry, EmploymentStatus.TERMINATED)
        await self._audit("employee_terminated", entry)
        return (await self._views([entry]))[0]

    async def _set_status(self, entry: RosterEntry, status: str) -> None:
        """Termination disables the account and ends its sessions at once; reinstatement re-enables it."""
        if entry.status == status:
            return
        entry.status = status
        now = self.runtime.clock.now()
        entry.terminated_at = now if status == EmploymentStatus.TERMINATED else None
        user_id = await self.session.scalar(select(User.id).where(User.roster_entry_id == entry.id))
        if user_id is None:
            await self.session.flush()
            return
        account_status = (
            AccountStatus.DISABLED if status == EmploymentStatus.TERMINATED else AccountStatus.ACTIVE
        )
        await self.session.execute(update(User).where(User.id == user_id).values(status=account_status))
        if status == EmploymentStatus.TERMINATED:
            await SessionService(self.session, self.runtime).revoke_all(user_id, reason="terminated")
            self.terminated_accounts.append(user_id)
        await self.session.flush()

    async def import_rows(self, rows: list[dict[str, Any]]) -> ImportResult:
        """Upsert by employee number, all or nothing: see :class:`loyalty.roster.importing.RosterImport`."""
        return await RosterImport(self).run(rows)

    async def _admit_company(self, name: str) -> None:
        """403 unless the caller's scope admits ``name``; a group-wide caller's new name is created. The
        company is then locked against a rename until this transaction ends."""
        if not self.scope.admits(name):
            raise AppError(403, ErrorCode.COMPANY_OUT_OF_SCOPE, "this company is outside your scope")
        if self.scope.group_wide:
            for created in await ensure_companies(self.session, [name]):
                await self._company_created(created)
        if not await lock_companies(self.session, [name]):  # renamed since this request began
            raise unknown_companies([name], "company")

    async def _company_created(self, name: str) -> None:
        await self._record("company_created", None, name=name, source="roster")

    async def _accounts_of(self, entry_ids: list[UUID]) -> list[tuple[UUID, str, str, str]]:
        """(id, email, full name, language) of the accounts of ``entry_ids``, read before their email moves."""
        if not entry_ids:
            return []
        rows = await self.session.execute(
            select(User.id, User.email, User.full_name, User.language).where(
                User.roster_entry_id.in_(entry_ids)
            )
        )
        return [(row.id, row.email, row.full_name, row.language) for row in rows]

    async def _sign_in_email_changed(self, accounts: list[tuple[UUID, str, str, str]]) -> None:
        """HR moved these accounts' sign-in address: the old address hears of it, and every session ends,
        so whoever holds the new address starts from a password reset the owner has been warned about."""
        sessions = SessionService(self.session, self.runtime)
        outbox = NotificationService(self.session, self.runtime)
        for user_id, old_email, full_name, language in accounts:
            await sessions.revoke_all(user_id, reason="email_changed")
            await outbox.mail(
                "sign_in_email_changed", {}, user_id=user_id, to=Recipient(old_email, full_name, language)
            )

    async def _sync_account_emails(self, entry_ids: list[UUID]) -> None:
        """An account's email is the one HR holds for it: one UPDATE ... FROM for all the entries."""
        if entry_ids:
            await self.session.execute(
                update(User)
                .where(User.roster_entry_id == RosterEntry.id, RosterEntry.id.in_(entry_ids))
                .values(email=RosterEntry.email)
                .execution_options(synchronize_session=False)
            )

    async def _require(self, entry_id: UUID, *, lock: bool = False) -> RosterEntry:
        return await get_or_404(
            self.session,
            RosterEntry,
            RosterEntry.id == entry_id,
            self.scope.condition(RosterEntry.company),
            what="roster entry",
            lock=lock,
        )

    async def _flush_unique(self, entry: RosterEntry) -> None:
        await insert_or_conflict(
            self.session, entry, "another roster entry has this employee number or email"
        )

    async def _views(self, entries: list[RosterEntry]) -> list[RosterEntryOut]:
        with_account = (
            set(
                await self.session.scalars(
                    select(User.roster_entry_id).where(User.roster_entry_id.in_([e.id for e in entries]))
                )
            )
            if entries
            else set()
        )
        return [_view(entry, entry.id in with_account) for entry in entries]


def _view(entry: RosterEntry, has_account: bool) -> RosterEntryOut:
    return RosterEntryOut(
        id=entry.id,
        employee_number=entry.employee_number,
        email=entry.email,
        full_name=entry.full_name,
        company=entry.company,
        department=entry.department,
        city=entry.city,
        status=entry.status,
        terminated_at=entry.terminated_at,
        has_account=has_account,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )
