"""Offers' per-employee limit periods (read in the offer's time zone) and what is left of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

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


async def remaining_for(session: AsyncSession, offer: Any, user_id: UUID, now: datetime) -> int | None:
    """How many more codes I may take now: the tightest of my per-period limits and the total; None when
    the offer sets no limit."""
    local_day = local_day_of(now, offer.timezone)
    limits = period_limits(offer, local_day)
    remaining: list[int] = []
    if limits:
        used = dict(
            (row.period, row.used)
            for row in await session.execute(
                select(RedemptionCounter.period, RedemptionCounter.used).where(
                    RedemptionCounter.user_id == user_id,
                    RedemptionCounter.offer_id == offer.id,
                    or_(
                        *(
                            and_(
                                RedemptionCounter.period == x.period,
                                RedemptionCounter.period_start == x.start,
                            )
                            for x in limits
                        )
                    ),
                )
            )
        )
        remaining += [max(x.limit - used.get(x.period, 0), 0) for x in limits]
    if offer.limit_total is not None:
        remaining.append(max(offer.limit_total - offer.issued_count, 0))
    return min(remaining) if remaining else None


async def pool_remaining(session: AsyncSession, offer_id: UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(PoolCode.offer_id == offer_id, PoolCode.claimed_at.is_(None))
        )
        or 0
    )
