"""Data requests after issue 9: one open request per kind, HR's closed requests, erasure of HR's notes,
throttled self-erasure, the export's policy version, and requests received outside the app."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import text

from loyalty.privacy.requests import KAZAKHSTAN, add_business_days
from loyalty.privacy.retention import run_retention
from tests.helpers import API, STRONG_PASSWORD, Api, bearer

FILE = f"{API}/me/data-requests"
HR_FILE = f"{API}/hr/data-requests"


async def test_one_open_request_per_kind_per_person(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    first = await api.client.post(FILE, json={"kind": "access"}, headers=employee.headers)
    assert first.status_code == 201
    again = await api.client.post(FILE, json={"kind": "access"}, headers=employee.headers)
    assert (again.status_code, again.json()["code"]) == (409, "data_request_open")
    assert (
        await api.client.post(FILE, json={"kind": "objection"}, headers=employee.headers)
    ).status_code == 201
    hr = bearer(await api.hr_token())
    done = await api.client.post(f"{HR_FILE}/{first.json()['id']}/complete", json={}, headers=hr)
    assert done.status_code == 200
    # Answered: a new one may be filed.
    assert (await api.client.post(FILE, json={"kind": "access"}, headers=employee.headers)).status_code == 201


async def test_simultaneous_filings_make_one_request(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    responses = await asyncio.gather(
        *(api.client.post(FILE, json={"kind": "erasure"}, headers=employee.headers) for _ in range(20))
    )
    outcomes = sorted(
        "filed" if r.status_code == 201 else f"{r.status_code} {r.json()['code']}" for r in responses
    )
    assert outcomes == ["409 data_request_open"] * 19 + ["filed"]
    assert len((await api.client.get(FILE, headers=employee.headers)).json()) == 1


async def test_hr_cannot_export_once_the_request_is_closed(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    hr = bearer(await api.hr_token())
    completed = (await api.client.post(FILE, json={"kind": "access"}, headers=employee.headers)).json()
    assert (await api.client.get(f"{HR_FILE}/{completed['id']}/export", headers=hr)).status_code == 200
    await api.client.post(f"{HR_FILE}/{completed['id']}/complete", json={"note": "sent"}, headers=hr)
    late = await api.client.get(f"{HR_FILE}/{completed['id']}/export", headers=hr)
    assert (late.status_code, late.json()["code"]) == (409, "data_request_closed")
    rejected = (await api.client.post(FILE, json={"kind": "access"}, headers=employee.headers)).json()
    await api.client.post(f"{HR_FILE}/{rejected['id']}/reject", json={"reason": "duplicate"}, headers=hr)
    late = await api.client.get(f"{HR_FILE}/{rejected['id']}/export", headers=hr)
    assert (late.status_code, late.json()["code"]) == (409, "data_request_closed")


async def test_erasure_clears_hrs_decision_note(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    hr = bearer(await api.hr_token())
    request = (await api.client.post(FILE, json={"kind": "objection"}, headers=employee.headers)).json()
    note = "Spoke to her husband Askar-Distinct-Note about it"
    await api.client.post(f"{HR_FILE}/{request['id']}/reject", json={"reason": note}, headers=hr)
    erased = await api.client.request(
        "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=employee.headers
    )
    assert erased.status_code == 202
    async with api.app.state.runtime.db_config.get_session() as session:
        row = (
            await session.execute(
                text("SELECT decision_note, user_id, roster_entry_id, status FROM data_requests")
            )
        ).one()
        assert tuple(row) == (None, None, None, "rejected")


async def test_wrong_passwords_on_self_erasure_are_throttled_like_login(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    limit = api.app.state.runtime.settings.auth.login_failures_per_account_ip

    async def erase(password: str) -> Any:
        return await api.client.request(
            "DELETE", f"{API}/me", json={"password": password}, headers=employee.headers
        )

    for _ in range(limit):
        wrong = await erase("Not-The-Password-1")
        assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
    throttled = await erase("Not-The-Password-1")
    assert (throttled.status_code, throttled.json()["code"]) == (429, "rate_limited")
    assert int(throttled.headers["retry-after"]) > 0
    # Even the right password waits, and logging in from here counts against the same rule.
    assert (await erase(STRONG_PASSWORD)).status_code == 429
    login = await api.client.post(f"{API}/auth/login", json={"email": employee.email, "password": "x"})
    assert login.status_code == 429
    # The throttle counts in real time (its storage's clock), so the account is still here to check.
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 200


async def test_the_right_password_resets_the_count(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    limit = api.app.state.runtime.settings.auth.login_failures_per_account_ip
    for _ in range(limit - 1):
        wrong = await api.client.request(
            "DELETE", f"{API}/me", json={"password": "Not-The-Password-1"}, headers=employee.headers
        )
        assert wrong.status_code == 401
    erased = await api.client.request(
        "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=employee.headers
    )
    assert erased.status_code == 202


async def test_export_names_the_policy_by_version_and_text_hash(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    document = json.loads((await api.client.get(f"{API}/me/export", headers=employee.headers)).content)
    (consent,) = document["consents"]
    assert consent["policy_version"] == "1"
    assert len(consent["text_sha256"]) == 64
    assert "policy_version_id" not in consent


# --- requests received outside the app -------------------------------------------------------------


def outside(entry_id: str, kind: str = "access", channel: str = "paper", **extra: Any) -> dict[str, Any]:
    return {
        "roster_entry_id": entry_id,
        "kind": kind,
        "channel": channel,
        "identity_verification": "ID card shown at the HR desk, number checked against the roster",
    } | extra


async def test_hr_files_and_exports_for_someone_who_left_without_an_account(api: Api) -> None:
    await api.publish_policy("1")
    hr = bearer(await api.hr_token())
    entry = await api.add_to_roster(full_name="Gulnara Leftcompany", email="gulnara.left@group.kz")
    colleague = await api.register(full_name="Colleague Notleaking")
    assert (
        await api.client.post(f"{API}/hr/employees/{entry['id']}/terminate", headers=hr)
    ).status_code == 200
    filed = await api.client.post(
        HR_FILE, json=outside(entry["id"], details="a letter dated 1 Dec"), headers=hr
    )
    assert filed.status_code == 201, filed.text
    request = filed.json()
    assert (request["kind"], request["channel"], request["status"]) == ("access", "paper", "open")
    assert request["roster_entry_id"] == entry["id"]
    assert request["subject_ref"] == f"roster:{entry['id']}"
    assert request["identity_verification"].startswith("ID card shown")
    # Three Kazakh business days (the default) from today in Almaty; the days themselves are tested in
    # test_business_days.py.
    today = api.clock.now().astimezone(KAZAKHSTAN).date()
    assert request["due_on"] == add_business_days(today, 3).isoformat()
    twice = await api.client.post(HR_FILE, json=outside(entry["id"], channel="email"), headers=hr)
    assert (twice.status_code, twice.json()["code"]) == (409, "data_request_open")

    export = await api.client.get(f"{HR_FILE}/{request['id']}/export", headers=hr)
    assert export.status_code == 200
    document = json.loads(export.content)
    assert document["profile"] is None
    assert document["roster_entry"]["employee_number"] == entry["employee_number"]
    assert document["roster_entry"]["status"] == "terminated"
    assert [r["channel"] for r in document["data_requests"]] == ["paper"]
    assert "employee_terminated" in [e["action"] for e in document["audit_events"]]
    for value in (colleague.email, colleague.employee_number, "Notleaking"):
        assert value not in export.text


async def test_hr_files_for_an_employee_with_an_account(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    hr = bearer(await api.hr_token())
    filed = await api.client.post(
        HR_FILE, json=outside(employee.roster_id, kind="rectification", channel="email"), headers=hr
    )
    assert filed.status_code == 201
    mine = (await api.client.get(FILE, headers=employee.headers)).json()
    assert [(r["kind"], r["channel"]) for r in mine] == [("rectification", "email")]
    own = await api.client.post(FILE, json={"kind": "rectification"}, headers=employee.headers)
    assert (own.status_code, own.json()["code"]) == (409, "data_request_open")
    app_filed = (await api.client.post(FILE, json={"kind": "access"}, headers=employee.headers)).json()
    assert (app_filed["channel"], app_filed["identity_verification"]) == ("app", None)
    document = json.loads((await api.client.get(f"{HR_FILE}/{app_filed['id']}/export", headers=hr)).content)
    assert document["profile"]["email"] == employee.email


async def test_hr_filing_refuses_bad_input(api: Api) -> None:
    await api.publish_policy("1")
    hr = bearer(await api.hr_token())
    entry = await api.add_to_roster()
    unknown = await api.client.post(HR_FILE, json=outside("0190f0f0-0000-7000-8000-000000000000"), headers=hr)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    for bad in (
        outside(entry["id"], channel="app"),
        outside(entry["id"], kind="gossip"),
        outside(entry["id"], identity_verification="   "),
        {k: v for k, v in outside(entry["id"]).items() if k != "identity_verification"},
        outside("not-a-uuid"),
    ):
        response = await api.client.post(HR_FILE, json=bad, headers=hr)
        assert (response.status_code, response.json()["code"]) == (422, "validation_failed"), bad


async def test_completing_an_erasure_request_for_someone_without_an_account(api: Api) -> None:
    await api.publish_policy("1")
    hr = bearer(await api.hr_token())
    entry = await api.add_to_roster(full_name="Yerlan Goneaway")
    await api.client.post(f"{API}/hr/employees/{entry['id']}/terminate", headers=hr)
    request = (
        await api.client.post(
            HR_FILE, json=outside(entry["id"], kind="erasure", details="Yerlan's letter"), headers=hr
        )
    ).json()
    done = await api.client.post(f"{HR_FILE}/{request['id']}/complete", json={"note": "done"}, headers=hr)
    assert done.status_code == 200, done.text
    async with api.app.state.runtime.db_config.get_session() as session:
        assert (
            await session.scalar(text("SELECT count(*) FROM roster_entries WHERE full_name LIKE '%Goneaway'"))
            == 0
        )
        row = (
            await session.execute(
                text(
                    "SELECT roster_entry_id, details, identity_verification, decision_note, status FROM data_requests"
                )
            )
        ).one()
        assert tuple(row) == (None, None, None, None, "completed")


async def test_retention_erases_requests_of_people_who_left_without_an_account(api: Api) -> None:
    from datetime import timedelta

    await api.publish_policy("1")
    hr = bearer(await api.hr_token())
    entry = await api.add_to_roster(full_name="Aigerim Retained")
    await api.client.post(f"{API}/hr/employees/{entry['id']}/terminate", headers=hr)
    filed = await api.client.post(
        HR_FILE, json=outside(entry["id"], details="Aigerim-Marker letter"), headers=hr
    )
    assert filed.status_code == 201
    api.clock.advance(timedelta(days=91))
    report = await run_retention(api.app.state.runtime)
    assert report is not None
    assert report["roster_entries_of_departed_employees"] == 1
    async with api.app.state.runtime.db_config.get_session() as session:
        assert await session.scalar(text("SELECT count(*) FROM data_requests WHERE details IS NOT NULL")) == 0
        assert (
            await session.scalar(
                text("SELECT count(*) FROM data_requests WHERE identity_verification IS NOT NULL")
            )
            == 0
        )


async def test_a_decision_on_an_erased_persons_request_keeps_no_note(api: Api) -> None:
    """Found in review: HR could still write a note about someone already erased onto their unlinked
    request, where no later erasure would find it."""
    await api.publish_policy("1")
    employee = await api.register()
    filed = await api.client.post(
        f"{API}/me/data-requests", json={"kind": "access", "details": "all"}, headers=employee.headers
    )
    erased = await api.client.request(
        "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=employee.headers
    )
    assert erased.status_code == 202
    hr = bearer(await api.hr_token())
    rejected = await api.client.post(
        f"{API}/hr/data-requests/{filed.json()['id']}/reject",
        json={"reason": f"{employee.email} erased the account"},
        headers=hr,
    )
    assert rejected.status_code == 200
    async with api.app.state.runtime.db_config.get_session() as session:
        row = (
            await session.execute(
                text("SELECT status, decision_note FROM data_requests WHERE id = :id"),
                {"id": filed.json()["id"]},
            )
        ).one()
    assert tuple(row) == ("rejected", None)
