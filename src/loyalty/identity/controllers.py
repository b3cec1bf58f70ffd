"""Registration, sessions, password reset and my profile."""

from __future__ import annotations

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from loyalty.core.access import ALL_ROLES, allow, public
from loyalty.core.dependencies import ActorDep, Caller, Db, LanguageDep, OriginDep, RuntimeDep, service
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
from loyalty.identity.services import LoginService, PasswordService, SessionService
from loyalty.roster.profile import ProfileService, employee_numbers


def provide_passwords(db_session: Db, runtime: RuntimeDep) -> PasswordService:
    return PasswordService(db_session, runtime, employee_numbers(db_session))


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]
    dependencies = {
        "registration": service(RegistrationService),
        "passwords": Provide(provide_passwords, sync_to_thread=False),
        "password_reset": service(RequestPasswordReset),
        "sessions": service(SessionService),
        "logins": service(LoginService),
    }

    @post("/register", opt=public(), status_code=HTTP_202_ACCEPTED)
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
        password_reset: NamedDependency[RequestPasswordReset],
        origin: OriginDep,
    ) -> VerificationSent:
        await password_reset.request(data.email, origin)
        return VerificationSent()

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
