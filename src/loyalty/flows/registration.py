"""Staff-only registration: HR's roster says who may register, the privacy policy in force is consented
to, and the account is created only when the emailed code comes back (identity, roster, privacy)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.access import Role
from loyalty.core.context import Origin
from loyalty.core.emails import normalize_email
from loyalty.core.errors import AppError, ErrorCode, invalid_field
from loyalty.core.persistence import insert_or_conflict
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language
from loyalty.db.locks import lock_until_commit
from loyalty.identity.models import AccountStatus, CodePurpose, OneTimeCode, User
from loyalty.identity.passwords import check_password_strength
from loyalty.identity.schemas import (
    RegisterRequest,
    TokenPair,
)
from loyalty.identity.services import CodeService, SessionService, ThrottleRules
from loyalty.notifications.services import NotificationService, Recipient
from loyalty.privacy.consent import record_consent
from loyalty.privacy.models import PolicyVersion
from loyalty.privacy.policies import PolicyService, PurposeChoice, resolve_choice
from loyalty.roster.models import EmploymentStatus, RosterEntry


class RegistrationService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.codes = CodeService(session, runtime)
        self.rules = ThrottleRules(runtime)
        self.outbox = NotificationService(session, runtime)

    async def register(self, data: RegisterRequest, origin: Origin, shown_language: Language) -> None:
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
        policy = await PolicyService(self.session, self.runtime).require_current_version(
            data.policy_version, now
        )
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
            return
        to = Recipient(email, entry.full_name, language)
        account = await self.session.scalar(select(User.id).where(User.roster_entry_id == entry.id))
        if account is not None:
            await self.runtime.hasher.verify(None, data.password)
            await self.codes.spend_equivalent_work()
            await self.outbox.mail("already_registered", {}, user_id=account, to=to)
            return
        contested_since = now - timedelta(hours=auth.contested_registration_hours)
        live = await self.codes.unfinished(CodePurpose.REGISTRATION, email, since=contested_since)
        live_hash = (live.payload or {}).get("password_hash") if live is not None else None
        if not await self.runtime.hasher.verify(live_hash, data.password) and live is not None:
            await self._contest(to, now)
            return
        password_required = await self._contested_since(email, contested_since)
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
        await self.outbox.mail(
            "registration_code_with_password" if password_required else "registration_code",
            {"minutes": auth.code_ttl_minutes},
            to=to,
            secret={"code": code},
        )

    async def _contest(self, to: Recipient, now: datetime) -> None:
        """Kill every unused registration code of the address and tell the address."""
        await self.session.execute(
            update(OneTimeCode)
            .where(
                OneTimeCode.email == to.email,
                OneTimeCode.purpose == CodePurpose.REGISTRATION,
                OneTimeCode.consumed_at.is_(None),
            )
            # The rivals' passwords, names and addresses are not kept.
            .values(consumed_at=now, payload={"contested": True})
        )
        await self.codes.spend_equivalent_work()
        hours = self.runtime.settings.auth.contested_registration_hours
        await self.outbox.mail("registration_contested", {"hours": hours}, to=to)

    async def _contested_since(self, email: str, since: datetime) -> bool:
        """Whether a collision killed the address's codes since ``since``: codes then need the password."""
        contested = await self.session.scalar(
            select(OneTimeCode.id)
            .where(
                OneTimeCode.email == email,
                OneTimeCode.purpose == CodePurpose.REGISTRATION,
                OneTimeCode.consumed_at > since,
                OneTimeCode.payload.contains({"contested": True}),
            )
            .limit(1)
        )
        return contested is not None

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
        await insert_or_conflict(
            self.session, user, "an account exists for this employee already", ErrorCode.ALREADY_REGISTERED
        )
        await record_consent(
            self.session,
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
