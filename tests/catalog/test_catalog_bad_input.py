"""Bad input to the catalog gets a 4xx problem answer with a stable code, never a 500: list parameters,
cursors, geography, search text that looks like SQL or tsquery syntax, and offer bodies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.helpers import API, Api, Employee, bearer

PROBLEM = "application/problem+json"


def problem_mismatch(response: Any, status: int, code: str) -> str | None:
    """Why ``response`` is not the expected problem answer; None when it is."""
    if response.status_code != status:
        return f"status {response.status_code}, expected {status}"
    if not response.headers["content-type"].startswith(PROBLEM):
        return f"content-type {response.headers['content-type']}"
    body = response.json()
    if body.get("code") != code or body.get("status") != status:
        return f"code {body.get('code')!r}, expected {code!r}"
    if not {"type", "title", "detail"} <= set(body):
        return "type, title or detail missing"
    if code == "validation_failed" and not (
        body.get("errors") and all({"field", "message"} <= set(error) for error in body["errors"])
    ):
        return "no errors list of {field, message}"
    return None


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    mismatch = problem_mismatch(response, status, code)
    assert mismatch is None, f"{mismatch}: {response.text}"
    return dict(response.json())


OTHER_TITLES = [
    {"ru": "Кофе в подарок", "en": "Free coffee", "kk": "Сыйлыққа кофе"},
    {"ru": "Бесплатный десерт", "en": "Free dessert", "kk": "Тегін десерт"},
]


async def catalog(api: Api, offers: int = 1) -> tuple[Employee, dict[str, str], list[dict[str, Any]]]:
    """An employee and a partner with ``offers`` live offers, the first titled "Скидка 10%"."""
    await api.publish_policy("1")
    employee = await api.register(company="Dala Energy", department="IT", city="Astana")
    _, partner = await api.partner_with_admin()
    await api.add_location(partner)
    created = [await api.create_offer(partner)]
    for other in OTHER_TITLES[: offers - 1]:
        created.append(await api.create_offer(partner, title=other))
    return employee, partner, created


async def get_offers(api: Api, who: Employee, **params: Any) -> Any:
    return await api.client.get(f"{API}/offers", params=params, headers=who.headers)


# --- list parameters ----------------------------------------------------------------------------------


BAD_LIST_PARAMETERS: list[dict[str, str]] = [
    {"limit": "0"},
    {"limit": "101"},
    {"limit": "abc"},
    {"limit": "-1"},
    {"limit": "1.5"},
    {"near": "91,10"},
    {"near": "-91,10"},
    {"near": "43.2,181"},
    {"near": "abc"},
    {"near": "43.2"},
    {"near": "43.2,"},
    {"near": "43.2,76.9,1"},
    {"near": "1e1,2"},
    {"radius_km": "5"},
    {"near": "43.2,76.9", "radius_km": "1000"},
    {"near": "43.2,76.9", "radius_km": "0"},
    {"near": "43.2,76.9", "radius_km": "-5"},
    {"near": "43.2,76.9", "radius_km": "nan"},
    {"near": "43.2,76.9", "radius_km": "inf"},
    {"sort": "distance"},
    {"sort": "relevance"},
    {"sort": "popular"},
    {"category": "no-such-category"},
    {"category": "Food!"},
    {"partner_id": "not-a-uuid"},
    {"featured": "maybe"},
    {"q": "a" * 10 * 1024},
    {"q": "кофе\x01"},
    {"q": "кофе\nчай"},
    {"q": "\x00"},
    {"city": "Astana\x00"},
]


async def test_bad_list_parameters_are_refused(api: Api) -> None:
    employee, _, _ = await catalog(api)
    wrong = []
    for params in BAD_LIST_PARAMETERS:
        response = await get_offers(api, employee, **params)
        if problem_mismatch(response, 422, "validation_failed"):
            wrong.append((params, response.status_code, response.text[:300]))
    assert wrong == []


async def test_tampered_cursor_is_refused(api: Api) -> None:
    employee, _, _ = await catalog(api, offers=3)
    page = (await get_offers(api, employee, limit=1)).json()
    cursor = page["next_cursor"]
    assert cursor
    assert (await get_offers(api, employee, limit=1, cursor=cursor)).status_code == 200

    def flipped(at: int) -> str:
        return cursor[:at] + ("B" if cursor[at] == "A" else "A") + cursor[at + 1 :]

    for tampered in (
        flipped(5),
        flipped(len(cursor) // 2),
        flipped(len(cursor) - 3),
        cursor[:-4],
        "x" + cursor,
        "!!!!",
        "A",
    ):
        assert_problem(await get_offers(api, employee, limit=1, cursor=tampered), 422, "invalid_cursor")


async def test_cursor_from_another_list_is_refused(api: Api) -> None:
    employee, partner, offers = await catalog(api, offers=3)
    for offer in offers:
        response = await api.client.put(f"{API}/me/favorites/{offer['id']}", headers=employee.headers)
        assert response.status_code == 204
        api.clock.advance(timedelta(seconds=1))
    favorites_cursor = (
        await api.client.get(f"{API}/me/favorites", params={"limit": 1}, headers=employee.headers)
    ).json()["next_cursor"]
    await api.add_to_roster()
    hr_cursor = (
        await api.client.get(f"{API}/hr/employees", params={"limit": 1}, headers=bearer(await api.hr_token()))
    ).json()["next_cursor"]
    partner_cursor = (
        await api.client.get(f"{API}/partner/offers", params={"limit": 1}, headers=partner)
    ).json()["next_cursor"]
    newest_cursor = (await get_offers(api, employee, limit=1)).json()["next_cursor"]
    for cursor in (favorites_cursor, hr_cursor, partner_cursor, newest_cursor):
        assert cursor

    for foreign in (favorites_cursor, hr_cursor, partner_cursor):
        assert_problem(await get_offers(api, employee, limit=1, cursor=foreign), 422, "invalid_cursor")
    # The same list sorted or filtered otherwise is another list too.
    assert_problem(
        await get_offers(api, employee, limit=1, sort="ending_soon", cursor=newest_cursor),
        422,
        "invalid_cursor",
    )
    assert_problem(
        await get_offers(api, employee, limit=1, category="food", cursor=newest_cursor), 422, "invalid_cursor"
    )
    # And the catalog's cursor does not continue the others.
    response = await api.client.get(
        f"{API}/me/favorites", params={"limit": 1, "cursor": newest_cursor}, headers=employee.headers
    )
    assert_problem(response, 422, "invalid_cursor")
    response = await api.client.get(
        f"{API}/hr/employees",
        params={"limit": 1, "cursor": newest_cursor},
        headers=bearer(await api.hr_token()),
    )
    assert_problem(response, 422, "invalid_cursor")


# --- search text ----------------------------------------------------------------------------------------


# Only words (letters and digits) are searched; everything else is neither SQL nor tsquery syntax.
SYNTAX_ONLY = [
    "%",
    "_",
    "\\",
    "'",
    "' OR 1=1 --",
    "'; DROP TABLE offers; --",
    ":*",
    "!",
    "&",
    "|",
    "<->",
    "!!",
    "& | ! <-> :* ( )",
    "(",
    '"',
    "*",
    "   ",
    "東京",
    "²³",
    "Ⅻ",
    "x" * 200,
    " ".join(f"w{i}" for i in range(40)),
]
AROUND_REAL_WORDS = [
    "10%",
    "Скидка%",
    "скидка'",
    "скидка:*",
    "скидка & 10",
    "!скидка",
    "скидка <-> 10",
    "(скидка)",
    "\\скидка",
    "скидка_",
]


async def search_mismatches(
    api: Api, who: Employee, offers: list[dict[str, Any]], **params: str
) -> list[Any]:
    """The searches whose answer is not a 200 with exactly the expected offers."""
    wrong = []
    cases = [(q, []) for q in SYNTAX_ONLY] + [(q, [offers[0]["id"]]) for q in AROUND_REAL_WORDS]
    for q, expected in cases:
        response = await get_offers(api, who, q=q, **params)
        if response.status_code != 200:
            wrong.append((q, params, response.status_code, response.text[:300]))
            continue
        found = [item["id"] for item in response.json()["items"]]
        if found != expected or response.json()["next_cursor"] is not None:
            wrong.append((q, params, found, expected))
    return wrong


async def test_search_text_is_never_syntax(api: Api) -> None:
    employee, _, offers = await catalog(api, offers=3)
    assert await search_mismatches(api, employee, offers) == []


async def test_search_text_narrows_the_list_under_every_sort(api: Api) -> None:
    """`q` is a filter: sorting by something else than relevance must not drop it."""
    employee, _, offers = await catalog(api, offers=3)
    wrong = []
    for params in ({"sort": "newest"}, {"sort": "ending_soon"}, {"sort": "distance", "near": "51.128,71.43"}):
        wrong += await search_mismatches(api, employee, offers, **params)
    assert wrong == []


# --- offer bodies ---------------------------------------------------------------------------------------


def _day(api: Api, days: int) -> str:
    return (api.clock.now().date() + timedelta(days=days)).isoformat()


def error(field: str, message: str) -> list[dict[str, str]]:
    """The errors list of a validation problem that names one field."""
    return [{"field": field, "message": message}]


BAD_OFFERS: list[tuple[str, Any, list[dict[str, str]]]] = [
    (
        "percent-0",
        lambda api: {"discount": {"kind": "percent", "value": 0}},
        error("discount.value", "Expected `float` > 0.0"),
    ),
    (
        "percent-101",
        lambda api: {"discount": {"kind": "percent", "value": 101}},
        error("discount", "a percent discount needs a value from 1 to 100"),
    ),
    (
        "percent-without-value",
        lambda api: {"discount": {"kind": "percent"}},
        error("discount", "a percent discount needs a value from 1 to 100"),
    ),
    (
        "fixed-without-value",
        lambda api: {"discount": {"kind": "fixed"}},
        error("discount", "a fixed discount needs a value"),
    ),
    (
        "fixed-negative",
        lambda api: {"discount": {"kind": "fixed", "value": -5}},
        error("discount.value", "Expected `float` > 0.0"),
    ),
    (
        "special-without-text",
        lambda api: {"discount": {"kind": "special"}},
        error("discount", "a special discount needs a text"),
    ),
    (
        "unknown-kind",
        lambda api: {"discount": {"kind": "free", "value": 1}},
        error("discount.kind", "Invalid enum value 'free'"),
    ),
    (
        "until-before-from",
        lambda api: {"valid_from": _day(api, 5), "valid_until": _day(api, 4)},
        error("valid_until", "must not be before valid_from"),
    ),
    (
        "visible-after-valid",
        lambda api: {"visible_until": _day(api, 31)},
        error("visible_until", "an offer cannot be shown after its last valid day"),
    ),
    (
        "visible-until-before-from",
        lambda api: {"visible_from": _day(api, 3), "visible_until": _day(api, 2)},
        error("visible_until", "must not be before visible_from"),
    ),
    (
        "not-a-date",
        lambda api: {"valid_from": "yesterday"},
        error("valid_from", "Invalid RFC3339 encoded date"),
    ),
    ("unknown-field", lambda api: {"colour": "red"}, error("data", "Object contains unknown field `colour`")),
    (
        "featured-by-partner",
        lambda api: {"featured": True},
        error("data", "Object contains unknown field `featured`"),
    ),
    (
        "unknown-category",
        lambda api: {"category": "no-such-category"},
        error("category", "no category has this slug"),
    ),
    (
        "bad-category-slug",
        lambda api: {"category": "Food!"},
        error("category", "Expected `str` matching regex '^[a-z0-9]+(-[a-z0-9]+)*$'"),
    ),
    ("empty-title", lambda api: {"title": {}}, error("title", "at least one of kk, ru, en is required")),
    (
        "blank-title",
        lambda api: {"title": {"ru": ""}},
        error("title", "at least one of kk, ru, en is required"),
    ),
    (
        "title-unknown-language",
        lambda api: {"title": {"de": "Rabatt"}},
        error("title", "Object contains unknown field `de`"),
    ),
    ("title-not-object", lambda api: {"title": "Скидка"}, error("title", "Expected `object`, got `str`")),
    (
        "unknown-time-zone",
        lambda api: {"timezone": "Mars/Olympus"},
        error("timezone", "not an IANA time zone, e.g. Asia/Almaty"),
    ),
    (
        "time-zone-path",
        lambda api: {"timezone": "../../etc/passwd"},
        error("timezone", "Expected `str` matching regex '^[A-Za-z0-9_+/-]+$'"),
    ),
    ("unknown-status", lambda api: {"status": "live"}, error("status", "Invalid enum value 'live'")),
    (
        "unknown-code-mode",
        lambda api: {"code_mode": "magic"},
        error("code_mode", "Invalid enum value 'magic'"),
    ),
    (
        "zero-limit",
        lambda api: {"limits": {"per_employee": 0}},
        error("limits.per_employee", "Expected `int` >= 1"),
    ),
    (
        "unknown-limit",
        lambda api: {"limits": {"per_year": 1}},
        error("limits", "Object contains unknown field `per_year`"),
    ),
    (
        "unknown-location",
        lambda api: {"location_ids": ["00000000-0000-7000-8000-000000000000"]},
        error("location_ids", "not locations of your partner: 00000000-0000-7000-8000-000000000000"),
    ),
    ("bad-location-id", lambda api: {"location_ids": ["here"]}, error("location_ids[0]", "Invalid UUID")),
    (
        "control-char-in-eligibility",
        lambda api: {"eligibility": {"cities": ["Astana\x01"]}},
        error("eligibility.cities[0]", "Expected `str` matching regex '^[^\\\\x00-\\\\x1f\\\\x7f]+$'"),
    ),
]


@pytest.mark.parametrize(
    ("make", "errors"), [(m, e) for _, m, e in BAD_OFFERS], ids=[n for n, _, _ in BAD_OFFERS]
)
async def test_bad_offer_bodies_are_refused_and_write_nothing(
    api: Api, make: Any, errors: list[dict[str, str]]
) -> None:
    _, partner = await api.partner_with_admin()
    await api.category("food")
    response = await api.client.post(
        f"{API}/partner/offers", json=api.offer_body(**make(api)), headers=partner
    )
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"] == errors
    listed = await api.client.get(f"{API}/partner/offers", headers=partner)
    assert listed.json()["items"] == []


PATCHABLE = [case for case in BAD_OFFERS if case[0] not in ("featured-by-partner",)] + [
    ("null-time-zone", lambda api: {"timezone": None}, error("timezone", "Expected `str`, got `null`")),
    (
        "until-before-existing-from",
        lambda api: {"valid_until": _day(api, -11)},
        error("valid_until", "must not be before valid_from"),
    ),
    (
        "from-after-existing-until",
        lambda api: {"valid_from": _day(api, 31)},
        error("valid_until", "must not be before valid_from"),
    ),
    (
        "visible-from-after-until",
        lambda api: {"visible_from": _day(api, 31)},
        error("visible_until", "must not be before visible_from"),
    ),
]


@pytest.mark.parametrize(
    ("make", "errors"), [(m, e) for _, m, e in PATCHABLE], ids=[n for n, _, _ in PATCHABLE]
)
async def test_bad_offer_patches_are_refused_and_change_nothing(
    api: Api, make: Any, errors: list[dict[str, str]]
) -> None:
    _, partner = await api.partner_with_admin()
    offer = await api.create_offer(partner)
    url = f"{API}/partner/offers/{offer['id']}"
    response = await api.client.patch(url, json=make(api), headers=partner)
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"] == errors
    assert (await api.client.get(url, headers=partner)).json() == offer


async def test_malformed_offer_json_is_a_problem(api: Api) -> None:
    _, partner = await api.partner_with_admin()
    response = await api.client.post(
        f"{API}/partner/offers",
        content=b'{"category": "food", "title": ',
        headers={**partner, "Content-Type": "application/json"},
    )
    assert_problem(response, 400, "malformed_body")
