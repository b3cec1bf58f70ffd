"""argon2id for every secret we keep only as a hash (passwords, one-time codes), off the event loop."""

from __future__ import annotations

import secrets

import anyio
import argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from loyalty.settings import PasswordHashSettings


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
