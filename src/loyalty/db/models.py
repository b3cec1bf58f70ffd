"""Imports every model so that Alembic and the mappers see the whole schema."""

from loyalty.audit.models import AuditEvent
from loyalty.catalog.models import Category, Favorite, Offer, SearchTerm
from loyalty.companies.models import Company, StaffCompanyScope
from loyalty.identity.models import AuthSession, OneTimeCode, RefreshToken, User
from loyalty.partners.models import Partner, PartnerLocation
from loyalty.privacy.models import ConsentRecord, DataRequest, PolicyVersion
from loyalty.redemption.models import IdempotencyKey, PoolCode, Redemption, RedemptionCounter
from loyalty.roster.models import RosterEntry

__all__ = [
    "AuditEvent",
    "AuthSession",
    "Category",
    "Company",
    "ConsentRecord",
    "DataRequest",
    "Favorite",
    "IdempotencyKey",
    "Offer",
    "OneTimeCode",
    "Partner",
    "PartnerLocation",
    "PolicyVersion",
    "PoolCode",
    "Redemption",
    "RedemptionCounter",
    "RefreshToken",
    "RosterEntry",
    "SearchTerm",
    "StaffCompanyScope",
    "User",
]
