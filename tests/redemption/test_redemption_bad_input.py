"""Redemption under bad input: offers that cannot be taken, odd idempotency keys, malformed or foreign
codes at the till, hostile pool uploads, absurd limits, cancelling what cannot be cancelled, bad statistics
ranges. Every refusal is a problem+json with a stable code, and leaves nothing half-written behind."""

from __future__ import annotations

import json
import time
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.helpers import API, Api, Employee, bearer

CONFIRM = f"{API}/partner/redemptions/confirm"
UNKNOWN_ID = "0190a0a0-0000-7000-8000-000000000000"


def problem(response: Any, status: int, code: str) -> None:
    """The answer is an RFC 9457 problem with this status and this stable machine code."""
    media_type = response.headers.get("content-type", "").split(";")[0]
    body = response.json() if media_type.endswith("json") else {}
    assert (response.status_code, media_type, body.get("code")) == (
        status,
        "application/problem+json",
        code,
    ), response.text
    assert body["status"] == status


async def setup(
    api: Api, people: int = 1, **offer: Any
) -> tuple[dict[str, Any], dict[str, str], list[Employee]]:
    await api.publish_policy("1")
    employees = await api.many_employees(people)
    _, partner = await api.partner_with_admin()
    return await api.create_offer(partner, **offer), partner, employees


async def take(api: Api, offer_id: str, who: Employee, **headers: str) -> Any:
    return await api.client.post(f"{API}/offers/{offer_id}/redemptions", headers=who.headers | headers)


async def mine(api: Api, who: Employee) -> list[dict[str, Any]]:
    response = await api.client.get(f"{API}/me/redemptions", headers=who.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def pool_total(api: Api, offer_id: str, partner: dict[str, str]) -> int:
    response = await api.client.get(f"{API}/partner/offers/{offer_id}/codes", headers=partner)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


async def upload(api: Api, offer_id: str, partner: dict[str, str], **kwargs: Any) -> Any:
    headers = partner | kwargs.pop("headers", {})
    return await api.client.post(f"{API}/partner/offers/{offer_id}/codes", headers=headers, **kwargs)


def csv_upload(text: str) -> dict[str, Any]:
    return {"content": text.encode(), "headers": {"Content-Type": "text/csv"}}


def json_upload(value: Any) -> dict[str, Any]:
    return {"content": json.dumps(value).encode(), "headers": {"Content-Type": "application/json"}}


# --- issuing --------------------------------------------------------------------------------------


async def test_offers_that_cannot_be_taken_are_404_and_issue_nothing(api: Api) -> None:
    live, partner, (employee,) = await setup(api)
    draft = await api.create_offer(partner, status="draft")
    archived = await api.create_offer(partner)
    response = await api.client.patch(
        f"{API}/partner/offers/{archived['id']}", json={"status": "archived"}, headers=partner
    )
    assert response.status_code == 200, response.text
    suspended_partner, suspended_admin = await api.partner_with_admin("Suspended Dala")
    of_suspended = await api.create_offer(suspended_admin)
    admin = bearer(await api.admin_token())
    response = await api.client.patch(
        f"{API}/admin/partners/{suspended_partner['id']}", json={"status": "suspended"}, headers=admin
    )
    assert response.status_code == 200, response.text

    for name, offer_id in {
        "unknown": UNKNOWN_ID,
        "draft": draft["id"],
        "archived": archived["id"],
        "suspended partner": of_suspended["id"],
    }.items():
        response = await take(api, offer_id, employee)
        assert response.status_code == 404, f"{name}: {response.text}"
        problem(response, 404, "not_found")
    for malformed in ("not-a-uuid", "1", "0190a0a0-0000-7000-8000-00000000000g", "%27%3B--"):
        problem(await take(api, malformed, employee), 404, "not_found")

    assert await mine(api, employee) == []
    # Nothing was written for the refused offers: an offer without redemptions can still be deleted.
    for refused in (draft, archived):
        deleted = await api.client.delete(f"{API}/partner/offers/{refused['id']}", headers=partner)
        assert deleted.status_code == 204, deleted.text
    # The refusals did not break anything: the live offer is taken, and restoring the partner restores
    # its offer.
    assert (await take(api, live["id"], employee)).status_code == 201
    response = await api.client.patch(
        f"{API}/admin/partners/{suspended_partner['id']}", json={"status": "active"}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert (await take(api, of_suspended["id"], employee)).status_code == 201
    assert len(await mine(api, employee)) == 2


async def test_after_the_last_valid_local_day_issuing_is_offer_expired(api: Api) -> None:
    await api.publish_policy("1")
    (employee,) = await api.many_employees(1)
    _, partner = await api.partner_with_admin()
    zone = ZoneInfo("Asia/Almaty")
    today = api.clock.now().astimezone(zone).date()
    offer = await api.create_offer(
        partner,
        timezone="Asia/Almaty",
        valid_from=(today - timedelta(days=3)).isoformat(),
        valid_until=today.isoformat(),
    )
    assert (await take(api, offer["id"], employee)).status_code == 201  # its last day still counts
    local = api.clock.now().astimezone(zone)
    after_last_day = (local + timedelta(days=1)).replace(hour=0, minute=0, second=1, microsecond=0)
    api.clock.advance(after_last_day - local)
    employee.access_token = await api.login(employee.email, employee.password)

    # Contract: "not yet / no longer valid → 422 offer_not_started / offer_expired".
    problem(await take(api, offer["id"], employee), 422, "offer_expired")
    assert [r["offer_id"] for r in await mine(api, employee)] == [offer["id"]]


# --- Idempotency-Key ------------------------------------------------------------------------------


async def test_idempotency_key_bounds_and_scope(api: Api) -> None:
    offer, partner, (alice, bob) = await setup(api, people=2)
    second_offer = await api.create_offer(partner)

    for bad in ("k" * 201, "", "   "):
        response = await take(api, offer["id"], alice, **{"Idempotency-Key": bad})
        assert response.status_code == 422, f"{len(bad)} chars: {response.text}"
        problem(response, 422, "validation_failed")
    assert await mine(api, alice) == []
    longest = await take(api, offer["id"], alice, **{"Idempotency-Key": "k" * 200})
    assert longest.status_code == 201, longest.text

    # One key, two people: two independent redemptions.
    first = await take(api, offer["id"], alice, **{"Idempotency-Key": "tap-1"})
    other = await take(api, offer["id"], bob, **{"Idempotency-Key": "tap-1"})
    assert (first.status_code, other.status_code) == (201, 201), other.text
    assert first.json()["id"] != other.json()["id"]
    assert first.json()["code"] != other.json()["code"]
    alice_ids = {r["id"] for r in await mine(api, alice)}
    bob_ids = {r["id"] for r in await mine(api, bob)}
    assert alice_ids == {longest.json()["id"], first.json()["id"]}
    assert bob_ids == {other.json()["id"]}
    # The retry of each still replays each one's own answer.
    replay = await take(api, offer["id"], bob, **{"Idempotency-Key": "tap-1"})
    assert (replay.status_code, replay.json()["id"]) == (201, other.json()["id"])

    # One key, two offers: refused, and nothing is issued for the second offer.
    problem(
        await take(api, second_offer["id"], alice, **{"Idempotency-Key": "tap-1"}),
        422,
        "idempotency_key_reused",
    )
    assert {r["offer_id"] for r in await mine(api, alice)} == {offer["id"]}
    assert len(await mine(api, alice)) == 2


# --- confirming at the till -----------------------------------------------------------------------


async def test_till_refuses_foreign_malformed_and_cancelled_codes(api: Api) -> None:
    offer, partner, (employee,) = await setup(api)
    _, other_partner = await api.partner_with_admin("Other Dala")
    code = (await take(api, offer["id"], employee)).json()["code"]

    problem(await api.client.post(CONFIRM, json={"code": code}, headers=other_partner), 404, "not_found")

    # TypedCode: 1-80 of letters, digits, space, '_' or '-'; anything else fails validation, while a
    # well-formed code nobody holds (wildcard-looking or not) is simply unknown.
    malformed = ["", "A" * 81, "'; DROP TABLE x; --", "%", "%%%%%%%%", "ABC*", "ÄBCDEFGH", "AB\nCD"]
    for typed in malformed:
        response = await api.client.post(CONFIRM, json={"code": typed}, headers=partner)
        assert response.status_code == 422, f"{typed!r}: {response.text}"
        problem(response, 422, "validation_failed")
    for typed in ("________", "A" * 80, "   ", "----", code[:7], code + "A"):
        response = await api.client.post(CONFIRM, json={"code": typed}, headers=partner)
        assert response.status_code == 404, f"{typed!r}: {response.text}"
        problem(response, 404, "not_found")
    for body in ({}, {"code": 12345678}, {"code": None}, [code]):
        problem(await api.client.post(CONFIRM, json=body, headers=partner), 422, "validation_failed")

    assert [r["status"] for r in await mine(api, employee)] == ["issued"]
    confirmed = await api.client.post(CONFIRM, json={"code": code}, headers=partner)
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "redeemed"), confirmed.text

    cancelled = (await take(api, offer["id"], employee)).json()
    response = await api.client.post(
        f"{API}/me/redemptions/{cancelled['id']}/cancel", headers=employee.headers
    )
    assert response.status_code == 200, response.text
    problem(
        await api.client.post(CONFIRM, json={"code": cancelled["code"]}, headers=partner), 404, "not_found"
    )
    assert [r["status"] for r in await mine(api, employee)] == ["cancelled", "redeemed"]


async def test_pool_codes_confirm_once(api: Api) -> None:
    offer, partner, (employee,) = await setup(api, code_mode="pool")
    added = await upload(api, offer["id"], partner, json=["POOL0001", "SUMMER-0001"])
    assert added.json()["added"] == 2, added.text

    plain = (await take(api, offer["id"], employee)).json()
    assert plain["code"] == "POOL0001"
    first = await api.client.post(CONFIRM, json={"code": "POOL0001"}, headers=partner)
    assert (first.status_code, first.json()["offer_id"]) == (200, offer["id"]), first.text
    problem(
        await api.client.post(CONFIRM, json={"code": "POOL0001"}, headers=partner), 409, "already_redeemed"
    )

    # A partner's own code may contain '-' (the upload accepts it), and the till must find it as typed.
    dashed = (await take(api, offer["id"], employee)).json()
    assert dashed["code"] == "SUMMER-0001"
    response = await api.client.post(CONFIRM, json={"code": "SUMMER-0001"}, headers=partner)
    assert response.status_code == 200, f"a pool code with '-' cannot be confirmed: {response.text}"
    problem(
        await api.client.post(CONFIRM, json={"code": "SUMMER-0001"}, headers=partner), 409, "already_redeemed"
    )


# --- pool uploads ---------------------------------------------------------------------------------


async def test_pool_upload_refusals_add_nothing(api: Api) -> None:
    offer, partner, _ = await setup(api, code_mode="pool")
    generated = await api.create_offer(partner)
    _, other_partner = await api.partner_with_admin("Other Dala")
    foreign = await api.create_offer(other_partner, code_mode="pool")
    assert (await upload(api, offer["id"], partner, json=["KEEP1", "KEEP2"])).status_code == 200

    problem(await upload(api, generated["id"], partner, json=["G1"]), 409, "conflict")
    problem(await upload(api, foreign["id"], partner, json=["F1"]), 404, "not_found")
    problem(await upload(api, UNKNOWN_ID, partner, json=["F1"]), 404, "not_found")
    problem(
        await upload(
            api, offer["id"], partner, content=b"A" * 10_000_000, headers={"Content-Type": "text/csv"}
        ),
        413,
        "payload_too_large",
    )
    for body in ({"codes": "A1"}, "A1", 42, None, {"codes": [1, 2]}, [["A1"]], [{"code": "A1"}]):
        response = await upload(api, offer["id"], partner, **json_upload(body))
        assert response.status_code == 422, f"{body!r}: {response.text}"
        problem(response, 422, "validation_failed")
    for body in ({"items": ["A1"]}, [], {"codes": []}, ["", "  "]):
        response = await upload(api, offer["id"], partner, **json_upload(body))
        assert response.status_code == 422, f"{body!r}: {response.text}"
        problem(response, 422, "codes_rejected")
    for bad in ("AB CD", "C" * 65, "ÄBC", "A,B", "A;B", "A%"):
        response = await upload(api, offer["id"], partner, json=["GOOD1", bad, "GOOD2"])
        assert response.status_code == 422, f"{bad!r}: {response.text}"
        problem(response, 422, "codes_rejected")
        assert response.json()["errors"] == [
            {"field": "codes[2]", "message": "letters, digits, '-' or '_', at most 64"}
        ]
    problem(
        await upload(api, offer["id"], partner, **csv_upload("code\nGOOD3\nAB CD\n")), 422, "codes_rejected"
    )
    problem(
        await upload(
            api, offer["id"], partner, content=b"\xff\xfeA\x00", headers={"Content-Type": "text/csv"}
        ),
        422,
        "validation_failed",
    )

    assert await pool_total(api, offer["id"], partner) == 2
    assert await pool_total(api, generated["id"], partner) == 0
    assert await pool_total(api, foreign["id"], other_partner) == 0

    # CSV as spreadsheets write it: a BOM, CRLF, a header, blank lines, padding, duplicates within the
    # file and against the pool. Received counts every non-blank code, duplicates included.
    text = "\ufeffCode\r\nKEEP1\r\n\r\n  NEW1  \r\nNEW2\r\nNEW1\r\n\r\n   \r\nNEW3\r\n"
    response = await upload(api, offer["id"], partner, **csv_upload(text))
    assert response.json() == {"received": 5, "added": 3, "duplicate": 2, "remaining": 5}, response.text
    status = await api.client.get(f"{API}/partner/offers/{offer['id']}/codes", headers=partner)
    assert status.json() == {"offer_id": offer["id"], "total": 5, "claimed": 0, "remaining": 5}


async def test_pool_upload_of_100_000_codes_and_no_more(api: Api) -> None:
    offer, partner, _ = await setup(api, code_mode="pool")
    too_many = "code\n" + "\n".join(f"BULK{n:06d}" for n in range(100_001)) + "\n"
    response = await upload(api, offer["id"], partner, **csv_upload(too_many))
    problem(response, 422, "codes_rejected")
    assert await pool_total(api, offer["id"], partner) == 0

    exactly = "code\n" + "\n".join(f"BULK{n:06d}" for n in range(100_000)) + "\n"
    started = time.monotonic()
    response = await upload(api, offer["id"], partner, **csv_upload(exactly))
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert response.json() == {"received": 100_000, "added": 100_000, "duplicate": 0, "remaining": 100_000}
    assert elapsed < 30, f"uploading 100,000 codes took {elapsed:.1f} s"
    assert await pool_total(api, offer["id"], partner) == 100_000


# --- offer writes ---------------------------------------------------------------------------------


async def test_absurd_limits_and_a_redeemed_offers_frozen_fields(api: Api) -> None:
    offer, partner, (employee,) = await setup(api)
    url = f"{API}/partner/offers/{offer['id']}"
    await api.category("food")
    for limits in (
        {"total": -1},
        {"total": 0},
        {"total": 10**12},
        {"per_employee_per_day": "x"},
        {"per_employee": 1.5},
        {"per_employee_per_week": None, "per_employee_per_month": -5},
        {"total": True},
        {"forever": 1},
    ):
        response = await api.client.post(
            f"{API}/partner/offers", json=api.offer_body(limits=limits), headers=partner
        )
        assert response.status_code == 422, f"{limits!r}: {response.text}"
        problem(response, 422, "validation_failed")
        problem(
            await api.client.patch(url, json={"limits": limits}, headers=partner), 422, "validation_failed"
        )
    listed = await api.client.get(f"{API}/partner/offers", headers=partner)
    assert [o["id"] for o in listed.json()["items"]] == [offer["id"]]
    assert (await api.client.get(url, headers=partner)).json()["limits"] == {}

    code = (await take(api, offer["id"], employee)).json()["code"]
    assert (await api.client.post(CONFIRM, json={"code": code}, headers=partner)).status_code == 200
    for change in (
        {"title": {"ru": "Скидка 90%", "en": "90% off", "kk": "90% жеңілдік"}},
        {"discount": {"kind": "fixed", "value": 5000}},
        {"title": {"en": "New"}, "visible_until": offer["valid_until"]},
    ):
        problem(await api.client.patch(url, json=change, headers=partner), 409, "offer_has_redemptions")
    kept = (await api.client.get(url, headers=partner)).json()
    assert (kept["title"], kept["discount"], kept["visible_until"]) == (
        offer["title"],
        offer["discount"],
        offer["visible_until"],
    )

    shorter = (date.fromisoformat(offer["valid_until"]) - timedelta(days=1)).isoformat()
    response = await api.client.patch(url, json={"visible_until": shorter}, headers=partner)
    assert (response.status_code, response.json()["visible_until"]) == (200, shorter), response.text
    response = await api.client.patch(url, json={"limits": {"total": 5, "per_employee": 2}}, headers=partner)
    assert (response.status_code, response.json()["limits"]) == (200, {"total": 5, "per_employee": 2})
    response = await api.client.patch(url, json={"status": "archived"}, headers=partner)
    assert (response.status_code, response.json()["status"]) == (200, "archived"), response.text


# --- cancelling -----------------------------------------------------------------------------------


async def test_cancel_refusals_change_nothing(api: Api) -> None:
    offer, partner, (alice, bob) = await setup(api, people=2)
    held = (await take(api, offer["id"], alice)).json()

    cancel = f"{API}/me/redemptions/{held['id']}/cancel"
    problem(await api.client.post(cancel, headers=bob.headers), 404, "not_found")
    problem(
        await api.client.post(f"{API}/me/redemptions/{UNKNOWN_ID}/cancel", headers=alice.headers),
        404,
        "not_found",
    )
    problem(
        await api.client.post(f"{API}/me/redemptions/not-a-uuid/cancel", headers=alice.headers),
        404,
        "not_found",
    )
    assert [(r["id"], r["status"], r["code"]) for r in await mine(api, alice)] == [
        (held["id"], "issued", held["code"])
    ]
    assert await mine(api, bob) == []

    first = await api.client.post(cancel, headers=alice.headers)
    assert (first.status_code, first.json()["status"]) == (200, "cancelled"), first.text
    problem(await api.client.post(cancel, headers=alice.headers), 409, "conflict")

    redeemed = (await take(api, offer["id"], alice)).json()
    assert (
        await api.client.post(CONFIRM, json={"code": redeemed["code"]}, headers=partner)
    ).status_code == 200
    problem(
        await api.client.post(f"{API}/me/redemptions/{redeemed['id']}/cancel", headers=alice.headers),
        409,
        "conflict",
    )
    assert [(r["id"], r["status"]) for r in await mine(api, alice)] == [
        (redeemed["id"], "redeemed"),
        (held["id"], "cancelled"),
    ]


# --- statistics and what partners learn -----------------------------------------------------------


async def test_stats_ranges_and_partner_answers_never_identify_the_employee(api: Api) -> None:
    await api.publish_policy("1")
    people = await api.many_employees(10)
    created = await api.create_partner()
    partner = await api.partner_admin(created["id"], "till@partner.kz")
    offer = await api.create_offer(partner)
    today = api.clock.now().astimezone(ZoneInfo(offer["timezone"])).date()
    stats = f"{API}/partner/stats"

    for params in (
        {"since": today.isoformat(), "until": (today - timedelta(days=1)).isoformat()},
        {"since": (today - timedelta(days=367)).isoformat(), "until": today.isoformat()},
        {"granularity": "month"},
        {"since": "yesterday"},
        {"offer_id": "not-a-uuid"},
    ):
        response = await api.client.get(stats, params=params, headers=partner)
        assert response.status_code == 422, f"{params}: {response.text}"
        problem(response, 422, "validation_failed")
    widest = {"since": (today - timedelta(days=366)).isoformat(), "until": today.isoformat()}
    assert (await api.client.get(stats, params=widest, headers=partner)).status_code == 200

    confirmations = []
    secrets: list[str] = []
    for person in people:
        me = (await api.client.get(f"{API}/me", headers=person.headers)).json()
        secrets += [person.email, me["full_name"], person.employee_number, me["id"], person.roster_id]
        code = (await take(api, offer["id"], person)).json()["code"]
        response = await api.client.post(CONFIRM, json={"code": code}, headers=partner)
        assert response.status_code == 200, response.text
        confirmations.append(response.text)
    window = {"since": today.isoformat(), "until": today.isoformat()}
    answers = confirmations + [
        (await api.client.get(stats, params=window | {"granularity": g}, headers=partner)).text
        for g in ("day", "week")
    ]
    day = (await api.client.get(stats, params=window, headers=partner)).json()
    assert [(c["issued"], c["redeemed"]) for c in day["cells"]] == [(10, 10)]  # shown, not suppressed
    leaks = [(secret, text) for secret in secrets for text in answers if secret in text]
    assert leaks == []
