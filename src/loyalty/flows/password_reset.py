"""Someone who forgot their password asks for a code: identity issues it, the outbox mails it in the same
transaction (sealed, so the code never sits in the database in plain text)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.context import Origin
from loyalty.core.runtime import Runtime
from loyalty.identity.services import PasswordService
from loyalty.notifications.services import NotificationService
from loyalty.roster.profile import employee_numbers


class RequestPasswordReset:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.passwords = PasswordService(session, runtime, employee_numbers(session))
        self.outbox = NotificationService(session, runtime)
        self.runtime = runtime

    async def request(self, email: str, origin: Origin) -> None:
        """The same answer whether or not the address has an account (the caller answers 202 either way)."""
        issued = await self.passwords.request_reset(email, origin)
        if issued is None:
            return
        user, code = issued
        await self.outbox.mail(
            "password_reset_code",
            {"minutes": self.runtime.settings.auth.code_ttl_minutes},
            user_id=user.id,
            secret={"code": code},
        )
