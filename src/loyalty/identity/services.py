"""Accounts and sessions: staff-only registration, login, refresh-token rotation with reuse detection,
logout, password reset and staff invitations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.context import Origin
from loyalty.core.emails import normalize_email
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.metrics import LOGINS_FAILED
from loyalty.core.runtime import Runtime
from loyalty.core.throttle import NetworkRule, Rule, client_buckets
from loyalty.core.tokens import AccessClaims, new_refresh_token, refresh_token_hash
from loyalty.identity.models import AccountStatus, AuthSession, CodePurpose, OneTimeCode, RefreshToken, User
from loyalty.identity.passwords import check_password_strength, new_numeric_code
from loyalty.identity.schemas import (
    PasswordResetConfirm,
    TokenPair,
)


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


# Tells a person about their account's security (a sign-in from a new client, a changed password) in the
# request's transaction: (user id, template, values). Notifications sit above identity, so the app injects
# it (identity/controllers.py); without it nothing is told.
SecurityNotice = Callable[[UUID, str, Mapping[str, str]], Awaitable[object]]
# A sign-in from a client (user agent) the person has not signed in from for this long counts as new.
NEW_CLIENT_AFTER = timedelta(days=90)


def security_stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC")


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
    def __init__(
        self, session: AsyncSession, runtime: Runtime, security_notice: SecurityNotice | None = None
    ) -> None:
        self.session = session
        self.runtime = runtime
        self.rules = ThrottleRules(runtime)
        self.security_notice = security_notice

    async def _new_client(self, user_id: UUID, origin: Origin, now: datetime) -> bool:
        """Someone who signed in before, from a client not seen for :data:`NEW_CLIENT_AFTER` (a first
        sign-in ever is expected, not news)."""
        recent = await self.session.scalars(
            select(AuthSession.user_agent)
            .where(AuthSession.user_id == user_id, AuthSession.created_at > now - NEW_CLIENT_AFTER)
            .distinct()
        )
        seen = set(recent)
        if seen:
            return origin.user_agent not in seen
        return (
            await self.session.scalar(select(AuthSession.id).where(AuthSession.user_id == user_id).limit(1))
            is not None
        )

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
            LOGINS_FAILED.inc()
            raise AppError(401, ErrorCode.INVALID_CREDENTIALS, "wrong email or password")
        await self.rules.password_right(account_ip)
        await throttle.spend(self.rules.known_device, account_ip)
        assert user.password_hash is not None
        if self.runtime.hasher.needs_rehash(user.password_hash):
            user.password_hash = await self.runtime.hasher.hash(password)
        now = self.runtime.clock.now()
        user.last_login_at = now
        if self.security_notice is not None and await self._new_client(user.id, origin, now):
            client = (origin.user_agent or "?")[:120]
            await self.security_notice(user.id, "new_sign_in", {"client": client, "at": security_stamp(now)})
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


class PasswordService:
    """``employee_number_of`` answers the employee number of a roster entry (the roster is above
    identity), for the rule that a password must not contain it."""

    def __init__(
        self,
        session: AsyncSession,
        runtime: Runtime,
        employee_number_of: Callable[[UUID], Awaitable[str | None]],
        security_notice: SecurityNotice | None = None,
    ) -> None:
        self.session = session
        self.runtime = runtime
        self.employee_number_of = employee_number_of
        self.security_notice = security_notice
        self.codes = CodeService(session, runtime)
        self.rules = ThrottleRules(runtime)

    async def request_reset(self, email_raw: str, origin: Origin) -> tuple[User, str] | None:
        """The account and its new reset code, or None (no live account, or the address's mails are
        spent), after the same work either way; mailing the code is the caller's
        (``loyalty.flows.password_reset``)."""
        email = normalize_email(email_raw)
        await self.runtime.throttle.consume(self.rules.mail_ip.checks(origin.ip))
        user = await self.session.scalar(select(User).where(User.email == email))
        live = user is not None and user.status in (AccountStatus.ACTIVE, AccountStatus.INVITED)
        if user is None or not live or not await self.runtime.throttle.spend(self.rules.mail_address, email):
            await self.codes.spend_equivalent_work()
            return None
        minutes = self.runtime.settings.auth.code_ttl_minutes
        code = await self.codes.issue(
            CodePurpose.PASSWORD_RESET, email, ttl=timedelta(minutes=minutes), user_id=user.id
        )
        return user, code

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
            roster_number = await self.employee_number_of(user.roster_entry_id)
        check_password_strength(data.new_password, email=email, employee_number=roster_number)
        user.password_hash = await self.runtime.hasher.hash(data.new_password)
        changed = user.status != AccountStatus.INVITED  # an invited person sets their first password
        user.status = AccountStatus.ACTIVE
        await SessionService(self.session, self.runtime).revoke_all(user.id, reason="password_reset")
        if changed and self.security_notice is not None:
            at = security_stamp(self.runtime.clock.now())
            await self.security_notice(user.id, "password_changed", {"at": at})
