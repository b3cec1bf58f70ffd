"""Where a request comes from, honouring only as many proxy hops as configured."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection


def client_ip(connection: ASGIConnection[Any, Any, Any, Any], trusted_proxy_hops: int) -> str | None:
    if trusted_proxy_hops > 0:
        # Every X-Forwarded-For line counts: a proxy that appends a line of its own (instead of extending
        # the client's) must not let the client's first line speak for it.
        forwarded = ",".join(connection.headers.getall("x-forwarded-for", []))
        if forwarded:
            hops = [part.strip() for part in forwarded.split(",") if part.strip()]
            if len(hops) >= trusted_proxy_hops:
                return hops[-trusted_proxy_hops][:64]
    client = connection.client
    return client.host[:64] if client else None


def user_agent(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    agent = connection.headers.get("user-agent")
    return agent[:512] if agent else None
