"""Opaque keyset cursors: the last row's sort key, signed so a client can neither forge nor reuse one
from another list."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import msgspec
from litestar.params import Parameter

from loyalty.core.errors import AppError, ErrorCode

DEFAULT_LIMIT = 20
R = TypeVar("R")
MAX_CURSOR_LENGTH = 2048
Limit = Annotated[int, Parameter(ge=1, le=100, description="page size, 1-100")]
Cursor = Annotated[
    str | None, Parameter(max_length=MAX_CURSOR_LENGTH, description="next_cursor of the previous page")
]


class CursorCodec:
    def __init__(self, secret_key: str) -> None:
        self._key = hashlib.sha256(b"cursor:" + secret_key.encode()).digest()

    def encode(self, scope: str, key: list[Any]) -> str:
        payload = msgspec.json.encode([scope, key])
        signature = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(signature + payload).rstrip(b"=").decode()

    def page(
        self, scope: str, rows: list[R], limit: int, key: Callable[[R], list[Any]]
    ) -> tuple[list[R], str | None]:
        """The first ``limit`` of ``rows`` (fetched as ``limit + 1``) and, when there were more, the cursor
        that continues after the last of them."""
        page = rows[:limit]
        return page, (self.encode(scope, key(page[-1])) if len(rows) > limit else None)

    def decode(self, scope: str, cursor: str) -> list[Any]:
        """The key inside ``cursor``; 422 ``invalid_cursor`` when it was altered or made for another list."""
        try:
            if len(cursor) > MAX_CURSOR_LENGTH:
                raise ValueError
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            signature, payload = raw[:16], raw[16:]
            expected = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
            if not hmac.compare_digest(signature, expected):
                raise ValueError
            found_scope, key = msgspec.json.decode(payload, type=tuple[str, list[Any]])
            if found_scope != scope:
                raise ValueError
            return key
        except (ValueError, msgspec.DecodeError):
            raise AppError(422, ErrorCode.INVALID_CURSOR, "the cursor is not valid for this list") from None
