"""HR's roster endpoints."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import FromPath, JSONBody, Parameter

from loyalty.companies.scope import HrScopeDep
from loyalty.core.access import Role, allow
from loyalty.core.contract import fails_with, reads_body
from loyalty.core.dependencies import ActorDep, Db, RuntimeDep
from loyalty.core.errors import ErrorCode
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import SINGLE_LINE, Page
from loyalty.flows.employment import EmploymentChanges
from loyalty.roster.importing import parse_import
from loyalty.roster.schemas import ImportResult, RosterEntryIn, RosterEntryOut, RosterEntryPatch
from loyalty.roster.services import RosterService

HR = allow(Role.HR_ADMIN)


def provide_roster_service(
    db_session: Db, runtime: RuntimeDep, actor: ActorDep, hr_scope: HrScopeDep
) -> RosterService:
    return RosterService(db_session, runtime, actor, hr_scope)


def provide_employment_changes(roster: NamedDependency[RosterService]) -> EmploymentChanges:
    return EmploymentChanges(roster)


RosterServiceDep = NamedDependency[RosterService]
EmploymentDep = NamedDependency[EmploymentChanges]


_ROWS = Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.OBJECT), max_items=20_000)
# JSON as documented; the same rows also come as `text/csv` (a header row naming employee_number).
IMPORT_FORMATS = {
    "application/json": Schema(
        any_of=[
            _ROWS,
            Schema(type=OpenAPIType.OBJECT, properties={"employees": _ROWS}, required=["employees"]),
        ]
    ),
}


class RosterController(Controller):
    path = "/hr/employees"
    tags = ["hr-roster"]
    dependencies = {
        "roster": Provide(provide_roster_service, sync_to_thread=False),
        "employment": Provide(provide_employment_changes, sync_to_thread=False),
    }

    @get("", operation_id="listRosterEntries", opt=HR)
    async def list_entries(
        self,
        roster: RosterServiceDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        status: Literal["active", "terminated"] | None = Parameter(default=None),
        company: str | None = Parameter(default=None, max_length=200, pattern=SINGLE_LINE),
        city: str | None = Parameter(default=None, max_length=100, pattern=SINGLE_LINE),
    ) -> Page[RosterEntryOut]:
        return await roster.list_entries(
            limit=limit, cursor=cursor, status=status, company=company, city=city
        )

    @post(
        "",
        operation_id="addRosterEntry",
        opt=HR | fails_with(ErrorCode.COMPANY_OUT_OF_SCOPE, ErrorCode.CONFLICT),
    )
    async def create(
        self,
        roster: RosterServiceDep,
        data: JSONBody[RosterEntryIn],
    ) -> RosterEntryOut:
        return await roster.create(data)

    @get("/{entry_id:uuid}", operation_id="getRosterEntry", opt=HR)
    async def get_entry(
        self,
        roster: RosterServiceDep,
        entry_id: FromPath[UUID],
    ) -> RosterEntryOut:
        return await roster.get(entry_id)

    @patch(
        "/{entry_id:uuid}",
        operation_id="updateRosterEntry",
        opt=HR | fails_with(ErrorCode.COMPANY_OUT_OF_SCOPE, ErrorCode.CONFLICT),
    )
    async def update(
        self,
        employment: EmploymentDep,
        entry_id: FromPath[UUID],
        data: JSONBody[RosterEntryPatch],
    ) -> RosterEntryOut:
        """Correct an entry; moving the email of an account mails its old address and ends its sessions."""
        return await employment.update(entry_id, data)

    @post("/{entry_id:uuid}/terminate", operation_id="terminateEmployee", opt=HR, status_code=200)
    async def terminate(
        self,
        employment: EmploymentDep,
        entry_id: FromPath[UUID],
    ) -> RosterEntryOut:
        return await employment.terminate(entry_id)

    @post(
        "/import",
        operation_id="importRoster",
        opt=HR
        | fails_with(
            ErrorCode.MALFORMED_BODY,
            ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.IMPORT_REJECTED,
        )
        | reads_body(**IMPORT_FORMATS),
        status_code=200,
    )
    async def import_file(
        self,
        employment: EmploymentDep,
        request: Request[Any, Any, Any],
    ) -> ImportResult:
        """Upsert by employee number from JSON (`{"employees": [...]}` or a list) or CSV (`text/csv`).
        One rejected row rejects the file: 422 ``import_rejected`` with every row's errors."""
        rows = parse_import(request.headers.get("content-type", ""), await request.body())
        return await employment.import_rows(rows)
