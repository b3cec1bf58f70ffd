"""Attacks found in review: registration takeover, code probing, throttle bursts, lock-outs, odd bytes."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.core.network import throttle_key
from loyalty.settings import AuthSettings
from tests.conftest import AppClient, behind_proxy
from tests.helpers import ADMIN_PASSWORD, API, STRONG_PASSWORD, Api, bearer, policy_body


async def test_verify_with_the_password_refuses_a_rival_registration(api: Api) -> None:
    await api.publish_policy()
    entry = await api.add_to_roster()
    await api.client.post(f"{API}/auth/register", json=api.registration(entry))
    # Someone who knows the employee number and email registers again with their own password.
    await api.client.post(
        f"{API}/auth/register", json=api.registration(entry, password="Attacker-Chosen-Pass-1")
    )
    code = api.mailbox.last_code(entry["email"])
    refused = await api.client.post(
        f"{API}/auth/verify", json={"email": entry["email"], "code": code, "password": STRONG_PASSWORD}
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "invalid_code"
    login = await api.client.post(
        f"{API}/auth/login", json={"email": entry["email"], "password": "Attacker-Chosen-Pass-1"}
    )
    assert login.status_code == 401
    # The owner registers again; the code now carries their own password.
    await api.client.post(f"{API}/auth/register", json=api.registration(entry))
    accepted = await api.client.post(
        f"{API}/auth/verify",
        json={
            "email": entry["email"],
            "code": api.mailbox.last_code(entry["email"]),
            "password": STRONG_PASSWORD,
        },
    )
    assert accepted.status_code == 201


async def test_code_answers_do_not_reveal_whether_an_account_exists(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    await api.client.post(f"{API}/auth/password-reset", json={"email": employee.email})
    await api.client.post(f"{API}/auth/password-reset", json={"email": "nobody@group.kz"})
    answers = {}
    for address in (employee.email, "nobody@group.kz"):
        codes = []
        for _ in range(6):
            response = await api.client.post(
                f"{API}/auth/password-reset/confirm",
                json={"email": address, "code": "000000", "new_password": "Another-Strong-Pass-5"},
            )
            codes.append(response.json()["code"])
        answers[address] = codes
    assert answers[employee.email] == answers["nobody@group.kz"] == ["invalid_code"] * 5 + ["code_expired"]


async def test_a_burst_of_wrong_logins_is_counted_before_hashing(api: Api) -> None:
    await api.admin_token()
    body = {"email": "root@loyalty.kz", "password": "Wrong-Password-99"}
    responses = await asyncio.gather(*[api.client.post(f"{API}/auth/login", json=body) for _ in range(20)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * 5 + [429] * 15


async def test_spraying_an_account_does_not_lock_its_owner_out(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    settings = behind_proxy(tmp_path, auth=AuthSettings(login_failures_per_account=3))
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        api = Api(client=client, app=app, mailbox=None, clock=clock)  # type: ignore[arg-type]
        await api.admin_token()  # the owner signs in from the test client's own address once
        for attacker in ("198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"):
            await client.post(
                f"{API}/auth/login",
                json={"email": "root@loyalty.kz", "password": "Spray-Guess-1234"},
                headers={"X-Forwarded-For": attacker},
            )
        stranger = await client.post(
            f"{API}/auth/login",
            json={"email": "root@loyalty.kz", "password": ADMIN_PASSWORD},
            headers={"X-Forwarded-For": "198.51.100.5"},
        )
        assert stranger.status_code == 429
        owner = await client.post(
            f"{API}/auth/login", json={"email": "root@loyalty.kz", "password": ADMIN_PASSWORD}
        )
        assert owner.status_code == 200


def test_ipv6_addresses_are_throttled_by_their_64() -> None:
    assert throttle_key("2001:db8:1:2:aaaa::1") == throttle_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert throttle_key("203.0.113.9") == "203.0.113.9"
    assert throttle_key(None) == "unknown"


async def test_nul_and_control_characters_are_refused_not_crashed_on(api: Api) -> None:
    hr = bearer(await api.hr_token())
    login = await api.client.post(f"{API}/auth/login", json={"email": "a\u0000b@group.kz", "password": "x"})
    assert login.status_code == 422
    roster = await api.client.post(
        f"{API}/hr/employees",
        json={"employee_number": "N1", "email": "n1@group.kz", "full_name": "A\u0000B", "company": "C"},
        headers=hr,
    )
    assert roster.status_code == 422
    blank = await api.client.post(
        f"{API}/hr/employees",
        json={"employee_number": "N2", "email": "n2@group.kz", "full_name": "   ", "company": "C"},
        headers=hr,
    )
    assert blank.status_code == 422
    query = await api.client.get(f"{API}/hr/employees", params={"company": "a\u0000b"}, headers=hr)
    assert query.status_code == 422


async def test_a_csv_file_that_cannot_be_parsed_is_a_422(api: Api) -> None:
    hr = bearer(await api.hr_token())
    huge = "employee_number,email,full_name,company\nX1,x1@group.kz," + "a" * 200_000 + ",C\n"
    response = await api.client.post(
        f"{API}/hr/employees/import", content=huge.encode(), headers=hr | {"Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


async def test_a_policy_that_could_never_become_current_is_refused(api: Api) -> None:
    await api.publish_policy("2", effective_in=timedelta(days=-2))
    await api.publish_policy("3", effective_in=timedelta(days=-1))
    headers = bearer(await api.admin_token())
    earlier = policy_body("2b", (api.clock.now().replace(year=2020)).isoformat())
    assert (await api.client.post(f"{API}/admin/policies", json=earlier, headers=headers)).status_code == 201
    response = await api.client.post(f"{API}/admin/policies/2b/publish", headers=headers)
    assert response.status_code == 409


async def test_an_import_can_swap_the_emails_of_two_registered_employees(api: Api) -> None:
    await api.publish_policy()
    first = await api.register()
    second = await api.register()
    hr = bearer(await api.hr_token())
    rows = []
    for employee, other in ((first, second), (second, first)):
        entry = (await api.client.get(f"{API}/hr/employees/{employee.roster_id}", headers=hr)).json()
        rows.append(
            {
                "employee_number": entry["employee_number"],
                "email": other.email,
                "full_name": entry["full_name"],
                "company": entry["company"],
            }
        )
    response = await api.client.post(f"{API}/hr/employees/import", json=rows, headers=hr)
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == 2
    token = await api.login(second.email, STRONG_PASSWORD)
    me = (await api.client.get(f"{API}/me", headers=bearer(token))).json()
    assert me["employee_number"] == first.employee_number
