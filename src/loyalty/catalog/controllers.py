"""Catalog endpoints: employees browse and keep favourites; partners write offers; admins curate."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Controller, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, Parameter

from loyalty.catalog.browse import CatalogService, OfferFilter
from loyalty.catalog.favorites import FavoriteService
from loyalty.catalog.geo import Near
from loyalty.catalog.ports import RedemptionLedger
from loyalty.catalog.schemas import (
    CategoryAdminOut,
    CategoryIn,
    CategoryOut,
    CategoryPatch,
    OfferDetail,
    OfferFeaturePatch,
    OfferIn,
    OfferPatch,
    OfferSummary,
    PartnerOfferOut,
    PartnerProfile,
    Sort,
)
from loyalty.catalog.services import CategoryService, OfferService
from loyalty.catalog.visibility import Viewer
from loyalty.core.access import Role, allow
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import Caller, Db, LanguageDep, RuntimeDep
from loyalty.core.errors import ErrorCode, invalid_field
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.revalidation import PRIVATE_REVALIDATE, REVALIDATED, RevalidatedResponse
from loyalty.core.schemas import SINGLE_LINE, Page
from loyalty.redemption.ledger import Ledger

EMPLOYEE = allow(Role.EMPLOYEE, processing=True)
PARTNER = allow(Role.PARTNER_ADMIN)
ADMIN = allow(Role.ADMIN)
NUMBER = r"-?\d{1,3}(\.\d{1,12})?"


def provide_ledger(db_session: Db) -> RedemptionLedger:
    return Ledger(db_session)


LedgerDep = NamedDependency[RedemptionLedger]


def provide_catalog(
    db_session: Db, runtime: RuntimeDep, principal: Caller, ledger: LedgerDep
) -> CatalogService:
    return CatalogService(db_session, runtime.clock.now(), Viewer.of(principal), ledger, runtime.cursors)


def provide_favorites(db_session: Db, runtime: RuntimeDep, principal: Caller) -> FavoriteService:
    return FavoriteService(db_session, runtime.clock.now(), Viewer.of(principal), runtime.cursors)


def provide_partner_offers(
    db_session: Db, runtime: RuntimeDep, principal: Caller, ledger: LedgerDep
) -> OfferService:
    return OfferService(db_session, runtime, principal.own_partner(), ledger)


def provide_all_offers(db_session: Db, runtime: RuntimeDep, ledger: LedgerDep) -> OfferService:
    """Every partner's offers, for admins."""
    return OfferService(db_session, runtime, None, ledger)


def provide_categories(db_session: Db) -> CategoryService:
    return CategoryService(db_session)


CatalogDep = NamedDependency[CatalogService]
FavoritesDep = NamedDependency[FavoriteService]
OffersDep = NamedDependency[OfferService]
CategoriesDep = NamedDependency[CategoryService]
LEDGER = {"ledger": Provide(provide_ledger, sync_to_thread=False)}
CATALOG = {**LEDGER, "catalog": Provide(provide_catalog, sync_to_thread=False)}


def parse_near(near: str | None, radius_km: float | None) -> Near | None:
    if near is None:
        if radius_km is not None:
            raise invalid_field("radius_km", "radius_km needs near=lat,lon")
        return None
    lat_text, _, lon_text = near.partition(",")
    lat, lon = float(lat_text), float(lon_text)
    if not -90 <= lat <= 90:
        raise invalid_field("near", "latitude must be within -90..90")
    if not -180 <= lon <= 180:
        raise invalid_field("near", "longitude must be within -180..180")
    return Near(lat=lat, lon=lon, radius_km=radius_km if radius_km is not None else 10.0)


class CatalogController(Controller):
    tags = ["catalog"]
    dependencies = CATALOG
    # Every route here is a read that depends on the caller: ETag, 304 and Cache-Control: private.
    response_class = RevalidatedResponse
    cache_control = PRIVATE_REVALIDATE

    @get(
        "/categories",
        operation_id="listCategories",
        opt=allow(Role.EMPLOYEE, Role.PARTNER_ADMIN, Role.ADMIN, processing=True),
    )
    async def categories(
        self, catalog: CatalogDep, principal: Caller, reader_language: LanguageDep
    ) -> list[CategoryOut]:
        """Categories in display order; `offer_count` counts the live offers meant for the caller."""
        return await catalog.categories(reader_language, for_employee=principal.role is Role.EMPLOYEE)

    @get("/offers", operation_id="listOffers", opt=EMPLOYEE)
    async def offers(
        self,
        catalog: CatalogDep,
        reader_language: LanguageDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        q: str | None = Parameter(default=None, max_length=200, pattern=SINGLE_LINE),
        category: str | None = Parameter(default=None, max_length=64, pattern=r"^[a-z0-9-]+$"),
        city: str | None = Parameter(default=None, max_length=100, pattern=SINGLE_LINE),
        partner_id: UUID | None = Parameter(default=None),
        featured: bool | None = Parameter(default=None),
        near: str | None = Parameter(
            default=None, pattern=f"^{NUMBER},{NUMBER}$", description="lat,lon in decimal degrees"
        ),
        radius_km: float | None = Parameter(
            default=None,
            gt=0,
            le=100,
            description="default 10",
            schema_extra={"exclusive_minimum": 0},  # Litestar drops gt=0 (a falsy bound)
        ),
        sort: Sort | None = Parameter(
            default=None, description="default: relevance with q, distance with near, else newest"
        ),
    ) -> Page[OfferSummary]:
        """Live offers meant for me, searched (`q`, any of kk/ru/en, typo-tolerant), filtered and sorted."""
        filters = OfferFilter(
            q=q,
            category=category,
            city=city,
            partner_id=partner_id,
            featured=featured,
            near=parse_near(near, radius_km),
        )
        return await catalog.browse(filters, sort=sort, limit=limit, cursor=cursor, language=reader_language)

    @get("/offers/{offer_id:uuid}", operation_id="getOffer", opt=EMPLOYEE)
    async def offer(
        self, offer_id: FromPath[UUID], catalog: CatalogDep, reader_language: LanguageDep
    ) -> OfferDetail:
        """One live offer; `eligible` false with a `reason` (`wrong_department`, `wrong_city`, `not_started`)
        when I can see it but not use it. An offer for another company is a 404."""
        return await catalog.detail(offer_id, reader_language)

    @get("/partners/{partner_id:uuid}", operation_id="getPartner", opt=EMPLOYEE)
    async def partner(
        self, partner_id: FromPath[UUID], catalog: CatalogDep, reader_language: LanguageDep
    ) -> PartnerProfile:
        return await catalog.partner_profile(partner_id, reader_language)


class FavoriteController(Controller):
    path = "/me/favorites"
    tags = ["catalog"]
    dependencies = {"favorites": Provide(provide_favorites, sync_to_thread=False)}

    @get("", operation_id="listFavorites", opt=EMPLOYEE, **REVALIDATED)
    async def list_favorites(
        self,
        favorites: FavoritesDep,
        reader_language: LanguageDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[OfferSummary]:
        return await favorites.mine(limit=limit, cursor=cursor, language=reader_language)

    @put("/{offer_id:uuid}", operation_id="addFavorite", opt=EMPLOYEE, status_code=204)
    async def add(self, offer_id: FromPath[UUID], favorites: FavoritesDep) -> None:
        await favorites.add(offer_id)

    @delete("/{offer_id:uuid}", operation_id="removeFavorite", opt=EMPLOYEE, status_code=204)
    async def remove(self, offer_id: FromPath[UUID], favorites: FavoritesDep) -> None:
        await favorites.remove(offer_id)


OfferStatusFilter = Literal["draft", "published", "archived"]


class PartnerOfferController(Controller):
    path = "/partner/offers"
    tags = ["partner-offers"]
    dependencies = {**LEDGER, "offers": Provide(provide_partner_offers, sync_to_thread=False)}

    @get("", operation_id="listPartnerOffers", opt=PARTNER)
    async def list_offers(
        self,
        offers: OffersDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        status: OfferStatusFilter | None = Parameter(default=None),
    ) -> Page[PartnerOfferOut]:
        return await offers.list_offers(limit=limit, cursor=cursor, status=status)

    @post("", operation_id="createOffer", opt=PARTNER | fails_with(ErrorCode.UNKNOWN_COMPANY))
    async def create(self, data: JSONBody[OfferIn], offers: OffersDep) -> PartnerOfferOut:
        return await offers.create(data)

    @get("/{offer_id:uuid}", operation_id="getPartnerOffer", opt=PARTNER)
    async def get_offer(self, offer_id: FromPath[UUID], offers: OffersDep) -> PartnerOfferOut:
        return await offers.get(offer_id)

    @patch(
        "/{offer_id:uuid}",
        operation_id="updateOffer",
        opt=PARTNER
        | fails_with(ErrorCode.CONFLICT, ErrorCode.OFFER_HAS_REDEMPTIONS, ErrorCode.UNKNOWN_COMPANY),
    )
    async def update(
        self, offer_id: FromPath[UUID], data: JSONBody[OfferPatch], offers: OffersDep
    ) -> PartnerOfferOut:
        """Edit, schedule (`visible_from`), publish or archive (`"status": "archived"`)."""
        return await offers.update(offer_id, data)

    @delete(
        "/{offer_id:uuid}",
        operation_id="deleteOffer",
        opt=PARTNER | fails_with(ErrorCode.OFFER_HAS_REDEMPTIONS),
        status_code=204,
    )
    async def remove(self, offer_id: FromPath[UUID], offers: OffersDep) -> None:
        """Delete an offer nobody has redeemed; a redeemed one is archived instead (409 otherwise)."""
        await offers.delete(offer_id)


class AdminCategoryController(Controller):
    path = "/admin/categories"
    tags = ["admin-catalog"]
    dependencies = {"categories": Provide(provide_categories, sync_to_thread=False)}

    @get("", operation_id="adminListCategories", opt=ADMIN)
    async def list_categories(self, categories: CategoriesDep) -> list[CategoryAdminOut]:
        return await categories.list_all()

    @post("", operation_id="createCategory", opt=ADMIN | fails_with(ErrorCode.CONFLICT))
    async def create(self, data: JSONBody[CategoryIn], categories: CategoriesDep) -> CategoryAdminOut:
        return await categories.create(data)

    @patch("/{category_id:uuid}", operation_id="updateCategory", opt=ADMIN)
    async def update(
        self, category_id: FromPath[UUID], data: JSONBody[CategoryPatch], categories: CategoriesDep
    ) -> CategoryAdminOut:
        return await categories.update(category_id, data)


class AdminOfferController(Controller):
    path = "/admin/offers"
    tags = ["admin-catalog"]
    dependencies = {**LEDGER, "offers": Provide(provide_all_offers, sync_to_thread=False)}

    @get("", operation_id="adminListOffers", opt=ADMIN)
    async def list_offers(
        self,
        offers: OffersDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        partner_id: UUID | None = Parameter(default=None),
        status: OfferStatusFilter | None = Parameter(default=None),
    ) -> Page[PartnerOfferOut]:
        return await offers.list_offers(limit=limit, cursor=cursor, status=status, partner_id=partner_id)

    @patch("/{offer_id:uuid}", operation_id="featureOffer", opt=ADMIN)
    async def feature(
        self, offer_id: FromPath[UUID], data: JSONBody[OfferFeaturePatch], offers: OffersDep
    ) -> PartnerOfferOut:
        """Feature an offer (or stop featuring it)."""
        return await offers.set_featured(offer_id, data.featured)
