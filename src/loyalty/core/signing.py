"""Ed25519-signed QR payloads a till can verify offline with the published key; signed one-click
unsubscribe links."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

QR_AUDIENCE = "loyalty:till"
QR_ISSUER = "loyalty"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class QrSigner:
    def __init__(self, secret_key: str) -> None:
        seed = hmac.new(secret_key.encode(), b"qr-signing-key:ed25519", hashlib.sha256).digest()
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        public = self._private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = _b64(hashlib.sha256(public).digest()[:12])
        self.jwk: dict[str, str] = {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": _b64(public),
            "kid": self.key_id,
            "alg": "EdDSA",
            "use": "sig",
        }

    def sign(
        self,
        *,
        redemption_id: UUID,
        offer_id: UUID,
        partner_id: UUID,
        code: str,
        issued_at: datetime,
        expires_at: datetime,
    ) -> str:
        claims = {
            "iss": QR_ISSUER,
            "aud": QR_AUDIENCE,
            "jti": str(redemption_id),
            "offer_id": str(offer_id),
            "partner_id": str(partner_id),
            "code": code,
            "iat": int(issued_at.timestamp()),
            "exp": int(expires_at.timestamp()),
        }
        return jwt.encode(claims, self._private, algorithm="EdDSA", headers={"kid": self.key_id})

    def verify(self, token: str) -> dict[str, Any]:
        """What a till does offline with the published key."""
        claims: dict[str, Any] = jwt.decode(
            token,
            jwt.PyJWK(self.jwk),
            algorithms=["EdDSA"],
            audience=QR_AUDIENCE,
            issuer=QR_ISSUER,
            options={"require": ["exp", "iat", "jti", "code"]},
        )
        return claims


UNSUBSCRIBE_AUDIENCE = "loyalty:unsubscribe"
UNSUBSCRIBE_LIFETIME = timedelta(days=365)


class LinkSigner:
    """One-click unsubscribe links (RFC 8058): the link itself is the credential, so it names exactly one
    person, topic and channel and is signed with a key derived for this use only."""

    def __init__(self, secret_key: str) -> None:
        self._key = hmac.new(secret_key.encode(), b"unsubscribe-link:hs256", hashlib.sha256).digest()

    def unsubscribe_token(self, *, user_id: UUID, topic: str, channel: str, now: datetime) -> str:
        claims = {
            "aud": UNSUBSCRIBE_AUDIENCE,
            "sub": str(user_id),
            "topic": topic,
            "channel": channel,
            "exp": int((now + UNSUBSCRIBE_LIFETIME).timestamp()),
        }
        return jwt.encode(claims, self._key, algorithm="HS256")

    def read_unsubscribe(self, token: str) -> tuple[UUID, str, str] | None:
        """(person, topic, channel) of a valid link; None for anything else."""
        try:
            claims = jwt.decode(
                token,
                self._key,
                algorithms=["HS256"],
                audience=UNSUBSCRIBE_AUDIENCE,
                options={"require": ["exp", "sub", "aud"]},
            )
            return UUID(claims["sub"]), str(claims["topic"]), str(claims["channel"])
        except (jwt.InvalidTokenError, KeyError, ValueError):
            return None
