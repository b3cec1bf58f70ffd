"""Throttling of guessable actions (login, codes, mail), shared across app instances through Redis
when ``LOYALTY_REDIS_URL`` is set, in-process otherwise. Windows slide and expire: nothing here is a
hard lock-out an attacker could hold over a victim."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string

from loyalty.core.errors import AppError, ErrorCode


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    limit: int
    window_seconds: int

    @property
    def item(self) -> RateLimitItemPerSecond:
        return RateLimitItemPerSecond(self.limit, self.window_seconds, namespace=f"loyalty:{self.name}")


class Throttle:
    def __init__(self, secret_key: str, redis_url: str | None) -> None:
        self._salt = hashlib.sha256(b"throttle:" + secret_key.encode()).digest()
        storage: Storage
        if redis_url:
            storage = storage_from_string(f"async+{redis_url}", implementation="redispy")  # type: ignore[assignment]
        else:
            storage = MemoryStorage()
        self.storage = storage
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    def _key(self, identifier: str) -> str:
        # Emails and IPs never reach Redis in plain text.
        return hashlib.blake2b(identifier.encode(), key=self._salt, digest_size=12).hexdigest()

    async def retry_after(self, rule: Rule, identifier: str) -> int | None:
        """Seconds until ``identifier`` may try again under ``rule``, or None when it may now."""
        key = self._key(identifier)
        if await self._limiter.test(rule.item, key):
            return None
        stats = await self._limiter.get_window_stats(rule.item, key)
        return max(1, math.ceil(stats.reset_time - time.time()))

    async def spend(self, rule: Rule, identifier: str) -> bool:
        """Count one use under ``rule``, atomically (a Lua script on Redis); False, counting nothing,
        when the rule was already spent."""
        return await self._limiter.hit(rule.item, self._key(identifier))

    async def is_spent(self, rule: Rule, identifier: str) -> bool:
        return not await self._limiter.test(rule.item, self._key(identifier))

    async def clear(self, rule: Rule, identifier: str) -> None:
        await self._limiter.clear(rule.item, self._key(identifier))

    async def consume(self, checks: list[tuple[Rule, str]]) -> None:
        """Count one attempt against every rule before the work it protects, atomically per rule (a Lua
        script on Redis); 429 ``rate_limited`` with ``Retry-After`` when any rule was already spent.
        Counting first keeps a burst of simultaneous attempts from slipping through together."""
        refused = [
            (rule, identifier) for rule, identifier in checks if not await self.spend(rule, identifier)
        ]
        if refused:
            raise rate_limited(
                max([await self.retry_after(rule, identifier) or 1 for rule, identifier in refused])
            )


def rate_limited(retry_after: int) -> AppError:
    return AppError(
        429,
        ErrorCode.RATE_LIMITED,
        "too many attempts; try again later",
        headers={"Retry-After": str(retry_after)},
    )
