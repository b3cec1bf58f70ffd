"""Distances for "near me": haversine kilometres to partner locations, found through the GiST index on
their points (a bounding box, then nearest-first by plane degrees).

The expressions take the point and the radius as bound parameters (``near_params`` gives their values),
so the statements that use them are built and compiled once."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, bindparam, func, or_, select
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION

from loyalty.catalog.models import Offer
from loyalty.core.prepared import Prepared
from loyalty.partners.models import PartnerLocation

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.32
NEAREST_LOCATIONS = 64


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lon: float
    radius_km: float


def _number(name: str) -> Any:
    return bindparam(name, type_=Float(53))


LAT, LON, RADIUS_KM, COS_LAT = (
    _number("near_lat"),
    _number("near_lon"),
    _number("near_km"),
    _number("near_cos"),
)
WEST, SOUTH, EAST, NORTH = _number("box_w"), _number("box_s"), _number("box_e"), _number("box_n")
WITHIN_DEGREES, EXACT_KM = _number("within_degrees"), _number("exact_km")


def near_params(near: Near, within_degrees: float | None = None) -> dict[str, float]:
    """The values of the point, its bounding box and (with ``within_degrees``) how far distances are exact."""
    dlat = near.radius_km / KM_PER_DEGREE
    dlon = near.radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(near.lat)), 0.01))
    params = {
        "near_lat": near.lat,
        "near_lon": near.lon,
        "near_km": near.radius_km,
        "near_cos": math.cos(math.radians(near.lat)),
        "box_w": near.lon - dlon,
        "box_s": near.lat - dlat,
        "box_e": near.lon + dlon,
        "box_n": near.lat + dlat,
    }
    if within_degrees is not None:
        # An offer this close has its nearest location among those kept, so its distance is exact:
        # one degree of the plane is at least KM_PER_DEGREE * cos(latitude) km inside the box.
        far_latitude = min(abs(near.lat) + near.radius_km / KM_PER_DEGREE, 89.0)
        params["within_degrees"] = within_degrees
        params["exact_km"] = 0.99 * KM_PER_DEGREE * math.cos(math.radians(far_latitude)) * within_degrees
    return params


def distance_km() -> ColumnElement[float]:
    """Great-circle (haversine) distance from the point to a location, in km."""
    dlat = func.radians(PartnerLocation.lat - LAT) / 2
    dlon = func.radians(PartnerLocation.lon - LON) / 2
    a = func.power(func.sin(dlat), 2) + COS_LAT * func.cos(func.radians(PartnerLocation.lat)) * func.power(
        func.sin(dlon), 2
    )
    return (2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(a)))).cast(DOUBLE_PRECISION)


def box() -> Any:
    return func.box(func.point(WEST, SOUTH), func.point(EAST, NORTH))


def degrees_from() -> ColumnElement[float]:
    """Plane distance in degrees: what the GiST index orders by (nearest first), not kilometres."""
    return PartnerLocation.position.op("<->", return_type=DOUBLE_PRECISION)(func.point(LON, LAT))


# How far (in the index's degrees) the n nearest locations in the box reach; nothing when it holds fewer.
NEAREST_REACH = Prepared(
    select(degrees_from())
    .where(PartnerLocation.position.op("<@")(box()))
    .order_by(degrees_from())
    .offset(bindparam("skip", type_=Integer))
    .limit(1)
)


def near_offers(within: bool) -> Any:
    """Offers with a location within the radius, and the distance to the closest one. The bounding box
    lets the GiST index find candidate locations; the haversine distance decides. With ``within`` only
    the locations the index found nearest count (see ``CatalogService.browse``)."""
    distance = distance_km()
    conditions = [PartnerLocation.position.op("<@")(box()), distance <= RADIUS_KM]
    if within:
        conditions.append(degrees_from() <= WITHIN_DEGREES)
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
    if within:
        offers = offers.having(func.min(close.c.km) <= EXACT_KM)
    return offers.subquery("near_offers")
