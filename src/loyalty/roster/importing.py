"""HR imports a roster file: every row is checked first (shape, repeats, the HR admin's companies, emails
owned by other entries); one rejected row rejects the file and nothing is written, but the attempt is
recorded; otherwise every change is applied in the request's transaction."""

from __future__ import annotations

import csv
import io
import typing
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import String, cast, func, select, update
from sqlalchemy.exc import IntegrityError

from loyalty.companies.services import ensure_companies, lock_companies
from loyalty.core.emails import normalize_email
from loyalty.core.errors import AppError, ErrorCode, conflict, invalid_field, msgspec_field_error
from loyalty.identity.models import User
from loyalty.roster.models import EmploymentStatus, RosterEntry
from loyalty.roster.schemas import ImportResult, ImportRowError, RosterEntryIn

if TYPE_CHECKING:
    from loyalty.roster.services import RosterService

MAX_IMPORT_ROWS = 20_000
EDITABLE_FIELDS = ("employee_number", "email", "full_name", "company", "department", "city")


@dataclass
class ImportPlan:
    """What the file would change: new and changed entries with their values, and the counts."""

    changes: list[tuple[RosterEntry | None, dict[str, Any]]] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class RosterImport:
    def __init__(self, roster: RosterService) -> None:
        self.roster = roster
        self.session = roster.session
        self.scope = roster.scope
        self.errors: list[ImportRowError] = []

    async def run(self, rows: list[dict[str, Any]]) -> ImportResult:
        """Upsert by employee number. Any rejected row rejects the file: nothing is written. A scoped HR
        admin's rows must name, and may only change entries of, their own companies."""
        if len(rows) > MAX_IMPORT_ROWS:
            raise invalid_field("file", f"at most {MAX_IMPORT_ROWS} rows per file")
        valid, numbers_in_file = self._well_formed(rows)
        plan = await self._plan(valid, numbers_in_file)
        if self.errors:
            await self._reject(len(rows))
        return await self._apply(plan, len(rows))

    def _well_formed(
        self, rows: list[dict[str, Any]]
    ) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, int]]:
        """Rows that decode as roster entries and repeat no employee number or email of an earlier row."""
        valid: list[tuple[int, dict[str, Any]]] = []
        seen_numbers: dict[str, int] = {}
        seen_emails: dict[str, int] = {}
        for index, raw in enumerate(rows, start=1):
            number = str(raw.get("employee_number") or "") or None if isinstance(raw, dict) else None
            try:
                values = clean(msgspec.structs.asdict(msgspec.convert(raw, RosterEntryIn, strict=False)))
            except (msgspec.ValidationError, AppError) as exc:
                self.errors.append(_row_error(index, number, exc))
                continue
            for key, seen in (("employee_number", seen_numbers), ("email", seen_emails)):
                if values[key] in seen:
                    self.errors.append(
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
        return valid, seen_numbers

    async def _plan(
        self, valid: list[tuple[int, dict[str, Any]]], seen_numbers: dict[str, int]
    ) -> ImportPlan:
        """Lock the entries the file names and decide, row by row, what it creates, changes or refuses."""
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
        plan = ImportPlan()
        for index, values in valid:
            if scope_error := self._scope_error(
                values, existing.get(values["employee_number"]), known_companies
            ):
                self.errors.append(
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
                self.errors.append(
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
                plan.created += 1
            elif all(getattr(entry, name) == values[name] for name in (*EDITABLE_FIELDS, "status")):
                plan.unchanged += 1
                continue
            else:
                plan.updated += 1
            plan.changes.append((entry, values))

        return plan

    async def _reject(self, rows: int) -> typing.NoReturn:
        """422 ``import_rejected`` with every row's errors."""
        self.errors.sort(key=lambda error: error.row)
        rejected = len({error.row for error in self.errors})
        result = ImportResult(
            applied=False, created=0, updated=0, unchanged=0, rejected=rejected, errors=self.errors
        )
        # A rejected file writes nothing, but its answer says which numbers and emails exist (they are
        # unique group-wide), so the attempt itself stays on record: audited and committed.
        await self.roster._record(
            "roster_import_rejected",
            None,
            rows=rows,
            rejected=rejected,
            errors_by_field=dict(Counter(error.field for error in self.errors)),
        )
        await self.session.commit()
        raise AppError(
            422,
            ErrorCode.IMPORT_REJECTED,
            f"{rejected} row(s) rejected; nothing was imported",
            result=result,
        )

    async def _apply(self, plan: ImportPlan, rows: int) -> ImportResult:
        """Create and change the planned entries; emails may move between entries within one file."""
        now = self.roster.runtime.clock.now()
        new_companies = (
            await ensure_companies(self.session, {values["company"] for _, values in plan.changes})
            if self.scope.group_wide
            else []
        )
        for name in new_companies:
            await self.roster._company_created(name)
        # Emails may move between entries within one file; clear them first so no unique check trips midway.
        moving = [
            entry for entry, values in plan.changes if entry is not None and entry.email != values["email"]
        ]
        accounts = await self.roster._accounts_of([entry.id for entry in moving])
        for entry in moving:
            entry.email = f"moving-{entry.id}@import.invalid"
        await self.session.flush()
        if moving:  # their accounts' emails move too, through the same placeholders
            await self.session.execute(
                update(User)
                .where(User.roster_entry_id.in_([entry.id for entry in moving]))
                .values(email=func.concat("moving-", cast(User.id, String), "@import.invalid"))
            )
        for target, values in plan.changes:
            status = values.pop("status")
            if target is None:
                terminated = now if status == EmploymentStatus.TERMINATED else None
                self.session.add(RosterEntry(**values, status=status, terminated_at=terminated))
                continue
            for name, value in values.items():
                setattr(target, name, value)
            await self.roster._set_status(target, status)
        try:
            await self.session.flush()
        except IntegrityError:
            raise conflict("the file conflicts with the roster as it changed meanwhile; try again") from None
        await self.roster._sync_account_emails([entry.id for entry in moving])
        await self.roster._sign_in_email_changed(accounts)
        await self.roster._record(
            "roster_imported",
            None,
            rows=rows,
            created=plan.created,
            updated=plan.updated,
            unchanged=plan.unchanged,
            companies_created=new_companies,
        )
        return ImportResult(
            applied=True,
            created=plan.created,
            updated=plan.updated,
            unchanged=plan.unchanged,
            rejected=0,
            errors=[],
        )

    def _scope_error(
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


def clean(values: dict[str, Any]) -> dict[str, Any]:
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
