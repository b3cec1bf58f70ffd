"""Codes people read aloud at the till, and the signed QR payload a till can check offline.

The QR payload is an EdDSA (Ed25519) JWT whose public key the API publishes at
``GET /api/v1/redemptions/keys`` (JWKS). It names the redemption (``jti``, new for every code), the
offer, the partner, the code and its expiry, and nothing derived from the person: a till can neither
identify the employee nor link two of their visits.
"""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L, 5/S or 8/B: eight of these survive being read aloud and typed by a cashier.
CODE_ALPHABET = "234679ACDEFGHJKMNPQRTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_candidates(typed: str) -> list[str]:
    """What a cashier typed may be a partner's code as it is, or a generated code typed with spaces,
    dashes or in lower case."""
    exact = typed.strip()
    compact = "".join(exact.split()).replace("-", "").upper()
    return list(dict.fromkeys([exact, compact]))
