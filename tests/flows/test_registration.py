"""Staff-only registration: roster match, mailed code, consent record, no enumeration."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from loyalty.identity.models import User
from loyalty.privacy.models import ConsentRecord, PolicyVersion
from loyalty.privacy.policies import text_sha256
from tests.helpers import API, STRONG_PASSWORD, Api, bearer


async def test_roster_member_registers_and_consent_is_recorded(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster(email="Aigerim.Abenova@Group.kz")
    body = api.registration(entry, language="kk", optional_purposes={"marketing": True, "analytics": False})
    response = await api.client.post(
        f"{API}/auth/register", json=body, headers={"User-Agent": "LoyaltyApp/1.0 (iOS)"}
    )
    assert response.status_code == 202
    assert response.json() == {"status": "verification_sent"}
    code = await api.mailbox.last_code("aigerim.abenova@group.kz")

    response = await api.client.post(
        f"{API}/auth/verify",
        json={"email": "aigerim.abenova@group.kz", "code": code},
        headers={"User-Agent": "LoyaltyApp/1.0 (iOS)"},
    )
    assert response.status_code == 201, response.text
    tokens = response.json()
    assert tokens["token_type"] == "bearer"
    assert 0 < tokens["expires_in"] <= 900

    me = await api.client.get(f"{API}/me", headers=bearer(tokens["access_token"]))
    assert me.status_code == 200
    profile = me.json()
    assert profile["email"] == "aigerim.abenova@group.kz"
    assert profile["employee_number"] == entry["employee_number"]
    assert profile["roles"] == ["employee"]
    assert profile["restricted"] is False

    runtime = api.app.state.runtime
    async with runtime.db_config.get_session() as session:
        record, policy = (
            await session.execute(select(ConsentRecord, PolicyVersion).join(PolicyVersion))
        ).one()
    assert policy.version == "1"
    assert record.method == "registration"
    assert record.language == "kk"
    assert record.text_sha256 == text_sha256(policy.texts["kk"])
    assert record.purposes_granted == ["core", "marketing"]
    assert record.purposes_declined == ["analytics"]
    assert record.user_agent == "LoyaltyApp/1.0 (iOS)"
    assert record.ip is not None
    assert abs(record.created_at - api.clock.now()) < timedelta(seconds=5)


async def test_unknown_person_gets_the_same_answer_and_no_mail(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    strangers = [
        api.registration(entry, email="stranger@group.kz"),
        api.registration(entry, employee_number="NOPE-1"),
    ]
    answers = []
    for body in [api.registration(entry), *strangers]:
        response = await api.client.post(f"{API}/auth/register", json=body)
        answers.append((response.status_code, response.json(), response.headers.get("content-type")))
    assert len(set(map(str, answers))) == 1
    assert len(await api.mailbox.messages(entry["email"])) == 1
    assert (await api.mailbox.messages("stranger@group.kz")) == []


async def test_both_paths_do_the_same_hashing_work(api: Api) -> None:
    """Similar timing by construction: a stranger costs as many argon2 hashes and verifications as a
    roster member."""
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    hasher = api.app.state.runtime.hasher
    await hasher.verify(None, "warm-up")  # the dummy hash is made once per process, not per request
    counts = []
    calls = {"hash": 0, "verify": 0}
    original_hash, original_verify = hasher.hash, hasher.verify

    async def counting_hash(secret: str) -> str:
        calls["hash"] += 1
        return await original_hash(secret)

    async def counting_verify(stored_hash: str | None, secret: str) -> bool:
        calls["verify"] += 1
        return await original_verify(stored_hash, secret)

    for body in (api.registration(entry), api.registration(entry, email="nobody@group.kz")):
        calls.update(hash=0, verify=0)
        hasher.hash, hasher.verify = counting_hash, counting_verify
        response = await api.client.post(f"{API}/auth/register", json=body)
        hasher.hash, hasher.verify = original_hash, original_verify
        assert response.status_code == 202
        counts.append(dict(calls))
    assert counts[0] == counts[1] == {"hash": 2, "verify": 1}


async def test_terminated_roster_entry_cannot_register(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    response = await api.client.post(
        f"{API}/hr/employees/{entry['id']}/terminate", headers=bearer(await api.hr_token())
    )
    assert response.status_code == 200
    response = await api.client.post(f"{API}/auth/register", json=api.registration(entry))
    assert response.status_code == 202
    assert (await api.mailbox.messages(entry["email"])) == []


async def test_outdated_policy_version_is_refused(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    response = await api.client.post(
        f"{API}/auth/register", json=api.registration(entry, policy_version="0.9")
    )
    assert response.status_code == 409
    assert response.json()["code"] == "policy_outdated"
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_weak_passwords_are_refused_with_a_reason(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    for password in ("short1!", "x" * 129, "1234567890", "qwertyuiop", entry["email"], "aaaaaaaaaaaa"):
        response = await api.client.post(
            f"{API}/auth/register", json=api.registration(entry, password=password)
        )
        assert response.status_code == 422, password
        assert response.json()["code"] == "weak_password", password


async def test_only_the_employee_number_itself_is_refused_as_a_password(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster(employee_number="KZ-2026-000123")
    response = await api.client.post(
        f"{API}/auth/register", json=api.registration(entry, password="kz-2026-000123")
    )
    assert response.status_code == 422
    assert response.json()["code"] == "weak_password"
    assert response.json()["errors"] == [{"field": "password", "message": "must not be your employee number"}]
    # A password that merely contains the number passes that rule (and every other one).
    response = await api.client.post(
        f"{API}/auth/register", json=api.registration(entry, password="KZ-2026-000123-x")
    )
    assert response.status_code == 202


async def test_wrong_code_five_times_kills_the_code(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    await api.client.post(f"{API}/auth/register", json=api.registration(entry))
    code = await api.mailbox.last_code(entry["email"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        response = await api.client.post(f"{API}/auth/verify", json={"email": entry["email"], "code": wrong})
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_code"
    response = await api.client.post(f"{API}/auth/verify", json={"email": entry["email"], "code": code})
    assert response.status_code == 400
    assert response.json()["code"] == "code_expired"


async def test_code_expires_after_fifteen_minutes(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    await api.client.post(f"{API}/auth/register", json=api.registration(entry))
    code = await api.mailbox.last_code(entry["email"])
    api.clock.advance(timedelta(minutes=15, seconds=1))
    response = await api.client.post(f"{API}/auth/verify", json={"email": entry["email"], "code": code})
    assert response.status_code == 400
    assert response.json()["code"] == "code_expired"


async def test_concurrent_registrations_of_one_person_create_one_account(api: Api) -> None:
    await api.publish_policy("1")
    entry = await api.add_to_roster()
    for _ in range(2):
        response = await api.client.post(f"{API}/auth/register", json=api.registration(entry))
        assert response.status_code == 202
    code = await api.mailbox.last_code(entry["email"])
    # Five at once: one creates the account; the four others find no live code, which counts as four
    # of the five wrong tries an address without a code is allowed.
    responses = await asyncio.gather(
        *[
            api.client.post(f"{API}/auth/verify", json={"email": entry["email"], "code": code})
            for _ in range(5)
        ]
    )
    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(201, None): 1, (400, "invalid_code"): 4}, [r.text for r in responses]
    async with api.app.state.runtime.db_config.get_session() as session:
        assert await session.scalar(select(func.count(User.id)).where(User.email == entry["email"])) == 1


async def test_registering_again_mails_a_notice_instead_of_a_code(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    before = len(await api.mailbox.messages(employee.email))
    response = await api.client.post(
        f"{API}/auth/register",
        json={
            "employee_number": employee.employee_number,
            "email": employee.email,
            "password": STRONG_PASSWORD,
            "full_name": "Someone",
            "policy_version": "1",
            "accept_policy": True,
        },
    )
    assert response.status_code == 202
    messages = await api.mailbox.messages(employee.email)
    assert len(messages) == before + 1
    assert messages[-1]["X-Loyalty-Kind"] == "already_registered"
