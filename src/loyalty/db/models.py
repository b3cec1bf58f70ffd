"""Imports every model so that Alembic and the mappers see the whole schema."""

from loyalty.catalog.models import Category, Favorite, Offer, SearchTerm
from loyalty.identity.models import AuthSession, OneTimeCode, RefreshToken, User
from loyalty.partners.models import Partner, PartnerLocation
from loyalty.privacy.models import ConsentRecord, PolicyVersion
from loyalty.roster.models import RosterEntry

__all__ = [
    "AuthSession",
    "Category",
    "ConsentRecord",
    "Favorite",
    "Offer",
    "OneTimeCode",
    "Partner",
    "PartnerLocation",
    "PolicyVersion",
    "RefreshToken",
    "RosterEntry",
    "SearchTerm",
    "User",
]
