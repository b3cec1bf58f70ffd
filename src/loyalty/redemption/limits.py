"""Offers' per-employee limit periods (read in the offer's time zone) and what is left of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import Date, String, Uuid, and_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from loyalty.core.prepared import Prepared
from loyalty.redemption.models import LimitPeriod, PoolCode, RedemptionCounter


@dataclass(frozen=True, slots=True)
class PeriodLimit:
    period: LimitPeriod
    start: date
    limit: int


def period_limits(offer: Any, local_day: date) -> list[PeriodLimit]:
    """The per-employee limits the offer sets, each with the start of the period ``local_day`` is in."""
    candidates = (
        (LimitPeriod.EVER, date.min, offer.limit_per_employee),
        (LimitPeriod.DAY, local_day, offer.limit_per_employee_per_day),
        (
            LimitPeriod.WEEK,
            local_day - timedelta(days=local_day.weekday()),
            offer.limit_per_employee_per_week,
        ),
        (LimitPeriod.MONTH, local_day.replace(day=1), offer.limit_per_employee_per_month),
    )
    return [PeriodLimit(period, start, limit) for period, start, limit in candidates if limit is not None]


def local_day_of(instant: datetime, zone: str) -> date:
    return instant.astimezone(ZoneInfo(zone)).date()


# What I have used of an offer in the periods its limits count now (pairs of period and its start).
_WANTED = (
    func.unnest(bindparam("periods", type_=ARRAY(String)), bindparam("starts", type_=ARRAY(Date)))
    .table_valued("period", "start")
    .render_derived(name="wanted")
)
USED_IN_PERIODS = Prepared(
    select(RedemptionCounter.period, RedemptionCounter.used)
    .join(
        _WANTED,
        and_(RedemptionCounter.period == _WANTED.c.period, RedemptionCounter.period_start == _WANTED.c.start),
    )
    .where(
        RedemptionCounter.user_id == bindparam("user_id", type_=Uuid),
        RedemptionCounter.offer_id == bindparam("offer_id", type_=Uuid),
    )
)
POOL_HAS_CODES = Prepared(
    select(
        exists().where(PoolCode.offer_id == bindparam("offer_id", type_=Uuid), PoolCode.claimed_at.is_(None))
    )
)


async def remaining_for(
    connection: asyncpg.Connection, offer: Any, user_id: UUID, now: datetime
) -> int | None:
    """How many more codes I may take now: the tightest of my per-period limits and the total; None when
    the offer sets no limit."""
    local_day = local_day_of(now, offer.timezone)
    limits = period_limits(offer, local_day)
    remaining: list[int] = []
    if limits:
        rows = await USED_IN_PERIODS.fetch(
            connection,
            user_id=user_id,
            offer_id=offer.id,
            periods=[x.period.value for x in limits],
            starts=[x.start for x in limits],
        )
        used = {row["period"]: row["used"] for row in rows}
        remaining += [max(x.limit - used.get(x.period, 0), 0) for x in limits]
    if offer.limit_total is not None:
        remaining.append(max(offer.limit_total - offer.issued_count, 0))
    return min(remaining) if remaining else None


async def pool_has_codes(connection: asyncpg.Connection, offer_id: UUID) -> bool:
    return bool(await POOL_HAS_CODES.fetchval(connection, offer_id=offer_id))
