"""The policy people read, their consent history and changes, and admins' policy versions."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from loyalty.core.access import Role, allow, public
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import ActorDep, Caller, LanguageDep, OriginDep, service
from loyalty.core.errors import ErrorCode
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.privacy.consent import ConsentService
from loyalty.privacy.policies import PolicyService
from loyalty.privacy.schemas import (
    ConsentCreate,
    ConsentEvent,
    CurrentPolicy,
    PolicyAdminView,
    PolicyCreate,
    UpcomingPolicy,
)

Policies = NamedDependency[PolicyService]
Consents = NamedDependency[ConsentService]


class PolicyController(Controller):
    path = "/policies"
    tags = ["consent"]
    dependencies = {"policies": service(PolicyService)}

    @get("/current", operation_id="getCurrentPolicy", opt=public() | fails_with(ErrorCode.POLICY_NOT_FOUND))
    async def current(self, policies: Policies, reader_language: LanguageDep) -> CurrentPolicy:
        return await policies.current_text(reader_language)

    @get("/upcoming", operation_id="getUpcomingPolicy", opt=public() | fails_with(ErrorCode.POLICY_NOT_FOUND))
    async def upcoming(self, policies: Policies, reader_language: LanguageDep) -> UpcomingPolicy:
        """The version published to take effect later, with what changed; 404 ``policy_not_found``."""
        return await policies.upcoming_text(reader_language)


class ConsentController(Controller):
    path = "/me/consents"
    tags = ["consent"]
    dependencies = {"consents": service(ConsentService)}

    @get("", operation_id="listMyConsents", opt=allow(Role.EMPLOYEE, consent_exempt=True))
    async def history(
        self, principal: Caller, consents: Consents, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
    ) -> Page[ConsentEvent]:
        return await consents.history(principal.user_id, limit=limit, cursor=cursor)

    @post(
        "",
        operation_id="recordConsent",
        opt=allow(Role.EMPLOYEE, consent_exempt=True) | fails_with(ErrorCode.POLICY_OUTDATED),
    )
    async def change(
        self,
        data: JSONBody[ConsentCreate],
        principal: Caller,
        consents: Consents,
        origin: OriginDep,
        actor: ActorDep,
    ) -> ConsentEvent:
        return await consents.change(principal, data, origin, actor)


class AdminPolicyController(Controller):
    path = "/admin/policies"
    tags = ["admin-policies"]
    dependencies = {"policies": service(PolicyService)}

    @get("", operation_id="listPolicyVersions", opt=allow(Role.ADMIN))
    async def list_versions(self, policies: Policies) -> list[PolicyAdminView]:
        return await policies.list_all()

    @post("", operation_id="createPolicyVersion", opt=allow(Role.ADMIN) | fails_with(ErrorCode.CONFLICT))
    async def create(
        self, data: JSONBody[PolicyCreate], actor: ActorDep, policies: Policies
    ) -> PolicyAdminView:
        return await policies.create(data, actor)

    @post(
        "/{version:str}/publish",
        operation_id="publishPolicyVersion",
        opt=allow(Role.ADMIN) | fails_with(ErrorCode.ALREADY_PUBLISHED, ErrorCode.CONFLICT),
        status_code=200,
    )
    async def publish(self, version: FromPath[str], actor: ActorDep, policies: Policies) -> PolicyAdminView:
        return await policies.publish(version, actor)
