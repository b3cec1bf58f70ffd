"""Conditional GETs for reads a phone repeats (the catalog, ``/me``): an ``ETag`` from the encoded body,
``304 Not Modified`` without a body when the client's ``If-None-Match`` names it, and ``Cache-Control:
private, no-cache`` (the answer is the caller's own: a shared cache must not keep it, and the phone may
keep it but asks again each time, cheaply, since limits and availability change).

A route declares it with ``**REVALIDATED`` on its decorator (or on its controller): Litestar then builds
its answers with :class:`RevalidatedResponse`. The handler still runs, so every rule is applied as for
a full answer; what is saved is the transfer. The tag is weak (``W/``): it names the JSON, which is
the same whether it travels gzip-, brotli- or un-compressed (compression runs after this).
"""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Litestar, Request, Response
from litestar.background_tasks import BackgroundTask, BackgroundTasks
from litestar.datastructures import CacheControlHeader
from litestar.enums import MediaType
from litestar.response.base import ASGIResponse
from litestar.types import TypeEncodersMap

PRIVATE_REVALIDATE = CacheControlHeader(private=True, no_cache=True)


class RevalidatedResponse(Response[Any]):
    def to_asgi_response(
        self,
        app: Litestar | None,
        request: Request[Any, Any, Any],
        *,
        background: BackgroundTask | BackgroundTasks | None = None,
        cookies: Any = None,
        encoded_headers: Any = None,
        headers: dict[str, str] | None = None,
        is_head_response: bool = False,
        media_type: MediaType | str | None = None,
        status_code: int | None = None,
        type_encoders: TypeEncodersMap | None = None,
    ) -> ASGIResponse:
        response = super().to_asgi_response(
            app,
            request,
            background=background,
            cookies=cookies,
            encoded_headers=encoded_headers,
            headers=headers,
            is_head_response=is_head_response,
            media_type=media_type,
            status_code=status_code,
            type_encoders=type_encoders,
        )
        if request.method != "GET" or response.status_code != 200:
            return response
        tag = entity_tag(response.body)
        response.headers["etag"] = tag
        if matches(request.headers.get("if-none-match"), tag):
            response.status_code = 304
            response.body = b""
            del response.headers["content-type"]
            del response.headers["content-length"]
        return response


def entity_tag(body: bytes) -> str:
    # blake2b is in hashlib and hashes a 20 KB page in ~20 µs; 128 bits never collide by chance.
    return f'W/"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """RFC 9110 §13.1.2: ``*`` or any listed tag, compared weakly (the ``W/`` prefix ignored)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    opaque = tag.removeprefix("W/")
    return any(candidate.strip().removeprefix("W/") == opaque for candidate in if_none_match.split(","))


REVALIDATED: dict[str, Any] = {"response_class": RevalidatedResponse, "cache_control": PRIVATE_REVALIDATE}
