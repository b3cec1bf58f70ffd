"""Turns the demo catalog (``catalog.json``, decoded by :mod:`loyalty.demo.catalog`) into partners,
locations and offers through the same services partners and admins use, plus one partner admin login."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.models import Category
from loyalty.catalog.schemas import CategoryIn, Discount, OfferIn
from loyalty.catalog.services import CategoryService, OfferService
from loyalty.core.access import Role
from loyalty.core.runtime import Runtime
from loyalty.demo.catalog import DemoCatalog, DemoDiscount, DemoOffer, PercentOff, SpecialOffer
from loyalty.flows.partner_changes import LocationChanges
from loyalty.identity.models import AccountStatus, User
from loyalty.partners.models import Partner
from loyalty.partners.schemas import LocationIn, PartnerIn
from loyalty.partners.services import PartnerService
from loyalty.redemption.ledger import Ledger

PARTNER_ADMIN_EMAIL = "partner@demo.loyalty.kz"
PARTNER_ADMIN_PASSWORD = "Demo-Partner-Steppe-2026"


async def seed_catalog(session: AsyncSession, runtime: Runtime, catalog: DemoCatalog) -> dict[str, int]:
    """Adds the demo catalog when there is none yet; answers what it created."""
    created: dict[str, int] = {}
    if not await session.scalar(select(func.count(Category.id))):
        for category in catalog.categories:
            await CategoryService(session).create(
                CategoryIn(slug=category.slug, name=category.name, position=category.position)
            )
        created["categories"] = len(catalog.categories)
    if await session.scalar(select(func.count(Partner.id))):
        return created
    today = runtime.clock.now().astimezone(ZoneInfo("Asia/Almaty")).date()
    offers = 0
    first_partner = None
    for data in catalog.partners:
        partner = await PartnerService(session, runtime).create(
            PartnerIn(
                name=data.name,
                description=data.description,
                website=data.website,
                logo_url=data.logo_url,
                contacts=data.contacts,
            )
        )
        first_partner = first_partner or partner.id
        locations = LocationChanges(session, runtime, partner.id)
        for location in data.locations:
            await locations.create(
                LocationIn(
                    city=location.city,
                    address=location.address,
                    lat=location.lat,
                    lon=location.lon,
                    timezone=catalog.cities[location.city].timezone,
                )
            )
        partner_offers = OfferService(session, runtime, partner.id, Ledger(session))
        for offer in data.offers:
            created_offer = await partner_offers.create(_offer_body(offer, today))
            if offer.featured:
                await OfferService(session, runtime, None, Ledger(session)).set_featured(
                    created_offer.id, True
                )
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
    created |= {"partners": len(catalog.partners), "offers": offers, "partner_admin_accounts": 1}
    return created


def _offer_body(offer: DemoOffer, today: date) -> OfferIn:
    return OfferIn(
        category=offer.category,
        title=offer.title,
        description=offer.description,
        terms=offer.terms,
        discount=_discount(offer.discount),
        valid_from=today + timedelta(days=offer.days.start),
        valid_until=today + timedelta(days=offer.days.until),
        status="published",
        limits=offer.limits,
        eligibility=offer.eligibility,
    )


def _discount(discount: DemoDiscount) -> Discount:
    if isinstance(discount, SpecialOffer):
        return Discount(kind="special", text=discount.text)
    return Discount(kind="percent" if isinstance(discount, PercentOff) else "fixed", value=discount.value)
