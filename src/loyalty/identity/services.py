"""Accounts and sessions: staff-only registration, login, refresh-token rotation with reuse detection,
logout, password reset and staff invitations."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast
from uuid import UUID

import msgspec
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.companies.services import HrScopeService
from loyalty.core.access import Role
from loyalty.core.context import SYSTEM_ACTOR, Actor, Origin
from loyalty.core.emails import normalize_email
from loyalty.core.errors import AppError, ErrorCode, conflict, invalid_field
from loyalty.core.outcome import Outcome
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language
from loyalty.core.throttle import NetworkRule, Rule, client_buckets
from loyalty.core.tokens import AccessClaims, new_refresh_token, refresh_token_hash
from loyalty.db.locks import lock_until_commit
from loyalty.identity.models import AccountStatus, AuthSession, CodePurpose, OneTimeCode, RefreshToken, User
from loyalty.identity.passwords import check_password_strength, new_numeric_code
from loyalty.identity.schemas import (
    HR_MANAGED_FIELDS,
    PasswordResetConfirm,
    Profile,
    ProfileUpdate,
    RegisterRequest,
    StaffInvite,
    StaffUser,
    TokenPair,
)
from loyalty.mail.messages import compose
from loyalty.privacy.models import PolicyVersion
from loyalty.privacy.services import ConsentService, PolicyService, PurposeChoice, resolve_choice
from loyalty.roster.models import EmploymentStatus, RosterEntry


class ThrottleRules:
    def __init__(self, runtime: Runtime) -> None:
        auth = runtime.settings.auth
        window = auth.throttle_window_seconds
        site = auth.ipv6_site_multiplier
        self.login_account_ip = Rule("login-account-ip", auth.login_failures_per_account_ip, window)
        self.login_account = Rule("login-account", auth.login_failures_per_account, window)
        # Only failed logins spend it: one office behind NAT shares an address, and an insider's
        # successful logins must not hold the others out.
        self.login_ip = NetworkRule.of("login-ip", auth.login_attempts_per_ip, window, site)
        self.mail_ip = NetworkRule.of("mail-ip", auth.mail_requests_per_ip_per_hour, 3600, site)
        self.mail_address = Rule("mail-address", 5, 3600)
        self.code_ip = NetworkRule.of("code-ip", auth.login_attempts_per_ip, window, site)
        # Set by a successful login: that address is spared the account-wide rule, so an attacker
        # spraying the account from elsewhere cannot hold its owner out.
        self.known_device = Rule("known-device", 1, 30 * 86_400)
        self._throttle = runtime.throttle

    async def password_attempt(self, email: str, ip: str | None) -> str:
        """Count one password attempt for the account ``email`` from ``ip`` (the account from this
        address, and the account from anywhere unless this address signed in to it before); 429 once
        spent. Answers the account-and-address key a right password clears with :meth:`password_right`."""
        account_ip = f"{email}|{client_buckets(ip).client}"
        checks = [(self.login_account_ip, account_ip)]
        if not await self._throttle.is_spent(self.known_device, account_ip):
            checks.append((self.login_account, email))
        await self._throttle.consume(checks)
        return account_ip

    async def password_right(self, account_ip: str) -> None:
        await self._throttle.clear(self.login_account_ip, account_ip)


class SessionService:
    """Creating, rotating and ending sessions."""

    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def open(self, user: User, origin: Origin) -> TokenPair:
        now = self.runtime.clock.now()
        auth_session = AuthSession(
            user_id=user.id,
            created_at=now,
            expires_at=self._expiry(now, now),
            ip=origin.ip,
            user_agent=origin.user_agent,
        )
        self.session.add(auth_session)
        await self.session.flush()
        return await self._issue(auth_session, user.role, now)

    def _expiry(self, created_at: datetime, now: datetime) -> datetime:
        """A refresh extends the session by the refresh-token lifetime, never past its absolute end."""
        auth = self.runtime.settings.auth
        return min(
            now + timedelta(days=auth.refresh_token_ttl_days),
            created_at + timedelta(days=auth.session_absolute_days),
        )

    async def _issue(self, auth_session: AuthSession, role: str, now: datetime) -> TokenPair:
        token, token_hash = new_refresh_token()
        self.session.add(RefreshToken(session_id=auth_session.id, token_hash=token_hash, created_at=now))
        await self.session.flush()
        access = self.runtime.tokens.issue_access(
            AccessClaims(user_id=auth_session.user_id, session_id=auth_session.id, role=role), now
        )
        return TokenPair(
            access_token=access,
            refresh_token=token,
            expires_in=self.runtime.settings.auth.access_token_ttl_seconds,
        )

    async def rotate(self, refresh_token: str) -> TokenPair:
        """Trade a refresh token for a new pair. A token that was used already means it leaked: the whole
        session family is revoked and the caller gets ``token_reused``."""
        now = self.runtime.clock.now()
        token_hash = refresh_token_hash(refresh_token)
        session_id = await self.session.scalar(
            update(RefreshToken)
            .where(RefreshToken.token_hash == token_hash, RefreshToken.used_at.is_(None))
            .values(used_at=now)
            .returning(RefreshToken.session_id)
        )
        if session_id is None:
            reused_in = await self.session.scalar(
                select(RefreshToken.session_id).where(RefreshToken.token_hash == token_hash)
            )
            if reused_in is None:
                raise AppError(401, ErrorCode.NOT_AUTHENTICATED, "the refresh token is not valid")
            await self.revoke(reused_in, reason="token_reuse", now=now)
            await self.session.commit()  # the revocation must outlive this failed request
            raise AppError(
                401, ErrorCode.TOKEN_REUSED, "this refresh token was used before; the session is ended"
            )
        row = (
            await self.session.execute(
                select(AuthSession, User.role)
                .join(User, User.id == AuthSession.user_id)
                .where(
                    AuthSession.id == session_id,
                    AuthSession.revoked_at.is_(None),
                    AuthSession.expires_at > now,
                    # Sessions opened before the absolute lifetime existed end by it too.
                    AuthSession.created_at
                    > now - timedelta(days=self.runtime.settings.auth.session_absolute_days),
                    User.status == AccountStatus.ACTIVE,
                )
                .with_for_update(of=AuthSession)
            )
        ).one_or_none()
        if row is None:
            raise AppError(401, ErrorCode.NOT_AUTHENTICATED, "the session has ended")
        auth_session, role = row
        auth_session.last_refreshed_at = now
        auth_session.expires_at = self._expiry(auth_session.created_at, now)
        return await self._issue(auth_session, role, now)

    async def revoke(self, session_id: UUID, *, reason: str, now: datetime | None = None) -> None:
        await self.session.execute(
            update(AuthSession)
            .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=now or self.runtime.clock.now(), revoked_reason=reason)
        )

    async def revoke_all(self, user_id: UUID, *, reason: str) -> None:
        await self.session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=self.runtime.clock.now(), revoked_reason=reason)
        )


class LoginService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.rules = ThrottleRules(runtime)

    async def login(self, email: str, password: str, origin: Origin) -> TokenPair:
        throttle = self.runtime.throttle
        address = normalize_email(email)
        ip_checks = self.rules.login_ip.checks(origin.ip)
        await throttle.require_unspent(ip_checks)
        account_ip = await self.rules.password_attempt(address, origin.ip)
        user = await self.session.scalar(select(User).where(User.email == address))
        usable = user is not None and user.status == AccountStatus.ACTIVE
        stored_hash = user.password_hash if user is not None and usable else None
        if not await self.runtime.hasher.verify(stored_hash, password) or user is None:
            await throttle.spend_all(ip_checks)
            raise AppError(401, ErrorCode.INVALID_CREDENTIALS, "wrong email or password")
        await self.rules.password_right(account_ip)
        await throttle.spend(self.rules.known_device, account_ip)
        assert user.password_hash is not None
        if self.runtime.hasher.needs_rehash(user.password_hash):
            user.password_hash = await self.runtime.hasher.hash(password)
        user.last_login_at = self.runtime.clock.now()
        return await SessionService(self.session, self.runtime).open(user, origin)


class CodeService:
    """One-time codes: issued hashed, dead after too many tries or too long."""

    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def issue(
        self,
        purpose: CodePurpose,
        email: str,
        *,
        ttl: timedelta,
        user_id: UUID | None = None,
        roster_entry_id: UUID | None = None,
        payload: dict[str, Any] | None = None,
    ) -> str:
        now = self.runtime.clock.now()
        await self.session.execute(
            update(OneTimeCode)
            .where(
                OneTimeCode.email == email, OneTimeCode.purpose == purpose, OneTimeCode.consumed_at.is_(None)
            )
            .values(consumed_at=now)
        )
        code = new_numeric_code()
        self.session.add(
            OneTimeCode(
                purpose=purpose,
                email=email,
                code_hash=await self.runtime.hasher.hash(code),
                created_at=now,
                expires_at=now + ttl,
                user_id=user_id,
                roster_entry_id=roster_entry_id,
                payload=payload,
            )
        )
        await self.session.flush()
        return code

    async def unfinished(self, purpose: CodePurpose, email: str, since: datetime) -> OneTimeCode | None:
        """The newest code for ``email`` issued since ``since`` and never used, even if it has expired or
        its tries are spent: anyone can spend another's tries or wait out their code, so "no live code"
        must not read as "nobody else is registering"."""
        return await self.session.scalar(
            select(OneTimeCode)
            .where(
                OneTimeCode.email == email,
                OneTimeCode.purpose == purpose,
                OneTimeCode.consumed_at.is_(None),
                OneTimeCode.created_at > since,
            )
            .order_by(OneTimeCode.created_at.desc())
            .limit(1)
        )

    async def spend_equivalent_work(self) -> None:
        """What :meth:`issue` costs in hashing, for requests that must not reveal that nothing was issued."""
        await self.runtime.hasher.hash(new_numeric_code())

    async def consume(self, purpose: CodePurpose, email: str, code: str) -> OneTimeCode:
        """The live code for ``email`` if ``code`` matches it; a wrong guess is counted and committed."""
        now = self.runtime.clock.now()
        row = await self.session.scalar(
            select(OneTimeCode)
            .where(
                OneTimeCode.email == email, OneTimeCode.purpose == purpose, OneTimeCode.consumed_at.is_(None)
            )
            .order_by(OneTimeCode.created_at.desc())
            .limit(1)
            .with_for_update()
        )
        # An address without a code answers like one with a code: invalid_code until the tries are
        # spent, then code_expired, each after the same argon2 work.
        auth = self.runtime.settings.auth
        no_code_tries = Rule(f"no-code-{purpose}", auth.code_max_attempts, auth.code_ttl_minutes * 60)
        if row is None:
            await self.runtime.hasher.verify(None, code)
            if not await self.runtime.throttle.spend(no_code_tries, email):
                raise AppError(400, ErrorCode.CODE_EXPIRED, "the code has expired; ask for a new one")
            raise AppError(400, ErrorCode.INVALID_CODE, "the code is not valid")
        if row.attempts >= auth.code_max_attempts or row.expires_at <= now:
            await self.runtime.hasher.verify(None, code)
            raise AppError(400, ErrorCode.CODE_EXPIRED, "the code has expired; ask for a new one")
        if not await self.runtime.hasher.verify(row.code_hash, code):
            row.attempts += 1
            await self.session.commit()  # the failed try must count even though this request fails
            raise AppError(400, ErrorCode.INVALID_CODE, "the code is not valid")
        row.consumed_at = now
        return row


class RegistrationService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.codes = CodeService(session, runtime)
        self.rules = ThrottleRules(runtime)

    async def register(self, data: RegisterRequest, origin: Origin, shown_language: Language) -> Outcome:
        """Answer the same whether or not the person is on the roster: every check that depends only on
        the request comes first, and every path does the same hashing (two hashes, one verify).

        The password is chosen here, but only the mailbox proves who is registering, so a password
        typed by someone else must never ride on the code the owner types. A registration that finds
        an unused code for the address (live, expired or out of tries) with a password it does not
        know is *contested*: every unused registration code for the address dies and the address is
        told so (the same password again just gets a fresh code). Codes mailed in the next ``contested_registration_hours`` create the
        account only when the password is typed with the code, so a rival who registers again after
        the collision cannot have the owner type a code that carries the rival's password.
        Registrations of one address take turns (an advisory lock), so two at once cannot both miss
        each other's code."""
        email = normalize_email(data.email)
        check_password_strength(data.password, email=email, employee_number=data.employee_number)
        if not data.accept_policy:
            raise invalid_field("accept_policy", "the privacy policy must be accepted to register")
        now = self.runtime.clock.now()
        auth = self.runtime.settings.auth
        policy = await PolicyService(self.session).require_current_version(data.policy_version, now)
        optional = _optional_choice(policy, data.optional_purposes)
        await self.runtime.throttle.consume(self.rules.mail_ip.checks(origin.ip))
        await lock_until_commit(self.session, f"registration:{email}")

        entry = await self.session.scalar(
            select(RosterEntry).where(
                RosterEntry.employee_number == data.employee_number.strip(),
                RosterEntry.email == email,
                RosterEntry.status == EmploymentStatus.ACTIVE,
            )
        )
        password_hash = await self.runtime.hasher.hash(data.password)
        language = data.language or shown_language
        if entry is None or not await self.runtime.throttle.spend(self.rules.mail_address, email):
            await self.runtime.hasher.verify(None, data.password)  # what the rival check costs
            await self.codes.spend_equivalent_work()
            return Outcome()
        if await self.session.scalar(select(User.id).where(User.roster_entry_id == entry.id)) is not None:
            await self.runtime.hasher.verify(None, data.password)
            await self.codes.spend_equivalent_work()
            return Outcome([compose("already_registered", language, email, name=entry.full_name)])
        contested_since = now - timedelta(hours=auth.contested_registration_hours)
        live = await self.codes.unfinished(CodePurpose.REGISTRATION, email, since=contested_since)
        live_hash = (live.payload or {}).get("password_hash") if live is not None else None
        if not await self.runtime.hasher.verify(live_hash, data.password) and live is not None:
            await self.session.execute(
                update(OneTimeCode)
                .where(
                    OneTimeCode.email == email,
                    OneTimeCode.purpose == CodePurpose.REGISTRATION,
                    OneTimeCode.consumed_at.is_(None),
                )
                # The rivals' passwords, names and addresses are not kept.
                .values(consumed_at=now, payload={"contested": True})
            )
            await self.codes.spend_equivalent_work()
            mail = compose(
                "registration_contested",
                language,
                email,
                name=entry.full_name,
                hours=auth.contested_registration_hours,
            )
            return Outcome([mail])
        password_required = (
            await self.session.scalar(
                select(OneTimeCode.id)
                .where(
                    OneTimeCode.email == email,
                    OneTimeCode.purpose == CodePurpose.REGISTRATION,
                    OneTimeCode.consumed_at > contested_since,
                    OneTimeCode.payload.contains({"contested": True}),
                )
                .limit(1)
            )
            is not None
        )
        code = await self.codes.issue(
            CodePurpose.REGISTRATION,
            email,
            ttl=timedelta(minutes=self.runtime.settings.auth.code_ttl_minutes),
            roster_entry_id=entry.id,
            payload={
                "password_hash": password_hash,
                "full_name": data.full_name.strip(),
                "language": language,
                "policy_version_id": str(policy.id),
                "purposes_granted": optional.granted,
                "purposes_declined": optional.declined,
                # Consent is given with this request: its time and origin go into the consent record.
                "consented_at": now.isoformat(),
                "ip": origin.ip,
                "user_agent": origin.user_agent,
                "password_required": password_required,
            },
        )
        # Addressed by the roster's name (HR's data): the name typed here is whoever registered's text.
        mail = compose(
            "registration_code_with_password" if password_required else "registration_code",
            language,
            email,
            name=entry.full_name,
            code=code,
            minutes=auth.code_ttl_minutes,
        )
        return Outcome([mail])

    async def verify(self, email_raw: str, code: str, password: str | None, origin: Origin) -> TokenPair:
        await self.runtime.throttle.consume(self.rules.code_ip.checks(origin.ip))
        email = normalize_email(email_raw)
        pending = await self.codes.consume(CodePurpose.REGISTRATION, email, code)
        payload = pending.payload or {}
        if password is None and payload.get("password_required"):
            # The right code, but after a collision the password must come with it; not a wrong try.
            raise AppError(
                400,
                ErrorCode.PASSWORD_REQUIRED,
                "after a contested registration, send the password you registered with together with the code",
            )
        if password is not None and not await self.runtime.hasher.verify(
            payload.get("password_hash"), password
        ):
            pending.consumed_at = None
            pending.attempts += 1
            await self.session.commit()  # counts as a wrong try, like a wrong code
            raise AppError(400, ErrorCode.INVALID_CODE, "the code is not valid")
        entry = (
            # A shared lock: a termination of this entry waits for the account, then disables it.
            await self.session.get(RosterEntry, pending.roster_entry_id, with_for_update={"read": True})
            if pending.roster_entry_id
            else None
        )
        if entry is None or entry.status != EmploymentStatus.ACTIVE or entry.email != email:
            raise AppError(403, ErrorCode.EMPLOYEE_TERMINATED, "you are no longer on the staff roster")
        policy = await self.session.get_one(PolicyVersion, UUID(payload["policy_version_id"]))
        user = User(
            email=email,
            password_hash=payload["password_hash"],
            full_name=payload["full_name"],
            language=payload["language"],
            role=Role.EMPLOYEE,
            status=AccountStatus.ACTIVE,
            roster_entry_id=entry.id,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(user)
                await self.session.flush()
        except IntegrityError:
            raise conflict(
                "an account exists for this employee already", ErrorCode.ALREADY_REGISTERED
            ) from None
        await ConsentService(self.session).record(
            user,
            policy,
            PurposeChoice(granted=payload["purposes_granted"], declined=payload["purposes_declined"]),
            language=cast(Language, payload["language"]),
            method="registration",
            now=datetime.fromisoformat(payload["consented_at"]),
            ip=payload["ip"],
            user_agent=payload["user_agent"],
        )
        return await SessionService(self.session, self.runtime).open(user, origin)


def _optional_choice(policy: PolicyVersion, stated: dict[str, bool]) -> PurposeChoice:
    """Registration accepts every required purpose; ``stated`` may only name optional ones."""
    required = {str(p["code"]) for p in policy.purposes if p["required"]}
    named_required = sorted(set(stated) & required)
    if named_required:
        raise invalid_field("optional_purposes", f"{', '.join(named_required)} is required, not optional")
    return resolve_choice(policy, {**stated, **dict.fromkeys(required, True)}, require_all=False)


class PasswordService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.codes = CodeService(session, runtime)
        self.rules = ThrottleRules(runtime)

    async def request_reset(self, email_raw: str, origin: Origin) -> Outcome:
        email = normalize_email(email_raw)
        await self.runtime.throttle.consume(self.rules.mail_ip.checks(origin.ip))
        user = await self.session.scalar(select(User).where(User.email == email))
        live = user is not None and user.status in (AccountStatus.ACTIVE, AccountStatus.INVITED)
        if user is None or not live or not await self.runtime.throttle.spend(self.rules.mail_address, email):
            await self.codes.spend_equivalent_work()
            return Outcome()
        minutes = self.runtime.settings.auth.code_ttl_minutes
        code = await self.codes.issue(
            CodePurpose.PASSWORD_RESET, email, ttl=timedelta(minutes=minutes), user_id=user.id
        )
        mail = compose(
            "password_reset_code",
            cast(Language, user.language),
            email,
            name=user.full_name,
            code=code,
            minutes=minutes,
        )
        return Outcome([mail])

    async def confirm_reset(self, data: PasswordResetConfirm, origin: Origin) -> None:
        """The code is checked before anything that depends on the account (the password rules name
        the employee number), so a wrong code answers the same whoever the email belongs to. A weak
        password with the right code rolls back, leaving the code live for a better try."""
        await self.runtime.throttle.consume(self.rules.code_ip.checks(origin.ip))
        email = normalize_email(data.email)
        user = await self.session.scalar(select(User).where(User.email == email).with_for_update())
        pending = await self.codes.consume(CodePurpose.PASSWORD_RESET, email, data.code)
        if user is None or pending.user_id != user.id or user.status == AccountStatus.DISABLED:
            raise AppError(400, ErrorCode.INVALID_CODE, "the code is not valid")
        roster_number = None
        if user.roster_entry_id is not None:
            roster_number = await self.session.scalar(
                select(RosterEntry.employee_number).where(RosterEntry.id == user.roster_entry_id)
            )
        check_password_strength(data.new_password, email=email, employee_number=roster_number)
        user.password_hash = await self.runtime.hasher.hash(data.new_password)
        user.status = AccountStatus.ACTIVE
        await SessionService(self.session, self.runtime).revoke_all(user.id, reason="password_reset")


class StaffService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.codes = CodeService(session, runtime)

    async def invite(self, data: StaffInvite, actor: Actor = SYSTEM_ACTOR) -> tuple[StaffUser, Outcome]:
        """An HR admin is group-wide unless ``companies`` names the companies they work on."""
        email = normalize_email(data.email)
        role = Role(data.role)
        if role is not Role.HR_ADMIN and data.companies is not None:
            raise invalid_field("companies", "only an HR admin works on chosen companies")
        scoped = role is Role.HR_ADMIN
        user, outcome = await self._invite(
            email,
            data.full_name.strip(),
            role,
            data.language,
            **({"hr_group_wide": data.companies is None} if scoped else {}),
        )
        scope = None
        if scoped:
            scope = await HrScopeService(self.session, self.runtime, actor).assign(
                user, group_wide=data.companies is None, companies=data.companies or [], field="companies"
            )
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor,
            "staff_invited",
            user.subject_ref,
            self.runtime.clock.now(),
            role=role.value,
            **({"group_wide": scope.group_wide, "companies": scope.companies} if scope else {}),
        )
        view = staff_view(user)
        view.hr_scope = scope
        return view, outcome

    async def invite_user(
        self, email: str, full_name: str, role: Role, language: Language, **attributes: Any
    ) -> tuple[StaffUser, Outcome]:
        """Create an account without a password and mail the code that sets one."""
        user, outcome = await self._invite(email, full_name, role, language, **attributes)
        return staff_view(user), outcome

    async def _invite(
        self, email: str, full_name: str, role: Role, language: Language, **attributes: Any
    ) -> tuple[User, Outcome]:
        user = User(
            email=email,
            full_name=full_name,
            role=role,
            status=AccountStatus.INVITED,
            language=language,
            **attributes,
        )
        try:
            async with self.session.begin_nested():
                self.session.add(user)
                await self.session.flush()
        except IntegrityError:
            raise conflict("an account with this email exists already") from None
        hours = self.runtime.settings.auth.invitation_ttl_hours
        code = await self.codes.issue(
            CodePurpose.PASSWORD_RESET, email, ttl=timedelta(hours=hours), user_id=user.id
        )
        mail = compose(
            "invitation", language, email, name=full_name, role=role.value, code=code, minutes=hours * 60
        )
        return user, Outcome([mail])

    async def create_admin(self, email_raw: str, full_name: str, password: str) -> User:
        email = normalize_email(email_raw)
        check_password_strength(password, email=email)
        if await self.session.scalar(select(User.id).where(User.email == email)) is not None:
            raise conflict("an account with this email exists already")
        user = User(
            email=email,
            full_name=full_name,
            role=Role.ADMIN,
            status=AccountStatus.ACTIVE,
            password_hash=await self.runtime.hasher.hash(password),
        )
        self.session.add(user)
        await self.session.flush()
        return user


def staff_view(user: User) -> StaffUser:
    return StaffUser(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        status=user.status,
        created_at=user.created_at,
    )


class ProfileService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, user_id: UUID) -> Profile:
        user, entry = (
            await self.session.execute(
                select(User, RosterEntry)
                .outerjoin(RosterEntry, RosterEntry.id == User.roster_entry_id)
                .where(User.id == user_id)
            )
        ).one()
        return _profile(user, entry)

    async def update(self, user_id: UUID, data: ProfileUpdate) -> Profile:
        managed = [name for name in HR_MANAGED_FIELDS if getattr(data, name) is not msgspec.UNSET]
        if managed:
            raise AppError(
                422,
                ErrorCode.FIELD_MANAGED_BY_HR,
                "these fields are kept by HR; file a rectification request to change them",
                errors=[{"field": name, "message": "managed by HR"} for name in managed],
            )
        user = await self.session.get_one(User, user_id, with_for_update=True)
        for name in ("full_name", "phone", "language"):
            value = getattr(data, name)
            if value is not msgspec.UNSET:
                setattr(user, name, value.strip() if isinstance(value, str) else value)
        await self.session.flush()
        return await self.get(user_id)


def _profile(user: User, entry: RosterEntry | None) -> Profile:
    return Profile(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        phone=user.phone,
        language=user.language,
        employee_number=entry.employee_number if entry else None,
        company=entry.company if entry else None,
        department=entry.department if entry else None,
        city=entry.city if entry else None,
        roles=[user.role],
        restricted=user.restricted_at is not None,
        created_at=user.created_at,
    )
