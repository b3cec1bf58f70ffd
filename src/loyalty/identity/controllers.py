"""Registration, sessions, password reset and my profile."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.access import ALL_ROLES, allow, public
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import ActorDep, Caller, Db, LanguageDep, OriginDep, RuntimeDep, service
from loyalty.core.errors import ErrorCode
from loyalty.core.revalidation import REVALIDATED
from loyalty.core.runtime import Runtime
from loyalty.flows.password_reset import RequestPasswordReset
from loyalty.flows.registration import RegistrationService
from loyalty.identity.schemas import (
    LoginRequest,
    PasswordResetConfirm,
    PasswordResetRequest,
    Profile,
    ProfileUpdate,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
    VerificationSent,
    VerifyRequest,
)
from loyalty.identity.services import LoginService, PasswordService, SecurityNotice, SessionService
from loyalty.notifications.services import NotificationService
from loyalty.notifications.topics import Topic
from loyalty.roster.profile import ProfileService, employee_numbers


def security_notice(db_session: AsyncSession, runtime: Runtime) -> SecurityNotice:
    """Security events become Topic.SECURITY notifications in the request's transaction."""
    notifications = NotificationService(db_session, runtime)

    async def notice(user_id: UUID, template: str, params: Mapping[str, str]) -> object:
        return await notifications.notify(user_id, Topic.SECURITY, template, params)

    return notice


def provide_passwords(db_session: Db, runtime: RuntimeDep) -> PasswordService:
    return PasswordService(
        db_session, runtime, employee_numbers(db_session), security_notice(db_session, runtime)
    )


def provide_logins(db_session: Db, runtime: RuntimeDep) -> LoginService:
    return LoginService(db_session, runtime, security_notice(db_session, runtime))


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]
    dependencies = {
        "registration": service(RegistrationService),
        "passwords": Provide(provide_passwords, sync_to_thread=False),
        "password_reset": service(RequestPasswordReset),
        "sessions": service(SessionService),
        "logins": Provide(provide_logins, sync_to_thread=False),
    }

    @post(
        "/register",
        operation_id="register",
        opt=public() | fails_with(ErrorCode.POLICY_OUTDATED, ErrorCode.WEAK_PASSWORD, ErrorCode.RATE_LIMITED),
        status_code=HTTP_202_ACCEPTED,
    )
    async def register(
        self,
        data: JSONBody[RegisterRequest],
        registration: NamedDependency[RegistrationService],
        origin: OriginDep,
        reader_language: LanguageDep,
    ) -> VerificationSent:
        """202 with the same body whatever happened; a mail, if any, goes through the outbox."""
        await registration.register(data, origin, reader_language)
        return VerificationSent()

    @post(
        "/verify",
        operation_id="verifyRegistration",
        opt=public()
        | fails_with(
            ErrorCode.INVALID_CODE,
            ErrorCode.CODE_EXPIRED,
            ErrorCode.PASSWORD_REQUIRED,
            ErrorCode.EMPLOYEE_TERMINATED,
            ErrorCode.ALREADY_REGISTERED,
            ErrorCode.RATE_LIMITED,
        ),
    )
    async def verify(
        self,
        data: JSONBody[VerifyRequest],
        registration: NamedDependency[RegistrationService],
        origin: OriginDep,
    ) -> TokenPair:
        return await registration.verify(data.email, data.code, data.password, origin)

    @post(
        "/login",
        operation_id="login",
        opt=public() | fails_with(ErrorCode.INVALID_CREDENTIALS, ErrorCode.RATE_LIMITED),
        status_code=200,
    )
    async def login(
        self, data: JSONBody[LoginRequest], logins: NamedDependency[LoginService], origin: OriginDep
    ) -> TokenPair:
        return await logins.login(data.email, data.password, origin)

    @post(
        "/refresh",
        operation_id="refreshSession",
        opt=public() | fails_with(ErrorCode.NOT_AUTHENTICATED, ErrorCode.TOKEN_REUSED),
        status_code=200,
    )
    async def refresh(
        self, data: JSONBody[RefreshRequest], sessions: NamedDependency[SessionService]
    ) -> TokenPair:
        return await sessions.rotate(data.refresh_token)

    @post(
        "/logout",
        operation_id="logout",
        opt=allow(*ALL_ROLES, consent_exempt=True),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def logout(self, principal: Caller, sessions: NamedDependency[SessionService]) -> None:
        await sessions.revoke(principal.session_id, reason="logout")

    @post(
        "/password-reset",
        operation_id="requestPasswordReset",
        opt=public() | fails_with(ErrorCode.RATE_LIMITED),
        status_code=HTTP_202_ACCEPTED,
    )
    async def request_password_reset(
        self,
        data: JSONBody[PasswordResetRequest],
        password_reset: NamedDependency[RequestPasswordReset],
        origin: OriginDep,
    ) -> VerificationSent:
        await password_reset.request(data.email, origin)
        return VerificationSent()

    @post(
        "/password-reset/confirm",
        operation_id="confirmPasswordReset",
        opt=public()
        | fails_with(
            ErrorCode.INVALID_CODE, ErrorCode.CODE_EXPIRED, ErrorCode.WEAK_PASSWORD, ErrorCode.RATE_LIMITED
        ),
        status_code=HTTP_204_NO_CONTENT,
    )
    async def confirm_password_reset(
        self,
        data: JSONBody[PasswordResetConfirm],
        passwords: NamedDependency[PasswordService],
        origin: OriginDep,
    ) -> None:
        await passwords.confirm_reset(data, origin)


class MeController(Controller):
    path = "/me"
    tags = ["profile"]
    dependencies = {"profiles": service(ProfileService)}

    @get("", operation_id="getProfile", opt=allow(*ALL_ROLES, consent_exempt=True), **REVALIDATED)
    async def get_profile(self, principal: Caller, profiles: NamedDependency[ProfileService]) -> Profile:
        return await profiles.get(principal.user_id)

    @patch(
        "",
        operation_id="updateProfile",
        opt=allow(*ALL_ROLES, consent_exempt=True) | fails_with(ErrorCode.FIELD_MANAGED_BY_HR),
    )
    async def update_profile(
        self,
        data: JSONBody[ProfileUpdate],
        principal: Caller,
        profiles: NamedDependency[ProfileService],
        actor: ActorDep,
    ) -> Profile:
        return await profiles.update(principal, data, actor)
