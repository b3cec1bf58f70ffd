"""Data-subject rights over the API: my export, erasure, restriction and data requests; HR's queue of
requests, its exports for access requests, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, Parameter
from litestar.response import Stream

from loyalty.audit.schemas import AuditEventOut
from loyalty.companies.scope import HrScopeDep
from loyalty.core.access import ALL_ROLES, Role, allow
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import ActorDep, Caller, Db, OriginDep, RuntimeDep, acting_service, service
from loyalty.core.errors import ErrorCode
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import SINGLE_LINE, Page, ResponseBody
from loyalty.flows.data_requests import DecideDataRequest
from loyalty.flows.erasure import erase_me
from loyalty.privacy.audit_log import HrAuditLog
from loyalty.privacy.requests import DataRequestService
from loyalty.privacy.rights import MyDataService, export_document
from loyalty.privacy.schemas import (
    DataRequestDecision,
    DataRequestIn,
    DataRequestOut,
    DataRequestRejection,
    ErasureIn,
    HrDataRequestIn,
)

MY_DATA = allow(Role.EMPLOYEE, consent_exempt=True)
HR = allow(Role.HR_ADMIN)


class Restriction(ResponseBody):
    restricted: bool


class Erased(ResponseBody):
    status: Literal["erased"]
    subject_ref: str


def export_response(
    runtime: Runtime, filename: str, *, user_id: UUID | None = None, roster_entry_id: UUID | None = None
) -> Stream:
    now = runtime.clock.now()
    return Stream(
        export_document(runtime, now, user_id=user_id, roster_entry_id=roster_entry_id),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


def provide_hr_audit_log(
    db_session: Db, runtime: RuntimeDep, actor: ActorDep, hr_scope: HrScopeDep
) -> HrAuditLog:
    return HrAuditLog(db_session, runtime, actor, hr_scope)


MyData = NamedDependency[MyDataService]
DataRequests = NamedDependency[DataRequestService]
Decisions = NamedDependency[DecideDataRequest]


class MyDataController(Controller):
    path = "/me"
    tags = ["my-data"]
    dependencies = {
        "my_data": acting_service(MyDataService),
        "data_requests": service(DataRequestService),
    }

    @get("/export", operation_id="exportMyData", opt=allow(*ALL_ROLES, consent_exempt=True))
    async def export(self, principal: Caller, my_data: MyData, runtime: RuntimeDep) -> Stream:
        """Everything we hold about me, as one JSON document (streamed), each section named."""
        await my_data.record_export(principal.subject_ref)
        return export_response(runtime, "loyalty-my-data.json", user_id=principal.user_id)

    @delete(
        "",
        operation_id="eraseMyAccount",
        opt=MY_DATA | fails_with(ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED),
        status_code=202,
    )
    async def erase_me(
        self,
        data: JSONBody[ErasureIn],
        principal: Caller,
        actor: ActorDep,
        origin: OriginDep,
        db_session: Db,
        runtime: RuntimeDep,
    ) -> Erased:
        """Erase my account now (password required): see the contract's Erasure paragraph. Wrong
        passwords are throttled as at login: 429 `rate_limited` with `Retry-After`."""
        subject_ref = await erase_me(db_session, runtime, principal.user_id, data.password, actor, origin.ip)
        return Erased(status="erased", subject_ref=subject_ref)

    @post(
        "/restriction",
        operation_id="restrictProcessing",
        opt=MY_DATA | fails_with(ErrorCode.CONFLICT),
        status_code=200,
    )
    async def restrict(self, principal: Caller, my_data: MyData) -> Restriction:
        """Keep my data but stop processing it: catalog and redemption answer 403 `account_restricted`."""
        await my_data.set_restricted(principal, restricted=True)
        return Restriction(restricted=True)

    @delete(
        "/restriction",
        operation_id="liftRestriction",
        opt=MY_DATA | fails_with(ErrorCode.CONFLICT),
        status_code=200,
    )
    async def lift(self, principal: Caller, my_data: MyData) -> Restriction:
        await my_data.set_restricted(principal, restricted=False)
        return Restriction(restricted=False)

    @post(
        "/data-requests",
        operation_id="fileDataRequest",
        opt=MY_DATA | fails_with(ErrorCode.DATA_REQUEST_OPEN),
    )
    async def file_request(
        self, data: JSONBody[DataRequestIn], principal: Caller, actor: ActorDep, data_requests: DataRequests
    ) -> DataRequestOut:
        return await data_requests.file(principal.user_id, data, actor)

    @get("/data-requests", operation_id="listMyDataRequests", opt=MY_DATA)
    async def my_requests(self, principal: Caller, data_requests: DataRequests) -> list[DataRequestOut]:
        return await data_requests.mine(principal.user_id)


class HrDataRequestController(Controller):
    path = "/hr/data-requests"
    tags = ["hr-privacy"]
    dependencies = {
        "data_requests": service(DataRequestService),
        "decisions": service(DecideDataRequest),
    }

    @post(
        "",
        operation_id="fileDataRequestForPerson",
        opt=HR | fails_with(ErrorCode.NOT_FOUND, ErrorCode.DATA_REQUEST_OPEN),
        status_code=201,
    )
    async def file_for(
        self,
        data: JSONBody[HrDataRequestIn],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        data_requests: DataRequests,
    ) -> DataRequestOut:
        """File a request someone on the roster made outside the app (on paper, by email, in person),
        with how their identity was verified; they may have left or have no account."""
        return await data_requests.file_for(data, actor, hr_scope)

    @get("", operation_id="listDataRequests", opt=HR)
    async def queue(
        self,
        actor: ActorDep,
        hr_scope: HrScopeDep,
        data_requests: DataRequests,
        status: Literal["open", "completed", "rejected"] = Parameter(default="open"),
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[DataRequestOut]:
        """The queue, oldest due first; `overdue` marks open requests past their due day."""
        return await data_requests.queue(
            status=status, limit=limit, cursor=cursor, reader=actor, scope=hr_scope
        )

    @post(
        "/{request_id:uuid}/complete",
        operation_id="completeDataRequest",
        opt=HR | fails_with(ErrorCode.CONFLICT),
        status_code=200,
    )
    async def complete(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[DataRequestDecision],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        decisions: Decisions,
    ) -> DataRequestOut:
        """Complete a request; completing an `erasure` request erases the person."""
        return await decisions.decide(request_id, complete=True, note=data.note, actor=actor, scope=hr_scope)

    @post(
        "/{request_id:uuid}/reject",
        operation_id="rejectDataRequest",
        opt=HR | fails_with(ErrorCode.CONFLICT),
        status_code=200,
    )
    async def reject(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[DataRequestRejection],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        decisions: Decisions,
    ) -> DataRequestOut:
        return await decisions.decide(
            request_id, complete=False, note=data.reason, actor=actor, scope=hr_scope
        )

    @get(
        "/{request_id:uuid}/export",
        operation_id="exportDataRequest",
        opt=HR | fails_with(ErrorCode.DATA_REQUEST_CLOSED, ErrorCode.CONFLICT),
    )
    async def export(
        self,
        request_id: FromPath[UUID],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        data_requests: DataRequests,
        runtime: RuntimeDep,
    ) -> Stream:
        """The subject's full export, for an open `access` request: their account's data and roster entry,
        or the roster entry alone for someone without an account. 409 `data_request_closed` once the
        request is completed or rejected."""
        person = await data_requests.export_subject(request_id, actor, hr_scope)
        return export_response(
            runtime,
            f"data-request-{request_id}.json",
            user_id=person.user_id,
            roster_entry_id=person.roster_entry_id,
        )


class AuditLogController(Controller):
    path = "/hr/audit-log"
    tags = ["hr-privacy"]
    dependencies = {"audit_log": Provide(provide_hr_audit_log, sync_to_thread=False)}

    @get("", operation_id="listAuditLog", opt=HR)
    async def page(
        self,
        audit_log: NamedDependency[HrAuditLog],
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        employee_id: UUID | None = Parameter(
            default=None, description="a roster entry: its events, under any pseudonym"
        ),
        subject_ref: str | None = Parameter(default=None, max_length=64, pattern=SINGLE_LINE),
        action: str | None = Parameter(default=None, max_length=64, pattern=r"^[a-z_]+$"),
        since: datetime | None = Parameter(default=None),
        until: datetime | None = Parameter(default=None),
    ) -> Page[AuditEventOut]:
        """Who read or changed whose personal data, when and from where; newest first. An HR admin scoped
        to companies sees only events about people of those companies."""
        return await audit_log.page(
            limit=limit,
            cursor=cursor,
            employee_id=employee_id,
            subject_ref=subject_ref,
            action=action,
            since=since,
            until=until,
        )
