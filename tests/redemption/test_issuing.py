"""Issuing codes within every limit, under concurrency, and confirming them at the till."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import jwt
import pytest

from tests.helpers import API, STRONG_PASSWORD, Api, Employee, bearer


async def setup(api: Api, **offer: Any) -> tuple[dict[str, Any], dict[str, str], Employee]:
    await api.publish_policy("1")
    employee = await api.register()
    _, partner = await api.partner_with_admin()
    return await api.create_offer(partner, **offer), partner, employee


async def employees(api: Api, count: int) -> list[Employee]:
    return await api.many_employees(count)


async def take(api: Api, offer: dict[str, Any], who: Employee, **headers: str) -> Any:
    return await api.client.post(f"{API}/offers/{offer['id']}/redemptions", headers=who.headers | headers)


def outcomes(responses: list[Any]) -> Counter[str]:
    return Counter(
        "issued" if r.status_code == 201 else f"{r.status_code} {r.json().get('code')}" for r in responses
    )


async def test_issue_answers_a_code_and_a_verifiable_qr_payload(api: Api) -> None:
    offer, _, employee = await setup(api)
    response = await take(api, offer, employee)
    assert response.status_code == 201, response.text
    issued = response.json()
    assert issued["status"] == "issued"
    assert len(issued["code"]) == 8
    keys = (await api.client.get(f"{API}/redemptions/keys")).json()["keys"]
    claims = jwt.decode(
        issued["qr_payload"],
        jwt.PyJWK(keys[0]),
        algorithms=["EdDSA"],
        audience="loyalty:till",
        options={"verify_exp": False},
    )
    assert (claims["code"], claims["offer_id"], claims["partner_id"]) == (
        issued["code"],
        offer["id"],
        offer["partner_id"],
    )
    assert employee.email not in issued["qr_payload"]
    assert set(claims) == {"iss", "aud", "jti", "offer_id", "partner_id", "code", "iat", "exp"}


async def test_two_qr_payloads_of_one_person_at_one_partner_share_nothing_about_the_person(api: Api) -> None:
    offer, partner, employee = await setup(api)
    other_offer = await api.create_offer(partner)
    key = jwt.PyJWK((await api.client.get(f"{API}/redemptions/keys")).json()["keys"][0])

    def claims(response: Any) -> dict[str, Any]:
        assert response.status_code == 201, response.text
        decoded: dict[str, Any] = jwt.decode(
            response.json()["qr_payload"],
            key,
            algorithms=["EdDSA"],
            audience="loyalty:till",
            options={"verify_exp": False, "verify_iat": False},  # the test clock is not the wall clock
        )
        return decoded

    first = claims(await take(api, offer, employee))
    api.clock.advance(timedelta(minutes=1))
    second = claims(await take(api, other_offer, employee))
    # Only what names the partner and the issuer is common: nothing a till could link the visits by.
    assert {name for name, value in first.items() if second.get(name) == value} == {
        "iss",
        "aud",
        "partner_id",
    }


async def test_a_forged_or_altered_qr_payload_fails_verification(api: Api) -> None:
    offer, _, employee = await setup(api)
    token = (await take(api, offer, employee)).json()["qr_payload"]
    key = jwt.PyJWK((await api.client.get(f"{API}/redemptions/keys")).json()["keys"][0])
    header, payload, signature = token.split(".")
    other = jwt.encode({"code": "AAAAAAAA"}, "not-the-key-" * 4, algorithm="HS256").split(".")[1]
    for forged in (
        f"{header}.{other}.{signature}",
        f"{header}.{payload}.{signature[:-4]}AAAA",
        jwt.encode({"code": "X"}, "k" * 32, algorithm="HS256"),
    ):
        with pytest.raises(jwt.InvalidTokenError):
            jwt.decode(
                forged, key, algorithms=["EdDSA"], audience="loyalty:till", options={"verify_exp": False}
            )


async def test_total_limit_holds_under_200_simultaneous_requests_from_50_people(api: Api) -> None:
    offer, _, _ = await setup(api, limits={"total": 50})
    people = await employees(api, 50)
    responses = await asyncio.gather(*(take(api, offer, people[n % 50]) for n in range(200)))
    assert outcomes(responses) == {"issued": 50, "409 limit_reached": 150}


async def test_one_per_day_holds_under_30_simultaneous_requests(api: Api) -> None:
    offer, _, employee = await setup(api, limits={"per_employee_per_day": 1})
    responses = await asyncio.gather(*(take(api, offer, employee) for _ in range(30)))
    assert outcomes(responses) == {"issued": 1, "409 limit_reached": 29}


async def test_per_day_limit_resets_at_local_midnight(api: Api) -> None:
    offer, _, employee = await setup(api, limits={"per_employee_per_day": 1, "per_employee_per_week": 5})
    assert (await take(api, offer, employee)).status_code == 201
    assert (await take(api, offer, employee)).json()["code"] == "limit_reached"
    zone = ZoneInfo(offer["timezone"])
    local = api.clock.now().astimezone(zone)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    api.clock.advance(midnight - api.clock.now())
    employee.access_token = await api.login(employee.email, employee.password)
    assert (await take(api, offer, employee)).status_code == 201


async def test_pool_of_40_codes_under_100_simultaneous_requests(api: Api) -> None:
    offer, partner, _ = await setup(api, code_mode="pool")
    codes = [f"POOL-{n:04d}" for n in range(40)]
    upload = await api.client.post(f"{API}/partner/offers/{offer['id']}/codes", json=codes, headers=partner)
    assert upload.json() == {"received": 40, "added": 40, "duplicate": 0, "remaining": 40}
    people = await employees(api, 20)
    responses = await asyncio.gather(*(take(api, offer, people[n % 20]) for n in range(100)))
    assert outcomes(responses) == {"issued": 40, "409 sold_out": 60}
    handed_out = [r.json()["code"] for r in responses if r.status_code == 201]
    assert sorted(handed_out) == codes
    status = await api.client.get(f"{API}/partner/offers/{offer['id']}/codes", headers=partner)
    assert status.json()["remaining"] == 0


async def test_pool_upload_counts_duplicates_and_skips_blank_lines(api: Api) -> None:
    offer, partner, _ = await setup(api, code_mode="pool")
    csv_body = "code\nA1\n\nA2\nA1\n  \nA3\n"
    response = await api.client.post(
        f"{API}/partner/offers/{offer['id']}/codes",
        content=csv_body,
        headers=partner | {"Content-Type": "text/csv"},
    )
    assert response.json() == {"received": 4, "added": 3, "duplicate": 1, "remaining": 3}
    again = await api.client.post(
        f"{API}/partner/offers/{offer['id']}/codes", json=["A3", "A4"], headers=partner
    )
    assert again.json() == {"received": 2, "added": 1, "duplicate": 1, "remaining": 4}
    bad = await api.client.post(
        f"{API}/partner/offers/{offer['id']}/codes", json=["ok", "not ok!"], headers=partner
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "codes_rejected")
    status = await api.client.get(f"{API}/partner/offers/{offer['id']}/codes", headers=partner)
    assert status.json()["total"] == 4


async def test_20_simultaneous_retries_with_one_key_make_one_redemption(api: Api) -> None:
    offer, _, employee = await setup(api)
    responses = await asyncio.gather(
        *(take(api, offer, employee, **{"Idempotency-Key": "tap-1"}) for _ in range(20))
    )
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    mine = (await api.client.get(f"{API}/me/redemptions", headers=employee.headers)).json()["items"]
    assert len(mine) == 1
    other_body = await api.client.post(
        f"{API}/offers/{offer['id']}/redemptions",
        json={"x": 1},
        headers=employee.headers | {"Idempotency-Key": "tap-1"},
    )
    assert (other_body.status_code, other_body.json()["code"]) == (422, "idempotency_key_reused")
    api.clock.advance(timedelta(hours=24, seconds=1))
    employee.access_token = await api.login(employee.email, employee.password)
    assert (await take(api, offer, employee, **{"Idempotency-Key": "tap-1"})).json()["id"] != responses[
        0
    ].json()["id"]


async def test_till_confirms_exactly_once_and_never_reveals_the_employee(api: Api) -> None:
    offer, partner, employee = await setup(api)
    code = (await take(api, offer, employee)).json()["code"]
    responses = await asyncio.gather(
        *(
            api.client.post(f"{API}/partner/redemptions/confirm", json={"code": code}, headers=partner)
            for _ in range(20)
        )
    )
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 409: 19}
    confirmed = next(r.json() for r in responses if r.status_code == 200)
    assert set(confirmed) == {"status", "offer_id", "redeemed_at"}
    assert confirmed["status"] == "redeemed"
    mine = (await api.client.get(f"{API}/me/redemptions", headers=employee.headers)).json()["items"]
    assert [(m["status"], m["code"]) for m in mine] == [("redeemed", None)]


async def test_confirmation_errors(api: Api) -> None:
    offer, _, employee = await setup(api)
    partner = await api.partner_admin(offer["partner_id"], "till@partner.kz")
    _, other_partner = await api.partner_with_admin("Other")
    code = (await take(api, offer, employee)).json()["code"]
    confirm = f"{API}/partner/redemptions/confirm"
    assert (await api.client.post(confirm, json={"code": code}, headers=other_partner)).status_code == 404
    assert (await api.client.post(confirm, json={"code": "ZZZZZZZZ"}, headers=partner)).status_code == 404
    malformed = await api.client.post(confirm, json={"code": "'; DROP TABLE--"}, headers=partner)
    assert (malformed.status_code, malformed.json()["code"]) == (422, "validation_failed")
    api.clock.advance(timedelta(minutes=16))
    partner = bearer(await api.login("till@partner.kz", STRONG_PASSWORD))  # the old access token expired too
    expired = await api.client.post(confirm, json={"code": code.lower()}, headers=partner)
    assert (expired.status_code, expired.json()["code"]) == (422, "code_expired")
    employee.access_token = await api.login(employee.email, employee.password)
    mine = (await api.client.get(f"{API}/me/redemptions", headers=employee.headers)).json()["items"]
    assert [m["status"] for m in mine] == ["expired"]


async def test_cancel_gives_the_use_back_and_termination_cancels_live_codes(api: Api) -> None:
    offer, partner, employee = await setup(api, limits={"per_employee": 1, "total": 5})
    first = (await take(api, offer, employee)).json()
    assert (await take(api, offer, employee)).json()["code"] == "limit_reached"
    cancel = await api.client.post(
        f"{API}/me/redemptions/{first['id']}/cancel", params={"lang": "en"}, headers=employee.headers
    )
    assert (cancel.json()["status"], cancel.json()["title"], cancel.json()["language"]) == (
        "cancelled",
        "10% off",
        "en",
    )
    detail = (await api.client.get(f"{API}/offers/{offer['id']}", headers=employee.headers)).json()
    assert detail["remaining_for_me"] == 1
    second = (await take(api, offer, employee)).json()
    assert second["status"] == "issued"
    detail = (await api.client.get(f"{API}/offers/{offer['id']}", headers=employee.headers)).json()
    assert (detail["remaining_for_me"], detail["reason"]) == (0, "limit_reached")

    hr = bearer(await api.hr_token())
    entry_id = employee.roster_id
    assert (await api.client.post(f"{API}/hr/employees/{entry_id}/terminate", headers=hr)).status_code == 200
    confirmed = await api.client.post(
        f"{API}/partner/redemptions/confirm", json={"code": second["code"]}, headers=partner
    )
    assert confirmed.status_code == 404


async def test_windows_eligibility_and_unknown_offers(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register(department="IT")
    _, partner = await api.partner_with_admin()
    today = api.clock.now().astimezone(ZoneInfo("Asia/Almaty")).date()
    teaser = await api.create_offer(
        partner,
        visible_from=today.isoformat(),
        valid_from=(today + timedelta(days=2)).isoformat(),
        valid_until=(today + timedelta(days=5)).isoformat(),
    )
    finance = await api.create_offer(partner, eligibility={"departments": ["Finance"]})
    other_company = await api.create_offer(partner, eligibility={"companies": ["Steppe Telecom"]})
    archived = await api.create_offer(partner)
    await api.client.patch(
        f"{API}/partner/offers/{archived['id']}", json={"status": "archived"}, headers=partner
    )
    answers = {
        "teaser": await take(api, teaser, employee),
        "finance": await take(api, finance, employee),
        "other_company": await take(api, other_company, employee),
        "archived": await take(api, archived, employee),
        "unknown": await take(api, {"id": "0190a0a0-0000-7000-8000-000000000000"}, employee),
    }
    assert {name: (r.status_code, r.json()["code"]) for name, r in answers.items()} == {
        "teaser": (422, "offer_not_started"),
        "finance": (403, "not_eligible"),
        "other_company": (404, "not_found"),
        "archived": (404, "not_found"),
        "unknown": (404, "not_found"),
    }


async def test_a_redeemed_offer_keeps_its_history(api: Api) -> None:
    offer, partner, employee = await setup(api)
    assert (await take(api, offer, employee)).status_code == 201
    url = f"{API}/partner/offers/{offer['id']}"
    delete = await api.client.delete(url, headers=partner)
    assert (delete.status_code, delete.json()["code"]) == (409, "offer_has_redemptions")
    rewrite = await api.client.patch(
        url, json={"discount": {"kind": "percent", "value": 90}}, headers=partner
    )
    assert (rewrite.status_code, rewrite.json()["code"]) == (409, "offer_has_redemptions")
    archive = await api.client.patch(url, json={"status": "archived"}, headers=partner)
    assert archive.json()["status"] == "archived"


async def test_my_redemptions_page_through_codes_taken_at_the_same_instant(api: Api) -> None:
    offer, _, employee = await setup(api)
    taken = [(await take(api, offer, employee)).json()["id"] for _ in range(3)]  # the test clock stands still
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params = {"limit": "1"} | ({"cursor": cursor} if cursor else {})
        page = (await api.client.get(f"{API}/me/redemptions", params=params, headers=employee.headers)).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(taken)
    assert len(seen) == 3
