"""Writing the catalog: categories (admins) and offers (their partner's admins; admins feature them)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import String, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.models import LIMIT_COLUMNS, Category, Offer, OfferStatus, SearchTerm
from loyalty.catalog.ports import RedemptionLedger
from loyalty.catalog.schemas import (
    CategoryAdminOut,
    CategoryIn,
    CategoryPatch,
    DiscountOut,
    Eligibility,
    Limits,
    OfferIn,
    OfferPatch,
    PartnerOfferOut,
)
from loyalty.catalog.search import vocabulary
from loyalty.companies.services import require_companies
from loyalty.core.errors import AppError, ErrorCode, invalid_field
from loyalty.core.persistence import after, conflict_on_violation, get_or_404, insert_or_conflict, to_struct
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.partners.models import DEFAULT_TIMEZONE, Partner, PartnerLocation
from loyalty.partners.services import require_zone

OFFERS_CURSOR = "partner-offers"
LOCALIZED_FIELDS = ("title", "description", "terms")
# What employees were promised when they took a code: history that must not be rewritten.
FROZEN_ONCE_REDEEMED = frozenset(
    {"category", "title", "terms", "discount", "valid_from", "timezone", "code_mode"}
)


def start_of_day(day: date, zone: str) -> datetime:
    """The instant a local calendar day begins in ``zone``."""
    return datetime.combine(day, time.min, ZoneInfo(zone))


def end_of_day(day: date, zone: str) -> datetime:
    """The instant after the last moment of ``day`` in ``zone``: windows are inclusive of their last day."""
    return start_of_day(day + timedelta(days=1), zone)


def visible_window(offer: Offer) -> tuple[date, date]:
    """The days the offer is shown: its own visibility dates, else its validity dates."""
    return offer.visible_from or offer.valid_from, offer.visible_until or offer.valid_until


def partner_names(partner: Partner) -> str:
    """The partner's names in every language, for the offers' search documents."""
    return " ".join(dict.fromkeys(partner.name.values()))


async def refresh_partner_names(session: AsyncSession, partner: Partner) -> None:
    """Bring the partner's offers' copy of its names (what search matches) up to date after a rename."""
    await session.execute(
        update(Offer).where(Offer.partner_id == partner.id).values(partner_names=partner_names(partner))
    )


async def refresh_offer_cities(session: AsyncSession, partner_id: UUID, offer_id: UUID | None = None) -> None:
    """Keep each offer's ``cities`` (what the city filter reads) equal to the cities of its locations:
    the listed ones, or every location of the partner when none are listed."""
    applies = (PartnerLocation.partner_id == Offer.partner_id) & (
        (func.cardinality(Offer.location_ids) == 0) | (PartnerLocation.id == Offer.location_ids.any_())
    )
    cities = (
        select(func.coalesce(func.array_agg(PartnerLocation.city.distinct()), literal([], ARRAY(String))))
        .where(applies)
        .scalar_subquery()
    )
    statement = update(Offer).where(Offer.partner_id == partner_id).values(cities=cities)
    if offer_id is not None:
        statement = statement.where(Offer.id == offer_id)
    await session.execute(statement)


async def rename_eligible_company(session: AsyncSession, old: str, new: str) -> int:
    """Rewrite ``old`` to ``new`` in the offers' company eligibility rules; answers how many offers named it."""
    renamed = await session.scalars(
        update(Offer)
        .where(Offer.eligible_companies.contains([old]))
        .values(eligible_companies=func.array_replace(Offer.eligible_companies, old, new))
        .returning(Offer.id)
        .execution_options(synchronize_session=False)
    )
    return len(list(renamed))


class CategoryService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_all(self) -> list[CategoryAdminOut]:
        categories = await self.session.scalars(select(Category).order_by(Category.position, Category.slug))
        return [category_view(c) for c in categories]

    async def create(self, data: CategoryIn) -> CategoryAdminOut:
        category = await insert_or_conflict(
            self.session,
            Category(slug=data.slug, name=data.name.as_dict(), position=data.position),
            "a category with this slug exists already",
        )
        return category_view(category)

    async def update(self, category_id: UUID, data: CategoryPatch) -> CategoryAdminOut:
        category = await get_or_404(
            self.session, Category, Category.id == category_id, what="category", lock=True
        )
        if data.name is not msgspec.UNSET:
            category.name = data.name.as_dict()
        if data.position is not msgspec.UNSET:
            category.position = data.position
        await self.session.flush()
        return category_view(category)


class OfferService:
    """One partner's offers. Every lookup is scoped to the partner, so another partner's offer is a 404."""

    def __init__(
        self, session: AsyncSession, runtime: Runtime, partner_id: UUID | None, ledger: RedemptionLedger
    ) -> None:
        self.session = session
        self.runtime = runtime
        self.partner_id = partner_id
        self.ledger = ledger

    async def list_offers(
        self, *, limit: int, cursor: str | None, status: str | None, partner_id: UUID | None = None
    ) -> Page[PartnerOfferOut]:
        """Newest first: the partner's offers, or (for admins, whose service has no partner) every
        partner's, or ``partner_id``'s."""
        cursors = self.runtime.cursors
        query = select(Offer, Category.slug).join(Category).order_by(Offer.id.desc()).limit(limit + 1)
        for scope in (self.partner_id, partner_id):
            if scope is not None:
                query = query.where(Offer.partner_id == scope)
        if cursor:
            (last_id,) = cursors.decode(OFFERS_CURSOR, cursor)
            query = query.where(after([Offer.id], [UUID(str(last_id))], descending=True))
        if status:
            query = query.where(Offer.status == status)
        rows = list(await self.session.execute(query))
        page, next_cursor = cursors.page(OFFERS_CURSOR, rows, limit, lambda row: [str(row[0].id)])
        return Page(items=[offer_view(offer, slug) for offer, slug in page], next_cursor=next_cursor)

    async def get(self, offer_id: UUID) -> PartnerOfferOut:
        offer = await self._require(offer_id)
        return offer_view(offer, await self._slug(offer.category_id))

    async def create(self, data: OfferIn) -> PartnerOfferOut:
        partner = await self._partner()
        values = msgspec.structs.asdict(data)
        offer = Offer(partner_id=partner.id, partner_names=partner_names(partner), status=OfferStatus.DRAFT)
        slug = await self._apply(offer, values, creating=True)
        self.session.add(offer)
        await self._save(offer)
        return offer_view(offer, slug)

    async def update(self, offer_id: UUID, data: OfferPatch) -> PartnerOfferOut:
        offer = await self._require(offer_id, lock=True)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        frozen = sorted(FROZEN_ONCE_REDEEMED & changes.keys())
        if frozen and await self.ledger.has_redemptions(offer.id):
            raise AppError(
                409,
                ErrorCode.OFFER_HAS_REDEMPTIONS,
                f"employees have taken codes for this offer, so {', '.join(frozen)} can no longer change; "
                "archive it and create a new one",
            )
        slug = await self._apply(offer, changes, creating=False)
        await self._save(offer)
        return offer_view(offer, slug)

    async def delete(self, offer_id: UUID) -> None:
        """Only an offer nobody has taken a code for; the redemptions' foreign key refuses the rest."""
        offer = await self._require(offer_id, lock=True)
        async with conflict_on_violation(
            self.session,
            "employees have taken codes for this offer; archive it instead",
            ErrorCode.OFFER_HAS_REDEMPTIONS,
        ):
            await self.session.execute(delete(Offer).where(Offer.id == offer.id))

    async def set_featured(self, offer_id: UUID, featured: bool) -> PartnerOfferOut:
        offer = await self._require(offer_id, lock=True)
        offer.featured = featured
        await self.session.flush()
        return offer_view(offer, await self._slug(offer.category_id))

    async def _apply(self, offer: Offer, values: dict[str, Any], *, creating: bool) -> str:
        """Validate and apply the fields a partner sent; answers the category slug."""
        if "category" in values:
            category_id = await self.session.scalar(
                select(Category.id).where(Category.slug == values["category"])
            )
            if category_id is None:
                raise invalid_field("category", "no category has this slug")
            offer.category_id = category_id
            slug: str = values["category"]
        else:
            slug = await self._slug(offer.category_id)
        for name in LOCALIZED_FIELDS:
            if name in values:
                setattr(offer, name, values[name].as_dict() if values[name] is not None else None)
        if "discount" in values:
            discount = values["discount"]
            offer.discount_kind = discount.kind
            offer.discount_value = discount.value if discount.kind != "special" else None
            offer.discount_text = discount.text.as_dict() if discount.text is not None else None
        if "location_ids" in values:
            offer.location_ids = await self._own_locations(values["location_ids"])
        if "eligibility" in values:
            rules = values["eligibility"] or Eligibility()
            offer.eligible_companies = _distinct(rules.companies)
            await require_companies(self.session, offer.eligible_companies, "eligibility.companies")
            offer.eligible_departments = _distinct(rules.departments)
            offer.eligible_cities = _distinct(rules.cities)
        if "limits" in values:
            limits = values["limits"] or Limits()
            for column in LIMIT_COLUMNS:
                setattr(offer, column, getattr(limits, column.removeprefix("limit_")))
        if "code_mode" in values:
            offer.code_mode = values["code_mode"]
        await self._apply_dates(offer, values, creating=creating)
        if "status" in values:
            self._apply_status(offer, values["status"])
        return slug

    async def _apply_dates(self, offer: Offer, values: dict[str, Any], *, creating: bool) -> None:
        zone: str | None = values.get("timezone") or (offer.timezone if not creating else None)
        if zone is None:
            zone = await self._default_zone(offer.location_ids)
        offer.timezone = require_zone(zone)
        for name in ("valid_from", "valid_until"):
            if name in values:
                setattr(offer, name, values[name])
        for name in ("visible_from", "visible_until"):
            if name in values:
                setattr(offer, name, values[name])
        visible_from, visible_until = visible_window(offer)
        if offer.valid_until < offer.valid_from:
            raise invalid_field("valid_until", "must not be before valid_from")
        if visible_until < visible_from:
            raise invalid_field("visible_until", "must not be before visible_from")
        if visible_until > offer.valid_until:
            raise invalid_field("visible_until", "an offer cannot be shown after its last valid day")
        offer.shown_from = start_of_day(visible_from, offer.timezone)
        offer.shown_until = end_of_day(visible_until, offer.timezone)
        offer.valid_from_at = start_of_day(offer.valid_from, offer.timezone)
        offer.valid_until_at = end_of_day(offer.valid_until, offer.timezone)

    def _apply_status(self, offer: Offer, status: str) -> None:
        if status == offer.status:
            return
        if status == OfferStatus.DRAFT and offer.listed_at is not None:
            raise AppError(
                409, ErrorCode.CONFLICT, "an offer employees have seen cannot go back to draft; archive it"
            )
        offer.status = status
        if status == OfferStatus.PUBLISHED and offer.listed_at is None:
            offer.listed_at = max(self.runtime.clock.now(), offer.shown_from)

    async def _save(self, offer: Offer) -> None:
        await self.session.flush()
        await refresh_offer_cities(self.session, offer.partner_id, offer.id)
        await self.session.refresh(offer, attribute_names=["cities", "updated_at"])
        terms = vocabulary(
            offer.partner_names,
            *(text for name in LOCALIZED_FIELDS for text in (getattr(offer, name) or {}).values()),
            *(offer.discount_text or {}).values(),
        )
        if terms:
            await self.session.execute(
                pg_insert(SearchTerm).values([{"term": t} for t in sorted(terms)]).on_conflict_do_nothing()
            )

    async def _own_locations(self, location_ids: list[UUID]) -> list[UUID]:
        wanted = list(dict.fromkeys(location_ids))
        if not wanted:
            return []
        found = set(
            await self.session.scalars(
                select(PartnerLocation.id).where(
                    PartnerLocation.id.in_(wanted), PartnerLocation.partner_id == self._partner_id()
                )
            )
        )
        if missing := [str(x) for x in wanted if x not in found]:
            raise invalid_field("location_ids", f"not locations of your partner: {', '.join(missing[:5])}")
        return wanted

    async def _default_zone(self, location_ids: list[UUID]) -> str:
        """The zone all of the offer's locations share, else the contract's default."""
        query = (
            select(PartnerLocation.timezone)
            .distinct()
            .where(PartnerLocation.partner_id == self._partner_id())
        )
        if location_ids:
            query = query.where(PartnerLocation.id.in_(location_ids))
        zones = list(await self.session.scalars(query.limit(2)))
        return zones[0] if len(zones) == 1 else DEFAULT_TIMEZONE

    async def _partner(self) -> Partner:
        return await get_or_404(self.session, Partner, Partner.id == self._partner_id(), what="partner")

    def _partner_id(self) -> UUID:
        if self.partner_id is None:
            raise AssertionError("writing offers needs a partner")
        return self.partner_id

    async def _require(self, offer_id: UUID, *, lock: bool = False) -> Offer:
        mine = [] if self.partner_id is None else [Offer.partner_id == self.partner_id]
        return await get_or_404(self.session, Offer, Offer.id == offer_id, *mine, what="offer", lock=lock)

    async def _slug(self, category_id: UUID) -> str:
        slug = await self.session.scalar(select(Category.slug).where(Category.id == category_id))
        assert slug is not None
        return slug


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values))


def category_view(category: Category) -> CategoryAdminOut:
    return to_struct(CategoryAdminOut, category)


def discount_view(kind: str, value: Any, text: dict[str, str] | str | None) -> DiscountOut:
    return DiscountOut(kind=kind, value=float(value) if value is not None else None, text=text)


def offer_view(offer: Offer, slug: str) -> PartnerOfferOut:
    return PartnerOfferOut(
        id=offer.id,
        partner_id=offer.partner_id,
        category=slug,
        title=offer.title,
        description=offer.description,
        terms=offer.terms,
        discount=discount_view(offer.discount_kind, offer.discount_value, offer.discount_text),
        valid_from=offer.valid_from,
        valid_until=offer.valid_until,
        visible_from=visible_window(offer)[0],
        visible_until=visible_window(offer)[1],
        timezone=offer.timezone,
        status=offer.status,
        featured=offer.featured,
        location_ids=list(offer.location_ids),
        eligibility=Eligibility(
            companies=list(offer.eligible_companies),
            departments=list(offer.eligible_departments),
            cities=list(offer.eligible_cities),
        ),
        limits=limits_view(offer),
        code_mode=offer.code_mode,
        created_at=offer.created_at,
        updated_at=offer.updated_at,
    )


def limits_view(offer: Any) -> Limits:
    return Limits(**{column.removeprefix("limit_"): getattr(offer, column) for column in LIMIT_COLUMNS})
