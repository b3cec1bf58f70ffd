"""Which offers anyone may see: live = published, inside the visibility window, partner active; meant for
me = the offer's eligibility rules (companies, departments, cities; empty = everyone) admit my roster
entry. Every catalog read and every code issued applies these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, String, literal, or_
from sqlalchemy.dialects.postgresql import ARRAY

from loyalty.catalog.models import Offer, OfferStatus
from loyalty.core.context import Principal
from loyalty.partners.models import Partner, PartnerStatus


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
