"""Every model, imported so that Alembic (env.py) sees the whole schema; only the migrations use it."""

from loyalty.audit.models import AuditEvent
from loyalty.catalog.models import Category, Favorite, Offer, SearchTerm
from loyalty.companies.models import Company, StaffCompanyScope
from loyalty.core.idempotency import IdempotencyKey
from loyalty.identity.models import AuthSession, OneTimeCode, RefreshToken, User
from loyalty.notifications.models import (
    Announcement,
    NoticeMark,
    Notification,
    NotificationDelivery,
    NotificationPreference,
    PushDevice,
    QuietHours,
)
from loyalty.partners.models import Partner, PartnerLocation
from loyalty.privacy.models import ConsentRecord, DataRequest, PolicyVersion
from loyalty.redemption.models import PoolCode, Redemption, RedemptionCounter
from loyalty.roster.models import RosterEntry

__all__ = [
    "Announcement",
    "AuditEvent",
    "AuthSession",
    "Category",
    "Company",
    "ConsentRecord",
    "DataRequest",
    "Favorite",
    "IdempotencyKey",
    "NoticeMark",
    "Notification",
    "NotificationDelivery",
    "NotificationPreference",
    "Offer",
    "OneTimeCode",
    "Partner",
    "PartnerLocation",
    "PolicyVersion",
    "PoolCode",
    "PushDevice",
    "QuietHours",
    "Redemption",
    "RedemptionCounter",
    "RefreshToken",
    "RosterEntry",
    "SearchTerm",
    "StaffCompanyScope",
    "User",
]
