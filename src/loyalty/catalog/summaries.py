"""An offer as it appears in a list: the columns every list selects and the Struct they become."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select

from loyalty.catalog.models import Category, Offer
from loyalty.catalog.schemas import OfferSummary
from loyalty.catalog.services import discount_view
from loyalty.catalog.visibility import live
from loyalty.core.i18n import pick_text
from loyalty.core.schemas import Language
from loyalty.partners.models import Partner

OfferQuery = Select[*tuple[Any, ...]]


SUMMARY_COLUMNS = (
    Offer.id,
    Offer.partner_id,
    Partner.name.label("partner_name"),
    Partner.logo_url.label("partner_logo_url"),
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


def summary(row: Any, language: Language, distance: float | None = None) -> OfferSummary:
    title, used = pick_text(row.title, language)
    text, _ = pick_text(row.discount_text, used)
    partner_name, _ = pick_text(row.partner_name, used)
    return OfferSummary(
        id=row.id,
        partner_id=row.partner_id,
        partner_name=partner_name or "",
        partner_logo_url=row.partner_logo_url,
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


def live_offers(now: datetime | ColumnElement[datetime], *columns: Any) -> OfferQuery:
    """Live offers with the summary columns (and ``columns``), joined to their partner and category."""
    query: OfferQuery = (
        select(*SUMMARY_COLUMNS, *columns)
        .join(Partner, Partner.id == Offer.partner_id)
        .join(Category, Category.id == Offer.category_id)
        .where(*live(now))
    )
    return query
