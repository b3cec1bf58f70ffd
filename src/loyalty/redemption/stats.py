"""Partner statistics: codes issued and redeemed per offer per day or week, aggregate only.

A cell covering fewer than ``MIN_PEOPLE`` distinct employees is suppressed. Weeks are calendar weeks
(Monday first) of the offer's local days, whatever range is asked, and a week is shown only when every
one of its days is shown or empty, so subtracting shown days from a shown week can never reveal a
suppressed day. No totals across offers or periods are given, so there is nothing coarser to subtract from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.errors import invalid_field
from loyalty.core.runtime import Runtime
from loyalty.redemption.models import Redemption, RedemptionStatus
from loyalty.redemption.schemas import PartnerStats, StatsCell

MIN_PEOPLE = 10
MAX_RANGE_DAYS = 366
DEFAULT_RANGE = timedelta(days=30)
LATEST_ZONE_OFFSET = timedelta(hours=14)


@dataclass
class Tally:
    issued: int = 0
    redeemed: int = 0
    people: int = 0


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


class StatsService:
    """One partner's statistics; the range defaults to the last 30 days up to today."""

    def __init__(self, session: AsyncSession, runtime: Runtime, partner_id: UUID) -> None:
        self.session = session
        self.runtime = runtime
        self.partner_id = partner_id

    async def read(
        self, granularity: str, since: date | None, until: date | None, offer_id: UUID | None
    ) -> PartnerStats:
        # Codes count on the local day of their offer's zone, which may already be tomorrow in UTC terms:
        # "today" is the latest calendar day anywhere (UTC+14), so a fresh day's codes are never cut off.
        today = (self.runtime.clock.now() + LATEST_ZONE_OFFSET).date()
        return await partner_stats(
            self.session,
            self.partner_id,
            granularity,
            since or today - DEFAULT_RANGE,
            until or today,
            offer_id,
        )


async def partner_stats(
    session: AsyncSession, partner_id: UUID, granularity: str, since: date, until: date, offer_id: UUID | None
) -> PartnerStats:
    if until < since:
        raise invalid_field("until", "must not be before since")
    if (until - since).days > MAX_RANGE_DAYS:
        raise invalid_field("until", f"at most {MAX_RANGE_DAYS} days per query")
    # Whole weeks around the range, so a week cell never depends on where the range was cut.
    first, last = week_start(since), week_start(until) + timedelta(days=6)
    query = (
        select(
            Redemption.offer_id,
            Redemption.local_day,
            func.count().filter(Redemption.status != RedemptionStatus.CANCELLED).label("issued"),
            func.count().filter(Redemption.status == RedemptionStatus.REDEEMED).label("redeemed"),
            func.count(Redemption.user_id.distinct()).label("people"),
        )
        .where(Redemption.partner_id == partner_id, Redemption.local_day.between(first, last))
        .group_by(Redemption.offer_id, Redemption.local_day)
    )
    if offer_id is not None:
        query = query.where(Redemption.offer_id == offer_id)
    days: dict[tuple[UUID, date], Tally] = {
        (row.offer_id, row.local_day): Tally(row.issued, row.redeemed, row.people)
        for row in await session.execute(query)
    }
    if granularity == "day":
        cells = [
            _cell(offer, day, tally, tally.people >= MIN_PEOPLE)
            for (offer, day), tally in sorted(days.items(), key=lambda item: (item[0][1], str(item[0][0])))
            if since <= day <= until
        ]
    else:
        weeks = await _weeks(session, partner_id, offer_id, first, last)
        shown_days_complete: dict[tuple[UUID, date], bool] = defaultdict(lambda: True)
        for (offer, day), tally in days.items():
            if tally.people < MIN_PEOPLE:
                shown_days_complete[(offer, week_start(day))] = False
        cells = [
            _cell(offer, start, tally, tally.people >= MIN_PEOPLE and shown_days_complete[(offer, start)])
            for (offer, start), tally in sorted(weeks.items(), key=lambda item: (item[0][1], str(item[0][0])))
            if week_start(since) <= start <= until
        ]
    return PartnerStats(
        granularity=granularity,  # type: ignore[arg-type]
        since=since,
        until=until,
        min_people_per_cell=MIN_PEOPLE,
        cells=cells,
    )


async def _weeks(
    session: AsyncSession, partner_id: UUID, offer_id: UUID | None, first: date, last: date
) -> dict[tuple[UUID, date], Tally]:
    """Per offer per week, counting each person once per week (not once per day)."""
    week = func.date_trunc("week", Redemption.local_day).cast(Redemption.local_day.type).label("week")
    query = (
        select(
            Redemption.offer_id,
            week,
            func.count().filter(Redemption.status != RedemptionStatus.CANCELLED).label("issued"),
            func.count().filter(Redemption.status == RedemptionStatus.REDEEMED).label("redeemed"),
            func.count(Redemption.user_id.distinct()).label("people"),
        )
        .where(Redemption.partner_id == partner_id, Redemption.local_day.between(first, last))
        .group_by(Redemption.offer_id, week)
    )
    if offer_id is not None:
        query = query.where(Redemption.offer_id == offer_id)
    return {
        (row.offer_id, row.week): Tally(row.issued, row.redeemed, row.people)
        for row in await session.execute(query)
    }


def _cell(offer_id: UUID, start: date, tally: Tally, shown: bool) -> StatsCell:
    return StatsCell(
        offer_id=offer_id,
        period_start=start,
        suppressed=not shown,
        issued=tally.issued if shown else None,
        redeemed=tally.redeemed if shown else None,
    )
