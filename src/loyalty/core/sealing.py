"""Values sealed for a while in the database: encrypted with a key of their own (HKDF from
``LOYALTY_SECRET_KEY``), authenticated, and readable only by this service.

Used for what an outbox must hold until a mail leaves but must never hold in plain text: a one-time
code, an invitation's code, the address and name of someone who has no account (yet, or any more).
"""

from __future__ import annotations

import base64
from functools import lru_cache
from typing import Any

import msgspec
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALING_INFO = b"loyalty:sealed-values:v1"


class Sealer:
    def __init__(self, secret_key: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEALING_INFO).derive(
            secret_key.encode()
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, values: dict[str, Any]) -> bytes:
        return self._fernet.encrypt(msgspec.json.encode(values))

    def open(self, sealed: bytes) -> dict[str, Any]:
        """The values; ``cryptography.fernet.InvalidToken`` when they were not sealed with this key."""
        opened: dict[str, Any] = msgspec.json.decode(self._fernet.decrypt(sealed))
        return opened


@lru_cache(maxsize=4)
def sealer(secret_key: str) -> Sealer:
    """One sealer per key (deriving it costs an HMAC or two; the app has one key)."""
    return Sealer(secret_key)
