"""Partner self-service and admin curation: isolation between partners, partner admins' lifecycle, the
offer lifecycle and its read-back shape, default time zones, categories, partners, suspension, featuring
and locations."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.helpers import API, STRONG_PASSWORD, Api, Employee, bearer

PROBLEM = "application/problem+json"
UNKNOWN_ID = "00000000-0000-7000-8000-000000000000"
AKTOBE = {
    "city": "Aktobe",
    "address": "Abulkhair Khan 40",
    "lat": 50.2839,
    "lon": 57.1669,
    "timezone": "Asia/Aqtobe",
}
ALMATY = {"city": "Almaty", "address": "Dostyk 5", "lat": 43.2389, "lon": 76.9455}


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return dict(body)


def title(ru: str) -> dict[str, dict[str, str]]:
    return {"title": {"ru": ru, "en": ru, "kk": ru}}


async def live_ids(api: Api, who: Employee, **params: Any) -> list[str]:
    response = await api.client.get(f"{API}/offers", params=params, headers=who.headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def read_offer(api: Api, headers: dict[str, str], offer_id: str) -> dict[str, Any]:
    response = await api.client.get(f"{API}/partner/offers/{offer_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def partner_offer_ids(api: Api, headers: dict[str, str], **params: Any) -> list[str]:
    response = await api.client.get(f"{API}/partner/offers", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def partner_locations(api: Api, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await api.client.get(f"{API}/partner/locations", headers=headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def employee(api: Api) -> Employee:
    await api.publish_policy("1")
    return await api.register(company="Dala Energy", department="IT", city="Astana")


# --- 1. isolation -----------------------------------------------------------------------------------


async def test_another_partners_offers_and_locations_are_invisible_and_untouchable(api: Api) -> None:
    await api.category("food")
    _, a = await api.partner_with_admin("Kofe Dala")
    _, b = await api.partner_with_admin("Shashlyk Bar")
    a_location = await api.add_location(a)
    b_location = await api.add_location(b, **ALMATY)
    a_offer = await api.create_offer(a, **title("Кофе"))
    b_offer = await api.create_offer(b, **title("Шашлык"), location_ids=[b_location["id"]])
    b_draft = await api.create_offer(b, **title("Черновик"), status="draft")
    b_offer_before = await read_offer(api, b, b_offer["id"])
    b_draft_before = await read_offer(api, b, b_draft["id"])
    a_offer_before = await read_offer(api, a, a_offer["id"])

    for target in (b_offer, b_draft):
        url = f"{API}/partner/offers/{target['id']}"
        missing = assert_problem(await api.client.get(url, headers=a), 404, "not_found")
        # Another partner's offer is indistinguishable from one that does not exist.
        assert missing == (await api.client.get(f"{API}/partner/offers/{UNKNOWN_ID}", headers=a)).json()
        for change in (
            {"title": {"ru": "Взлом"}},
            {"status": "archived"},
            {"status": "published"},
            {"location_ids": [a_location["id"]]},
        ):
            assert_problem(await api.client.patch(url, json=change, headers=a), 404, "not_found")
        assert_problem(await api.client.delete(url, headers=a), 404, "not_found")

    location_url = f"{API}/partner/locations/{b_location['id']}"
    for change in ({"city": "Aktobe"}, {"timezone": "Asia/Aqtobe"}, {"lat": 50.0, "lon": 57.0}):
        assert_problem(await api.client.patch(location_url, json=change, headers=a), 404, "not_found")
    assert_problem(
        await api.client.patch(f"{API}/partner/locations/{UNKNOWN_ID}", json={"city": "X"}, headers=a),
        404,
        "not_found",
    )

    # B's location cannot be attached to A's offers, alone or among A's own.
    for location_ids in ([b_location["id"]], [a_location["id"], b_location["id"]]):
        response = await api.client.post(
            f"{API}/partner/offers", json=api.offer_body(location_ids=location_ids), headers=a
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["field"] == "location_ids"
        response = await api.client.patch(
            f"{API}/partner/offers/{a_offer['id']}", json={"location_ids": location_ids}, headers=a
        )
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["field"] == "location_ids"

    # A's lists hold only A's objects, under every status filter.
    assert await partner_offer_ids(api, a) == [a_offer["id"]]
    assert await partner_offer_ids(api, a, status="published") == [a_offer["id"]]
    assert await partner_offer_ids(api, a, status="draft") == []
    assert await partner_offer_ids(api, a, status="archived") == []
    assert [x["id"] for x in await partner_locations(api, a)] == [a_location["id"]]

    # Nothing of B's changed, and A's own offer was not changed by the refused attempts either.
    assert await read_offer(api, b, b_offer["id"]) == b_offer_before
    assert await read_offer(api, b, b_draft["id"]) == b_draft_before
    assert await read_offer(api, a, a_offer["id"]) == a_offer_before
    assert await partner_locations(api, b) == [b_location]
    assert sorted(await partner_offer_ids(api, b)) == sorted([b_offer["id"], b_draft["id"]])


# --- 2. partner admin lifecycle -----------------------------------------------------------------------


async def test_admin_invites_a_partner_admin_who_sets_a_password_and_signs_in(api: Api) -> None:
    admin = bearer(await api.admin_token())
    partner = await api.create_partner("Kitap Alemi")
    address = "aigerim.nurlanova@kitap.kz"
    invite = {"email": address, "full_name": "Aigerim Nurlanova"}

    response = await api.client.post(
        f"{API}/admin/partners/{partner['id']}/admins", json=invite, headers=admin
    )
    assert response.status_code == 201, response.text
    invited = response.json()
    assert invited["email"] == address
    assert invited["full_name"] == "Aigerim Nurlanova"
    assert invited["partner_id"] == partner["id"]
    assert invited["status"] == "invited"

    # No password yet: signing in fails like any wrong password.
    response = await api.client.post(
        f"{API}/auth/login", json={"email": address, "password": STRONG_PASSWORD}
    )
    assert_problem(response, 401, "invalid_credentials")

    await api.confirm_reset(address, STRONG_PASSWORD)
    headers = bearer(await api.login(address, STRONG_PASSWORD))
    me = await api.client.get(f"{API}/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == address
    assert me.json()["full_name"] == "Aigerim Nurlanova"
    assert me.json()["roles"] == ["partner_admin"]

    # The new admin acts for that partner.
    location = await api.add_location(headers)
    assert location["partner_id"] == partner["id"]
    offer = await api.create_offer(headers)
    assert offer["partner_id"] == partner["id"]

    # ... and for nobody else: admin routes stay closed.
    assert_problem(await api.client.get(f"{API}/admin/partners", headers=headers), 403, "forbidden")

    response = await api.client.post(f"{API}/admin/partners/{UNKNOWN_ID}/admins", json=invite, headers=admin)
    assert_problem(response, 404, "not_found")
    response = await api.client.post(
        f"{API}/admin/partners/{UNKNOWN_ID}/admins",
        json={"email": "someone.new@kitap.kz", "full_name": "Someone New"},
        headers=admin,
    )
    assert_problem(response, 404, "not_found")

    # The same address again, for this partner or another one, in any letter case.
    other = await api.create_partner("Dom Knigi")
    for partner_id, email in (
        (partner["id"], address),
        (other["id"], address),
        (partner["id"], "  Aigerim.Nurlanova@Kitap.KZ "),
    ):
        response = await api.client.post(
            f"{API}/admin/partners/{partner_id}/admins",
            json={"email": email, "full_name": "Aigerim Again"},
            headers=admin,
        )
        assert_problem(response, 409, "conflict")
    # The refused duplicates did not disturb the first account.
    assert (await api.client.get(f"{API}/me", headers=headers)).json()["full_name"] == "Aigerim Nurlanova"


# --- 3. offer CRUD and shape ----------------------------------------------------------------------------


async def test_offer_goes_from_draft_to_published_to_archived_and_is_deleted(api: Api) -> None:
    person = await employee(api)
    _, partner = await api.partner_with_admin()
    await api.add_location(partner)
    draft = await api.create_offer(partner, status="draft")
    url = f"{API}/partner/offers/{draft['id']}"
    assert draft["status"] == "draft"
    assert await read_offer(api, partner, draft["id"]) == draft

    assert await live_ids(api, person) == []
    assert_problem(
        await api.client.get(f"{API}/offers/{draft['id']}", headers=person.headers), 404, "not_found"
    )

    response = await api.client.patch(url, json={"status": "published"}, headers=partner)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "published"
    assert await live_ids(api, person) == [draft["id"]]
    assert (await api.client.get(f"{API}/offers/{draft['id']}", headers=person.headers)).status_code == 200

    # Employees have seen it: it cannot become a draft again.
    assert_problem(await api.client.patch(url, json={"status": "draft"}, headers=partner), 409, "conflict")
    assert (await read_offer(api, partner, draft["id"]))["status"] == "published"

    response = await api.client.patch(url, json={"status": "archived"}, headers=partner)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "archived"
    assert await live_ids(api, person) == []
    assert_problem(
        await api.client.get(f"{API}/offers/{draft['id']}", headers=person.headers), 404, "not_found"
    )
    assert_problem(await api.client.patch(url, json={"status": "draft"}, headers=partner), 409, "conflict")
    assert await partner_offer_ids(api, partner, status="archived") == [draft["id"]]

    response = await api.client.delete(url, headers=partner)
    assert response.status_code == 204, response.text
    assert_problem(await api.client.get(url, headers=partner), 404, "not_found")
    assert_problem(await api.client.delete(url, headers=partner), 404, "not_found")
    assert await partner_offer_ids(api, partner) == []


async def test_a_draft_never_published_can_be_edited_back_to_draft(api: Api) -> None:
    _, partner = await api.partner_with_admin()
    draft = await api.create_offer(partner, status="draft")
    response = await api.client.patch(
        f"{API}/partner/offers/{draft['id']}", json={"status": "draft"}, headers=partner
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "draft"


async def test_offer_read_back_carries_the_contract_fields_with_their_defaults(api: Api) -> None:
    partner, headers = await api.partner_with_admin()
    today = api.clock.now().date()
    created = await api.create_offer(headers)
    got = await read_offer(api, headers, created["id"])
    assert got == created
    assert {key: value for key, value in got.items() if key not in ("id", "created_at", "updated_at")} == {
        "partner_id": partner["id"],
        "category": "food",
        "title": {"ru": "Скидка 10%", "en": "10% off", "kk": "10% жеңілдік"},
        "description": None,
        "terms": None,
        "discount": {"kind": "percent", "value": 10},
        "valid_from": (today - timedelta(days=10)).isoformat(),
        "valid_until": (today + timedelta(days=30)).isoformat(),
        "visible_from": (today - timedelta(days=10)).isoformat(),
        "visible_until": (today + timedelta(days=30)).isoformat(),
        "timezone": "Asia/Almaty",
        "status": "published",
        "featured": False,
        "location_ids": [],
        "eligibility": {"companies": [], "departments": [], "cities": []},
        "limits": {},
        "code_mode": "generated",
    }


async def test_offer_read_back_keeps_every_field_the_partner_wrote(api: Api) -> None:
    partner, headers = await api.partner_with_admin()
    location = await api.add_location(headers)
    today = api.clock.now().date()
    body = {
        "category": "fitness",
        "title": {"ru": "Абонемент", "en": "Membership"},
        "description": {"ru": "Зал и бассейн", "kk": "Зал мен бассейн"},
        "terms": {"en": "Show your badge"},
        "discount": {"kind": "special", "text": {"ru": "Месяц в подарок", "en": "A month free"}},
        "valid_from": (today - timedelta(days=1)).isoformat(),
        "valid_until": (today + timedelta(days=60)).isoformat(),
        "visible_from": today.isoformat(),
        "visible_until": (today + timedelta(days=50)).isoformat(),
        "timezone": "Asia/Aqtobe",
        "status": "draft",
        "location_ids": [location["id"]],
        "eligibility": {"companies": ["Dala Energy"], "departments": ["IT", "Legal"], "cities": ["Astana"]},
        "limits": {"total": 500, "per_employee": 3, "per_employee_per_month": 1},
        "code_mode": "pool",
    }
    await api.category("fitness")
    await api.company("Dala Energy")
    response = await api.client.post(f"{API}/partner/offers", json=body, headers=headers)
    assert response.status_code == 201, response.text
    got = await read_offer(api, headers, response.json()["id"])
    assert got == response.json()
    assert got["partner_id"] == partner["id"]
    assert got["featured"] is False
    for key, value in body.items():
        assert got[key] == value, key


async def test_patch_changes_only_the_fields_it_names(api: Api) -> None:
    _, headers = await api.partner_with_admin()
    today = api.clock.now().date()
    original = await api.create_offer(
        headers,
        description={"ru": "Описание"},
        limits={"per_employee": 2},
        eligibility={"companies": [], "departments": ["IT"], "cities": []},
    )
    url = f"{API}/partner/offers/{original['id']}"
    unchanged = ("updated_at",)

    changes: list[dict[str, Any]] = [
        {"title": {"en": "New title"}},
        {"discount": {"kind": "fixed", "value": 2500}},
        {"visible_until": (today + timedelta(days=20)).isoformat()},
        {"description": None},
        {"limits": {"total": 10}},
        {"code_mode": "pool"},
    ]
    before = original
    for change in changes:
        response = await api.client.patch(url, json=change, headers=headers)
        assert response.status_code == 200, response.text
        after = response.json()
        for key, value in change.items():
            assert after[key] == value, key
        assert {k: v for k, v in after.items() if k not in (*change, *unchanged)} == {
            k: v for k, v in before.items() if k not in (*change, *unchanged)
        }, change
        assert await read_offer(api, headers, original["id"]) == after
        before = after
    # The visibility end moved; its start still follows valid_from.
    assert before["visible_from"] == original["valid_from"]


# --- 4. default time zone -------------------------------------------------------------------------------


async def test_offer_time_zone_defaults_to_its_partners_locations_zone(api: Api) -> None:
    person = await employee(api)
    _, aktobe = await api.partner_with_admin("Aktobe Burger")
    await api.add_location(aktobe, **AKTOBE)
    offer = await api.create_offer(aktobe)
    assert offer["timezone"] == "Asia/Aqtobe"
    assert (await read_offer(api, aktobe, offer["id"]))["timezone"] == "Asia/Aqtobe"
    detail = await api.client.get(f"{API}/offers/{offer['id']}", headers=person.headers)
    assert detail.json()["timezone"] == "Asia/Aqtobe"
    # An explicit zone wins; a patch that names none keeps the offer's own.
    explicit = await api.create_offer(aktobe, timezone="Asia/Almaty")
    assert explicit["timezone"] == "Asia/Almaty"
    response = await api.client.patch(
        f"{API}/partner/offers/{explicit['id']}", json={"title": {"ru": "Бургер"}}, headers=aktobe
    )
    assert response.json()["timezone"] == "Asia/Almaty"

    # Locations in two zones: the contract's default, unless the offer names its locations.
    _, chain = await api.partner_with_admin("Steppe Chain")
    aktobe_shop = await api.add_location(chain, **AKTOBE)
    await api.add_location(chain, **ALMATY)
    assert (await api.create_offer(chain))["timezone"] == "Asia/Almaty"
    assert (await api.create_offer(chain, location_ids=[aktobe_shop["id"]]))["timezone"] == "Asia/Aqtobe"

    # No locations at all: the contract's default.
    _, online = await api.partner_with_admin("Online Shop")
    assert (await api.create_offer(online))["timezone"] == "Asia/Almaty"


# --- 5. admin -------------------------------------------------------------------------------------------


async def test_admin_creates_lists_and_edits_categories(api: Api) -> None:
    admin = bearer(await api.admin_token())
    created = {}
    for slug, position in (("travel", 2), ("food", 0), ("fitness", 1)):
        name = {"kk": f"{slug} kk", "ru": f"{slug} ru", "en": f"{slug} en"}
        response = await api.client.post(
            f"{API}/admin/categories", json={"slug": slug, "name": name, "position": position}, headers=admin
        )
        assert response.status_code == 201, response.text
        created[slug] = response.json()
        assert created[slug] == {"id": created[slug]["id"], "slug": slug, "name": name, "position": position}

    response = await api.client.post(
        f"{API}/admin/categories", json={"slug": "food", "name": {"ru": "Еда"}}, headers=admin
    )
    assert_problem(response, 409, "conflict")

    listed = await api.client.get(f"{API}/admin/categories", headers=admin)
    assert listed.status_code == 200
    assert listed.json() == [created["food"], created["fitness"], created["travel"]]

    response = await api.client.patch(
        f"{API}/admin/categories/{created['travel']['id']}",
        json={"position": 0, "name": {"ru": "Путешествия", "en": "Travel"}},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "id": created["travel"]["id"],
        "slug": "travel",
        "name": {"ru": "Путешествия", "en": "Travel"},
        "position": 0,
    }
    listed = await api.client.get(f"{API}/admin/categories", headers=admin)
    assert [c["slug"] for c in listed.json()] == ["food", "travel", "fitness"]

    # A patch of one field keeps the other.
    response = await api.client.patch(
        f"{API}/admin/categories/{created['food']['id']}", json={"position": 5}, headers=admin
    )
    assert response.json()["name"] == created["food"]["name"]
    assert_problem(
        await api.client.patch(f"{API}/admin/categories/{UNKNOWN_ID}", json={"position": 1}, headers=admin),
        404,
        "not_found",
    )


async def test_admin_creates_lists_and_edits_partners(api: Api) -> None:
    admin = bearer(await api.admin_token())
    body = {
        "name": {"ru": "Кофе Дала", "en": "Kofe Dala", "kk": "Кофе Дала"},
        "description": {"ru": "Кофейня в центре"},
        "website": "https://kofedala.kz",
        "logo_url": "https://kofedala.kz/logo.png",
        "contacts": {"phone": "+7 701 123 45 67", "email": "hello@kofedala.kz"},
    }
    response = await api.client.post(f"{API}/admin/partners", json=body, headers=admin)
    assert response.status_code == 201, response.text
    partner = response.json()
    for key, value in body.items():
        assert partner[key] == value, key
    assert partner["status"] == "active"
    assert partner["suspended_at"] is None
    other = await api.create_partner("Shashlyk Bar")

    listed = await api.client.get(f"{API}/admin/partners", headers=admin)
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()["items"]] == [other["id"], partner["id"]]

    response = await api.client.patch(
        f"{API}/admin/partners/{partner['id']}",
        json={"website": "https://dala.kz", "name": {"ru": "Дала"}},
        headers=admin,
    )
    assert response.status_code == 200, response.text
    patched = response.json()
    assert patched["website"] == "https://dala.kz"
    assert patched["name"] == {"ru": "Дала"}
    for key in ("description", "logo_url", "contacts", "status", "created_at"):
        assert patched[key] == partner[key], key
    got = await api.client.get(f"{API}/admin/partners/{partner['id']}", headers=admin)
    assert got.json() == patched

    assert_problem(
        await api.client.patch(
            f"{API}/admin/partners/{UNKNOWN_ID}", json={"status": "suspended"}, headers=admin
        ),
        404,
        "not_found",
    )


async def test_suspending_a_partner_takes_its_offers_out_at_once_and_reactivating_brings_them_back(
    api: Api,
) -> None:
    admin = bearer(await api.admin_token())
    person = await employee(api)
    partner, headers = await api.partner_with_admin("Kofe Dala")
    _, other_headers = await api.partner_with_admin("Shashlyk Bar")
    offer = await api.create_offer(headers)
    other_offer = await api.create_offer(other_headers, **title("Шашлык"))
    assert sorted(await live_ids(api, person)) == sorted([offer["id"], other_offer["id"]])

    async def categories() -> dict[str, int]:
        response = await api.client.get(f"{API}/categories", headers=person.headers)
        return {c["slug"]: c["offer_count"] for c in response.json()}

    assert await categories() == {"food": 2}

    response = await api.client.patch(
        f"{API}/admin/partners/{partner['id']}", json={"status": "suspended"}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "suspended"
    assert response.json()["suspended_at"] is not None

    assert await live_ids(api, person) == [other_offer["id"]]
    assert await live_ids(api, person, partner_id=partner["id"]) == []
    assert await categories() == {"food": 1}
    assert_problem(
        await api.client.get(f"{API}/offers/{offer['id']}", headers=person.headers), 404, "not_found"
    )
    assert_problem(
        await api.client.get(f"{API}/partners/{partner['id']}", headers=person.headers), 404, "not_found"
    )
    assert_problem(
        await api.client.put(f"{API}/me/favorites/{offer['id']}", headers=person.headers), 404, "not_found"
    )
    suspended = await api.client.get(f"{API}/admin/partners", params={"status": "suspended"}, headers=admin)
    assert [p["id"] for p in suspended.json()["items"]] == [partner["id"]]

    response = await api.client.patch(
        f"{API}/admin/partners/{partner['id']}", json={"status": "active"}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "active"
    assert response.json()["suspended_at"] is None
    assert sorted(await live_ids(api, person)) == sorted([offer["id"], other_offer["id"]])
    assert (await api.client.get(f"{API}/offers/{offer['id']}", headers=person.headers)).status_code == 200
    profile = await api.client.get(f"{API}/partners/{partner['id']}", headers=person.headers)
    assert profile.status_code == 200
    assert [o["id"] for o in profile.json()["offers"]] == [offer["id"]]
    assert await categories() == {"food": 2}


async def test_admin_features_an_offer(api: Api) -> None:
    admin = bearer(await api.admin_token())
    person = await employee(api)
    _, headers = await api.partner_with_admin()
    one = await api.create_offer(headers, **title("Первое"))
    two = await api.create_offer(headers, **title("Второе"))
    assert await live_ids(api, person, featured="true") == []

    response = await api.client.patch(
        f"{API}/admin/offers/{one['id']}", json={"featured": True}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json()["featured"] is True
    assert await live_ids(api, person, featured="true") == [one["id"]]
    assert await live_ids(api, person, featured="false") == [two["id"]]
    assert (await read_offer(api, headers, one["id"]))["featured"] is True

    # Partners cannot feature their own offers.
    response = await api.client.patch(
        f"{API}/partner/offers/{two['id']}", json={"featured": True}, headers=headers
    )
    assert_problem(response, 422, "validation_failed")
    response = await api.client.patch(
        f"{API}/admin/offers/{two['id']}", json={"featured": True}, headers=headers
    )
    assert_problem(response, 403, "forbidden")
    assert await live_ids(api, person, featured="true") == [one["id"]]

    response = await api.client.patch(
        f"{API}/admin/offers/{one['id']}", json={"featured": False}, headers=admin
    )
    assert response.json()["featured"] is False
    assert await live_ids(api, person, featured="true") == []
    assert_problem(
        await api.client.patch(f"{API}/admin/offers/{UNKNOWN_ID}", json={"featured": True}, headers=admin),
        404,
        "not_found",
    )


# --- 6. locations ---------------------------------------------------------------------------------------


async def test_location_with_an_unknown_time_zone_is_refused(api: Api) -> None:
    _, headers = await api.partner_with_admin()
    for zone in ("Mars/Olympus", "Asia/Nowhere", "UTC+5", "../etc/passwd"):
        body = {
            "city": "Astana",
            "address": "Kabanbay Batyr 1",
            "lat": 51.128,
            "lon": 71.43,
            "timezone": zone,
        }
        response = await api.client.post(f"{API}/partner/locations", json=body, headers=headers)
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["field"] == "timezone", zone
    assert await partner_locations(api, headers) == []

    location = await api.add_location(headers)
    response = await api.client.patch(
        f"{API}/partner/locations/{location['id']}", json={"timezone": "Mars/Olympus"}, headers=headers
    )
    assert_problem(response, 422, "validation_failed")
    assert await partner_locations(api, headers) == [location]


async def test_moving_a_location_to_another_city_moves_its_offers_between_city_results(api: Api) -> None:
    person = await employee(api)
    _, headers = await api.partner_with_admin()
    location = await api.add_location(headers, city="Astana")
    offer = await api.create_offer(headers)
    assert await live_ids(api, person, city="Astana") == [offer["id"]]
    assert await live_ids(api, person, city="Almaty") == []

    response = await api.client.patch(
        f"{API}/partner/locations/{location['id']}", json=ALMATY, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["city"] == "Almaty"
    assert response.json()["address"] == ALMATY["address"]
    assert response.json()["timezone"] == "Asia/Almaty"
    assert await live_ids(api, person, city="Astana") == []
    assert await live_ids(api, person, city="Almaty") == [offer["id"]]
    assert [x["city"] for x in await partner_locations(api, headers)] == ["Almaty"]


async def test_a_new_location_adds_its_city_to_the_partners_existing_offers(api: Api) -> None:
    person = await employee(api)
    _, headers = await api.partner_with_admin()
    await api.add_location(headers, city="Astana")
    offer = await api.create_offer(headers)
    assert await live_ids(api, person, city="Almaty") == []

    await api.add_location(headers, **ALMATY)
    assert await live_ids(api, person, city="Almaty") == [offer["id"]]
    assert await live_ids(api, person, city="Astana") == [offer["id"]]


async def test_renaming_a_partner_makes_its_offers_found_by_the_new_name(api: Api) -> None:
    person = await employee(api)
    partner, headers = await api.partner_with_admin("Zhuldyz")
    offer = await api.create_offer(headers)
    assert await live_ids(api, person, q="Zhuldyz") == [offer["id"]]

    response = await api.client.patch(
        f"{API}/admin/partners/{partner['id']}",
        json={"name": {"kk": "Tulpar", "ru": "Tulpar", "en": "Tulpar"}},
        headers=bearer(await api.admin_token()),
    )
    assert response.status_code == 200, response.text
    assert await live_ids(api, person, q="Tulpar") == [offer["id"]]
