"""HR's roster: create, correct, import (all-or-nothing per file) and terminate employees.

Every lookup carries the caller's :class:`HrScope`: an entry of a company outside it is a 404, and naming
such a company is a 403 ``company_out_of_scope`` (a row error in an import). A group-wide HR admin who
names a company that does not exist yet creates it."""

from __future__ import annotations

import csv
import io
import typing
from collections import Counter
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import String, cast, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog, roster_ref
from loyalty.companies.scope import GROUP_WIDE, HrScope
from loyalty.companies.services import ensure_companies, lock_companies, unknown_companies
from loyalty.core.context import SYSTEM_ACTOR, Actor
from loyalty.core.emails import normalize_email
from loyalty.core.errors import AppError, ErrorCode, conflict, invalid_field, msgspec_field_error, not_found
from loyalty.core.outcome import Outcome
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language, Page
from loyalty.identity.models import AccountStatus, User
from loyalty.identity.services import SessionService
from loyalty.mail.messages import compose
from loyalty.roster.models import EmploymentStatus, RosterEntry
from loyalty.roster.schemas import (
    ImportResult,
    ImportRowError,
    RosterEntryIn,
    RosterEntryOut,
    RosterEntryPatch,
)

EDITABLE_FIELDS = ("employee_number", "email", "full_name", "company", "department", "city")
MAX_IMPORT_ROWS = 20_000
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
            (after,) = self.runtime.cursors.decode(CURSOR_SCOPE, cursor)
            query = query.where(RosterEntry.employee_number > str(after))
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
        values = _clean(msgspec.structs.asdict(data))
        await self._admit_company(values["company"])
        now = self.runtime.clock.now()
        entry = RosterEntry(
            **values, terminated_at=now if values["status"] == EmploymentStatus.TERMINATED else None
        )
        await self._flush_unique(entry)
        await self._audit("roster_entry_created", entry)
        return (await self._views([entry]))[0]

    async def update(self, entry_id: UUID, data: RosterEntryPatch) -> tuple[RosterEntryOut, Outcome]:
        entry = await self._require(entry_id, lock=True)
        changes = _clean({k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET})
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
        outcome = await self._sign_in_email_changed(accounts)
        await self._audit(
            "roster_entry_changed", entry, fields=sorted([*changes, *(["status"] if status else [])])
        )
        return (await self._views([entry]))[0], outcome

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

    async def import_rows(self, rows: list[dict[str, Any]]) -> tuple[ImportResult, Outcome]:
        """Upsert by employee number. Any rejected row rejects the file: nothing is written. A scoped HR
        admin's rows must name, and may only change entries of, their own companies."""
        if len(rows) > MAX_IMPORT_ROWS:
            raise invalid_field("file", f"at most {MAX_IMPORT_ROWS} rows per file")
        errors: list[ImportRowError] = []
        valid: list[tuple[int, dict[str, Any]]] = []
        seen_numbers: dict[str, int] = {}
        seen_emails: dict[str, int] = {}
        for index, raw in enumerate(rows, start=1):
            number = str(raw.get("employee_number") or "") or None if isinstance(raw, dict) else None
            try:
                values = _clean(msgspec.structs.asdict(msgspec.convert(raw, RosterEntryIn, strict=False)))
            except (msgspec.ValidationError, AppError) as exc:
                errors.append(_row_error(index, number, exc))
                continue
            for key, seen in (("employee_number", seen_numbers), ("email", seen_emails)):
                if values[key] in seen:
                    errors.append(
                        ImportRowError(
                            row=index,
                            employee_number=values["employee_number"],
                            field=key,
                            message=f"repeats row {seen[values[key]]}",
                        )
                    )
                    break
                seen[values[key]] = index
            else:
                valid.append((index, values))

        existing = {
            entry.employee_number: entry
            for entry in await self.session.scalars(
                select(RosterEntry)
                .where(RosterEntry.employee_number.in_([v["employee_number"] for _, v in valid]))
                .with_for_update()
            )
        }
        owner_rows = await self.session.execute(
            select(RosterEntry.email, RosterEntry.employee_number, RosterEntry.company).where(
                RosterEntry.email.in_([v["email"] for _, v in valid])
            )
        )
        email_owners = {address: (number, company) for address, number, company in owner_rows}
        known_companies = (
            set()
            if self.scope.group_wide
            else set(await lock_companies(self.session, {values["company"] for _, values in valid}))
        )
        created = updated = unchanged = 0
        plan: list[tuple[RosterEntry | None, dict[str, Any]]] = []
        for index, values in valid:
            if scope_error := self._import_scope_error(
                values, existing.get(values["employee_number"]), known_companies
            ):
                errors.append(
                    ImportRowError(
                        row=index,
                        employee_number=values["employee_number"],
                        field="company",
                        message=scope_error,
                    )
                )
                continue
            owner, owner_company = email_owners.get(values["email"], (None, None))
            if owner is not None and owner != values["employee_number"] and owner not in seen_numbers:
                errors.append(
                    ImportRowError(
                        row=index,
                        employee_number=values["employee_number"],
                        field="email",
                        message=(
                            f"belongs to employee {owner}"
                            if self.scope.admits(owner_company)
                            else "belongs to another roster entry"
                        ),
                    )
                )
                continue
            entry = existing.get(values["employee_number"])
            if entry is None:
                created += 1
            elif all(getattr(entry, name) == values[name] for name in (*EDITABLE_FIELDS, "status")):
                unchanged += 1
                continue
            else:
                updated += 1
            plan.append((entry, values))

        if errors:
            errors.sort(key=lambda error: error.row)
            rejected = len({error.row for error in errors})
            result = ImportResult(
                applied=False, created=0, updated=0, unchanged=0, rejected=rejected, errors=errors
            )
            # A rejected file writes nothing, but its answer says which numbers and emails exist (they are
            # unique group-wide), so the attempt itself stays on record: audited and committed.
            await self._record(
                "roster_import_rejected",
                None,
                rows=len(rows),
                rejected=rejected,
                errors_by_field=dict(Counter(error.field for error in errors)),
            )
            await self.session.commit()
            raise AppError(
                422,
                ErrorCode.IMPORT_REJECTED,
                f"{rejected} row(s) rejected; nothing was imported",
                result=result,
            )
        now = self.runtime.clock.now()
        new_companies = (
            await ensure_companies(self.session, {values["company"] for _, values in plan})
            if self.scope.group_wide
            else []
        )
        for name in new_companies:
            await self._company_created(name)
        # Emails may move between entries within one file; clear them first so no unique check trips midway.
        moving = [entry for entry, values in plan if entry is not None and entry.email != values["email"]]
        accounts = await self._accounts_of([entry.id for entry in moving])
        for entry in moving:
            entry.email = f"moving-{entry.id}@import.invalid"
        await self.session.flush()
        if moving:  # their accounts' emails move too, through the same placeholders
            await self.session.execute(
                update(User)
                .where(User.roster_entry_id.in_([entry.id for entry in moving]))
                .values(email=func.concat("moving-", cast(User.id, String), "@import.invalid"))
            )
        for entry, values in plan:
            status = values.pop("status")
            if entry is None:
                terminated = now if status == EmploymentStatus.TERMINATED else None
                self.session.add(RosterEntry(**values, status=status, terminated_at=terminated))
                continue
            for name, value in values.items():
                setattr(entry, name, value)
            await self._set_status(entry, status)
        try:
            await self.session.flush()
        except IntegrityError:
            raise conflict("the file conflicts with the roster as it changed meanwhile; try again") from None
        await self._sync_account_emails([entry.id for entry in moving])
        outcome = await self._sign_in_email_changed(accounts)
        await self._record(
            "roster_imported",
            None,
            rows=len(rows),
            created=created,
            updated=updated,
            unchanged=unchanged,
            companies_created=new_companies,
        )
        result = ImportResult(
            applied=True, created=created, updated=updated, unchanged=unchanged, rejected=0, errors=[]
        )
        return result, outcome

    def _import_scope_error(
        self, values: dict[str, Any], entry: RosterEntry | None, known_companies: set[str]
    ) -> str | None:
        if self.scope.group_wide:
            return None
        if entry is not None and not self.scope.admits(entry.company):
            return "this employee number belongs to a company outside your scope"
        if not self.scope.admits(values["company"]):
            return "outside your companies" if values["company"] in known_companies else "unknown company"
        if values["company"] not in known_companies:  # renamed since this request began
            return "unknown company"
        return None

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

    async def _sign_in_email_changed(self, accounts: list[tuple[UUID, str, str, str]]) -> Outcome:
        """HR moved these accounts' sign-in address: the old address hears of it, and every session ends,
        so whoever holds the new address starts from a password reset the owner has been warned about."""
        sessions = SessionService(self.session, self.runtime)
        mails = []
        for user_id, old_email, full_name, language in accounts:
            await sessions.revoke_all(user_id, reason="email_changed")
            mails.append(
                compose("sign_in_email_changed", typing.cast(Language, language), old_email, name=full_name)
            )
        return Outcome(mails)

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
        query = select(RosterEntry).where(
            RosterEntry.id == entry_id, self.scope.condition(RosterEntry.company)
        )
        entry = await self.session.scalar(query.with_for_update() if lock else query)
        if entry is None:
            raise not_found("roster entry")
        return entry

    async def _flush_unique(self, entry: RosterEntry) -> None:
        try:
            async with self.session.begin_nested():
                self.session.add(entry)
                await self.session.flush()
        except IntegrityError:
            raise conflict("another roster entry has this employee number or email") from None

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


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
    for optional in ("department", "city"):
        if cleaned.get(optional) == "":
            cleaned[optional] = None
    if "email" in cleaned:
        cleaned["email"] = normalize_email(cleaned["email"])
    return cleaned


def _row_error(index: int, number: str | None, exc: Exception) -> ImportRowError:
    if isinstance(exc, AppError) and exc.errors:
        return ImportRowError(row=index, employee_number=number, **exc.errors[0])
    return ImportRowError(row=index, employee_number=number, **msgspec_field_error(str(exc)))


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


def parse_import(content_type: str, body: bytes) -> list[dict[str, Any]]:
    """Rows from a JSON body (a list, or ``{"employees": [...]}``) or a CSV file with a header row."""
    if "csv" in content_type:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise invalid_field("file", "the CSV file must be UTF-8") from None
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "employee_number" not in reader.fieldnames:
            raise invalid_field("file", "the CSV header must name employee_number and the other columns")
        try:
            return [{k: v for k, v in row.items() if k is not None and v not in (None, "")} for row in reader]
        except csv.Error as exc:
            raise invalid_field("file", f"CSV line {reader.line_num}: {exc}") from None
    try:
        decoded = msgspec.json.decode(body)
    except msgspec.DecodeError:
        raise AppError(400, ErrorCode.MALFORMED_BODY, "the request body is not valid JSON") from None
    rows = decoded.get("employees") if isinstance(decoded, dict) else decoded
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise invalid_field("employees", "a list of employee objects is needed")
    return rows
