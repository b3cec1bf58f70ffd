"""The employee's catalog: search in three languages, eligibility, windows, keyset pages, near me."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from loyalty.catalog import browse
from tests.helpers import API, Api, Employee, bearer

COFFEE = {
    "title": {
        "ru": "Кофе и десерты со скидкой",
        "en": "Coffee and desserts discount",
        "kk": "Кофе мен десерттерге жеңілдік",
    }
}
GYM = {
    "category": "fitness",
    "title": {"ru": "Абонемент в фитнес-клуб", "en": "Gym membership", "kk": "Фитнес-клубқа абонемент"},
}
BOOKS = {
    "category": "shopping",
    "title": {
        "ru": "Скидка 15% на все книги",
        "en": "15% off all books",
        "kk": "Барлық кітаптарға 15% жеңілдік",
    },
    "description": {
        "kk": "Кітап дүкенінде жаңа кітаптар көп",
        "ru": "Много новинок",
        "en": "Many new titles",
    },
}
DINNER = {
    "title": {
        "ru": "Скидка на ужин в ресторане",
        "en": "Dinner discount at the restaurant",
        "kk": "Мейрамханада кешкі асқа жеңілдік",
    }
}
COFFEE_IN_DESCRIPTION = {
    "title": {"ru": "Завтрак в кондитерской", "en": "Breakfast at the bakery", "kk": "Наубайханада таңғы ас"},
    "description": {
        "ru": "К завтраку кофе бесплатно",
        "en": "Free coffee with breakfast",
        "kk": "Таңғы асқа кофе тегін",
    },
}


async def offers(api: Api, who: Employee, **params: Any) -> dict[str, Any]:
    response = await api.client.get(f"{API}/offers", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def titles(api: Api, who: Employee, **params: Any) -> list[str]:
    return [item["title"] for item in (await offers(api, who, lang="en", **params))["items"]]


async def catalog(api: Api) -> tuple[dict[str, str], Employee]:
    await api.publish_policy("1")
    employee = await api.register(company="Dala Energy", department="IT", city="Astana")
    _, partner = await api.partner_with_admin()
    return partner, employee


async def test_search_matches_each_language_stemmed_and_ranks_titles_first(api: Api) -> None:
    partner, employee = await catalog(api)
    for body in (COFFEE, GYM, BOOKS, DINNER, COFFEE_IN_DESCRIPTION):
        await api.create_offer(partner, **body)

    assert await titles(api, employee, q="книга") == ["15% off all books"]
    assert await titles(api, employee, q="ресторане") == ["Dinner discount at the restaurant"]
    assert await titles(api, employee, q="book") == ["15% off all books"]
    assert await titles(api, employee, q="десерт кофе") == ["Coffee and desserts discount"]
    # Stop words of any language do not have to occur.
    assert await titles(api, employee, q="coffee and desserts") == ["Coffee and desserts discount"]
    assert await titles(api, employee, q="кофе и десерты") == ["Coffee and desserts discount"]
    assert await titles(api, employee, q="кофе мен десерт") == ["Coffee and desserts discount"]
    # A title match outranks a description match.
    assert await titles(api, employee, q="coffee") == [
        "Coffee and desserts discount",
        "Breakfast at the bakery",
    ]
    assert await titles(api, employee, q="кофе") == [
        "Coffee and desserts discount",
        "Breakfast at the bakery",
    ]


async def test_kazakh_words_match_in_their_inflected_forms(api: Api) -> None:
    partner, employee = await catalog(api)
    for body in (COFFEE, GYM, BOOKS, DINNER):
        await api.create_offer(partner, **body)

    # The index holds "кітаптарға", "кітап", "мейрамханада", "жеңілдік", "фитнес".
    assert await titles(api, employee, q="кітап") == ["15% off all books"]
    assert await titles(api, employee, q="кітаптар") == ["15% off all books"]
    assert await titles(api, employee, q="кітабы") == ["15% off all books"]  # б/п alternation
    assert await titles(api, employee, q="мейрамхана") == ["Dinner discount at the restaurant"]
    assert await titles(api, employee, q="мейрамханалар") == ["Dinner discount at the restaurant"]
    assert await titles(api, employee, q="дүкендер") == ["15% off all books"]
    assert sorted(await titles(api, employee, q="жеңілдіктер")) == [
        "15% off all books",
        "Coffee and desserts discount",
        "Dinner discount at the restaurant",
    ]


async def test_one_typo_still_finds_the_offer(api: Api) -> None:
    partner, employee = await catalog(api)
    for body in (COFFEE, GYM, BOOKS, DINNER):
        await api.create_offer(partner, **body)

    assert await titles(api, employee, q="cofee") == ["Coffee and desserts discount"]
    assert await titles(api, employee, q="restarant") == ["Dinner discount at the restaurant"]
    assert await titles(api, employee, q="фитнсе") == ["Gym membership"]
    assert await titles(api, employee, q="мейрамхнада") == ["Dinner discount at the restaurant"]
    assert await titles(api, employee, q="zzzzqqq") == []


async def test_texts_come_in_the_asked_language_with_fallback(api: Api) -> None:
    partner, employee = await catalog(api)
    await api.create_offer(partner, **COFFEE)
    await api.create_offer(partner, title={"ru": "Только по-русски"})

    kk = (await offers(api, employee, lang="kk", sort="newest"))["items"]
    assert [(item["title"], item["language"]) for item in kk] == [
        ("Только по-русски", "ru"),
        ("Кофе мен десерттерге жеңілдік", "kk"),
    ]
    response = await api.client.get(
        f"{API}/offers", headers=employee.headers | {"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert [item["title"] for item in response.json()["items"]] == [
        "Только по-русски",
        "Coffee and desserts discount",
    ]


async def test_an_offer_for_another_company_is_invisible_everywhere(api: Api) -> None:
    partner, employee = await catalog(api)
    mine = await api.create_offer(partner, **COFFEE)
    theirs = await api.create_offer(
        partner, title={"en": "Coffee for telecom staff"}, eligibility={"companies": ["Steppe Telecom"]}
    )
    colleague = await api.register(company="Steppe Telecom", department="IT", city="Astana")

    assert await titles(api, employee) == ["Coffee and desserts discount"]
    assert await titles(api, employee, q="coffee") == ["Coffee and desserts discount"]
    assert (await api.client.get(f"{API}/offers/{theirs['id']}", headers=employee.headers)).status_code == 404
    assert (
        await api.client.put(f"{API}/me/favorites/{theirs['id']}", headers=employee.headers)
    ).status_code == 404
    assert await titles(api, colleague, q="coffee") == [
        "Coffee for telecom staff",
        "Coffee and desserts discount",
    ]

    # Favourited while eligible; HR then moves the colleague to another company.
    assert (
        await api.client.put(f"{API}/me/favorites/{theirs['id']}", headers=colleague.headers)
    ).status_code == 204
    assert (
        await api.client.put(f"{API}/me/favorites/{mine['id']}", headers=colleague.headers)
    ).status_code == 204
    response = await api.client.patch(
        f"{API}/hr/employees/{colleague.roster_id}",
        json={"company": "Dala Energy"},
        headers=bearer(await api.hr_token()),
    )
    assert response.status_code == 200, response.text
    favorites = await api.client.get(f"{API}/me/favorites", headers=colleague.headers, params={"lang": "en"})
    assert [item["id"] for item in favorites.json()["items"]] == [mine["id"]]
    assert (
        await api.client.get(f"{API}/offers/{theirs['id']}", headers=colleague.headers)
    ).status_code == 404


async def test_department_and_city_rules_hide_from_lists_and_explain_in_detail(api: Api) -> None:
    partner, employee = await catalog(api)
    finance = await api.create_offer(
        partner, title={"en": "For finance"}, eligibility={"departments": ["Finance"]}
    )
    almaty = await api.create_offer(partner, title={"en": "For Almaty"}, eligibility={"cities": ["Almaty"]})
    mine = await api.create_offer(
        partner, title={"en": "For IT in Astana"}, eligibility={"departments": ["IT"], "cities": ["Astana"]}
    )

    assert await titles(api, employee) == ["For IT in Astana"]
    for offer, reason in ((finance, "wrong_department"), (almaty, "wrong_city"), (mine, None)):
        detail = (await api.client.get(f"{API}/offers/{offer['id']}", headers=employee.headers)).json()
        assert (detail["eligible"], detail["reason"]) == (reason is None, reason)


async def test_scheduled_offer_is_visible_but_not_yet_usable(api: Api) -> None:
    partner, employee = await catalog(api)
    today = api.clock.now().astimezone(ZoneInfo("Asia/Almaty")).date()
    teaser = await api.create_offer(
        partner,
        visible_from=(today - timedelta(days=1)).isoformat(),
        valid_from=(today + timedelta(days=3)).isoformat(),
        valid_until=(today + timedelta(days=9)).isoformat(),
    )
    detail = (await api.client.get(f"{API}/offers/{teaser['id']}", headers=employee.headers)).json()
    assert (detail["eligible"], detail["reason"]) == (False, "not_started")


async def _relogin(api: Api, employee: Employee) -> Employee:
    employee.access_token = await api.login(employee.email, employee.password)
    return employee


async def _visible_at(api: Api, employee: Employee, instant: datetime, offer_id: str) -> bool:
    api.clock.advance(instant - api.clock.now())
    await _relogin(api, employee)
    return offer_id in [item["id"] for item in (await offers(api, employee))["items"]]


async def test_windows_follow_the_local_day_in_the_offers_time_zone(api: Api) -> None:
    partner, employee = await catalog(api)
    for zone in ("Asia/Almaty", "Asia/Aqtobe"):
        local_today = api.clock.now().astimezone(ZoneInfo(zone)).date()
        first, last = local_today + timedelta(days=2), local_today + timedelta(days=4)
        offer = await api.create_offer(
            partner, timezone=zone, valid_from=first.isoformat(), valid_until=last.isoformat()
        )
        assert offer["timezone"] == zone
        starts = datetime.combine(first, time.min, ZoneInfo(zone))
        ends = datetime.combine(last + timedelta(days=1), time.min, ZoneInfo(zone))
        tick = timedelta(microseconds=1)

        assert not await _visible_at(api, employee, starts - tick, offer["id"])
        assert await _visible_at(api, employee, starts, offer["id"])
        assert await _visible_at(api, employee, ends - tick, offer["id"])
        assert not await _visible_at(api, employee, ends, offer["id"])
        api.clock.advance(-(api.clock.now() - starts) - timedelta(days=3))
        await _relogin(api, employee)


async def test_detail_gives_validity_instants_in_the_offers_zone(api: Api) -> None:
    partner, employee = await catalog(api)
    today = api.clock.now().astimezone(ZoneInfo("Asia/Aqtobe")).date()
    offer = await api.create_offer(
        partner,
        timezone="Asia/Aqtobe",
        valid_from=today.isoformat(),
        valid_until=(today + timedelta(days=1)).isoformat(),
        terms={"ru": "Один раз в день", "en": "Once a day"},
    )
    detail = (await api.client.get(f"{API}/offers/{offer['id']}?lang=en", headers=employee.headers)).json()
    zone = ZoneInfo("Asia/Aqtobe")
    assert datetime.fromisoformat(detail["valid_from_at"]) == datetime.combine(today, time.min, zone)
    assert datetime.fromisoformat(detail["valid_until_at"]) == datetime.combine(
        today + timedelta(days=2), time.min, zone
    )
    assert detail["terms"] == "Once a day"
    assert detail["partner"]["id"] == offer["partner_id"]


async def test_keyset_pages_return_every_offer_once_while_offers_are_added(api: Api) -> None:
    partner, employee = await catalog(api)
    original = {(await api.create_offer(partner, title={"en": f"Offer {n}"}))["id"] for n in range(23)}
    for sort in ("newest", "ending_soon"):
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 5, "sort": sort} | ({"cursor": cursor} if cursor else {})
            page = await offers(api, employee, **params)
            seen += [item["id"] for item in page["items"]]
            await api.create_offer(partner, title={"en": "Added while paging"})
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen))
        assert original <= set(seen)


async def test_search_pages_by_relevance_without_repeats(api: Api) -> None:
    partner, employee = await catalog(api)
    ids = set()
    for n in range(12):
        title = {"en": "coffee " * (1 + n % 3) + f"number {n}"}
        ids.add((await api.create_offer(partner, title=title))["id"])
    seen: list[str] = []
    cursor = None
    while True:
        page = await offers(api, employee, q="coffee", limit=5, **({"cursor": cursor} if cursor else {}))
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(ids)


async def test_near_me_filters_by_radius_and_sorts_by_distance(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    _, center = await api.partner_with_admin("Center Cafe")
    _, suburb = await api.partner_with_admin("Suburb Cafe")
    _, astana = await api.partner_with_admin("Astana Cafe")
    await api.add_location(center, city="Almaty", lat=43.2389, lon=76.8897)  # Abay/Dostyk area
    await api.add_location(suburb, city="Almaty", lat=43.2389, lon=76.8897 + 0.0825)  # ~6.7 km east
    await api.add_location(astana, city="Astana", lat=51.128, lon=71.43)
    for headers, title in ((center, "center"), (suburb, "suburb"), (astana, "astana")):
        await api.create_offer(headers, title={"en": title})

    page = await offers(api, employee, near="43.2389,76.8897", radius_km=10)
    assert [(item["title"], round(item["distance_km"], 1)) for item in page["items"]] == [
        ("center", 0.0),
        ("suburb", 6.7),
    ]
    page = await offers(api, employee, near="43.2389,76.8897", radius_km=5)
    assert [item["title"] for item in page["items"]] == ["center"]
    assert await titles(api, employee, city="Almaty", sort="newest") == ["suburb", "center"]
    assert await titles(api, employee, city="Astana") == ["astana"]


async def test_filters_category_partner_and_featured(api: Api) -> None:
    partner_a, employee = await catalog(api)
    other, partner_b = await api.partner_with_admin("Other")
    await api.create_offer(partner_a, **GYM)
    await api.create_offer(partner_a, **COFFEE)
    b_offer = await api.create_offer(partner_b, title={"en": "Other's"})
    response = await api.client.patch(
        f"{API}/admin/offers/{b_offer['id']}",
        json={"featured": True},
        headers=bearer(await api.admin_token()),
    )
    assert response.status_code == 200

    assert await titles(api, employee, category="fitness") == ["Gym membership"]
    assert await titles(api, employee, partner_id=other["id"]) == ["Other's"]
    assert await titles(api, employee, featured="true") == ["Other's"]
    categories = (await api.client.get(f"{API}/categories?lang=en", headers=employee.headers)).json()
    assert {c["slug"]: c["offer_count"] for c in categories} == {"fitness": 1, "food": 2}


async def test_favourites_round_trip(api: Api) -> None:
    partner, employee = await catalog(api)
    first = await api.create_offer(partner, **COFFEE)
    second = await api.create_offer(partner, **GYM)
    for offer in (first, second, first):
        response = await api.client.put(f"{API}/me/favorites/{offer['id']}", headers=employee.headers)
        assert response.status_code == 204
    listed = (await api.client.get(f"{API}/me/favorites?limit=1", headers=employee.headers)).json()
    assert [item["id"] for item in listed["items"]] == [second["id"]]
    rest = await api.client.get(
        f"{API}/me/favorites", params={"limit": 1, "cursor": listed["next_cursor"]}, headers=employee.headers
    )
    assert [item["id"] for item in rest.json()["items"]] == [first["id"]]
    detail = (await api.client.get(f"{API}/offers/{first['id']}", headers=employee.headers)).json()
    assert detail["favorite"] is True
    assert (
        await api.client.delete(f"{API}/me/favorites/{first['id']}", headers=employee.headers)
    ).status_code == 204
    listed = (await api.client.get(f"{API}/me/favorites", headers=employee.headers)).json()
    assert [item["id"] for item in listed["items"]] == [second["id"]]


async def test_partner_profile_lists_its_live_offers(api: Api) -> None:
    partner_headers, employee = await catalog(api)
    offer = await api.create_offer(partner_headers, **COFFEE)
    await api.create_offer(partner_headers, title={"en": "draft"}, status="draft")
    await api.add_location(partner_headers, city="Almaty", lat=43.25, lon=76.9)
    profile = (
        await api.client.get(f"{API}/partners/{offer['partner_id']}?lang=en", headers=employee.headers)
    ).json()
    assert [item["id"] for item in profile["offers"]] == [offer["id"]]
    assert [location["city"] for location in profile["locations"]] == ["Almaty"]


async def test_near_me_pages_stay_exact_when_the_nearest_locations_are_widened(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Few locations per step, so paging has to widen the nearest set several times.
    monkeypatch.setattr(browse, "NEAREST_LOCATIONS", 2)
    await api.publish_policy("1")
    employee = await api.register()
    expected = []
    for step in range(9):
        _, partner = await api.partner_with_admin(f"Cafe {step}")
        # East and north alternately: plane degrees and kilometres order these differently.
        lat = 43.2389 + (0.006 * step if step % 2 else 0)
        lon = 76.8897 + (0 if step % 2 else 0.006 * step)
        await api.add_location(partner, city="Almaty", lat=lat, lon=lon)
        offer = await api.create_offer(partner, title={"en": f"offer {step}"})
        expected.append(offer["id"])
    seen: list[tuple[str, float]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"near": "43.2389,76.8897", "radius_km": 10, "limit": 2}
        page = await offers(api, employee, **params | ({"cursor": cursor} if cursor else {}))
        seen += [(item["id"], item["distance_km"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    distances = [km for _, km in seen]
    assert distances == sorted(distances)
    assert sorted(offer_id for offer_id, _ in seen) == sorted(expected)
