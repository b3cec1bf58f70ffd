"""Reading the catalog as an employee: what is live now and meant for me (``visibility.py``), searched,
filtered, near me (``geo.py``); an offer's detail, the categories, a partner's profile.

Queries select columns, not ORM objects, and page by keyset on each sort's own key, so no list ever
counts or skips rows. The employee's hot path (lists and an offer's detail) runs statements compiled once
per shape on the request's asyncpg connection (``core/prepared.py``); the rest goes through SQLAlchemy.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    Uuid,
    bindparam,
    column,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import ARRAY, DOUBLE_PRECISION, TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.geo import NEAREST_LOCATIONS, NEAREST_REACH, Near, near_offers, near_params
from loyalty.catalog.models import (
    LIMIT_COLUMNS,
    Category,
    Favorite,
    Offer,
    OfferSearch,
    OfferSearchPosting,
    SearchLexeme,
)
from loyalty.catalog.ports import RedemptionLedger
from loyalty.catalog.postings import (
    MAX_DEPTH,
    Walk,
    candidates,
    open_walks,
    page_is_exact,
    reaching_query,
    reaching_sets,
    walks_of,
    worth_walking_on,
)
from loyalty.catalog.schemas import CategoryOut, OfferDetail, OfferSummary, PartnerBrief, PartnerProfile, Sort
from loyalty.catalog.search import bound_tsquery, tsquery_params, tsquery_shape, understand, words_of
from loyalty.catalog.services import limits_view
from loyalty.catalog.summaries import live_offers, summary
from loyalty.catalog.visibility import (
    Viewer,
    live,
    meant_for,
    meant_for_shape,
    searchable_now,
    viewer_params,
    viewer_shape,
)
from loyalty.core.errors import invalid_field, not_found
from loyalty.core.i18n import pick_text
from loyalty.core.pagination import CursorCodec
from loyalty.core.persistence import get_or_404
from loyalty.core.prepared import Prepared, Row, connection_of
from loyalty.core.schemas import Language, Page
from loyalty.partners.models import Partner, PartnerLocation, PartnerStatus
from loyalty.partners.schemas import LocationOut
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
        sort = sort or ("relevance" if filters.q else "distance" if filters.near else "newest")
        if sort == "relevance" and not filters.q:
            raise invalid_field("sort", "relevance needs q")
        if sort == "distance" and not filters.near:
            raise invalid_field("sort", "distance needs near")
        if filters.q is not None and not words_of(filters.q):
            return Page(items=[], next_cursor=None)
        scope = f"offers:{sort}:{filters.fingerprint()}"
        after = _decode_key(self.cursors.decode(scope, cursor), sort) if cursor else None
        connection = await connection_of(self.session)
        params: dict[str, Any] = {"now": self.now, "limit": limit + 1, **viewer_params(self.viewer)}
        tsquery_shape_: tuple[int, ...] | None = None
        if filters.q:
            # q narrows every sort; only the relevance sort ranks by it.
            words, corrections = await understand(connection, words_of(filters.q))
            tsquery_shape_ = tsquery_shape(words, corrections)
            params |= tsquery_params(words, corrections)
        if after is not None:
            params["after_0"], params["after_1"] = after
        given = _filter_params(filters)
        params |= given
        shape = BrowseShape(
            sort=sort,
            viewer=viewer_shape(self.viewer),
            tsquery=tsquery_shape_,
            category="category" in given,
            city="city" in given,
            partner="partner_id" in given,
            featured="featured" in given,
            near=filters.near is not None,
            within=False,
            after=after is not None,
        )
        if filters.near is not None and sort == "distance":
            # Nearest first: widen the set of nearest locations until it yields a full page.
            reach = NEAREST_LOCATIONS
            while True:
                within = await NEAREST_REACH.fetchval(connection, skip=reach - 1, **near_params(filters.near))
                statement = browse_statement(replace(shape, within=within is not None))
                params |= near_params(filters.near, within)
                rows = await statement.fetch(connection, **params)
                if within is None or len(rows) > limit:
                    break
                reach *= 4
        elif (walked := await walked_page(connection, shape, params)) is not None:
            rows = walked
        else:
            if filters.near is not None:
                params |= near_params(filters.near)
            rows = await browse_statement(shape).fetch(connection, **params)
        if not rows and filters.category is not None:
            await self._require_category(filters.category)
        page, next_cursor = self.cursors.page(
            scope, rows, limit, lambda last: _encode_key(last.sort_0, last.sort_1)
        )
        return Page(
            items=[summary(row, language, row["km"] if shape.near else None) for row in page],
            next_cursor=next_cursor,
        )

    async def _require_category(self, slug: str) -> None:
        """An unknown slug is a mistake worth saying (asked only when a list came back empty)."""
        if await CATEGORY_BY_SLUG.fetchval(await connection_of(self.session), category=slug) is None:
            raise invalid_field("category", "no category has this slug")

    async def detail(self, offer_id: UUID, language: Language) -> OfferDetail:
        connection = await connection_of(self.session)
        row = await (DETAIL_WITH_COMPANY if self.viewer.company is not None else DETAIL).fetchrow(
            connection,
            now=self.now,
            offer_id=offer_id,
            user_id=self.viewer.user_id,
            **viewer_params(self.viewer),
        )
        if row is None:
            raise not_found("offer")
        brief = summary(row, language)
        used: Language = brief.language  # type: ignore[assignment]
        locations = await OFFER_LOCATIONS.fetch(
            connection, partner_id=row.partner_id, location_ids=row.location_ids or []
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
                id=row.partner_id,
                name=brief.partner_name,
                logo_url=brief.partner_logo_url,
                website=row.website,
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
            locations=[LocationOut(**location) for location in locations],
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


NOW = bindparam("now", type_=DateTime(timezone=True))
CATEGORY_BY_SLUG = Prepared(select(Category.id).where(Category.slug == bindparam("category", type_=String)))


@dataclass(frozen=True, slots=True)
class BrowseShape:
    """What a list's SQL depends on (not the values): one statement is compiled per shape, once."""

    sort: str
    viewer: tuple[bool, bool, bool]
    tsquery: tuple[int, ...] | None
    # The filters given (a first page of a search has none of them).
    category: bool = False
    city: bool = False
    partner: bool = False
    featured: bool = False
    near: bool = False
    within: bool = False
    after: bool = False
    # Relevance among the given candidates only (found by walking the postings, ``walked_page``) ...
    candidates: bool = False
    # ... or among the offers that hold one of the sets of lexemes that can still reach its page.
    reaching: bool = False


def walkable(shape: BrowseShape) -> bool:
    """A first page of one word by relevance, with no other filter: its top can be found from the postings.
    Several words are an AND query, which ts_rank ranks by their distances (not a sum of postings); the
    filters and later pages keep ranking every match."""
    return (
        shape.sort == "relevance"
        and shape.tsquery is not None
        and len(shape.tsquery) == 1
        and not (shape.category or shape.city or shape.partner or shape.featured or shape.near or shape.after)
    )


async def walked_page(
    connection: Any, shape: BrowseShape, params: dict[str, Any], *, steps: list[str] | None = None
) -> list[Row] | None:
    """The page found from the best postings of the query's lexemes (``catalog/postings.py``), walked
    deeper or widened by the offers that can still reach it until it is proven to be the page that ranking
    every match gives; None: rank every match. ``steps`` (for benchmarks and tests) gets each step taken:
    ``walk N``, ``reach all`` and ``reach K sets``."""
    steps = [] if steps is None else steps
    if not walkable(shape):
        return None
    wanted = params["limit"]
    walk, ranked = (
        walk_statement(shape.viewer, shape.tsquery),
        browse_statement(replace(shape, candidates=True)),
    )
    depth = wanted
    while True:
        walks = walks_of(await walk.fetch(connection, **params, depth=depth))
        steps.append(f"walk {depth}")
        if not walks:
            return None  # no lexeme with a visible posting, or not a one-operator query: few matches
        rows = await ranked.fetch(connection, **params, candidates=candidates(walks))
        ranks = ranks_of(rows)
        if page_is_exact(walks, depth, ranks, wanted):
            return rows
        if depth * 4 > MAX_DEPTH or not worth_walking_on(walks, depth, ranks, wanted):
            return await reached_page(connection, shape, params, walks, depth, rows, steps)
        depth *= 4


async def reached_page(
    connection: Any,
    shape: BrowseShape,
    params: dict[str, Any],
    walks: dict[int, Walk],
    depth: int,
    rows: list[Row],
    steps: list[str],
) -> list[Row] | None:
    """The page among the walked candidates (``rows``, ranked) and the offers that hold one of the sets of
    lexemes that can still reach it (``postings.reaching_sets``); None: rank every match."""
    wanted = params["limit"]
    reaching = browse_statement(replace(shape, reaching=True))
    sets = reaching_sets(walks, depth, ranks_of(rows), wanted)
    every = [walk.lexeme for walk in open_walks(walks, depth)]
    if sets is not None and len(every) > 1 and [set(lexemes) for lexemes in sets] != [set(every)]:
        # The offers that hold every open lexeme (written with all the word's forms) usually rank highest:
        # ranked first, they raise the page, and fewer offers can still reach it.
        held = await reaching.fetch(connection, **params, reaching=reaching_query([every]))
        steps.append("reach all")
        rows = best_of(wanted, rows, held)
        sets = reaching_sets(walks, depth, ranks_of(rows), wanted)
        if sets is not None:
            sets = [lexemes for lexemes in sets if not set(every) <= set(lexemes)]  # those offers are in
    if sets is None:
        return None
    if sets:
        rows = best_of(
            wanted, rows, await reaching.fetch(connection, **params, reaching=reaching_query(sets))
        )
        steps.append(f"reach {len(sets)} sets")
    return rows


def ranks_of(rows: list[Row]) -> list[tuple[float, UUID]]:
    return [(row["sort_0"], row["sort_1"]) for row in rows]


def best_of(wanted: int, *pages: list[Row]) -> list[Row]:
    """The best ``wanted`` rows of pages of one ranking (an offer may be on several)."""
    rows = {row["sort_1"]: row for page in pages for row in page}
    return sorted(rows.values(), key=lambda row: (row["sort_0"], row["sort_1"]), reverse=True)[:wanted]


@functools.lru_cache(maxsize=256)
def walk_statement(viewer: tuple[bool, bool, bool], tsquery: tuple[int, ...]) -> Prepared:
    """Each lexeme the query matches (with its share of the rank) and its best ``depth`` postings of offers
    the viewer may see now, best first."""
    terms = (
        func.offer_search_terms_of(_tsquery(tsquery))
        .table_valued(column("term_id", Integer), column("share", DOUBLE_PRECISION))
        .render_derived(name="terms")
    )
    walked = (
        select(OfferSearchPosting.offer_id, OfferSearchPosting.score.cast(DOUBLE_PRECISION).label("score"))
        .join(OfferSearch, OfferSearch.offer_id == OfferSearchPosting.offer_id)
        .where(
            OfferSearchPosting.term_id == terms.c.term_id,
            *searchable_now(NOW),
            *meant_for_shape(viewer, OfferSearch),
        )
        .order_by(OfferSearchPosting.score.desc(), OfferSearchPosting.offer_id.desc())
        .limit(bindparam("depth", type_=Integer))
        .lateral("walked")
    )
    return Prepared(
        select(
            terms.c.term_id,
            SearchLexeme.term.label("lexeme"),
            terms.c.share,
            walked.c.offer_id,
            walked.c.score,
        )
        .select_from(terms)
        .join(SearchLexeme, SearchLexeme.id == terms.c.term_id)
        .join(walked, true())
    )


def _filter_params(filters: OfferFilter) -> dict[str, Any]:
    """The filters given, as the parameters :func:`browse_statement` binds (their names say its shape)."""
    values = {
        "category": filters.category,
        "city": [filters.city] if filters.city is not None else None,
        "partner_id": filters.partner_id,
        "featured": filters.featured,
    }
    return {name: value for name, value in values.items() if value is not None}


def _narrowing(shape: BrowseShape, of: Any) -> list[Any]:
    """The viewer's eligibility and the list's filters on ``of``: ``offers`` or its narrow search copy."""
    narrowing = [*meant_for_shape(shape.viewer, of)]
    if shape.category:
        category_id = select(Category.id).where(Category.slug == bindparam("category", type_=String))
        narrowing.append(of.category_id == category_id.scalar_subquery())
    if shape.city:
        narrowing.append(of.cities.contains(bindparam("city", type_=ARRAY(String))))
    if shape.partner:
        narrowing.append(of.partner_id == bindparam("partner_id", type_=Uuid))
    if shape.featured:
        narrowing.append(of.featured == bindparam("featured", type_=Boolean))
    if shape.reaching:
        # Each lexeme of these sets matches the query, so the index answers this narrower query alone.
        narrowing.append(of.search_vector.op("@@")(bindparam("reaching", type_=Text).cast(TSQUERY)))
    elif shape.tsquery is not None:
        narrowing.append(of.search_vector.op("@@")(_tsquery(shape.tsquery)))
    return narrowing


def _tsquery(shape: tuple[int, ...]) -> Any:
    """The tsquery as a scalar subquery: PostgreSQL builds it once per execution (an InitPlan). Written
    inline, a generic plan of the prepared statement would parse and stem the words again for every row
    it ranks, which cost 2-4 times the search itself."""
    return select(bound_tsquery(shape)).scalar_subquery()


@functools.lru_cache(maxsize=1024)
def browse_statement(shape: BrowseShape) -> Prepared:
    """Live offers meant for the viewer, narrowed by the filters, in the sort's keyset order."""
    if shape.sort == "relevance":
        return _ranked_statement(shape)
    query = live_offers(NOW).where(*_narrowing(shape, Offer))
    near = near_offers(shape.within) if shape.near else None
    if near is not None:
        query = query.join(near, near.c.offer_id == Offer.id).add_columns(near.c.km)
    sort_key: list[Any]
    descending: bool
    if shape.sort == "distance":
        sort_key, descending = [query.selected_columns.km, Offer.id], False
    elif shape.sort == "ending_soon":
        sort_key, descending = [Offer.valid_until_at, Offer.id], False
    else:
        # Scheduled offers are listed at their future start; bounding the index range skips them.
        query = query.where(Offer.listed_at <= NOW)
        sort_key, descending = [Offer.listed_at, Offer.id], True
    if shape.after:
        first_type = DateTime(timezone=True) if shape.sort in ("newest", "ending_soon") else Float(53)
        key = tuple_(*sort_key)
        bound = tuple_(bindparam("after_0", type_=first_type), bindparam("after_1", type_=Uuid))
        query = query.where(key < bound if descending else key > bound)
    order = [column.desc() if descending else column.asc() for column in sort_key]
    query = query.add_columns(*(column.label(f"sort_{i}") for i, column in enumerate(sort_key)))
    return Prepared(query.order_by(*order).limit(bindparam("limit", type_=Integer)))


def _ranked_statement(shape: BrowseShape) -> Prepared:
    """Relevance: the matches are found and ranked on the narrow copy ``offer_search`` (the filter
    columns and the search vector of offers that can be live, kept by triggers), and only the page's
    rows are then read from ``offers``, which checks that they are live once more."""
    assert shape.tsquery is not None
    rank = func.ts_rank(OfferSearch.search_vector, _tsquery(shape.tsquery)).cast(DOUBLE_PRECISION)
    ranked = select(OfferSearch.offer_id.label("id"), rank.label("rank")).where(
        *searchable_now(NOW), *_narrowing(shape, OfferSearch)
    )
    if shape.candidates:
        ranked = ranked.where(OfferSearch.offer_id == func.any(bindparam("candidates", type_=ARRAY(Uuid))))
    near = near_offers(shape.within) if shape.near else None
    if near is not None:
        ranked = ranked.join(near, near.c.offer_id == OfferSearch.offer_id).add_columns(near.c.km.label("km"))
    if shape.after:
        bound = tuple_(bindparam("after_0", type_=Float(53)), bindparam("after_1", type_=Uuid))
        ranked = ranked.where(tuple_(rank, OfferSearch.offer_id) < bound)
    page = (
        ranked.order_by(rank.desc(), OfferSearch.offer_id.desc())
        .limit(bindparam("limit", type_=Integer))
        .subquery()
    )
    query = live_offers(NOW).join(page, page.c.id == Offer.id)
    if near is not None:
        query = query.add_columns(page.c.km)
    query = query.add_columns(page.c.rank.label("sort_0"), Offer.id.label("sort_1"))
    return Prepared(query.order_by(page.c.rank.desc(), Offer.id.desc()))


def _detail(viewer_company: bool) -> Prepared:
    favorite = (
        select(Favorite.offer_id)
        .where(Favorite.offer_id == Offer.id, Favorite.user_id == bindparam("user_id", type_=Uuid))
        .exists()
        .label("favorite")
    )
    columns = (
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
        Partner.website,
        favorite,
    )
    company = meant_for_shape((viewer_company, False, False))[0]
    return Prepared(live_offers(NOW, *columns).where(Offer.id == bindparam("offer_id", type_=Uuid), company))


# An offer I may see, by its id: another company's offer is not found at all.
DETAIL, DETAIL_WITH_COMPANY = _detail(False), _detail(True)
OFFER_LOCATIONS = Prepared(
    select(*(getattr(PartnerLocation, name) for name in LocationOut.__struct_fields__))
    .where(
        PartnerLocation.partner_id == bindparam("partner_id", type_=Uuid),
        or_(
            func.cardinality(bindparam("location_ids", type_=ARRAY(Uuid))) == 0,
            PartnerLocation.id == func.any(bindparam("location_ids", type_=ARRAY(Uuid))),
        ),
    )
    .order_by(PartnerLocation.city, PartnerLocation.address)
)


def _encode_key(first: Any, offer_id: UUID) -> list[Any]:
    return [first.isoformat() if isinstance(first, datetime) else first, str(offer_id)]


def _decode_key(key: list[Any], sort: str) -> tuple[Any, Any]:
    try:
        first, offer_id = key
        value: Any = datetime.fromisoformat(first) if sort in ("newest", "ending_soon") else float(first)
        return value, UUID(offer_id)
    except (TypeError, ValueError):
        raise invalid_field("cursor", "the cursor is not valid for this list") from None
