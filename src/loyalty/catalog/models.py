"""The catalog: categories, partners' offers with their windows, limits and eligibility, favourites,
and the vocabulary that lets a misspelt search word find its neighbours."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, REAL, TSVECTOR
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.db.base import NaturalKeyBase, UUIDv7AuditBase
from loyalty.partners.models import DEFAULT_TIMEZONE


class OfferStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class DiscountKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"
    SPECIAL = "special"


LIMIT_COLUMNS = (
    "limit_total",
    "limit_per_employee",
    "limit_per_employee_per_day",
    "limit_per_employee_per_week",
    "limit_per_employee_per_month",
)


def _weighted(config: str, expression: str, weight: str) -> str:
    return f"setweight(to_tsvector('{config}'::regconfig, {expression}), '{weight}')"


def _texts(*columns: str, language: str) -> str:
    return " || ' ' || ".join(f"coalesce({column}->>'{language}', '')" for column in columns)


# Russian and English get their stemmers; Kazakh has none in PostgreSQL, so its words are indexed whole
# ('simple') and the query side strips Kazakh suffixes and matches by prefix (catalog/search.py).
SEARCH_VECTOR = " || ".join(
    [
        _weighted("simple", "coalesce(partner_names, '')", "A"),
        _weighted("russian", _texts("title", language="ru"), "A"),
        _weighted("english", _texts("title", language="en"), "A"),
        _weighted("simple", _texts("title", language="kk"), "A"),
        _weighted("russian", _texts("description", "terms", "discount_text", language="ru"), "B"),
        _weighted("english", _texts("description", "terms", "discount_text", language="en"), "B"),
        _weighted("simple", _texts("description", "terms", "discount_text", language="kk"), "B"),
    ]
)


class Category(UUIDv7AuditBase):
    __tablename__ = "categories"
    __table_args__ = (CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name="slug_format"),)

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(JSONB)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class Offer(UUIDv7AuditBase):
    __tablename__ = "offers"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published', 'archived')", name="status_known"),
        CheckConstraint("discount_kind IN ('percent', 'fixed', 'special')", name="discount_kind_known"),
        CheckConstraint(
            "(discount_kind = 'percent' AND discount_value BETWEEN 1 AND 100)"
            " OR (discount_kind = 'fixed' AND discount_value > 0)"
            " OR (discount_kind = 'special' AND discount_text IS NOT NULL)",
            name="discount_consistent",
        ),
        CheckConstraint("valid_from <= valid_until", name="valid_window_ordered"),
        CheckConstraint(
            "coalesce(visible_from, valid_from) <= coalesce(visible_until, valid_until)",
            name="visible_window_ordered",
        ),
        CheckConstraint(
            "visible_until IS NULL OR visible_until <= valid_until", name="visible_only_while_valid"
        ),
        CheckConstraint(
            "shown_from < shown_until AND valid_from_at < valid_until_at", name="instants_ordered"
        ),
        CheckConstraint("code_mode IN ('generated', 'pool')", name="code_mode_known"),
        # The backstop under issuing's conditional UPDATE: a total limit is never exceeded.
        CheckConstraint(
            "issued_count >= 0 AND (limit_total IS NULL OR issued_count <= limit_total)",
            name="issued_within_total_limit",
        ),
        CheckConstraint("status <> 'published' OR listed_at IS NOT NULL", name="published_is_listed"),
        *(CheckConstraint(f"{column} > 0", name=f"{column}_positive") for column in LIMIT_COLUMNS),
        Index(
            "ix_offers_listed",
            text("listed_at DESC"),
            text("id DESC"),
            postgresql_where=text("status = 'published'"),
        ),
        Index(
            "ix_offers_category_listed",
            "category_id",
            text("listed_at DESC"),
            text("id DESC"),
            postgresql_where=text("status = 'published'"),
        ),
        Index("ix_offers_ending", "valid_until_at", "id", postgresql_where=text("status = 'published'")),
        Index("ix_offers_partner", "partner_id", text("id DESC")),
        Index("ix_offers_cities", "cities", postgresql_using="gin"),
        Index("ix_offers_search", "search_vector", postgresql_using="gin"),
    )

    partner_id: Mapped[UUID] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    category_id: Mapped[UUID] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    title: Mapped[dict[str, str]] = mapped_column(JSONB)
    description: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    terms: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    discount_kind: Mapped[str] = mapped_column(String(16))
    discount_value: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    discount_text: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    # Dates as the partner wrote them, read in ``timezone``, inclusive of the last day ...
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    # Unset: the validity window's own dates.
    visible_from: Mapped[date | None] = mapped_column(Date)
    visible_until: Mapped[date | None] = mapped_column(Date)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    # ... and the instants they mean, kept by the service so that "live now" is an index range.
    shown_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    shown_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_from_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_until_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default=OfferStatus.DRAFT)
    # When the offer first appeared to employees: the later of publication and the visibility start.
    listed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    featured: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    eligible_companies: Mapped[list[str]] = mapped_column(ARRAY(String(200)), server_default=text("'{}'"))
    eligible_departments: Mapped[list[str]] = mapped_column(ARRAY(String(200)), server_default=text("'{}'"))
    eligible_cities: Mapped[list[str]] = mapped_column(ARRAY(String(100)), server_default=text("'{}'"))
    # Empty = every location of the partner. ``cities`` is derived from them by the service.
    location_ids: Mapped[list[UUID]] = mapped_column(ARRAY(PgUUID(as_uuid=True)), server_default=text("'{}'"))
    cities: Mapped[list[str]] = mapped_column(ARRAY(String(100)), server_default=text("'{}'"))
    limit_total: Mapped[int | None] = mapped_column(Integer)
    limit_per_employee: Mapped[int | None] = mapped_column(Integer)
    limit_per_employee_per_day: Mapped[int | None] = mapped_column(Integer)
    limit_per_employee_per_week: Mapped[int | None] = mapped_column(Integer)
    limit_per_employee_per_month: Mapped[int | None] = mapped_column(Integer)
    # Codes issued and not cancelled; only ever changed by a conditional UPDATE.
    issued_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    code_mode: Mapped[str] = mapped_column(
        String(16), default="generated", server_default=text("'generated'")
    )
    partner_names: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    search_vector: Mapped[Any] = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR, persisted=True))


class OfferSearch(NaturalKeyBase):
    """The narrow copy of every offer that can be live (published, partner active) that a search ranks
    from: the viewer's filters, the visibility window and the search vector, about half an offer's row.
    Triggers keep it (migration 0009); nothing in Python writes it."""

    __tablename__ = "offer_search"
    __table_args__ = (
        Index("ix_offer_search_words", "search_vector", postgresql_using="gin"),
        Index("ix_offer_search_partner", "partner_id"),
    )

    offer_id: Mapped[UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True))
    category_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True))
    featured: Mapped[bool] = mapped_column(Boolean)
    cities: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    shown_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    shown_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    listed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    eligible_companies: Mapped[list[str]] = mapped_column(ARRAY(String(200)))
    eligible_departments: Mapped[list[str]] = mapped_column(ARRAY(String(200)))
    eligible_cities: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    search_vector: Mapped[Any] = mapped_column(TSVECTOR)


class SearchLexeme(NaturalKeyBase):
    """Every lexeme the search vectors ever held, numbered for the postings (migration 0013; only grows)."""

    __tablename__ = "search_lexemes"

    id: Mapped[int] = mapped_column(Integer, Identity(always=True), primary_key=True)
    term: Mapped[str] = mapped_column(Text(collation="C"), unique=True)


class OfferSearchPosting(NaturalKeyBase):
    """One lexeme of one offer of ``offer_search``, with its term of ``ts_rank`` (its score against the lexeme
    alone). Triggers on ``offer_search`` keep them (migration 0013); nothing in Python writes them. The
    table has no key of its own: a row is found through the walk index by all three columns."""

    __tablename__ = "offer_search_postings"
    __table_args__ = (
        Index("ix_offer_search_postings_walk", "term_id", text("score DESC"), text("offer_id DESC")),
    )
    __mapper_args__ = {"primary_key": ["term_id", "score", "offer_id"]}

    term_id: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(REAL)
    offer_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True))


class Favorite(NaturalKeyBase):
    __tablename__ = "favorites"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    offer_id: Mapped[UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SearchTerm(NaturalKeyBase):
    """Every word that occurs in the catalog, for pg_trgm to map a misspelt query word onto."""

    __tablename__ = "search_terms"
    __table_args__ = (
        Index(
            "ix_search_terms_trigram", "term", postgresql_using="gin", postgresql_ops={"term": "gin_trgm_ops"}
        ),
    )

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
