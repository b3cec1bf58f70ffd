"""Per-employee limit periods: the local day an instant falls on in the offer's zone, and the day, week
(Monday first) and month it starts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from loyalty.redemption.limits import PeriodLimit, local_day_of, period_limits
from loyalty.redemption.models import LimitPeriod


@dataclass
class Limits:
    """The offer fields period_limits reads."""

    limit_per_employee: int | None = None
    limit_per_employee_per_day: int | None = None
    limit_per_employee_per_week: int | None = None
    limit_per_employee_per_month: int | None = None


EVERY_PERIOD = Limits(10, 1, 3, 5)


def starts(local_day: date) -> dict[LimitPeriod, date]:
    return {limit.period: limit.start for limit in period_limits(EVERY_PERIOD, local_day)}


@pytest.mark.parametrize(
    ("local_day", "week", "month"),
    [
        pytest.param(date(2026, 11, 23), date(2026, 11, 23), date(2026, 11, 1), id="monday-starts-its-week"),
        pytest.param(date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 1), id="wednesday"),
        pytest.param(date(2026, 11, 29), date(2026, 11, 23), date(2026, 11, 1), id="sunday-ends-the-week"),
        pytest.param(date(2026, 11, 30), date(2026, 11, 30), date(2026, 11, 1), id="next-monday"),
        pytest.param(date(2026, 11, 1), date(2026, 10, 26), date(2026, 11, 1), id="week-from-last-month"),
        pytest.param(date(2026, 1, 31), date(2026, 1, 26), date(2026, 1, 1), id="jan-31"),
        pytest.param(date(2026, 2, 28), date(2026, 2, 23), date(2026, 2, 1), id="feb-28"),
        pytest.param(date(2028, 2, 29), date(2028, 2, 28), date(2028, 2, 1), id="leap-day"),
        pytest.param(date(2026, 4, 30), date(2026, 4, 27), date(2026, 4, 1), id="april-30"),
        pytest.param(date(2026, 12, 31), date(2026, 12, 28), date(2026, 12, 1), id="dec-31"),
        pytest.param(date(2027, 1, 1), date(2026, 12, 28), date(2027, 1, 1), id="week-from-last-year"),
        pytest.param(
            date(2027, 1, 3), date(2026, 12, 28), date(2027, 1, 1), id="sunday-of-a-year-spanning-week"
        ),
        pytest.param(date(2027, 1, 4), date(2027, 1, 4), date(2027, 1, 1), id="first-monday-of-2027"),
    ],
)
def test_period_starts(local_day: date, week: date, month: date) -> None:
    assert starts(local_day) == {
        LimitPeriod.EVER: date.min,
        LimitPeriod.DAY: local_day,
        LimitPeriod.WEEK: week,
        LimitPeriod.MONTH: month,
    }


@pytest.mark.parametrize(
    ("offer", "limits"),
    [
        pytest.param(Limits(), [], id="no-limits"),
        pytest.param(Limits(limit_per_employee=2), [PeriodLimit(LimitPeriod.EVER, date.min, 2)], id="ever"),
        pytest.param(
            Limits(limit_per_employee_per_day=1),
            [PeriodLimit(LimitPeriod.DAY, date(2026, 11, 26), 1)],
            id="day",
        ),
        pytest.param(
            Limits(limit_per_employee_per_week=3),
            [PeriodLimit(LimitPeriod.WEEK, date(2026, 11, 23), 3)],
            id="week",
        ),
        pytest.param(
            Limits(limit_per_employee_per_month=5),
            [PeriodLimit(LimitPeriod.MONTH, date(2026, 11, 1), 5)],
            id="month",
        ),
        pytest.param(
            Limits(limit_per_employee=0, limit_per_employee_per_month=0),
            [
                PeriodLimit(LimitPeriod.EVER, date.min, 0),
                PeriodLimit(LimitPeriod.MONTH, date(2026, 11, 1), 0),
            ],
            id="zero-is-a-limit-not-none",
        ),
        pytest.param(
            EVERY_PERIOD,
            [
                PeriodLimit(LimitPeriod.EVER, date.min, 10),
                PeriodLimit(LimitPeriod.DAY, date(2026, 11, 26), 1),
                PeriodLimit(LimitPeriod.WEEK, date(2026, 11, 23), 3),
                PeriodLimit(LimitPeriod.MONTH, date(2026, 11, 1), 5),
            ],
            id="all-in-order-ever-day-week-month",
        ),
    ],
)
def test_only_the_limits_the_offer_sets(offer: Limits, limits: list[PeriodLimit]) -> None:
    assert period_limits(offer, date(2026, 11, 26)) == limits


# Kazakhstan has kept no daylight saving time since 2005 and is on UTC+5 throughout since 2024-03-01
# (tzdata 2024a; an older system zoneinfo would give these cases a day too late or early).
@pytest.mark.parametrize(
    ("instant", "zone", "local_day"),
    [
        pytest.param(
            datetime(2026, 11, 29, 18, 59, tzinfo=UTC), "Asia/Almaty", date(2026, 11, 29), id="almaty-23:59"
        ),
        pytest.param(
            datetime(2026, 11, 29, 19, 0, tzinfo=UTC), "Asia/Almaty", date(2026, 11, 30), id="almaty-midnight"
        ),
        pytest.param(
            datetime(2026, 6, 30, 19, 0, tzinfo=UTC),
            "Asia/Almaty",
            date(2026, 7, 1),
            id="almaty-summer-same-offset",
        ),
        pytest.param(
            datetime(2026, 11, 30, 18, 59, tzinfo=UTC),
            "Asia/Almaty",
            date(2026, 11, 30),
            id="almaty-month-end",
        ),
        pytest.param(
            datetime(2026, 12, 31, 19, 0, tzinfo=UTC),
            "Asia/Almaty",
            date(2027, 1, 1),
            id="almaty-new-year-while-utc-is-in-the-old",
        ),
        pytest.param(
            datetime(2026, 11, 29, 19, 0, tzinfo=UTC),
            "Asia/Aqtobe",
            date(2026, 11, 30),
            id="aqtobe-same-as-almaty",
        ),
        pytest.param(
            datetime(2026, 11, 29, 18, 30, tzinfo=UTC),
            "Asia/Kolkata",
            date(2026, 11, 30),
            id="half-hour-offset",
        ),
        pytest.param(
            datetime(2026, 11, 29, 14, 59, tzinfo=UTC), "Asia/Tokyo", date(2026, 11, 29), id="tokyo-23:59"
        ),
        pytest.param(
            datetime(2026, 11, 29, 10, 0, tzinfo=UTC), "Pacific/Kiritimati", date(2026, 11, 30), id="utc+14"
        ),
        pytest.param(
            datetime(2026, 11, 30, 10, 59, tzinfo=UTC), "Pacific/Pago_Pago", date(2026, 11, 29), id="utc-11"
        ),
        pytest.param(datetime(2026, 11, 29, 23, 59, tzinfo=UTC), "UTC", date(2026, 11, 29), id="utc"),
        # A zone with daylight saving: the local day follows the offset in force at that instant.
        pytest.param(
            datetime(2026, 7, 1, 22, 0, tzinfo=UTC), "Europe/Berlin", date(2026, 7, 2), id="berlin-summer"
        ),
        pytest.param(
            datetime(2026, 12, 1, 22, 0, tzinfo=UTC), "Europe/Berlin", date(2026, 12, 1), id="berlin-winter"
        ),
    ],
)
def test_the_local_day_an_instant_falls_on(instant: datetime, zone: str, local_day: date) -> None:
    assert local_day_of(instant, zone) == local_day


@pytest.mark.parametrize(
    ("instant", "week", "month"),
    [
        # Sunday evening in UTC is already Monday in Almaty: a new week there.
        pytest.param(
            datetime(2026, 11, 29, 19, 0, tzinfo=UTC),
            date(2026, 11, 30),
            date(2026, 11, 1),
            id="monday-in-almaty",
        ),
        pytest.param(
            datetime(2026, 11, 29, 18, 59, tzinfo=UTC),
            date(2026, 11, 23),
            date(2026, 11, 1),
            id="still-sunday",
        ),
        # The last evening of the month in UTC is already the 1st in Almaty: a new month there.
        pytest.param(
            datetime(2026, 11, 30, 19, 0, tzinfo=UTC),
            date(2026, 11, 30),
            date(2026, 12, 1),
            id="december-in-almaty",
        ),
        pytest.param(
            datetime(2026, 12, 31, 19, 0, tzinfo=UTC),
            date(2026, 12, 28),
            date(2027, 1, 1),
            id="new-year-in-almaty",
        ),
    ],
)
def test_periods_start_at_local_midnight_in_the_offers_zone(
    instant: datetime, week: date, month: date
) -> None:
    found = starts(local_day_of(instant, "Asia/Almaty"))
    assert (found[LimitPeriod.WEEK], found[LimitPeriod.MONTH]) == (week, month)
