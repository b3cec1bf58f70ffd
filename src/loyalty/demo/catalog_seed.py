"""Turns the demo catalog (:mod:`loyalty.demo.catalog_data`) into partners, locations and offers through
the same services partners and admins use, plus one partner admin login."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.models import Category
from loyalty.catalog.schemas import CategoryIn, OfferIn
from loyalty.catalog.services import CategoryService, OfferService
from loyalty.core.access import Role
from loyalty.demo.catalog_data import CATEGORIES, CITIES, PARTNERS
from loyalty.identity.models import AccountStatus, User
from loyalty.partners.models import Partner
from loyalty.partners.schemas import LocationIn, PartnerIn
from loyalty.partners.services import LocationService, PartnerService
from loyalty.runtime import Runtime

PARTNER_ADMIN_EMAIL = "partner@demo.loyalty.kz"
PARTNER_ADMIN_PASSWORD = "Demo-Partner-Steppe-2026"


async def seed_catalog(session: AsyncSession, runtime: Runtime) -> dict[str, int]:
    """Adds the demo catalog when there is none yet; answers what it created."""
    created: dict[str, int] = {}
    if not await session.scalar(select(func.count(Category.id))):
        for category in CATEGORIES:
            await CategoryService(session).create(msgspec.convert(category, CategoryIn))
        created["categories"] = len(CATEGORIES)
    if await session.scalar(select(func.count(Partner.id))):
        return created
    today = runtime.clock.now().astimezone(ZoneInfo("Asia/Almaty")).date()
    offers = 0
    first_partner = None
    for data in PARTNERS:
        partner = await PartnerService(session, runtime).create(
            msgspec.convert(
                {k: data[k] for k in ("name", "description", "website", "logo_url", "contacts")}, PartnerIn
            )
        )
        first_partner = first_partner or partner.id
        locations = LocationService(session, runtime, partner.id)
        for location in data["locations"]:
            zone = CITIES[location["city"]]["timezone"]
            await locations.create(msgspec.convert(location | {"timezone": zone}, LocationIn))
        partner_offers = OfferService(session, runtime, partner.id)
        for offer in data["offers"]:
            created_offer = await partner_offers.create(msgspec.convert(_offer_body(offer, today), OfferIn))
            if offer.get("featured"):
                await OfferService(session, runtime, None).set_featured(created_offer.id, True)
            offers += 1
    assert first_partner is not None
    session.add(
        User(
            email=PARTNER_ADMIN_EMAIL,
            full_name="Demo Partner Admin",
            role=Role.PARTNER_ADMIN,
            status=AccountStatus.ACTIVE,
            partner_id=first_partner,
            password_hash=await runtime.hasher.hash(PARTNER_ADMIN_PASSWORD),
        )
    )
    await session.flush()
    created |= {"partners": len(PARTNERS), "offers": offers, "partner_admin_accounts": 1}
    return created


def _offer_body(offer: dict[str, Any], today: Any) -> dict[str, Any]:
    start, end = offer["days"]
    body = {k: v for k, v in offer.items() if k not in ("days", "featured")}
    return body | {
        "valid_from": (today + timedelta(days=start)).isoformat(),
        "valid_until": (today + timedelta(days=end)).isoformat(),
        "status": "published",
    }
