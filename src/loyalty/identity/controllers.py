"""Registration, sessions, my profile and staff invitations."""

from __future__ import annotations

import msgspec
from litestar import Controller, Response, get, patch, post
from litestar.background_tasks import BackgroundTask
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from loyalty.audit.services import AuditLog
from loyalty.core.access import ALL_ROLES, Role, allow, public
from loyalty.core.dependencies import ActorDep, Caller, Db, LanguageDep, OriginDep, RuntimeDep
from loyalty.core.mailer import deliver
from loyalty.core.outcome import Outcome
from loyalty.core.runtime import Runtime
from loyalty.identity.schemas import (
    LoginRequest,
    PasswordResetConfirm,
    PasswordResetRequest,
    Profile,
    ProfileUpdate,
    RefreshRequest,
    RegisterRequest,
    StaffInvite,
    StaffUser,
    TokenPair,
    VerificationSent,
    VerifyRequest,
)
from loyalty.identity.services import (
    LoginService,
    PasswordService,
    ProfileService,
    RegistrationService,
    SessionService,
    StaffService,
)


def accepted_with_mail(runtime: Runtime, outcome: Outcome) -> Response[VerificationSent]:
    """202 with the same body whatever happened; the mail leaves after the transaction commits."""
    return Response(
        VerificationSent(),
        status_code=HTTP_202_ACCEPTED,
        background=BackgroundTask(deliver, runtime.mailer, outcome.mails) if outcome.mails else None,
    )


class AuthController(Controller):
    path = "/auth"
    tags = ["auth"]

    @post("/register", opt=public(), status_code=HTTP_202_ACCEPTED)
    async def register(
        self,
        data: JSONBody[RegisterRequest],
        db_session: Db,
        runtime: RuntimeDep,
        origin: OriginDep,
        reader_language: LanguageDep,
    ) -> Response[VerificationSent]:
        outcome = await RegistrationService(db_session, runtime).register(data, origin, reader_language)
        return accepted_with_mail(runtime, outcome)

    @post("/verify", opt=public())
    async def verify(
        self, data: JSONBody[VerifyRequest], db_session: Db, runtime: RuntimeDep, origin: OriginDep
    ) -> TokenPair:
        return await RegistrationService(db_session, runtime).verify(
            data.email, data.code, data.password, origin
        )

    @post("/login", opt=public(), status_code=200)
    async def login(
        self, data: JSONBody[LoginRequest], db_session: Db, runtime: RuntimeDep, origin: OriginDep
    ) -> TokenPair:
        return await LoginService(db_session, runtime).login(data.email, data.password, origin)

    @post("/refresh", opt=public(), status_code=200)
    async def refresh(self, data: JSONBody[RefreshRequest], db_session: Db, runtime: RuntimeDep) -> TokenPair:
        return await SessionService(db_session, runtime).rotate(data.refresh_token)

    @post("/logout", opt=allow(*ALL_ROLES, consent_exempt=True), status_code=HTTP_204_NO_CONTENT)
    async def logout(self, principal: Caller, db_session: Db, runtime: RuntimeDep) -> None:
        await SessionService(db_session, runtime).revoke(principal.session_id, reason="logout")

    @post("/password-reset", opt=public(), status_code=HTTP_202_ACCEPTED)
    async def request_password_reset(
        self, data: JSONBody[PasswordResetRequest], db_session: Db, runtime: RuntimeDep, origin: OriginDep
    ) -> Response[VerificationSent]:
        outcome = await PasswordService(db_session, runtime).request_reset(data.email, origin)
        return accepted_with_mail(runtime, outcome)

    @post("/password-reset/confirm", opt=public(), status_code=HTTP_204_NO_CONTENT)
    async def confirm_password_reset(
        self, data: JSONBody[PasswordResetConfirm], db_session: Db, runtime: RuntimeDep, origin: OriginDep
    ) -> None:
        await PasswordService(db_session, runtime).confirm_reset(data, origin)


class MeController(Controller):
    path = "/me"
    tags = ["me"]

    @get("", opt=allow(*ALL_ROLES, consent_exempt=True))
    async def get_profile(self, principal: Caller, db_session: Db) -> Profile:
        return await ProfileService(db_session).get(principal.user_id)

    @patch("", opt=allow(*ALL_ROLES, consent_exempt=True))
    async def update_profile(
        self,
        data: JSONBody[ProfileUpdate],
        principal: Caller,
        db_session: Db,
        runtime: RuntimeDep,
        actor: ActorDep,
    ) -> Profile:
        profile = await ProfileService(db_session).update(principal.user_id, data)
        changed = sorted(k for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET)
        await AuditLog(db_session, runtime.settings.secret_key).record(
            actor, "profile_corrected", principal.subject_ref, runtime.clock.now(), fields=changed
        )
        return profile


class AdminUserController(Controller):
    path = "/admin/users"
    tags = ["admin"]

    @post("", opt=allow(Role.ADMIN))
    async def invite(
        self, actor: ActorDep, data: JSONBody[StaffInvite], db_session: Db, runtime: RuntimeDep
    ) -> Response[StaffUser]:
        """Invite a staff user; an `hr_admin` with `companies` works on those companies only."""
        user, outcome = await StaffService(db_session, runtime).invite(data, actor)
        return Response(
            user, status_code=201, background=BackgroundTask(deliver, runtime.mailer, outcome.mails)
        )
