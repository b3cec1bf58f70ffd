"""Imports every model so that Alembic and the mappers see the whole schema."""

from loyalty.identity.models import AuthSession, OneTimeCode, RefreshToken, User
from loyalty.privacy.models import ConsentRecord, PolicyVersion
from loyalty.roster.models import RosterEntry

__all__ = [
    "AuthSession",
    "ConsentRecord",
    "OneTimeCode",
    "PolicyVersion",
    "RefreshToken",
    "RosterEntry",
    "User",
]
