"""Admins manage staff accounts: list, disable, enable, erase; the last active admin always stays."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select, text

from loyalty.audit.models import AuditEvent
from loyalty.core.context import Actor
from loyalty.core.errors import AppError, ErrorCode
from loyalty.identity.models import AccountStatus, User
from loyalty.roster.models import RosterEntry
from loyalty.staff.accounts import StaffAccountService
from tests.helpers import API, STRONG_PASSWORD, Api, bearer
from tests.privacy.test_rights import scan
from tests.test_bad_input import assert_problem

STAFF = f"{API}/admin/staff"
ROOT = "root@loyalty.kz"


async def admin(api: Api) -> dict[str, str]:
    return bearer(await api.admin_token())


async def invite(api: Api, role: str, address: str, *, set_password: bool = True) -> str:
    """A staff account invited by the root admin; answers its id."""
    response = await api.client.post(
        f"{API}/admin/users",
        json={"email": address, "full_name": f"Staff {address}", "role": role},
        headers=await admin(api),
    )
    assert response.status_code == 201, response.text
    if set_password:
        await api.confirm_reset(address, STRONG_PASSWORD)
    return str(response.json()["id"])


async def sign_in(api: Api, address: str, password: str = STRONG_PASSWORD) -> dict[str, str]:
    response = await api.client.post(f"{API}/auth/login", json={"email": address, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


async def user_id_of(api: Api, headers: dict[str, str]) -> str:
    return str((await api.client.get(f"{API}/me", headers=headers)).json()["id"])


async def subject_ref_of(api: Api, address: str) -> str:
    async with api.app.state.runtime.db_config.get_session() as session:
        ref = await session.scalar(select(User.subject_ref).where(User.email == address))
    assert ref is not None
    return str(ref)


async def audit_events(api: Api, action: str) -> list[AuditEvent]:
    async with api.app.state.runtime.db_config.get_session() as session:
        return list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
            )
        )


async def active_admins(api: Api) -> list[str]:
    async with api.app.state.runtime.db_config.get_session() as session:
        return sorted(
            await session.scalars(
                select(User.email).where(User.role == "admin", User.status == AccountStatus.ACTIVE)
            )
        )


async def list_all(api: Api, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = params | ({"cursor": cursor} if cursor else {})
        response = await api.client.get(STAFF, params=query, headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_admins_list_every_staff_account_and_no_employee(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    headers = await admin(api)
    hr_id = await user_id_of(api, bearer(await api.hr_token()))
    invited_id = await invite(api, "admin", "new-admin@loyalty.kz", set_password=False)
    partner, partner_headers = await api.partner_with_admin()
    partner_admin_id = await user_id_of(api, partner_headers)
    other_partner, other_headers = await api.partner_with_admin("Shashlyk House")
    other_partner_admin_id = await user_id_of(api, other_headers)
    root_id = await user_id_of(api, headers)

    everyone = (await api.client.get(STAFF, headers=headers)).json()
    assert everyone["next_cursor"] is None
    by_id = {item["id"]: item for item in everyone["items"]}
    assert list(by_id) == [
        other_partner_admin_id,
        partner_admin_id,
        invited_id,
        hr_id,
        root_id,
    ]  # newest first
    assert employee.email not in {item["email"] for item in everyone["items"]}
    assert set(by_id[root_id]) == {
        "id",
        "email",
        "full_name",
        "role",
        "status",
        "partner_id",
        "last_login_at",
        "created_at",
        "hr_scope",
    }
    assert (by_id[root_id]["email"], by_id[root_id]["role"], by_id[root_id]["status"]) == (
        ROOT,
        "admin",
        "active",
    )
    assert by_id[root_id]["last_login_at"] is not None
    assert (by_id[invited_id]["status"], by_id[invited_id]["last_login_at"]) == ("invited", None)
    assert by_id[partner_admin_id]["partner_id"] == partner["id"]
    assert by_id[hr_id]["partner_id"] is None
    assert by_id[hr_id]["hr_scope"] == {"user_id": hr_id, "group_wide": True, "companies": []}
    assert by_id[root_id]["hr_scope"] is None
    assert by_id[partner_admin_id]["hr_scope"] is None

    async def ids(**params: Any) -> list[str]:
        return [item["id"] for item in await list_all(api, headers, **params)]

    assert await ids(role="partner_admin") == [other_partner_admin_id, partner_admin_id]
    assert await ids(status="invited") == [invited_id]
    assert await ids(role="admin", status="active") == [root_id]
    assert await ids(partner_id=other_partner["id"]) == [other_partner_admin_id]
    assert await ids(partner_id=str(uuid.uuid4())) == []
    assert await ids(limit=2) == list(by_id)


async def test_the_staff_list_shows_each_hr_admins_companies(api: Api) -> None:
    headers = await admin(api)
    scoped_id = await user_id_of(api, await api.scoped_hr("Dala Energy", "Caspian Logistics"))
    listed = {item["id"]: item for item in await list_all(api, headers, role="hr_admin")}
    assert listed[scoped_id]["hr_scope"] == {
        "user_id": scoped_id,
        "group_wide": False,
        "companies": ["Caspian Logistics", "Dala Energy"],
    }


async def test_bad_list_parameters_are_answered_with_codes(api: Api) -> None:
    headers = await admin(api)
    await api.hr_token()
    first = (await api.client.get(STAFF, params={"limit": 1}, headers=headers)).json()
    assert first["next_cursor"] is not None
    tampered = first["next_cursor"][:-2] + ("AA" if not first["next_cursor"].endswith("AA") else "BB")
    assert_problem(
        await api.client.get(STAFF, params={"cursor": tampered}, headers=headers), 422, "invalid_cursor"
    )
    roster_cursor = api.app.state.runtime.cursors.encode("roster", ["E00001"])
    assert_problem(
        await api.client.get(STAFF, params={"cursor": roster_cursor}, headers=headers), 422, "invalid_cursor"
    )
    for params in ({"role": "employee"}, {"status": "gone"}, {"partner_id": "nope"}, {"limit": 0}):
        assert_problem(await api.client.get(STAFF, params=params, headers=headers), 422, "validation_failed")


async def test_every_list_read_is_audited_with_the_accounts_it_showed(api: Api) -> None:
    headers = await admin(api)
    await api.hr_token()
    await list_all(api, headers, limit=1)
    events = await audit_events(api, "staff_accounts_listed")
    root_ref = await subject_ref_of(api, ROOT)
    hr_ref = await subject_ref_of(api, "hr-admin@loyalty.kz")
    assert [event.details["subjects"] for event in events] == [[hr_ref], [root_ref]]
    assert {(event.actor_ref, event.actor_role, event.subject_ref) for event in events} == {
        (root_ref, "admin", None)
    }


async def test_disabling_ends_every_session_at_once_and_enabling_lets_the_account_back_in(api: Api) -> None:
    headers = await admin(api)
    hr_id = await invite(api, "hr_admin", "hr-two@loyalty.kz")
    tokens = await sign_in(api, "hr-two@loyalty.kz")
    hr = bearer(tokens["access_token"])
    assert (await api.client.get(f"{API}/hr/employees", headers=hr)).status_code == 200

    response = await api.client.post(f"{STAFF}/{hr_id}/disable", headers=headers)
    assert response.status_code == 200, response.text
    assert (response.json()["id"], response.json()["status"]) == (hr_id, "disabled")
    # The access token issued before is refused on the very next request, and so is the refresh token.
    assert_problem(await api.client.get(f"{API}/hr/employees", headers=hr), 401, "not_authenticated")
    assert_problem(await api.client.get(f"{API}/me", headers=hr), 401, "not_authenticated")
    assert_problem(
        await api.client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}),
        401,
        "not_authenticated",
    )
    login = {"email": "hr-two@loyalty.kz", "password": STRONG_PASSWORD}
    assert_problem(await api.client.post(f"{API}/auth/login", json=login), 401, "invalid_credentials")
    async with api.app.state.runtime.db_config.get_session() as session:
        live = await session.scalar(
            text("SELECT count(*) FROM auth_sessions WHERE user_id = :id AND revoked_at IS NULL"),
            {"id": hr_id},
        )
    assert live == 0

    again = await api.client.post(f"{STAFF}/{hr_id}/disable", headers=headers)
    assert (again.status_code, again.json()["status"]) == (200, "disabled")

    response = await api.client.post(f"{STAFF}/{hr_id}/enable", headers=headers)
    assert (response.status_code, response.json()["status"]) == (200, "active")
    back = bearer((await sign_in(api, "hr-two@loyalty.kz"))["access_token"])
    assert (await api.client.get(f"{API}/hr/employees", headers=back)).status_code == 200
    again = await api.client.post(f"{STAFF}/{hr_id}/enable", headers=headers)
    assert (again.status_code, again.json()["status"]) == (200, "active")

    # Each change is audited once, by the admin, about the account; repeating a change changes nothing.
    root_ref, hr_ref = await subject_ref_of(api, ROOT), await subject_ref_of(api, "hr-two@loyalty.kz")
    disabled = await audit_events(api, "staff_account_disabled")
    enabled = await audit_events(api, "staff_account_enabled")
    assert [(e.actor_ref, e.actor_role, e.subject_ref, e.details) for e in disabled] == [
        (root_ref, "admin", hr_ref, {"role": "hr_admin", "previous": "active"})
    ]
    assert [(e.actor_ref, e.actor_role, e.subject_ref, e.details) for e in enabled] == [
        (root_ref, "admin", hr_ref, {"role": "hr_admin", "status": "active"})
    ]


async def test_an_account_that_never_set_a_password_is_enabled_as_invited(api: Api) -> None:
    headers = await admin(api)
    invited_id = await invite(api, "admin", "later@loyalty.kz", set_password=False)
    disabled = await api.client.post(f"{STAFF}/{invited_id}/disable", headers=headers)
    assert (disabled.status_code, disabled.json()["status"]) == (200, "disabled")
    # While disabled, the invitation's code sets no password.
    response = await api.client.post(
        f"{API}/auth/password-reset/confirm",
        json={
            "email": "later@loyalty.kz",
            "code": (await api.mailbox.last_code("later@loyalty.kz")),
            "new_password": STRONG_PASSWORD,
        },
    )
    assert_problem(response, 400, "invalid_code")

    enabled = await api.client.post(f"{STAFF}/{invited_id}/enable", headers=headers)
    assert (enabled.status_code, enabled.json()["status"]) == (200, "invited")
    assert (
        await api.client.post(f"{API}/auth/password-reset", json={"email": "later@loyalty.kz"})
    ).status_code == 202
    await api.confirm_reset("later@loyalty.kz", STRONG_PASSWORD)
    await sign_in(api, "later@loyalty.kz")


async def test_employees_and_unknown_ids_are_not_staff_accounts(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    headers = await admin(api)
    employee_id = await user_id_of(api, employee.headers)
    for target in (employee_id, str(uuid.uuid4())):
        for method, path in (
            ("POST", f"{STAFF}/{target}/disable"),
            ("POST", f"{STAFF}/{target}/enable"),
            ("DELETE", f"{STAFF}/{target}"),
        ):
            assert_problem(await api.client.request(method, path, headers=headers), 404, "not_found")
    assert (await api.client.get(f"{API}/offers", headers=employee.headers)).status_code == 200
    assert (await audit_events(api, "erasure")) == []


async def test_an_admin_cannot_disable_or_erase_their_own_account(api: Api) -> None:
    headers = await admin(api)
    await invite(api, "admin", "second@loyalty.kz")
    root_id = await user_id_of(api, headers)
    assert_problem(await api.client.post(f"{STAFF}/{root_id}/disable", headers=headers), 409, "own_account")
    assert_problem(await api.client.delete(f"{STAFF}/{root_id}", headers=headers), 409, "own_account")
    assert (await api.client.get(STAFF, headers=headers)).status_code == 200
    assert await active_admins(api) == [ROOT, "second@loyalty.kz"]


async def waiting_for_locks(api: Api, count: int) -> None:
    """Until ``count`` backends of this database wait for a lock (10 s at most)."""
    for _ in range(200):
        async with api.app.state.runtime.db_config.get_session() as session:
            waiting = await session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        if waiting == count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{count} requests never queued for the admin rows")


@pytest.mark.parametrize(
    ("method", "suffix", "status", "action"),
    [("POST", "/disable", 200, "staff_account_disabled"), ("DELETE", "", 202, "erasure")],
)
async def test_two_admins_removing_each_other_at_once_leave_one_active_admin(
    api: Api, method: str, suffix: str, status: int, action: str
) -> None:
    root = await admin(api)
    second_id = await invite(api, "admin", "second@loyalty.kz")
    second = bearer((await sign_in(api, "second@loyalty.kz"))["access_token"])
    root_id = await user_id_of(api, root)
    # Hold the admin rows so that both requests are past the guard and queue for them, then let go.
    async with api.app.state.runtime.db_config.get_session() as holder:
        await holder.execute(text("SELECT id FROM users WHERE role = 'admin' FOR UPDATE"))
        requests = asyncio.gather(
            api.client.request(method, f"{STAFF}/{second_id}{suffix}", headers=root),
            api.client.request(method, f"{STAFF}/{root_id}{suffix}", headers=second),
        )
        await waiting_for_locks(api, 2)
        await holder.rollback()
        first, other = await requests
    assert sorted([first.status_code, other.status_code]) == [status, 409], [first.text, other.text]
    assert_problem(first if first.status_code == 409 else other, 409, "last_admin")
    survivor = "second@loyalty.kz" if first.status_code == 409 else ROOT
    assert await active_admins(api) == [survivor]
    assert len(await audit_events(api, action)) == 1


async def test_many_admins_disabling_one_another_at_once_never_leave_none(api: Api) -> None:
    root = await admin(api)
    addresses = [f"admin-{n}@loyalty.kz" for n in range(6)]
    ids = [await invite(api, "admin", address) for address in addresses]
    headers = [bearer((await sign_in(api, address))["access_token"]) for address in addresses]
    root_id = await user_id_of(api, root)
    everyone = [root, *headers]
    targets = [*ids, root_id]  # each admin disables the next one, in a ring
    callers_by_email, targets_by_email = [ROOT, *addresses], [*addresses, ROOT]
    for _ in range(2):  # a second round against whoever is left
        before = await active_admins(api)
        responses = await asyncio.gather(
            *(
                api.client.post(f"{STAFF}/{target}/disable", headers=caller)
                for caller, target in zip(everyone, targets, strict=True)
            )
        )
        remaining = await active_admins(api)
        assert remaining
        # The race decides who goes first, so how many succeed; each answer follows from who was left:
        # 200 when the caller was still active at its turn (its target is disabled, now or before);
        # 409 last_admin when the caller had been disabled and its target was the only admin left;
        # 401 when the caller had been disabled (its session ended) and others were left.
        outcomes = [(r.status_code, r.json().get("code")) for r in responses]
        for caller, target, outcome in zip(callers_by_email, targets_by_email, outcomes, strict=True):
            if outcome == (200, None):
                assert target not in remaining, (caller, target, outcomes)
            elif outcome == (409, "last_admin"):
                assert (caller not in remaining, remaining) == (True, [target]), (caller, target, outcomes)
            else:
                assert (outcome, caller not in remaining) == ((401, "not_authenticated"), True), outcomes
        # Each admin has one attacker: those this round disabled are exactly the active targets of a 200.
        disabled_now = {
            target
            for target, outcome in zip(targets_by_email, outcomes, strict=True)
            if outcome == (200, None) and target in before
        }
        assert disabled_now == set(before) - set(remaining)
    async with api.app.state.runtime.db_config.get_session() as session:
        disabled = await session.scalar(
            select(func.count()).select_from(User).where(User.role == "admin", User.status == "disabled")
        )
    assert disabled == 7 - len(remaining)
    assert len(await audit_events(api, "staff_account_disabled")) == disabled


async def test_a_caller_disabled_after_the_guard_changes_nothing(api: Api) -> None:
    headers = await admin(api)
    second_id = await invite(api, "admin", "second@loyalty.kz")
    hr_id = await invite(api, "hr_admin", "hr-two@loyalty.kz")
    assert (await api.client.post(f"{STAFF}/{second_id}/disable", headers=headers)).status_code == 200
    runtime = api.app.state.runtime
    async with runtime.db_config.get_session() as session:
        ref = await subject_ref_of(api, "second@loyalty.kz")
        service = StaffAccountService(session, runtime, Actor(ref, "admin"), uuid.UUID(second_id))
        with pytest.raises(AppError) as refused:
            await service.disable(uuid.UUID(hr_id))
        assert (refused.value.status_code, refused.value.code) == (401, ErrorCode.NOT_AUTHENTICATED)
        await session.rollback()
    listed = {item["id"]: item["status"] for item in await list_all(api, headers)}
    assert listed[hr_id] == "active"


async def test_disabling_a_partner_admin_ends_their_sessions_and_leaves_the_partner_alone(api: Api) -> None:
    headers = await admin(api)
    partner, partner_headers = await api.partner_with_admin()
    colleague = await api.partner_admin(partner["id"])
    await api.create_offer(partner_headers)
    partner_admin_id = await user_id_of(api, partner_headers)

    response = await api.client.post(f"{STAFF}/{partner_admin_id}/disable", headers=headers)
    assert (response.status_code, response.json()["status"]) == (200, "disabled")
    assert response.json()["partner_id"] == partner["id"]
    assert_problem(
        await api.client.get(f"{API}/partner/offers", headers=partner_headers), 401, "not_authenticated"
    )
    offers = await api.client.get(f"{API}/partner/offers", headers=colleague)
    assert (offers.status_code, len(offers.json()["items"])) == (200, 1)
    after = (await api.client.get(f"{API}/admin/partners/{partner['id']}", headers=headers)).json()
    assert after == partner | {"status": "active"} | {k: after[k] for k in after if k not in partner}


async def test_get_me_answers_every_staff_role(api: Api) -> None:
    _, partner_headers = await api.partner_with_admin()
    for role, headers in (
        ("admin", await admin(api)),
        ("hr_admin", bearer(await api.hr_token())),
        ("partner_admin", partner_headers),
    ):
        response = await api.client.get(f"{API}/me", headers=headers)
        assert response.status_code == 200, f"{role}: {response.text}"
        me = response.json()
        assert me["roles"] == [role]
        assert (me["employee_number"], me["company"], me["restricted"]) == (None, None, False)


async def test_erasing_a_staff_account_leaves_a_pseudonym_and_ends_its_sessions(api: Api) -> None:
    headers = await admin(api)
    partner, partner_headers = await api.partner_with_admin()
    partner_admin_id = await user_id_of(api, partner_headers)
    address = (await api.client.get(f"{API}/me", headers=partner_headers)).json()["email"]
    ref = await subject_ref_of(api, address)

    response = await api.client.delete(f"{STAFF}/{partner_admin_id}", headers=headers)
    assert response.status_code == 202, response.text
    assert response.json() == {"status": "erased", "subject_ref": ref}
    assert_problem(await api.client.get(f"{API}/me", headers=partner_headers), 401, "not_authenticated")
    login = {"email": address, "password": STRONG_PASSWORD}
    assert_problem(await api.client.post(f"{API}/auth/login", json=login), 401, "invalid_credentials")
    assert partner_admin_id not in {item["id"] for item in await list_all(api, headers)}
    for method, path in (("DELETE", ""), ("POST", "/disable"), ("POST", "/enable")):
        gone = await api.client.request(method, f"{STAFF}/{partner_admin_id}{path}", headers=headers)
        assert_problem(gone, 404, "not_found")
    after = (await api.client.get(f"{API}/admin/partners/{partner['id']}", headers=headers)).json()
    assert after["status"] == "active"

    erasures = await audit_events(api, "erasure")
    assert [(e.actor_ref, e.actor_role, e.subject_ref, e.details) for e in erasures] == [
        (await subject_ref_of(api, ROOT), "admin", ref, {"reason": "staff_account_erased"})
    ]


async def test_erasing_a_staff_account_keeps_the_roster_and_leaves_no_trace_of_the_account(api: Api) -> None:
    await api.publish_policy("1")
    employees = [await api.register(), await api.register()]
    unregistered = await api.add_to_roster()
    headers = await admin(api)
    staff_id = await invite(api, "hr_admin", "leaving.hr@loyalty.kz")
    leaving = bearer((await sign_in(api, "leaving.hr@loyalty.kz"))["access_token"])
    assert (await api.client.get(f"{API}/hr/employees", headers=leaving)).status_code == 200

    response = await api.client.delete(f"{STAFF}/{staff_id}", headers=headers)
    assert response.status_code == 202, response.text
    async with api.app.state.runtime.db_config.get_session() as session:
        roster = set(map(str, await session.scalars(select(RosterEntry.id))))
        assert roster == {employees[0].roster_id, employees[1].roster_id, unregistered["id"]}
        assert await scan(session, ("leaving.hr@loyalty.kz",), skip=set()) == []
    for employee in employees:
        assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 200


async def test_disabling_kills_a_pending_invitation_so_enabling_does_not_revive_it(api: Api) -> None:
    """Found in review: an intercepted invitation code outlived a disable and worked again after enable."""
    headers = await admin(api)
    invited_id = await invite(api, "hr_admin", "misdirected@loyalty.kz", set_password=False)
    old_code = await api.mailbox.last_code("misdirected@loyalty.kz")
    assert (await api.client.post(f"{STAFF}/{invited_id}/disable", headers=headers)).status_code == 200
    enabled = await api.client.post(f"{STAFF}/{invited_id}/enable", headers=headers)
    assert enabled.json()["status"] == "invited"
    response = await api.client.post(
        f"{API}/auth/password-reset/confirm",
        json={"email": "misdirected@loyalty.kz", "code": old_code, "new_password": STRONG_PASSWORD},
    )
    assert (response.status_code, response.json()["code"]) == (400, "invalid_code")
