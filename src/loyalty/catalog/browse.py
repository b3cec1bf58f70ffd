"""Reading the catalog as an employee: what is live now and meant for me (``visibility.py``), searched,
filtered, near me (``geo.py``); an offer's detail, the categories, a partner's profile.

Queries select columns, not ORM objects, and page by keyset on each sort's own key, so no list ever
counts or skips rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Float, func, literal, or_, select, tuple_
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.geo import NEAREST_LOCATIONS, Near, box, degrees_from, near_offers
from loyalty.catalog.models import LIMIT_COLUMNS, Category, Favorite, Offer
from loyalty.catalog.ports import RedemptionLedger
from loyalty.catalog.schemas import CategoryOut, OfferDetail, OfferSummary, PartnerBrief, PartnerProfile, Sort
from loyalty.catalog.search import build_tsquery, understand, words_of
from loyalty.catalog.services import limits_view
from loyalty.catalog.summaries import OfferQuery, live_offers, summary
from loyalty.catalog.visibility import Viewer, live, meant_for, meant_for_company
from loyalty.core.errors import invalid_field, not_found
from loyalty.core.i18n import pick_text
from loyalty.core.pagination import CursorCodec
from loyalty.core.persistence import get_or_404
from loyalty.core.schemas import Language, Page
from loyalty.partners.models import Partner, PartnerLocation, PartnerStatus
from loyalty.partners.services import contacts_of, location_view

PROFILE_OFFERS = 100


@dataclass(frozen=True, slots=True)
class OfferFilter:
    q: str | None = None
    category: str | None = None
    city: str | None = None
    partner_id: UUID | None = None
    featured: bool | None = None
    near: Near | None = None

    def fingerprint(self) -> str:
        """Cursors carry this, so a cursor only continues the list it came from."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:12]


class CatalogService:
    def __init__(
        self,
        session: AsyncSession,
        now: datetime,
        viewer: Viewer,
        ledger: RedemptionLedger,
        cursors: CursorCodec,
    ) -> None:
        self.cursors = cursors
        self.session = session
        self.now = now
        self.viewer = viewer
        self.ledger = ledger

    async def browse(
        self, filters: OfferFilter, *, sort: Sort | None, limit: int, cursor: str | None, language: Language
    ) -> Page[OfferSummary]:
        cursors = self.cursors
        sort = sort or ("relevance" if filters.q else "distance" if filters.near else "newest")
        if sort == "relevance" and not filters.q:
            raise invalid_field("sort", "relevance needs q")
        if sort == "distance" and not filters.near:
            raise invalid_field("sort", "distance needs near")
        if filters.q is not None and not words_of(filters.q):
            return Page(items=[], next_cursor=None)
        scope = f"offers:{sort}:{filters.fingerprint()}"
        after = _decode_key(cursors.decode(scope, cursor), sort) if cursor else None
        if filters.near is not None and sort == "distance":
            # Nearest first: widen the set of nearest locations until it yields a full page.
            reach = NEAREST_LOCATIONS
            while True:
                within = await self._nearest_reach(filters.near, reach)
                rows = await self._rows(filters, sort, limit, after, within)
                if within is None or len(rows) > limit:
                    break
                reach *= 4
        else:
            rows = await self._rows(filters, sort, limit, after, None)
        page, next_cursor = cursors.page(
            scope, rows, limit, lambda last: _encode_key(last.sort_0, last.sort_1)
        )
        return Page(
            items=[summary(row, language, getattr(row, "km", None)) for row in page], next_cursor=next_cursor
        )

    async def _rows(
        self, filters: OfferFilter, sort: str, limit: int, after: tuple[Any, Any] | None, within: float | None
    ) -> list[Any]:
        filtered = await self._filtered(
            live_offers(
                self.now,
            ).where(*meant_for(self.viewer)),
            filters,
            within,
        )
        if filtered is None:
            return []
        query = filtered
        sort_key: list[Any]
        descending: bool
        if filters.q:
            # q narrows every sort; only the relevance sort ranks by it.
            words, corrections = await understand(self.session, words_of(filters.q))
            tsquery = build_tsquery(words, corrections)
            query = query.where(Offer.search_vector.op("@@")(tsquery))
        if sort == "relevance":
            rank = func.ts_rank(Offer.search_vector, tsquery).cast(DOUBLE_PRECISION)
            sort_key, descending = [rank, Offer.id], True
        elif sort == "distance":
            sort_key, descending = [query.selected_columns.km, Offer.id], False
        elif sort == "ending_soon":
            sort_key, descending = [Offer.valid_until_at, Offer.id], False
        else:
            # Scheduled offers are listed at their future start; bounding the index range skips them.
            query = query.where(Offer.listed_at <= self.now)
            sort_key, descending = [Offer.listed_at, Offer.id], True
        if after is not None:
            key = tuple_(*sort_key)
            query = query.where(key < tuple_(*after) if descending else key > tuple_(*after))
        order = [column.desc() if descending else column.asc() for column in sort_key]
        query = query.add_columns(*(c.label(f"sort_{i}") for i, c in enumerate(sort_key)))
        return list(await self.session.execute(query.order_by(*order).limit(limit + 1)))

    async def _nearest_reach(self, near: Near, locations: int) -> float | None:
        """How far (in the index's degrees) the ``locations`` nearest locations reach; None when the box
        holds fewer, so that all of them count."""
        reach: float | None = await self.session.scalar(
            select(degrees_from(near))
            .where(PartnerLocation.position.op("<@")(box(near)))
            .order_by(degrees_from(near))
            .offset(locations - 1)
            .limit(1)
        )
        return reach

    async def _filtered(
        self, query: OfferQuery, filters: OfferFilter, within: float | None
    ) -> OfferQuery | None:
        """The query narrowed by the filters; None when they can match nothing."""
        if filters.q is not None and not words_of(filters.q):
            return None
        if filters.category:
            category_id = await self.session.scalar(
                select(Category.id).where(Category.slug == filters.category)
            )
            if category_id is None:
                raise invalid_field("category", "no category has this slug")
            query = query.where(Offer.category_id == category_id)
        if filters.city:
            query = query.where(Offer.cities.contains([filters.city]))
        if filters.partner_id:
            query = query.where(Offer.partner_id == filters.partner_id)
        if filters.featured is not None:
            query = query.where(Offer.featured.is_(filters.featured))
        if filters.near:
            near = near_offers(filters.near, within)
            query = query.join(near, near.c.offer_id == Offer.id).add_columns(near.c.km)
        return query

    async def detail(self, offer_id: UUID, language: Language) -> OfferDetail:
        row = (
            await self.session.execute(
                live_offers(
                    self.now,
                    Offer.description,
                    Offer.terms,
                    Offer.valid_from_at,
                    Offer.valid_until_at,
                    Offer.visible_until,
                    Offer.location_ids,
                    Offer.eligible_departments,
                    Offer.eligible_cities,
                    *(getattr(Offer, column) for column in LIMIT_COLUMNS),
                    Offer.issued_count,
                    Offer.code_mode,
                    Partner.logo_url,
                    Partner.website,
                    select(Favorite.offer_id)
                    .where(Favorite.offer_id == Offer.id, Favorite.user_id == self.viewer.user_id)
                    .exists()
                    .label("favorite"),
                ).where(Offer.id == offer_id, meant_for_company(self.viewer))
            )
        ).one_or_none()
        if row is None:
            raise not_found("offer")
        brief = summary(row, language)
        used: Language = brief.language  # type: ignore[assignment]
        locations = await self.session.scalars(
            select(PartnerLocation)
            .where(
                PartnerLocation.partner_id == row.partner_id,
                or_(literal(not row.location_ids), PartnerLocation.id.in_(row.location_ids or [None])),
            )
            .order_by(PartnerLocation.city, PartnerLocation.address)
        )
        remaining = await self.ledger.remaining_for(row, self.viewer.user_id, self.now)
        reason = self._ineligibility(row)
        if reason is None and remaining == 0:
            reason = "limit_reached"
        if reason is None and row.code_mode == "pool" and not await self.ledger.pool_has_codes(row.id):
            reason = "sold_out"
        return OfferDetail(
            id=row.id,
            partner=PartnerBrief(
                id=row.partner_id, name=brief.partner_name, logo_url=row.logo_url, website=row.website
            ),
            category=row.category,
            title=brief.title,
            description=pick_text(row.description, used)[0],
            terms=pick_text(row.terms, used)[0],
            discount=brief.discount,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            valid_from_at=row.valid_from_at,
            valid_until_at=row.valid_until_at,
            visible_until=row.visible_until or row.valid_until,
            timezone=row.timezone,
            featured=row.featured,
            language=used,
            locations=[location_view(x) for x in locations],
            favorite=row.favorite,
            eligible=reason is None,
            reason=reason,
            remaining_for_me=remaining,
            limits=limits_view(row),
        )

    def _ineligibility(self, row: Any) -> str | None:
        """Why I cannot use an offer I can see, as a stable machine code; None when I can."""
        if row.eligible_departments and self.viewer.department not in row.eligible_departments:
            return "wrong_department"
        if row.eligible_cities and self.viewer.city not in row.eligible_cities:
            return "wrong_city"
        if row.valid_from_at > self.now:
            return "not_started"
        return None

    async def categories(self, language: Language, *, for_employee: bool) -> list[CategoryOut]:
        counted = (
            select(Offer.category_id, func.count().label("offers"))
            .join(Partner, Partner.id == Offer.partner_id)
            .where(*live(self.now), *(meant_for(self.viewer) if for_employee else []))
            .group_by(Offer.category_id)
            .subquery("counted")
        )
        rows = await self.session.execute(
            select(
                Category.id, Category.slug, Category.name, func.coalesce(counted.c.offers, 0).label("offers")
            )
            .outerjoin(counted, counted.c.category_id == Category.id)
            .order_by(Category.position, Category.slug)
        )
        return [
            CategoryOut(
                id=row.id,
                slug=row.slug,
                name=pick_text(row.name, language)[0] or row.slug,
                offer_count=row.offers,
            )
            for row in rows
        ]

    async def partner_profile(self, partner_id: UUID, language: Language) -> PartnerProfile:
        partner = await get_or_404(
            self.session,
            Partner,
            Partner.id == partner_id,
            Partner.status == PartnerStatus.ACTIVE,
            what="partner",
        )
        name, used = pick_text(partner.name, language)
        locations = await self.session.scalars(
            select(PartnerLocation)
            .where(PartnerLocation.partner_id == partner_id)
            .order_by(PartnerLocation.city, PartnerLocation.address)
        )
        offers = await self.session.execute(
            live_offers(
                self.now,
            )
            .where(Offer.partner_id == partner_id, *meant_for(self.viewer))
            .order_by(Offer.listed_at.desc(), Offer.id.desc())
            .limit(PROFILE_OFFERS)
        )
        return PartnerProfile(
            id=partner.id,
            name=name or "",
            description=pick_text(partner.description, used)[0],
            website=partner.website,
            logo_url=partner.logo_url,
            contacts=contacts_of(partner),
            language=used,
            locations=[location_view(x) for x in locations],
            offers=[summary(row, language) for row in offers],
        )


def _encode_key(first: Any, offer_id: UUID) -> list[Any]:
    return [first.isoformat() if isinstance(first, datetime) else first, str(offer_id)]


def _decode_key(key: list[Any], sort: str) -> tuple[Any, Any]:
    try:
        first, offer_id = key
        value: Any
        if sort in ("newest", "ending_soon"):
            value = datetime.fromisoformat(first)
        else:
            value = literal(float(first), Float(53))
        return value, UUID(offer_id)
    except (TypeError, ValueError):
        raise invalid_field("cursor", "the cursor is not valid for this list") from None
