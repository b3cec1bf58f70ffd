"""Partner statistics: aggregate only, small cells suppressed, and no differencing across granularities."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.helpers import API, STRONG_PASSWORD, Api, bearer


async def take_codes(api: Api, offer: dict[str, Any], people: int) -> None:
    for person in await api.many_employees(people):
        response = await api.client.post(f"{API}/offers/{offer['id']}/redemptions", headers=person.headers)
        assert response.status_code == 201, response.text


async def test_small_cells_are_suppressed_and_weeks_cannot_be_differenced(api: Api) -> None:
    await api.publish_policy("1")
    created = await api.create_partner()
    partner = await api.partner_admin(created["id"], "stats@partner.kz")
    offer = await api.create_offer(partner)
    zone = ZoneInfo(offer["timezone"])
    busy_day = api.clock.now().astimezone(zone).date()
    # Another day of the same calendar week.
    quiet_day = busy_day + timedelta(days=1) if busy_day.weekday() == 0 else busy_day - timedelta(days=1)

    await take_codes(api, offer, 12)
    api.clock.advance(timedelta(days=(quiet_day - busy_day).days))
    await take_codes(api, offer, 3)
    partner = bearer(await api.login("stats@partner.kz", STRONG_PASSWORD))

    async def stats(**params: Any) -> dict[str, Any]:
        since = min(busy_day, quiet_day) - timedelta(days=7)
        query = {"since": since.isoformat(), "until": (since + timedelta(days=14)).isoformat()} | params
        response = await api.client.get(f"{API}/partner/stats", params=query, headers=partner)
        assert response.status_code == 200, response.text
        return dict(response.json())

    days = {date.fromisoformat(c["period_start"]): c for c in (await stats(granularity="day"))["cells"]}
    assert days[busy_day] | {"offer_id": None} == {
        "offer_id": None,
        "period_start": busy_day.isoformat(),
        "suppressed": False,
        "issued": 12,
        "redeemed": 0,
    }
    assert (days[quiet_day]["suppressed"], days[quiet_day]["issued"]) == (True, None)
    # 15 people that week, but showing it would reveal the quiet day as week minus busy day.
    weeks = (await stats(granularity="week"))["cells"]
    assert [(c["suppressed"], c["issued"]) for c in weeks] == [(True, None)]
    assert {key for cell in weeks for key in cell} == {
        "offer_id",
        "period_start",
        "suppressed",
        "issued",
        "redeemed",
    }


async def test_a_partner_sees_only_its_own_statistics(api: Api) -> None:
    await api.publish_policy("1")
    _, partner = await api.partner_with_admin()
    _, other = await api.partner_with_admin("Other")
    offer = await api.create_offer(partner)
    await take_codes(api, offer, 10)
    mine = (await api.client.get(f"{API}/partner/stats", headers=partner)).json()["cells"]
    assert [(c["offer_id"], c["issued"]) for c in mine] == [(offer["id"], 10)]
    assert (await api.client.get(f"{API}/partner/stats", headers=other)).json()["cells"] == []
    foreign = await api.client.get(f"{API}/partner/stats", params={"offer_id": offer["id"]}, headers=other)
    assert foreign.json()["cells"] == []
