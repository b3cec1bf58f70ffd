"""Admins' company endpoints and the route that sets an HR admin's company scope."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from loyalty.companies.schemas import CompanyIn, CompanyOut, CompanyPatch, HrScopeIn, HrScopeOut
from loyalty.companies.services import CompanyService, HrScopeService
from loyalty.core.access import Role, allow
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import acting_service
from loyalty.core.errors import ErrorCode
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.flows.company_rename import CompanyRename

ADMIN = allow(Role.ADMIN)


CompaniesDep = NamedDependency[CompanyService]
HrScopesDep = NamedDependency[HrScopeService]
CompanyRenameDep = NamedDependency[CompanyRename]


class AdminCompanyController(Controller):
    path = "/admin/companies"
    tags = ["admin-companies"]
    dependencies = {
        "companies": acting_service(CompanyService),
        "company_rename": acting_service(CompanyRename),
    }

    @get("", operation_id="listCompanies", opt=ADMIN)
    async def list_companies(
        self, companies: CompaniesDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
    ) -> Page[CompanyOut]:
        """The group's companies by name."""
        return await companies.list_companies(limit=limit, cursor=cursor)

    @post("", operation_id="createCompany", opt=ADMIN | fails_with(ErrorCode.CONFLICT))
    async def create(self, companies: CompaniesDep, data: JSONBody[CompanyIn]) -> CompanyOut:
        return await companies.create(data)

    @patch("/{company_id:uuid}", operation_id="renameCompany", opt=ADMIN | fails_with(ErrorCode.CONFLICT))
    async def rename(
        self, company_rename: CompanyRenameDep, company_id: FromPath[UUID], data: JSONBody[CompanyPatch]
    ) -> CompanyOut:
        """Rename; roster entries and offers' eligibility rules follow in the same transaction."""
        return await company_rename.rename(company_id, data)


class StaffScopeController(Controller):
    path = "/admin/staff"
    tags = ["admin-staff"]
    # Not "companies": that is a field of the request body.
    dependencies = {"hr_scopes": acting_service(HrScopeService)}

    @put(
        "/{user_id:uuid}/scope",
        operation_id="setStaffScope",
        opt=ADMIN | fails_with(ErrorCode.UNKNOWN_COMPANY, ErrorCode.CONFLICT),
    )
    async def set_scope(
        self, hr_scopes: HrScopesDep, user_id: FromPath[UUID], data: JSONBody[HrScopeIn]
    ) -> HrScopeOut:
        """An HR admin's reach: group-wide, or the named companies only."""
        return await hr_scopes.change(user_id, data)
