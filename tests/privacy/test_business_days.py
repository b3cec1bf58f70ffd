"""The response period of a data request, counted in Kazakhstan's business days.

Holidays are those of the ``holidays`` package (country "KZ"); dates marked "(estimated)" there, such as
Eid al-Adha, are left out of these tables because a package update may move them.
"""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from loyalty.privacy.requests import add_business_days


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Ordinary weeks.
        pytest.param(date(2026, 11, 23), 1, date(2026, 11, 24), id="mon+1"),
        pytest.param(date(2026, 11, 23), 3, date(2026, 11, 26), id="mon+3"),
        pytest.param(date(2026, 11, 23), 5, date(2026, 11, 30), id="mon+5-crosses-a-weekend"),
        pytest.param(date(2026, 11, 26), 3, date(2026, 12, 1), id="thu+3-crosses-a-weekend"),
        pytest.param(date(2026, 11, 27), 1, date(2026, 11, 30), id="fri+1-is-monday"),
        pytest.param(date(2026, 11, 28), 1, date(2026, 11, 30), id="sat+1-is-monday"),
        pytest.param(date(2026, 11, 29), 1, date(2026, 11, 30), id="sun+1-is-monday"),
        pytest.param(date(2026, 11, 23), 10, date(2026, 12, 7), id="two-weeks"),
        pytest.param(
            date(2026, 11, 28), 0, date(2026, 11, 28), id="zero-days-is-the-start-even-on-a-weekend"
        ),
        # Holidays on weekdays.
        pytest.param(date(2026, 12, 15), 1, date(2026, 12, 17), id="independence-day-wed"),
        pytest.param(date(2026, 5, 6), 1, date(2026, 5, 8), id="defender-day-thu"),
        pytest.param(date(2026, 7, 3), 1, date(2026, 7, 7), id="capital-day-mon"),
        pytest.param(date(2026, 1, 6), 1, date(2026, 1, 8), id="orthodox-christmas-wed"),
        pytest.param(date(2026, 1, 1), 1, date(2026, 1, 5), id="start-on-a-holiday"),
        # Holidays on weekends give the next weekday off (observed), and that day does not count either.
        pytest.param(date(2026, 3, 6), 1, date(2026, 3, 10), id="womens-day-on-sunday-observed-monday"),
        pytest.param(date(2026, 5, 8), 1, date(2026, 5, 12), id="victory-day-on-saturday-observed-monday"),
        pytest.param(date(2026, 5, 6), 2, date(2026, 5, 12), id="defender-day-then-victory-day-observed"),
        pytest.param(date(2026, 10, 23), 1, date(2026, 10, 27), id="republic-day-on-sunday-observed-monday"),
        pytest.param(date(2025, 8, 29), 1, date(2025, 9, 2), id="constitution-day-on-saturday-2025"),
        # Nowruz: three days, two of them on a weekend in 2026, so two more weekdays off.
        pytest.param(date(2026, 3, 20), 1, date(2026, 3, 26), id="nowruz-2026"),
        pytest.param(date(2026, 3, 20), 3, date(2026, 3, 30), id="nowruz-2026-three-days"),
        # Year boundaries: New Year's Day and the day after, and the next year's holidays are known.
        pytest.param(date(2026, 12, 30), 1, date(2026, 12, 31), id="dec-30+1"),
        pytest.param(date(2026, 12, 31), 1, date(2027, 1, 5), id="new-year-2027-jan-2-on-saturday-observed"),
        pytest.param(date(2026, 12, 30), 4, date(2027, 1, 8), id="into-2027-past-orthodox-christmas"),
        pytest.param(date(2025, 12, 30), 3, date(2026, 1, 6), id="into-2026"),
        pytest.param(date(2025, 12, 31), 1, date(2026, 1, 5), id="new-year-2026-thu-fri"),
        pytest.param(date(2027, 12, 31), 1, date(2028, 1, 5), id="new-year-2028-both-days-on-the-weekend"),
    ],
)
def test_add_business_days(start: date, days: int, due: date) -> None:
    assert add_business_days(start, days) == due


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        pytest.param(date(2024, 5, 3), 1, date(2024, 5, 4), id="saturday-2024-05-04-worked-for-05-08"),
        pytest.param(date(2025, 1, 2), 1, date(2025, 1, 5), id="sunday-2025-01-05-worked-for-01-03"),
    ],
)
def test_a_weekend_day_worked_in_exchange_for_a_day_off_counts(start: date, days: int, due: date) -> None:
    assert add_business_days(start, days) == due


@pytest.mark.parametrize("days", [1, 3, 10])
def test_every_due_date_is_a_business_day_exactly_that_many_business_days_on(days: int) -> None:
    """Over two whole years without transferred working days, for every start day."""
    calendar = holidays.country_holidays("KZ", years=range(2026, 2029))
    assert not [day for day in calendar.weekend_workdays if 2026 <= day.year <= 2027]

    def business(day: date) -> bool:
        return day.weekday() < 5 and day not in calendar

    start = date(2026, 1, 1)
    while start.year < 2028:
        due = add_business_days(start, days)
        counted = [start + timedelta(days=n) for n in range(1, (due - start).days + 1)]
        assert business(due), start
        assert sum(business(day) for day in counted) == days, start
        start += timedelta(days=1)
