"""Registration, sessions, password reset and my profile."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.access import ALL_ROLES, allow, public
from loyalty.core.dependencies import ActorDep, Caller, Db, LanguageDep, OriginDep, RuntimeDep, service
from loyalty.core.outcome import Outcome, with_mail
from loyalty.core.runtime import Runtime
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


def accepted_with_mail(runtime: Runtime, outcome: Outcome) -> Response[VerificationSent]:
    """202 with the same body whatever happened; the mail leaves after the transaction commits."""
    return with_mail(VerificationSent(), outcome, runtime.mailer, status_code=HTTP_202_ACCEPTED)


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
        "sessions": service(SessionService),
        "logins": Provide(provide_logins, sync_to_thread=False),
    }

    @post("/register", opt=public(), status_code=HTTP_202_ACCEPTED)
    async def register(
        self,
        data: JSONBody[RegisterRequest],
        registration: NamedDependency[RegistrationService],
        runtime: RuntimeDep,
        origin: OriginDep,
        reader_language: LanguageDep,
    ) -> Response[VerificationSent]:
        outcome = await registration.register(data, origin, reader_language)
        return accepted_with_mail(runtime, outcome)

    @post("/verify", opt=public())
    async def verify(
        self,
        data: JSONBody[VerifyRequest],
        registration: NamedDependency[RegistrationService],
        origin: OriginDep,
    ) -> TokenPair:
        return await registration.verify(data.email, data.code, data.password, origin)

    @post("/login", opt=public(), status_code=200)
    async def login(
        self, data: JSONBody[LoginRequest], logins: NamedDependency[LoginService], origin: OriginDep
    ) -> TokenPair:
        return await logins.login(data.email, data.password, origin)

    @post("/refresh", opt=public(), status_code=200)
    async def refresh(
        self, data: JSONBody[RefreshRequest], sessions: NamedDependency[SessionService]
    ) -> TokenPair:
        return await sessions.rotate(data.refresh_token)

    @post("/logout", opt=allow(*ALL_ROLES, consent_exempt=True), status_code=HTTP_204_NO_CONTENT)
    async def logout(self, principal: Caller, sessions: NamedDependency[SessionService]) -> None:
        await sessions.revoke(principal.session_id, reason="logout")

    @post("/password-reset", opt=public(), status_code=HTTP_202_ACCEPTED)
    async def request_password_reset(
        self,
        data: JSONBody[PasswordResetRequest],
        passwords: NamedDependency[PasswordService],
        runtime: RuntimeDep,
        origin: OriginDep,
    ) -> Response[VerificationSent]:
        outcome = await passwords.request_reset(data.email, origin)
        return accepted_with_mail(runtime, outcome)

    @post("/password-reset/confirm", opt=public(), status_code=HTTP_204_NO_CONTENT)
    async def confirm_password_reset(
        self,
        data: JSONBody[PasswordResetConfirm],
        passwords: NamedDependency[PasswordService],
        origin: OriginDep,
    ) -> None:
        await passwords.confirm_reset(data, origin)


class MeController(Controller):
    path = "/me"
    tags = ["me"]
    dependencies = {"profiles": service(ProfileService)}

    @get("", opt=allow(*ALL_ROLES, consent_exempt=True))
    async def get_profile(self, principal: Caller, profiles: NamedDependency[ProfileService]) -> Profile:
        return await profiles.get(principal.user_id)

    @patch("", opt=allow(*ALL_ROLES, consent_exempt=True))
    async def update_profile(
        self,
        data: JSONBody[ProfileUpdate],
        principal: Caller,
        profiles: NamedDependency[ProfileService],
        actor: ActorDep,
    ) -> Profile:
        return await profiles.update(principal, data, actor)
