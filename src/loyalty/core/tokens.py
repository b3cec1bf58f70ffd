"""Access tokens (short-lived JWTs, one audience per token kind) and opaque refresh tokens."""

from __future__ import annotations

import functools
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import jwt

ISSUER = "loyalty"
ALGORITHM = "HS256"
VERIFIED_TOKENS = 4096  # about 2 MB at most


class TokenKind(StrEnum):
    ACCESS = "loyalty:access"


class InvalidToken(Exception):
    """The token is malformed, forged, expired, or of another kind."""


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: uuid.UUID
    session_id: uuid.UUID
    role: str


class TokenService:
    def __init__(self, secret_key: str, access_ttl_seconds: int) -> None:
        # A key derived per purpose, so no other signed thing of ours can pass as a token.
        self._key = hashlib.sha256(b"jwt:" + secret_key.encode()).digest()
        self.access_ttl_seconds = access_ttl_seconds
        self._verified = functools.lru_cache(maxsize=VERIFIED_TOKENS)(self._verify)

    def issue_access(self, claims: AccessClaims, now: datetime) -> str:
        payload: dict[str, Any] = {
            "iss": ISSUER,
            "aud": TokenKind.ACCESS.value,
            "sub": str(claims.user_id),
            "sid": str(claims.session_id),
            "role": claims.role,
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(seconds=self.access_ttl_seconds)).timestamp()),
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode(payload, self._key, algorithm=ALGORITHM)

    def encode(self, kind: TokenKind | str, payload: dict[str, Any]) -> str:
        """Sign an arbitrary token of ``kind``; used by tests to prove kinds do not mix."""
        return jwt.encode({"iss": ISSUER, "aud": str(kind), **payload}, self._key, algorithm=ALGORITHM)

    def decode_access(self, token: str, now: datetime) -> AccessClaims:
        claims, expires_at = self._verified(token)
        # Expiry is judged by the service's clock on every request, not once when the token was verified.
        if expires_at <= now.timestamp():
            raise InvalidToken("expired")
        return claims

    def _verify(self, token: str) -> tuple[AccessClaims, float]:
        """The claims of a token signed by us for access, and when it expires. An app keeps the last
        :data:`VERIFIED_TOKENS` it verified (``_verified``): a client sends the same token for its 15
        minutes, and checking the signature again cost about a tenth of a catalog request. Only tokens
        that verify are kept; a forged one is checked (and refused) every time."""
        try:
            # Expiry and issue time are judged by the service's clock, not PyJWT's wall clock.
            payload = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=TokenKind.ACCESS.value,
                issuer=ISSUER,
                options={
                    "require": ["exp", "iat", "sub", "sid", "aud", "iss"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
            claims = AccessClaims(
                user_id=uuid.UUID(payload["sub"]),
                session_id=uuid.UUID(payload["sid"]),
                role=str(payload["role"]),
            )
            return claims, float(payload["exp"])
        except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
            raise InvalidToken(type(exc).__name__) from None


def new_refresh_token() -> tuple[str, bytes]:
    """A 256-bit opaque token and the SHA-256 we store (high entropy, so a fast hash is enough)."""
    token = secrets.token_urlsafe(32)
    return token, refresh_token_hash(token)


def refresh_token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
