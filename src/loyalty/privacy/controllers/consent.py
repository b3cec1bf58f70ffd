"""The policy people read, their consent history and changes, and admins' policy versions."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from loyalty.audit.services import AuditLog
from loyalty.core.access import Role, allow, public
from loyalty.core.dependencies import ActorDep, Caller, Db, LanguageDep, OriginDep, RuntimeDep
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.privacy.schemas import ConsentCreate, ConsentEvent, CurrentPolicy, PolicyAdminView, PolicyCreate
from loyalty.privacy.services import ConsentService, PolicyService, admin_view, present_policy

CONSENT_CURSOR = "consents"


class PolicyController(Controller):
    path = "/policies"
    tags = ["privacy"]

    @get("/current", opt=public())
    async def current(
        self, db_session: Db, runtime: RuntimeDep, reader_language: LanguageDep
    ) -> CurrentPolicy:
        policy = await PolicyService(db_session).require_current(runtime.clock.now())
        return present_policy(policy, reader_language)


class ConsentController(Controller):
    path = "/me/consents"
    tags = ["privacy"]

    @get("", opt=allow(Role.EMPLOYEE, consent_exempt=True))
    async def history(
        self,
        principal: Caller,
        db_session: Db,
        runtime: RuntimeDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[ConsentEvent]:
        before = None
        if cursor:
            created_at, record_id = runtime.cursors.decode(CONSENT_CURSOR, cursor)
            before = (datetime.fromisoformat(created_at), UUID(record_id))
        events = await ConsentService(db_session).history(principal.user_id, limit=limit + 1, before=before)
        page = events[:limit]
        next_cursor = (
            runtime.cursors.encode(CONSENT_CURSOR, [page[-1].created_at.isoformat(), str(page[-1].id)])
            if len(events) > limit
            else None
        )
        return Page(items=page, next_cursor=next_cursor)

    @post("", opt=allow(Role.EMPLOYEE, consent_exempt=True))
    async def change(
        self,
        data: JSONBody[ConsentCreate],
        principal: Caller,
        db_session: Db,
        runtime: RuntimeDep,
        origin: OriginDep,
        actor: ActorDep,
    ) -> ConsentEvent:
        now = runtime.clock.now()
        event = await ConsentService(db_session).change(
            principal.user_id, data, now=now, ip=origin.ip, user_agent=origin.user_agent
        )
        await AuditLog(db_session, runtime.settings.secret_key).record(
            actor,
            "consent_changed",
            principal.subject_ref,
            now,
            purposes=event.purposes,
        )
        return event


class AdminPolicyController(Controller):
    path = "/admin/policies"
    tags = ["admin"]

    @get("", opt=allow(Role.ADMIN))
    async def list_versions(self, db_session: Db) -> list[PolicyAdminView]:
        return [admin_view(policy) for policy in await PolicyService(db_session).list_all()]

    @post("", opt=allow(Role.ADMIN))
    async def create(
        self, data: JSONBody[PolicyCreate], actor: ActorDep, db_session: Db, runtime: RuntimeDep
    ) -> PolicyAdminView:
        audit = AuditLog(db_session, runtime.settings.secret_key)
        policy = await PolicyService(db_session).create(
            data, actor=actor, audit=audit, now=runtime.clock.now()
        )
        return admin_view(policy)

    @post("/{version:str}/publish", opt=allow(Role.ADMIN), status_code=200)
    async def publish(
        self, version: FromPath[str], actor: ActorDep, db_session: Db, runtime: RuntimeDep
    ) -> PolicyAdminView:
        audit = AuditLog(db_session, runtime.settings.secret_key)
        return admin_view(
            await PolicyService(db_session).publish(version, runtime.clock.now(), actor=actor, audit=audit)
        )
