"""Throttling of guessable actions (login, codes, mail), shared across app instances through Redis
when ``LOYALTY_REDIS_URL`` is set, in-process otherwise. Windows slide and expire: nothing here is a
hard lock-out an attacker could hold over a victim.

When Redis cannot be reached, throttling goes on per process (each worker counts in its own memory,
so a client gets at most the number of worker processes times its budget) rather than failing
closed, which would stop every login and code check for as long as an optional store is away. The
outage is logged once (``throttle_redis_unavailable``) and its end once (``throttle_redis_restored``);
meanwhile Redis is tried again every ``REDIS_RETRY_SECONDS``, not on every request.

Client buckets follow how addresses are really handed out. An IPv4 address is one bucket: behind
NAT it is a whole office, which is why per-address budgets count failures, not successful logins.
An IPv6 client is its /64 (one host or one LAN holds a whole /64), and, because an ordinary site is
given a /48 (65,536 /64s), each /64 also spends from its /48's aggregate bucket, whose budget is
``LOYALTY_AUTH_IPV6_SITE_MULTIPLIER`` times one client's. An IPv4-mapped IPv6 address
(``::ffff:a.b.c.d``, what a dual-stack socket reports for an IPv4 peer) is the IPv4 address.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import redis.asyncio as redis
import structlog
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string

from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.metrics import THROTTLE_REJECTIONS

log = structlog.get_logger("loyalty.throttle")
T = TypeVar("T")
# While Redis is away, how often a request tries it again instead of counting in memory.
REDIS_RETRY_SECONDS = 5.0
# A Redis that does not answer must not hold a login for long.
REDIS_TIMEOUT_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    limit: int
    window_seconds: int

    @property
    def item(self) -> RateLimitItemPerSecond:
        return RateLimitItemPerSecond(self.limit, self.window_seconds, namespace=f"loyalty:{self.name}")


@dataclass(frozen=True, slots=True)
class ClientBuckets:
    """The throttling units one client address counts in: ``client`` always, ``site`` for IPv6."""

    client: str
    site: str | None = None


def client_buckets(ip: str | None) -> ClientBuckets:
    if not ip:
        return ClientBuckets("unknown")
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ClientBuckets(ip)
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return ClientBuckets(str(address.ipv4_mapped))
        return ClientBuckets(
            str(ipaddress.ip_network(f"{address}/64", strict=False)),
            str(ipaddress.ip_network(f"{address}/48", strict=False)),
        )
    return ClientBuckets(str(address))


@dataclass(frozen=True, slots=True)
class NetworkRule:
    """A budget per client bucket and a larger one per IPv6 site (/48); see the module docstring."""

    client: Rule
    site: Rule

    @classmethod
    def of(cls, name: str, limit: int, window_seconds: int, site_multiplier: int) -> NetworkRule:
        return cls(
            Rule(name, limit, window_seconds),
            Rule(f"{name}-site", limit * site_multiplier, window_seconds),
        )

    def checks(self, ip: str | None) -> list[tuple[Rule, str]]:
        buckets = client_buckets(ip)
        checks = [(self.client, buckets.client)]
        if buckets.site is not None:
            checks.append((self.site, buckets.site))
        return checks


Limiter = SlidingWindowCounterRateLimiter


class Throttle:
    def __init__(self, secret_key: str, redis_url: str | None) -> None:
        self._salt = hashlib.sha256(b"throttle:" + secret_key.encode()).digest()
        self._memory = Limiter(MemoryStorage())
        self._shared: Limiter | None = None
        self._redis_connections: redis.ConnectionPool | None = None
        if redis_url:
            self._redis_connections = redis.ConnectionPool.from_url(
                redis_url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
            )
            storage: Storage = storage_from_string(  # type: ignore[assignment]
                f"async+{redis_url}",
                implementation="redispy",
                wrap_exceptions=True,  # every failure of Redis is a StorageError
                connection_pool=self._redis_connections,  # type: ignore[arg-type]  # passed on to redis-py
            )
            self._shared = Limiter(storage)
        self._shared_failed_at: float | None = None  # None while Redis answers

    @property
    def degraded(self) -> bool:
        """Redis is configured but away: counting per process."""
        return self._shared_failed_at is not None

    async def _with_limiter(self, work: Callable[[Limiter], Awaitable[T]]) -> T:
        """``work`` on Redis when it is configured and answers, else on this process's memory."""
        failed_at = self._shared_failed_at
        if self._shared is not None and (
            failed_at is None or time.monotonic() - failed_at >= REDIS_RETRY_SECONDS
        ):
            try:
                result = await work(self._shared)
            except (StorageError, OSError) as exc:
                await self._drop_redis_connections()
                if failed_at is None:
                    log.warning(
                        "throttle_redis_unavailable",
                        fallback="per-process limits",
                        error_type=type(getattr(exc, "storage_error", exc)).__name__,
                    )
                self._shared_failed_at = time.monotonic()
            else:
                if failed_at is not None:
                    self._shared_failed_at = None
                    log.warning("throttle_redis_restored")
                return result
        return await work(self._memory)

    async def _drop_redis_connections(self) -> None:
        """Close every pooled connection to Redis: a socket idle in the pool through an outage is dead, and
        reusing it after Redis returns would be taken for a second outage."""
        if self._redis_connections is not None:
            with contextlib.suppress(Exception):
                await self._redis_connections.disconnect()

    def _key(self, identifier: str) -> str:
        # Emails and IPs never reach Redis in plain text.
        return hashlib.blake2b(identifier.encode(), key=self._salt, digest_size=12).hexdigest()

    async def retry_after(self, rule: Rule, identifier: str) -> int | None:
        """Seconds until ``identifier`` may try again under ``rule``, or None when it may now."""
        key = self._key(identifier)

        async def work(limiter: Limiter) -> int | None:
            if await limiter.test(rule.item, key):
                return None
            stats = await limiter.get_window_stats(rule.item, key)
            return max(1, math.ceil(stats.reset_time - time.time()))

        return await self._with_limiter(work)

    async def spend(self, rule: Rule, identifier: str) -> bool:
        """Count one use under ``rule``, atomically (a Lua script on Redis); False, counting nothing,
        when the rule was already spent."""
        key = self._key(identifier)
        return await self._with_limiter(lambda limiter: limiter.hit(rule.item, key))

    async def is_spent(self, rule: Rule, identifier: str) -> bool:
        key = self._key(identifier)
        return not await self._with_limiter(lambda limiter: limiter.test(rule.item, key))

    async def clear(self, rule: Rule, identifier: str) -> None:
        key = self._key(identifier)
        await self._with_limiter(lambda limiter: limiter.clear(rule.item, key))

    async def require_unspent(self, checks: list[tuple[Rule, str]]) -> None:
        """429 ``rate_limited`` when any rule is spent already, counting nothing: for budgets that only
        failures spend (see :meth:`spend_all`). Simultaneous requests may pass this check together, so
        such a budget can be overrun by at most the requests in flight at once from that bucket."""
        refused = [(rule, identifier) for rule, identifier in checks if await self.is_spent(rule, identifier)]
        if refused:
            raise rate_limited(
                max([await self.retry_after(rule, identifier) or 1 for rule, identifier in refused]),
                refused[0][0],
            )

    async def spend_all(self, checks: list[tuple[Rule, str]]) -> None:
        for rule, identifier in checks:
            await self.spend(rule, identifier)

    async def consume(self, checks: list[tuple[Rule, str]]) -> None:
        """Count one attempt against every rule before the work it protects, atomically per rule (a Lua
        script on Redis), in order; 429 ``rate_limited`` with ``Retry-After`` at the first rule already spent.
        Counting first keeps a burst of simultaneous attempts from slipping through together."""
        for rule, identifier in checks:
            # Stop at the first refusal: a client whose own bucket is spent must not go on draining the
            # buckets it shares with others (its /48 site), or one host could lock out its neighbours.
            if not await self.spend(rule, identifier):
                raise rate_limited(await self.retry_after(rule, identifier) or 1, rule)


def rate_limited(retry_after: int, rule: Rule) -> AppError:
    THROTTLE_REJECTIONS.labels(rule.name).inc()
    return AppError(
        429,
        ErrorCode.RATE_LIMITED,
        "too many attempts; try again later",
        headers={"Retry-After": str(retry_after)},
    )
