"""Distances for "near me": haversine kilometres to partner locations, found through the GiST index on
their points (a bounding box, then nearest-first by plane degrees)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION

from loyalty.catalog.models import Offer
from loyalty.partners.models import PartnerLocation

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = 111.32
NEAREST_LOCATIONS = 64


@dataclass(frozen=True, slots=True)
class Near:
    lat: float
    lon: float
    radius_km: float


def distance_km(lat: float, lon: float) -> ColumnElement[float]:
    """Great-circle (haversine) distance from the point to a location, in km."""
    dlat = func.radians(PartnerLocation.lat - lat) / 2
    dlon = func.radians(PartnerLocation.lon - lon) / 2
    a = func.power(func.sin(dlat), 2) + math.cos(math.radians(lat)) * func.cos(
        func.radians(PartnerLocation.lat)
    ) * func.power(func.sin(dlon), 2)
    return (2 * EARTH_RADIUS_KM * func.asin(func.least(1.0, func.sqrt(a)))).cast(DOUBLE_PRECISION)


def box(near: Near) -> Any:
    dlat = near.radius_km / KM_PER_DEGREE
    dlon = near.radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(near.lat)), 0.01))
    return func.box(
        func.point(near.lon - dlon, near.lat - dlat), func.point(near.lon + dlon, near.lat + dlat)
    )


def degrees_from(near: Near) -> ColumnElement[float]:
    """Plane distance in degrees: what the GiST index orders by (nearest first), not kilometres."""
    return PartnerLocation.position.op("<->", return_type=DOUBLE_PRECISION)(func.point(near.lon, near.lat))


def near_offers(near: Near, within_degrees: float | None) -> Any:
    """Offers with a location within the radius, and the distance to the closest one. The bounding box
    lets the GiST index find candidate locations; the haversine distance decides. ``within_degrees``
    keeps only the locations the index found nearest (see :meth:`CatalogService._nearest_reach`)."""
    distance = distance_km(near.lat, near.lon)
    conditions = [PartnerLocation.position.op("<@")(box(near)), distance <= near.radius_km]
    if within_degrees is not None:
        conditions.append(degrees_from(near) <= within_degrees)
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
