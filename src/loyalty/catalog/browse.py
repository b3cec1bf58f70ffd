"""Reading the catalog as an employee: what is live now and meant for me, searched, filtered, near me.

Queries select columns, not ORM objects, and page by keyset on each sort's own key, so no list ever
counts or skips rows. Live = published, inside the visibility window, partner active. Meant for me = the
offer's eligibility rules (companies, departments, cities; empty = everyone) admit my roster entry.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Float, Select, String, and_, delete, func, literal, or_, select, tuple_
from sqlalchemy.dialects.postgresql import ARRAY, DOUBLE_PRECISION, insert
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.models import LIMIT_COLUMNS, Category, Favorite, Offer, OfferStatus
from loyalty.catalog.ports import RedemptionLedger
from loyalty.catalog.schemas import CategoryOut, OfferDetail, OfferSummary, PartnerBrief, PartnerProfile, Sort
from loyalty.catalog.search import build_tsquery, understand, words_of
from loyalty.catalog.services import discount_view, limits_view
from loyalty.core.context import Principal
from loyalty.core.errors import invalid_field, not_found
from loyalty.core.i18n import pick_text
from loyalty.core.pagination import CursorCodec
from loyalty.core.schemas import Language
from loyalty.partners.models import Partner, PartnerLocation, PartnerStatus
from loyalty.partners.services import contacts_of, location_view

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.32
PROFILE_OFFERS = 100
NEAREST_LOCATIONS = 64
OfferQuery = Select[*tuple[Any, ...]]


@dataclass(frozen=True, slots=True)
class Viewer:
    """The HR attributes eligibility rules are checked against."""

    user_id: UUID
    company: str | None
    department: str | None
    city: str | None

    @classmethod
    def of(cls, principal: Principal) -> Viewer:
        return cls(principal.user_id, principal.company, principal.department, principal.city)


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lon: float
    radius_km: float


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


def live(now: datetime) -> list[ColumnElement[bool]]:
    return [
        Offer.status == OfferStatus.PUBLISHED,
        Offer.shown_from <= now,
        Offer.shown_until > now,
        Partner.status == PartnerStatus.ACTIVE,
    ]


def _admits(rule: Any, value: str | None) -> ColumnElement[bool]:
    # Written with '{}' and @> rather than cardinality() and ANY(): PostgreSQL estimates these, so it keeps
    # to the sort's index instead of expecting almost no live offers and scanning everything.
    empty = rule == literal([], ARRAY(String))
    return empty if value is None else or_(empty, rule.contains(literal([value], ARRAY(String))))


def meant_for_company(viewer: Viewer) -> ColumnElement[bool]:
    """An offer for another company of the group is not shown to me at all, not even by its id."""
    return _admits(Offer.eligible_companies, viewer.company)


def meant_for(viewer: Viewer) -> list[ColumnElement[bool]]:
    return [
        meant_for_company(viewer),
        _admits(Offer.eligible_departments, viewer.department),
        _admits(Offer.eligible_cities, viewer.city),
    ]


def _distance_km(lat: float, lon: float) -> ColumnElement[float]:
    """Great-circle (haversine) distance from the point to a location, in km."""
    dlat = func.radians(PartnerLocation.lat - lat) / 2
    dlon = func.radians(PartnerLocation.lon - lon) / 2
    a = func.power(func.sin(dlat), 2) + math.cos(math.radians(lat)) * func.cos(
        func.radians(PartnerLocation.lat)
    ) * func.power(func.sin(dlon), 2)
    return (2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(a)))).cast(DOUBLE_PRECISION)


def _box(near: Near) -> Any:
    dlat = near.radius_km / KM_PER_DEGREE
    dlon = near.radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(near.lat)), 0.01))
    return func.box(
        func.point(near.lon - dlon, near.lat - dlat), func.point(near.lon + dlon, near.lat + dlat)
    )


def _degrees_from(near: Near) -> ColumnElement[float]:
    """Plane distance in degrees: what the GiST index orders by (nearest first), not kilometres."""
    return PartnerLocation.position.op("<->", return_type=DOUBLE_PRECISION)(func.point(near.lon, near.lat))


def _near_offers(near: Near, within_degrees: float | None) -> Any:
    """Offers with a location within the radius, and the distance to the closest one. The bounding box
    lets the GiST index find candidate locations; the haversine distance decides. ``within_degrees``
    keeps only the locations the index found nearest (see :meth:`CatalogService._nearest_reach`)."""
    distance = _distance_km(near.lat, near.lon)
    conditions = [PartnerLocation.position.op("<@")(_box(near)), distance <= near.radius_km]
    if within_degrees is not None:
        conditions.append(_degrees_from(near) <= within_degrees)
    close = (
        select(PartnerLocation.id, PartnerLocation.partner_id, distance.label("km"))
        .where(*conditions)
        .cte("close_locations")
    )
    offers = (
        select(Offer.id.label("offer_id"), func.min(close.c.km).label("km"))
        .join(close, close.c.partner_id == Offer.partner_id)
        .where(or_(func.cardinality(Offer.location_ids) == 0, close.c.id == Offer.location_ids.any_()))
        .group_by(Offer.id)
    )
    if within_degrees is not None:
        # An offer this close has its nearest location among those kept, so its distance is exact:
        # one degree of the plane is at least KM_PER_DEGREE * cos(latitude) km inside the box.
        far_latitude = min(abs(near.lat) + near.radius_km / KM_PER_DEGREE, 89.0)
        exact_km = 0.99 * KM_PER_DEGREE * math.cos(math.radians(far_latitude)) * within_degrees
        offers = offers.having(func.min(close.c.km) <= exact_km)
    return offers.subquery("near_offers")


SUMMARY_COLUMNS = (
    Offer.id,
    Offer.partner_id,
    Partner.name.label("partner_name"),
    Category.slug.label("category"),
    Offer.title,
    Offer.discount_kind,
    Offer.discount_value,
    Offer.discount_text,
    Offer.valid_from,
    Offer.valid_until,
    Offer.timezone,
    Offer.featured,
)


def _summary(row: Any, language: Language, distance: float | None = None) -> OfferSummary:
    title, used = pick_text(row.title, language)
    text, _ = pick_text(row.discount_text, used)
    partner_name, _ = pick_text(row.partner_name, used)
    return OfferSummary(
        id=row.id,
        partner_id=row.partner_id,
        partner_name=partner_name or "",
        category=row.category,
        title=title or "",
        discount=discount_view(row.discount_kind, row.discount_value, text),
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        timezone=row.timezone,
        featured=row.featured,
        language=used,
        distance_km=round(distance, 3) if distance is not None else None,
    )


class CatalogService:
    def __init__(
        self, session: AsyncSession, now: datetime, viewer: Viewer, ledger: RedemptionLedger
    ) -> None:
        self.session = session
        self.now = now
        self.viewer = viewer
        self.ledger = ledger

    def _live_offers(self, *columns: Any) -> OfferQuery:
        query: OfferQuery = (
            select(*SUMMARY_COLUMNS, *columns)
            .join(Partner, Partner.id == Offer.partner_id)
            .join(Category, Category.id == Offer.category_id)
            .where(*live(self.now))
        )
        return query

    async def browse(
        self,
        cursors: CursorCodec,
        filters: OfferFilter,
        *,
        sort: Sort | None,
        limit: int,
        cursor: str | None,
        language: Language,
    ) -> tuple[list[OfferSummary], str | None]:
        sort = sort or ("relevance" if filters.q else "distance" if filters.near else "newest")
        if sort == "relevance" and not filters.q:
            raise invalid_field("sort", "relevance needs q")
        if sort == "distance" and not filters.near:
            raise invalid_field("sort", "distance needs near")
        if filters.q is not None and not words_of(filters.q):
            return [], None
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
        return [_summary(row, language, getattr(row, "km", None)) for row in page], next_cursor

    async def _rows(
        self, filters: OfferFilter, sort: str, limit: int, after: tuple[Any, Any] | None, within: float | None
    ) -> list[Any]:
        filtered = await self._filtered(self._live_offers().where(*meant_for(self.viewer)), filters, within)
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
            select(_degrees_from(near))
            .where(PartnerLocation.position.op("<@")(_box(near)))
            .order_by(_degrees_from(near))
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
            near = _near_offers(filters.near, within)
            query = query.join(near, near.c.offer_id == Offer.id).add_columns(near.c.km)
        return query

    async def detail(self, offer_id: UUID, language: Language) -> OfferDetail:
        row = (
            await self.session.execute(
                self._live_offers(
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
        summary = _summary(row, language)
        used: Language = summary.language  # type: ignore[assignment]
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
                id=row.partner_id, name=summary.partner_name, logo_url=row.logo_url, website=row.website
            ),
            category=row.category,
            title=summary.title,
            description=pick_text(row.description, used)[0],
            terms=pick_text(row.terms, used)[0],
            discount=summary.discount,
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
        partner = await self.session.scalar(
            select(Partner).where(Partner.id == partner_id, Partner.status == PartnerStatus.ACTIVE)
        )
        if partner is None:
            raise not_found("partner")
        name, used = pick_text(partner.name, language)
        locations = await self.session.scalars(
            select(PartnerLocation)
            .where(PartnerLocation.partner_id == partner_id)
            .order_by(PartnerLocation.city, PartnerLocation.address)
        )
        offers = await self.session.execute(
            self._live_offers()
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
            offers=[_summary(row, language) for row in offers],
        )

    async def add_favorite(self, offer_id: UUID) -> None:
        visible = await self.session.scalar(
            select(Offer.id)
            .join(Partner, Partner.id == Offer.partner_id)
            .where(Offer.id == offer_id, *live(self.now), meant_for_company(self.viewer))
        )
        if visible is None:
            raise not_found("offer")
        await self.session.execute(
            insert(Favorite)
            .values(user_id=self.viewer.user_id, offer_id=offer_id, created_at=self.now)
            .on_conflict_do_nothing()
        )

    async def remove_favorite(self, offer_id: UUID) -> None:
        await self.session.execute(
            delete(Favorite).where(Favorite.user_id == self.viewer.user_id, Favorite.offer_id == offer_id)
        )

    async def favorites(
        self, cursors: CursorCodec, *, limit: int, cursor: str | None, language: Language
    ) -> tuple[list[OfferSummary], str | None]:
        """My favourites that I can still see, most recently added first."""
        query = (
            self._live_offers(Favorite.created_at.label("favorited_at"))
            .join(Favorite, and_(Favorite.offer_id == Offer.id, Favorite.user_id == self.viewer.user_id))
            .where(meant_for_company(self.viewer))
        )
        if cursor:
            at, offer_id = cursors.decode("favorites", cursor)
            query = query.where(
                tuple_(Favorite.created_at, Favorite.offer_id)
                < tuple_(literal(datetime.fromisoformat(at)), literal(UUID(offer_id)))
            )
        rows = list(
            await self.session.execute(
                query.order_by(Favorite.created_at.desc(), Favorite.offer_id.desc()).limit(limit + 1)
            )
        )
        page, next_cursor = cursors.page(
            "favorites", rows, limit, lambda last: [last.favorited_at.isoformat(), str(last.id)]
        )
        return [_summary(row, language) for row in page], next_cursor


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
