"""Erasure started by a person or an admin: the checks that decide it, then the registry-driven erasure
of :func:`loyalty.privacy.rights.erase` (which also cancels open codes) in the same transaction."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.context import Actor
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.runtime import Runtime
from loyalty.identity.models import User
from loyalty.identity.services import ThrottleRules
from loyalty.privacy.rights import erase, erase_person, find_person
from loyalty.staff.accounts import StaffAccountService


async def erase_me(
    session: AsyncSession, runtime: Runtime, user_id: UUID, password: str, actor: Actor, ip: str | None
) -> str:
    """Self-service erasure, confirmed by the password. Wrong passwords count against the same rules as
    failed logins (the same counters, so guessing here does not add to guesses there): 429
    ``rate_limited`` once spent."""
    person = await find_person(session, user_id, lock=True)
    account = (await session.execute(select(User.email, User.password_hash).where(User.id == user_id))).one()
    rules = ThrottleRules(runtime)
    account_ip = await rules.password_attempt(account.email, ip)
    if not await runtime.hasher.verify(account.password_hash, password):
        raise AppError(401, ErrorCode.INVALID_CREDENTIALS, "the password is not right")
    await rules.password_right(account_ip)
    return await erase_person(session, runtime, person, actor, reason="self-service")


async def erase_staff_account(staff_accounts: StaffAccountService, user_id: UUID) -> str:
    """An admin erases a staff account as the privacy rules erase a person; answers the pseudonym left."""
    await staff_accounts.lock_for_erasure(user_id)
    return await erase(
        staff_accounts.session,
        staff_accounts.runtime,
        user_id,
        staff_accounts.actor,
        reason="staff_account_erased",
    )
