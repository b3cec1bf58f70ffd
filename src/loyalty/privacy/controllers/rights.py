"""Data-subject rights over the API: my export, erasure, restriction and data requests; HR's queue of
requests, its exports for access requests, and the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from litestar import Controller, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromPath, JSONBody, Parameter
from litestar.response import Stream
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.models import AuditEvent
from loyalty.audit.schemas import AuditEventOut
from loyalty.audit.services import AuditLog, roster_ref
from loyalty.companies.scope import HrScopeDep
from loyalty.core.access import ALL_ROLES, Role, allow
from loyalty.core.dependencies import ActorDep, Caller, Db, OriginDep, RuntimeDep
from loyalty.core.errors import invalid_field
from loyalty.core.mailer import deliver
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import SINGLE_LINE, Page, ResponseBody
from loyalty.flows.data_requests import DecideDataRequest
from loyalty.flows.erasure import erase_me
from loyalty.identity.models import User
from loyalty.privacy.requests import DataRequestService
from loyalty.privacy.rights import export_document, set_restriction
from loyalty.privacy.schemas import (
    DataRequestDecision,
    DataRequestIn,
    DataRequestOut,
    DataRequestRejection,
    ErasureIn,
    HrDataRequestIn,
)
from loyalty.roster.scope import admits_subject

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


class MyDataController(Controller):
    path = "/me"
    tags = ["me"]

    @get("/export", opt=allow(*ALL_ROLES, consent_exempt=True))
    async def export(self, principal: Caller, actor: ActorDep, db_session: Db, runtime: RuntimeDep) -> Stream:
        """Everything we hold about me, as one JSON document (streamed), each section named."""
        await AuditLog(db_session, runtime.settings.secret_key).record(
            actor, "export", principal.subject_ref, runtime.clock.now()
        )
        await db_session.commit()  # the audit row stands even if the download is cut off
        return export_response(runtime, "loyalty-my-data.json", user_id=principal.user_id)

    @delete("", opt=MY_DATA, status_code=202)
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

    @post("/restriction", opt=MY_DATA, status_code=200)
    async def restrict(
        self, principal: Caller, actor: ActorDep, db_session: Db, runtime: RuntimeDep
    ) -> Restriction:
        """Keep my data but stop processing it: catalog and redemption answer 403 `account_restricted`."""
        await self._restriction(
            db_session, runtime, principal.user_id, actor, restricted=True, subject=principal.subject_ref
        )
        return Restriction(restricted=True)

    @delete("/restriction", opt=MY_DATA, status_code=200)
    async def lift(
        self, principal: Caller, actor: ActorDep, db_session: Db, runtime: RuntimeDep
    ) -> Restriction:
        await self._restriction(
            db_session, runtime, principal.user_id, actor, restricted=False, subject=principal.subject_ref
        )
        return Restriction(restricted=False)

    @staticmethod
    async def _restriction(
        session: AsyncSession, runtime: Runtime, user_id: UUID, actor: Any, *, restricted: bool, subject: str
    ) -> None:
        now = runtime.clock.now()
        await set_restriction(session, user_id, restricted=restricted, now=now)
        await AuditLog(session, runtime.settings.secret_key).record(
            actor, "restriction_set" if restricted else "restriction_lifted", subject, now
        )

    @post("/data-requests", opt=MY_DATA)
    async def file_request(
        self,
        data: JSONBody[DataRequestIn],
        principal: Caller,
        actor: ActorDep,
        db_session: Db,
        runtime: RuntimeDep,
    ) -> DataRequestOut:
        return await DataRequestService(db_session, runtime).file(principal.user_id, data, actor)

    @get("/data-requests", opt=MY_DATA)
    async def my_requests(
        self, principal: Caller, db_session: Db, runtime: RuntimeDep
    ) -> list[DataRequestOut]:
        return await DataRequestService(db_session, runtime).mine(principal.user_id)


class HrDataRequestController(Controller):
    path = "/hr/data-requests"
    tags = ["hr"]

    @post("", opt=HR, status_code=201)
    async def file_for(
        self,
        data: JSONBody[HrDataRequestIn],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        db_session: Db,
        runtime: RuntimeDep,
    ) -> DataRequestOut:
        """File a request someone on the roster made outside the app (on paper, by email, in person),
        with how their identity was verified; they may have left or have no account."""
        return await DataRequestService(db_session, runtime).file_for(data, actor, hr_scope)

    @get("", opt=HR)
    async def queue(
        self,
        actor: ActorDep,
        hr_scope: HrScopeDep,
        db_session: Db,
        runtime: RuntimeDep,
        status: Literal["open", "completed", "rejected"] = Parameter(default="open"),
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[DataRequestOut]:
        """The queue, oldest due first; `overdue` marks open requests past their due day."""
        items, next_cursor = await DataRequestService(db_session, runtime).queue(
            runtime.cursors, status=status, limit=limit, cursor=cursor, reader=actor, scope=hr_scope
        )
        return Page(items=items, next_cursor=next_cursor)

    @post("/{request_id:uuid}/complete", opt=HR, status_code=200)
    async def complete(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[DataRequestDecision],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        db_session: Db,
        runtime: RuntimeDep,
    ) -> Response[DataRequestOut]:
        """Complete a request; completing an `erasure` request erases the person."""
        decided, outcome = await DecideDataRequest(db_session, runtime).decide(
            request_id, complete=True, note=data.note, actor=actor, scope=hr_scope
        )
        return Response(decided, background=BackgroundTask(deliver, runtime.mailer, outcome.mails))

    @post("/{request_id:uuid}/reject", opt=HR, status_code=200)
    async def reject(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[DataRequestRejection],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        db_session: Db,
        runtime: RuntimeDep,
    ) -> Response[DataRequestOut]:
        decided, outcome = await DecideDataRequest(db_session, runtime).decide(
            request_id, complete=False, note=data.reason, actor=actor, scope=hr_scope
        )
        return Response(decided, background=BackgroundTask(deliver, runtime.mailer, outcome.mails))

    @get("/{request_id:uuid}/export", opt=HR)
    async def export(
        self,
        request_id: FromPath[UUID],
        actor: ActorDep,
        hr_scope: HrScopeDep,
        db_session: Db,
        runtime: RuntimeDep,
    ) -> Stream:
        """The subject's full export, for an open `access` request: their account's data and roster entry,
        or the roster entry alone for someone without an account. 409 `data_request_closed` once the
        request is completed or rejected."""
        person = await DataRequestService(db_session, runtime).export_subject(request_id, actor, hr_scope)
        await db_session.commit()  # the audit row stands even if the download is cut off
        return export_response(
            runtime,
            f"data-request-{request_id}.json",
            user_id=person.user_id,
            roster_entry_id=person.roster_entry_id,
        )


class AuditLogController(Controller):
    path = "/hr/audit-log"
    tags = ["hr"]

    @get("", opt=HR)
    async def page(
        self,
        actor: ActorDep,
        hr_scope: HrScopeDep,
        db_session: Db,
        runtime: RuntimeDep,
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
        if since and until and until < since:
            raise invalid_field("until", "must not be before since")
        refs: list[str] | None = None
        if employee_id is not None or subject_ref is not None:
            refs = [subject_ref] if subject_ref else []
            if employee_id is not None:
                refs.append(roster_ref(employee_id))
                account_ref = await db_session.scalar(
                    select(User.subject_ref).where(User.roster_entry_id == employee_id)
                )
                if account_ref:
                    refs.append(account_ref)
        items, next_cursor = await AuditLog(db_session, runtime.settings.secret_key).page(
            runtime.cursors,
            limit=limit,
            cursor=cursor,
            subject_refs=refs,
            action=action,
            since=since,
            until=until,
            reader=actor,
            now=runtime.clock.now(),
            scope=admits_subject(hr_scope, AuditEvent.subject_ref),
        )
        return Page(items=items, next_cursor=next_cursor)
