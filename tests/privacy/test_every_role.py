"""Export and erasure for every role: staff have no roster entry, and a missing link must never widen a
statement to the whole table (issue 9, finding 1)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select, text

from loyalty.core.context import SYSTEM_ACTOR
from loyalty.identity.models import User
from loyalty.privacy.registry import REGISTRY, OnErase
from loyalty.privacy.rights import Person, UnlinkedPerson, erase, links_of, rows_of
from loyalty.roster.models import RosterEntry
from tests.helpers import API, STRONG_PASSWORD, Api, Employee, bearer

ROLES = ["employee", "partner_admin", "hr_admin", "admin"]


@dataclass
class Someone:
    email: str
    headers: dict[str, str]
    employee_number: str | None


async def someone(api: Api, role: str) -> Someone:
    if role == "employee":
        employee = await api.register(email="me.myself@group.kz", full_name="Myself Employee")
        return Someone(employee.email, employee.headers, employee.employee_number)
    if role == "partner_admin":
        partner = await api.create_partner()
        return Someone(
            "pa.self@partner.kz", await api.partner_admin(partner["id"], "pa.self@partner.kz"), None
        )
    if role == "hr_admin":
        return Someone("hr-admin@loyalty.kz", bearer(await api.hr_token()), None)
    return Someone("root@loyalty.kz", bearer(await api.admin_token()), None)


async def others(api: Api) -> list[Employee]:
    """Two colleagues on the roster with accounts, and HR reading one of them."""
    people = [
        await api.register(email="colleague.one@group.kz", full_name="Colleague Uniqueone"),
        await api.register(email="colleague.two@group.kz", full_name="Colleague Uniquetwo"),
    ]
    hr = bearer(await api.hr_token())
    assert (await api.client.get(f"{API}/hr/employees/{people[0].roster_id}", headers=hr)).status_code == 200
    return people


@pytest.mark.parametrize("role", ROLES)
async def test_export_is_valid_json_with_only_my_own_data(api: Api, role: str) -> None:
    await api.publish_policy("1")
    colleagues = await others(api)
    me = await someone(api, role)
    response = await api.client.get(f"{API}/me/export", headers=me.headers)
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["profile"]["email"] == me.email
    assert document["profile"]["role"] == role
    if me.employee_number is None:
        assert document["roster_entry"] is None
    else:
        assert document["roster_entry"]["employee_number"] == me.employee_number
    assert {entry.export_section for entry in REGISTRY if entry.export_section} <= set(document)
    assert document["audit_events"], "at least the export itself and how the account came to be"
    assert len(document["sessions"]) >= 1
    for colleague in colleagues:
        for value in (colleague.email, colleague.employee_number, "Uniqueone", "Uniquetwo"):
            assert value not in response.text


async def erase_as(api: Api, role: str, me: Someone) -> None:
    if role == "employee":
        erased = await api.client.request(
            "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=me.headers
        )
        assert erased.status_code == 202, erased.text
        return
    runtime = api.app.state.runtime
    async with runtime.db_config.get_session() as session:
        user_id = await session.scalar(select(User.id).where(User.email == me.email))
        assert user_id is not None
        await erase(session, runtime, user_id, SYSTEM_ACTOR, reason="staff account closed")
        await session.commit()


@pytest.mark.parametrize("role", ROLES)
async def test_erasure_removes_only_that_person(api: Api, role: str) -> None:
    await api.publish_policy("1")
    colleagues = await others(api)
    me = await someone(api, role)
    runtime = api.app.state.runtime
    async with runtime.db_config.get_session() as session:
        roster_before = await session.scalar(select(func.count()).select_from(RosterEntry))
        users_before = await session.scalar(select(func.count()).select_from(User))
    await erase_as(api, role, me)
    async with runtime.db_config.get_session() as session:
        assert await session.scalar(select(User.id).where(User.email == me.email)) is None
        assert await session.scalar(select(func.count()).select_from(User)) == (users_before or 0) - 1
        # An employee still employed keeps HR's roster entry; nobody else's entry is touched.
        assert await session.scalar(select(func.count()).select_from(RosterEntry)) == roster_before
        sessions_left = await session.scalar(
            text("SELECT count(*) FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = :e"),
            {"e": colleagues[1].email},
        )
        assert sessions_left == 1
    for colleague in colleagues:
        assert (await api.client.get(f"{API}/me", headers=colleague.headers)).status_code == 200
    assert (
        await api.client.post(f"{API}/auth/login", json={"email": me.email, "password": STRONG_PASSWORD})
    ).status_code == 401


def test_a_statement_is_never_built_from_no_link() -> None:
    staff = Person(user_id=None, roster_entry_id=None, email=None, subject_ref=None)
    for entry in REGISTRY:
        assert links_of(entry, staff) == []
        with pytest.raises(UnlinkedPerson):
            rows_of(entry, staff)
    with pytest.raises(UnlinkedPerson):
        staff.ref  # noqa: B018
    roster = next(entry for entry in REGISTRY if entry.on_erase is OnErase.KEEP_WHILE_EMPLOYED)
    account_only = Person(user_id=None, roster_entry_id=None, email="x@loyalty.kz", subject_ref="ab12")
    with pytest.raises(UnlinkedPerson):
        rows_of(roster, account_only)
