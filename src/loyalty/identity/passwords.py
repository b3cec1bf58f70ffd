"""argon2id for passwords and one-time codes, run in worker threads under a concurrency bound so the
event loop never waits on a hash; and the password rules people are held to."""

from __future__ import annotations

import secrets
from functools import cache
from importlib import resources

import anyio
import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from loyalty.core.errors import AppError, ErrorCode
from loyalty.settings import PasswordHashSettings

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128


class SecretHasher:
    def __init__(self, settings: PasswordHashSettings) -> None:
        self._hasher = argon2.PasswordHasher(
            time_cost=settings.time_cost,
            memory_cost=settings.memory_kib,
            parallelism=settings.parallelism,
            hash_len=32,
            salt_len=16,
            type=argon2.Type.ID,
        )
        self._limiter = anyio.CapacityLimiter(settings.concurrency)
        self._dummy_hash: str | None = None

    async def hash(self, secret: str) -> str:
        return await anyio.to_thread.run_sync(self._hasher.hash, secret, limiter=self._limiter)

    async def verify(self, stored_hash: str | None, secret: str) -> bool:
        """True when ``secret`` matches. With no stored hash a dummy hash is verified anyway, so an
        unknown account costs the same time as a wrong password."""
        if stored_hash is None:
            stored_hash = await self._dummy()
            await anyio.to_thread.run_sync(self._verify, stored_hash, secret, limiter=self._limiter)
            return False
        return await anyio.to_thread.run_sync(self._verify, stored_hash, secret, limiter=self._limiter)

    def needs_rehash(self, stored_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def _verify(self, stored_hash: str, secret: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, secret)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self.hash(secrets.token_urlsafe(16))
        return self._dummy_hash


def new_numeric_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("loyalty.identity").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_password_strength(password: str, *, email: str, employee_number: str | None = None) -> None:
    """Raise 422 ``weak_password`` with the reason when ``password`` breaks a rule."""
    reason = None
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        reason = f"at least {MIN_PASSWORD_LENGTH} characters"
    elif len(password) > MAX_PASSWORD_LENGTH:
        reason = f"at most {MAX_PASSWORD_LENGTH} characters"
    elif len(set(password)) < 3:
        reason = "too few different characters"
    elif lowered in common_passwords():
        reason = "too common"
    elif lowered in {email.lower(), email.split("@", 1)[0].lower()}:
        reason = "must not be your email"
    elif employee_number and lowered == employee_number.lower():
        reason = "must not be your employee number"
    if reason:
        raise AppError(
            422,
            ErrorCode.WEAK_PASSWORD,
            f"the password is too weak: {reason}",
            errors=[{"field": "password", "message": reason}],
        )
