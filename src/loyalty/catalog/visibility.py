"""Which offers anyone may see: live = published, inside the visibility window, partner active; meant for
me = the offer's eligibility rules (companies, departments, cities; empty = everyone) admit my roster
entry. Every catalog read and every code issued applies these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BindParameter, ColumnElement, String, bindparam, literal, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import array as pg_array

from loyalty.catalog.models import Offer, OfferSearch, OfferStatus
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


def live_offer(now: datetime | ColumnElement[datetime]) -> list[ColumnElement[bool]]:
    """The offer's own half of "live": published and inside its visibility window."""
    return [Offer.status == OfferStatus.PUBLISHED, Offer.shown_from <= now, Offer.shown_until > now]


def searchable_now(now: datetime | ColumnElement[datetime]) -> list[ColumnElement[bool]]:
    """ "Live" on the narrow search copy: it only holds published offers of active partners (triggers of
    migration 0009), so what is left is the visibility window."""
    return [OfferSearch.shown_from <= now, OfferSearch.shown_until > now]


def live(now: datetime | ColumnElement[datetime]) -> list[ColumnElement[bool]]:
    """Live: :func:`live_offer`, and its partner (joined) is active."""
    return [*live_offer(now), Partner.status == PartnerStatus.ACTIVE]


def of_active_partner() -> ColumnElement[bool]:
    """The partner half of "live" without joining partners: one pass over them, then a hash lookup per
    offer, which pays when thousands of offers are checked."""
    return Offer.partner_id.in_(select(Partner.id).where(Partner.status == PartnerStatus.ACTIVE))


def _admits(rule: Any, value: str | BindParameter[Any] | ColumnElement[Any] | None) -> ColumnElement[bool]:
    """The rule is empty (everyone) or names ``value``; with no value (no roster attribute) only an empty
    rule admits. ``value`` may be a bound parameter that takes a one-element list, or a one-element array
    of a column (a NULL in it admits nothing, as no value does)."""
    # Written with '{}' and @> rather than cardinality() and ANY(): PostgreSQL estimates these, so it keeps
    # to the sort's index instead of expecting almost no live offers and scanning everything.
    empty: ColumnElement[bool] = rule == literal([], ARRAY(String))
    if value is None:
        return empty
    named = value if isinstance(value, ColumnElement) else literal([value], ARRAY(String))
    return or_(empty, rule.contains(named))


def meant_for_company(viewer: Viewer) -> ColumnElement[bool]:
    """An offer for another company of the group is not shown to me at all, not even by its id."""
    return _admits(Offer.eligible_companies, viewer.company)


def meant_for(viewer: Viewer) -> list[ColumnElement[bool]]:
    return [
        meant_for_company(viewer),
        _admits(Offer.eligible_departments, viewer.department),
        _admits(Offer.eligible_cities, viewer.city),
    ]


def meant_for_entry(company: Any, department: Any, city: Any) -> list[ColumnElement[bool]]:
    """:func:`meant_for` against roster columns, for statements that check many people at once (the
    notification producers): the same rules, so nobody is told of an offer they may not see."""
    return [
        _admits(Offer.eligible_companies, pg_array([company])),
        _admits(Offer.eligible_departments, pg_array([department])),
        _admits(Offer.eligible_cities, pg_array([city])),
    ]


# The viewer's attributes as parameters of a statement compiled once (see core/prepared.py); each takes a
# one-element list (``viewer_params``). Whether an attribute is known at all changes the statement.
VIEWER_COMPANY = bindparam("viewer_company", type_=ARRAY(String))
VIEWER_DEPARTMENT = bindparam("viewer_department", type_=ARRAY(String))
VIEWER_CITY = bindparam("viewer_city", type_=ARRAY(String))


def viewer_shape(viewer: Viewer) -> tuple[bool, bool, bool]:
    return viewer.company is not None, viewer.department is not None, viewer.city is not None


def meant_for_shape(shape: tuple[bool, bool, bool], of: Any = Offer) -> list[ColumnElement[bool]]:
    """:func:`meant_for` with the viewer's attributes as parameters, for a viewer of ``shape``; ``of`` is
    the table whose eligibility columns are checked (``offers`` or its narrow copy ``offer_search``)."""
    company, department, city = shape
    return [
        _admits(of.eligible_companies, VIEWER_COMPANY if company else None),
        _admits(of.eligible_departments, VIEWER_DEPARTMENT if department else None),
        _admits(of.eligible_cities, VIEWER_CITY if city else None),
    ]


def viewer_params(viewer: Viewer) -> dict[str, list[str]]:
    values = {
        "viewer_company": viewer.company,
        "viewer_department": viewer.department,
        "viewer_city": viewer.city,
    }
    return {name: [value] for name, value in values.items() if value is not None}
