"""Attacks found in review: registration takeover, code probing, throttle bursts, lock-outs, odd bytes."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.settings import AuthSettings
from tests.conftest import AppClient, behind_proxy
from tests.helpers import ADMIN_PASSWORD, API, STRONG_PASSWORD, Api, bearer, policy_body

ATTACKER_PASSWORD = "Attacker-Chosen-Pass-1"


async def _register(api: Api, entry: dict[str, Any], password: str = STRONG_PASSWORD) -> None:
    response = await api.client.post(f"{API}/auth/register", json=api.registration(entry, password=password))
    assert response.status_code == 202
    assert response.json() == {"status": "verification_sent"}


async def _verify(api: Api, address: str, code: str, password: str | None = None) -> tuple[int, str | None]:
    body = {"email": address, "code": code} | ({"password": password} if password else {})
    response = await api.client.post(f"{API}/auth/verify", json=body)
    return response.status_code, response.json().get("code")


async def _login_status(api: Api, address: str, password: str) -> int:
    response = await api.client.post(f"{API}/auth/login", json={"email": address, "password": password})
    return response.status_code


async def _codes_and_kinds(api: Api, address: str) -> list[tuple[str, str | None]]:
    found = []
    for message in await api.mailbox.messages(address):
        payload = message.get_payload(decode=True)
        assert isinstance(payload, bytes)
        match = re.search(r"\b(\d{6})\b", payload.decode())
        found.append((message["X-Loyalty-Kind"], match.group(1) if match else None))
    return found


@pytest.mark.parametrize("attacker_first", [False, True])
async def test_a_rival_registration_cancels_both_and_its_password_never_opens_the_account(
    api: Api, attacker_first: bool
) -> None:
    await api.publish_policy()
    entry = await api.add_to_roster()
    address = entry["email"]
    # Someone who knows the employee number and email registers with their own password, before or
    # after the owner does, while the other's code is live.
    order = [ATTACKER_PASSWORD, STRONG_PASSWORD] if attacker_first else [STRONG_PASSWORD, ATTACKER_PASSWORD]
    for password in order:
        await _register(api, entry, password)
    assert [kind for kind, _ in await _codes_and_kinds(api, address)] == [
        "registration_code",
        "registration_contested",
    ]
    first_code = (await _codes_and_kinds(api, address))[0][1]
    assert first_code is not None
    # The owner types the code they saw: it was cancelled, with or without a password.
    assert await _verify(api, address, first_code) == (400, "invalid_code")
    assert await _verify(api, address, first_code, STRONG_PASSWORD) == (400, "invalid_code")
    assert await _login_status(api, address, ATTACKER_PASSWORD) == 401

    # The rival registers again at once; the owner, confused, types that newest code without a password
    # (refused), or with their own password (refused: it is not the password the code carries).
    await _register(api, entry, ATTACKER_PASSWORD)
    kind, rival_code = (await _codes_and_kinds(api, address))[-1]
    assert kind == "registration_code_with_password"
    assert rival_code is not None
    assert await _verify(api, address, rival_code) == (400, "password_required")
    assert await _verify(api, address, rival_code, STRONG_PASSWORD) == (400, "invalid_code")
    assert await _login_status(api, address, ATTACKER_PASSWORD) == 401

    # The owner registers again as the mail asked (contesting the rival's code once more, then afresh).
    await _register(api, entry)
    assert (await _codes_and_kinds(api, address))[-1][0] == "registration_contested"
    await _register(api, entry)
    kind, code = (await _codes_and_kinds(api, address))[-1]
    assert kind == "registration_code_with_password"
    assert code is not None
    assert await _verify(api, address, code) == (400, "password_required")
    assert await _verify(api, address, code, STRONG_PASSWORD) == (201, None)
    assert await _login_status(api, address, ATTACKER_PASSWORD) == 401
    assert await _login_status(api, address, STRONG_PASSWORD) == 200


async def test_the_same_password_again_just_mails_a_fresh_code(api: Api) -> None:
    await api.publish_policy()
    entry = await api.add_to_roster()
    await _register(api, entry)
    await _register(api, entry)
    mails = await _codes_and_kinds(api, entry["email"])
    assert [kind for kind, _ in mails] == ["registration_code", "registration_code"]
    assert await _verify(api, entry["email"], str(mails[0][1])) == (400, "invalid_code")
    assert await _verify(api, entry["email"], str(mails[1][1])) == (201, None)


async def test_simultaneous_rival_registrations_cancel_each_other(api: Api) -> None:
    await api.publish_policy()
    entry = await api.add_to_roster()
    bodies = [api.registration(entry, password=p) for p in (STRONG_PASSWORD, ATTACKER_PASSWORD)]
    responses = await asyncio.gather(*[api.client.post(f"{API}/auth/register", json=b) for b in bodies])
    assert [r.status_code for r in responses] == [202, 202]
    mails = await _codes_and_kinds(api, entry["email"])
    assert sorted(kind for kind, _ in mails) == ["registration_code", "registration_contested"]
    code = next(code for kind, code in mails if kind == "registration_code")
    assert code is not None
    assert await _verify(api, entry["email"], code) == (400, "invalid_code")
    assert await _login_status(api, entry["email"], ATTACKER_PASSWORD) == 401


async def test_the_registration_mail_names_the_person_as_hr_does(api: Api) -> None:
    await api.publish_policy()
    entry = await api.add_to_roster(full_name="Aigerim Abenova")
    response = await api.client.post(
        f"{API}/auth/register", json=api.registration(entry, full_name="Click http://evil.example")
    )
    assert response.status_code == 202
    (message,) = await api.mailbox.messages(entry["email"])
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "evil.example" not in body.decode() + str(message["Subject"])
    assert "Aigerim Abenova" in body.decode()


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


async def _failed_logins(client: AppClient, sources: list[str]) -> list[int]:
    """One wrong login per source address, each for a different account (no per-account rule trips)."""
    statuses = []
    for number, source in enumerate(sources):
        response = await client.post(
            f"{API}/auth/login",
            json={"email": f"probe{number}@group.kz", "password": "Wrong-Guess-123"},
            headers={"X-Forwarded-For": source},
        )
        statuses.append(response.status_code)
    return statuses


async def test_ipv4_mapped_ipv6_clients_count_as_their_ipv4_address(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    settings = behind_proxy(tmp_path, auth=AuthSettings(login_attempts_per_ip=2))
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        spent = await _failed_logins(client, ["::ffff:198.51.100.7", "::ffff:198.51.100.7"])
        assert spent == [401, 401]
        # Another IPv4 client seen through a dual-stack socket has its own budget...
        assert await _failed_logins(client, ["::ffff:198.51.100.8"]) == [401]
        # ...and the mapped form and the plain form are one client.
        assert await _failed_logins(client, ["198.51.100.7"]) == [429]


async def test_an_ipv6_site_shares_one_larger_budget_across_its_64s(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    settings = behind_proxy(tmp_path, auth=AuthSettings(login_attempts_per_ip=2, ipv6_site_multiplier=3))
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        one_64 = await _failed_logins(client, ["2001:db8:7:1::1", "2001:db8:7:1::2", "2001:db8:7:1::3"])
        assert one_64 == [401, 401, 429]
        # Hopping to other /64s of the same /48 helps only until the site's budget (2 x 3) is spent.
        hopping = await _failed_logins(client, [f"2001:db8:7:{n}::1" for n in range(2, 7)])
        assert hopping == [401, 401, 401, 401, 429]
        assert await _failed_logins(client, ["2001:db8:8:1::1"]) == [401]


async def test_successful_logins_do_not_spend_the_address_budget(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    settings = behind_proxy(tmp_path, auth=AuthSettings(login_attempts_per_ip=3))
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        api = Api(client=client, app=app, mailbox=None, clock=clock)  # type: ignore[arg-type]
        office = {"X-Forwarded-For": "198.51.100.20"}
        await api.admin_token()
        body = {"email": "root@loyalty.kz", "password": ADMIN_PASSWORD}
        # One insider signing in again and again from the office's NAT address...
        statuses = [
            (await client.post(f"{API}/auth/login", json=body, headers=office)).status_code for _ in range(6)
        ]
        assert statuses == [200] * 6
        # ...leaves the office its whole budget of failures; only those count.
        assert await _failed_logins(client, ["198.51.100.20"] * 4) == [401, 401, 401, 429]


async def test_a_wrong_reset_code_says_nothing_about_the_account(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register(employee_number="KZ-2024-0000917")
    await api.client.post(f"{API}/auth/password-reset", json={"email": employee.email})
    answers = set()
    for address in (employee.email, "nobody@group.kz"):
        for new_password in (employee.employee_number, address, "Another-Strong-Pass-5"):
            response = await api.client.post(
                f"{API}/auth/password-reset/confirm",
                json={"email": address, "code": "000000", "new_password": new_password},
            )
            answers.add((response.status_code, response.json()["code"], response.text))
    assert len(answers) == 1
    assert answers.pop()[:2] == (400, "invalid_code")
    # With the right code the password rules apply, and the code stays usable for a better password.
    code = await api.mailbox.last_code(employee.email)
    weak = await api.client.post(
        f"{API}/auth/password-reset/confirm",
        json={"email": employee.email, "code": code, "new_password": employee.employee_number},
    )
    assert weak.status_code == 422
    assert weak.json()["code"] == "weak_password"
    await api.confirm_reset(employee.email, "Another-Strong-Pass-5")


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


@pytest.mark.parametrize("how", ["tries-spent", "expired"])
async def test_a_rival_cannot_slip_past_the_contest_by_killing_the_owners_code_first(
    api: Api, how: str
) -> None:
    """Found in review: the contest looked only at *live* codes, and anyone can spend another's tries
    (or wait out their 15 minutes); the rival's registration then mailed an ordinary code carrying the
    rival's password, which the owner, whose own code had died, would type."""
    await api.publish_policy()
    entry = await api.add_to_roster()
    address = entry["email"]
    await _register(api, entry)
    if how == "tries-spent":
        for _ in range(api.app.state.runtime.settings.auth.code_max_attempts):
            assert (await _verify(api, address, "000000"))[0] == 400
    else:
        api.clock.advance(timedelta(minutes=api.app.state.runtime.settings.auth.code_ttl_minutes + 1))
    await _register(api, entry, ATTACKER_PASSWORD)
    assert [kind for kind, _ in await _codes_and_kinds(api, address)] == [
        "registration_code",
        "registration_contested",
    ]
    # Whatever the rival does next, a code only opens the account with the owner's password.
    await _register(api, entry, ATTACKER_PASSWORD)
    kind, rival_code = (await _codes_and_kinds(api, address))[-1]
    assert kind == "registration_code_with_password"
    assert await _verify(api, address, str(rival_code)) == (400, "password_required")
    assert await _login_status(api, address, ATTACKER_PASSWORD) == 401


async def test_a_client_cannot_choose_its_address_with_its_own_forwarded_for_line(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    """Found in review: only the first X-Forwarded-For line was read, so behind a proxy that appends its
    own line the client's invented line decided its throttling bucket."""
    settings = behind_proxy(tmp_path, auth=AuthSettings(login_attempts_per_ip=2))
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        statuses = []
        for number in range(3):
            response = await client.post(
                f"{API}/auth/login",
                json={"email": f"probe{number}@group.kz", "password": "Wrong-Guess-123"},
                headers=[("X-Forwarded-For", f"203.0.113.{number}"), ("X-Forwarded-For", "198.51.100.40")],
            )
            statuses.append(response.status_code)
        assert statuses == [401, 401, 429]


async def test_a_spent_64_does_not_drain_its_sites_budget(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    """Found in review: every rule was spent even after the client's own refused, so one /64 hammering
    password resets spent its whole /48's budget and locked out its neighbours."""
    settings = behind_proxy(
        tmp_path, auth=AuthSettings(mail_requests_per_ip_per_hour=2, ipv6_site_multiplier=3)
    )
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:

        async def reset(source: str, number: int) -> int:
            response = await client.post(
                f"{API}/auth/password-reset",
                json={"email": f"someone{number}@group.kz"},
                headers={"X-Forwarded-For": source},
            )
            return response.status_code

        noisy = [await reset("2001:db8:9:1::1", number) for number in range(10)]
        assert noisy == [202, 202] + [429] * 8
        neighbour = [await reset("2001:db8:9:2::1", number) for number in range(10, 12)]
        assert neighbour == [202, 202]
