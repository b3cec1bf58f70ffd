"""``Idempotency-Key``: the first answer to a create request is kept for 24 hours and replayed to its
retries; the same key with another body is refused.

The key row is inserted first in the request's transaction, so simultaneous retries wait on its unique
index until the first request commits, then replay its answer. If the first request fails, its
transaction (and the key row) rolls back and a retry runs afresh.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Uuid,
    bindparam,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.prepared import Prepared
from loyalty.db.base import NaturalKeyBase

KEY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 200


class IdempotencyKey(NaturalKeyBase):
    """The first answer to a request made with an ``Idempotency-Key``, replayed to its retries."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (Index("ix_idempotency_keys_expires", "expires_at"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[bytes] = mapped_column(LargeBinary(32))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[Any | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True, slots=True)
class Replay:
    status_code: int
    body: Any


def fingerprint(method: str, path: str, body: bytes) -> bytes:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).digest()


def valid_key(key: str | None) -> str | None:
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise AppError(
            422,
            ErrorCode.VALIDATION_FAILED,
            "Idempotency-Key must be 1-200 printable characters",
            errors=[{"field": "Idempotency-Key", "message": "1-200 printable characters"}],
        )
    return key


_KEY = {
    "user_id": bindparam("user_id", type_=Uuid),
    "key": bindparam("key", type_=String),
}
_CLAIM = Prepared(
    insert(IdempotencyKey)
    .values(
        user_id=_KEY["user_id"],
        key=_KEY["key"],
        fingerprint=bindparam("fingerprint", type_=LargeBinary),
        created_at=bindparam("now", type_=DateTime(timezone=True)),
        expires_at=bindparam("expires_at", type_=DateTime(timezone=True)),
    )
    .on_conflict_do_update(
        index_elements=[IdempotencyKey.user_id, IdempotencyKey.key],
        set_={
            "fingerprint": bindparam("fingerprint", type_=LargeBinary),
            "status_code": None,
            "body": None,
            "created_at": bindparam("now", type_=DateTime(timezone=True)),
            "expires_at": bindparam("expires_at", type_=DateTime(timezone=True)),
        },
        where=IdempotencyKey.expires_at <= bindparam("now", type_=DateTime(timezone=True)),
    )
    .returning(IdempotencyKey.key)
)
_FIRST_ANSWER = Prepared(
    select(IdempotencyKey.fingerprint, IdempotencyKey.status_code, IdempotencyKey.body).where(
        IdempotencyKey.user_id == _KEY["user_id"], IdempotencyKey.key == _KEY["key"]
    )
)
_REMEMBER = Prepared(
    update(IdempotencyKey)
    .where(IdempotencyKey.user_id == _KEY["user_id"], IdempotencyKey.key == _KEY["key"])
    .values(status_code=bindparam("status_code", type_=Integer), body=bindparam("body", type_=JSONB))
)


async def claim(
    connection: asyncpg.Connection, user_id: UUID, key: str, request_fingerprint: bytes, now: datetime
) -> Replay | None:
    """None when this request owns the key (first use, or the old use expired); else the first answer.
    Runs in the caller's transaction on ``connection``."""
    owned = await _CLAIM.fetchval(
        connection,
        user_id=user_id,
        key=key,
        fingerprint=request_fingerprint,
        now=now,
        expires_at=now + KEY_TTL,
    )
    if owned is not None:
        return None
    first = await _FIRST_ANSWER.fetchrow(connection, user_id=user_id, key=key)
    assert first is not None  # the claim found the row; nothing deletes it inside this transaction
    if first["fingerprint"] != request_fingerprint:
        raise AppError(
            422, ErrorCode.IDEMPOTENCY_KEY_REUSED, "this Idempotency-Key was used with another request"
        )
    return Replay(first["status_code"], first["body"])


async def remember(
    connection: asyncpg.Connection, user_id: UUID, key: str, status_code: int, body: Any
) -> None:
    # The connection's JSONB codec takes JSON text.
    await _REMEMBER.fetch(
        connection, user_id=user_id, key=key, status_code=status_code, body=msgspec.json.encode(body).decode()
    )
