"""HR admins scoped to companies: the roster, data requests and the audit log stop at their companies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from loyalty.audit.models import AuditEvent
from loyalty.companies.models import StaffCompanyScope
from loyalty.identity.models import User
from loyalty.roster.models import RosterEntry
from tests.helpers import API, Api, bearer

DALA = "Dala Energy"
STEPPE = "Steppe Telecom"
CASPIAN = "Caspian Logistics"


def row(number: str, company: str, **extra: Any) -> dict[str, Any]:
    return {
        "employee_number": number,
        "email": f"{number.lower()}@group.kz",
        "full_name": f"Person {number}",
        "company": company,
    } | extra


async def test_invitation_scopes_an_hr_admin_and_rejects_unknown_companies(api: Api) -> None:
    admin = bearer(await api.admin_token())
    await api.company(DALA)
    await api.company(CASPIAN)
    url = f"{API}/admin/users"
    invited = await api.client.post(
        url,
        json={
            "email": "hr.dala@loyalty.kz",
            "full_name": "HR Dala",
            "role": "hr_admin",
            "companies": [CASPIAN, DALA],
        },
        headers=admin,
    )
    assert invited.status_code == 201, invited.text
    body = invited.json()
    assert body["hr_scope"] == {"user_id": body["id"], "group_wide": False, "companies": [CASPIAN, DALA]}
    group = await api.client.post(
        url,
        json={"email": "dpo@loyalty.kz", "full_name": "Privacy Officer", "role": "hr_admin"},
        headers=admin,
    )
    assert group.json()["hr_scope"] == {"user_id": group.json()["id"], "group_wide": True, "companies": []}
    plain = await api.client.post(
        url, json={"email": "ops@loyalty.kz", "full_name": "Ops", "role": "admin"}, headers=admin
    )
    assert plain.json()["hr_scope"] is None

    unknown = await api.client.post(
        url,
        json={
            "email": "hr.x@loyalty.kz",
            "full_name": "HR X",
            "role": "hr_admin",
            "companies": [DALA, "Ghost"],
        },
        headers=admin,
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_company")
    assert unknown.json()["errors"] == [{"field": "companies", "message": "unknown company: Ghost"}]
    for bad in (
        {"email": "a1@loyalty.kz", "full_name": "A", "role": "admin", "companies": [DALA]},
        {"email": "a2@loyalty.kz", "full_name": "A", "role": "hr_admin", "companies": []},
    ):
        response = await api.client.post(url, json=bad, headers=admin)
        assert (response.status_code, response.json()["code"]) == (422, "validation_failed"), bad
    async with api.app.state.runtime.db_config.get_session() as session:
        assert await session.scalar(select(User.id).where(User.email.like("a_@loyalty.kz"))) is None
        assert await session.scalar(select(User.id).where(User.email == "hr.x@loyalty.kz")) is None
        invitations = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "staff_invited").order_by(AuditEvent.seq)
            )
        )
    assert [(e.actor_role, e.details) for e in invitations] == [
        ("admin", {"role": "hr_admin", "group_wide": False, "companies": [CASPIAN, DALA]}),
        ("admin", {"role": "hr_admin", "group_wide": True, "companies": []}),
        ("admin", {"role": "admin"}),
    ]


async def test_admins_change_an_hr_admins_scope(api: Api) -> None:
    admin = bearer(await api.admin_token())
    dala_entry = await api.add_to_roster(company=DALA)
    steppe_entry = await api.add_to_roster(company=STEPPE)
    hr = await api.scoped_hr(DALA)
    me = (await api.client.get(f"{API}/me", headers=hr)).json()
    scope_url = f"{API}/admin/staff/{me['id']}/scope"
    listed = (await api.client.get(f"{API}/hr/employees", headers=hr)).json()["items"]
    assert [e["id"] for e in listed] == [dala_entry["id"]]

    response = await api.client.put(
        scope_url, json={"group_wide": False, "companies": [STEPPE]}, headers=admin
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"user_id": me["id"], "group_wide": False, "companies": [STEPPE]}
    listed = (await api.client.get(f"{API}/hr/employees", headers=hr)).json()["items"]
    assert [e["id"] for e in listed] == [steppe_entry["id"]]

    response = await api.client.put(scope_url, json={"group_wide": True}, headers=admin)
    assert response.json() == {"user_id": me["id"], "group_wide": True, "companies": []}
    listed = (await api.client.get(f"{API}/hr/employees", headers=hr)).json()["items"]
    assert {e["id"] for e in listed} == {dala_entry["id"], steppe_entry["id"]}

    for bad, answer in (
        ({"group_wide": True, "companies": [DALA]}, (422, "validation_failed")),
        ({"group_wide": False, "companies": []}, (422, "validation_failed")),
        ({"group_wide": False}, (422, "validation_failed")),
        ({"companies": [DALA]}, (422, "validation_failed")),
        ({"group_wide": False, "companies": ["Ghost"]}, (422, "unknown_company")),
    ):
        response = await api.client.put(scope_url, json=bad, headers=admin)
        assert (response.status_code, response.json()["code"]) == answer, bad
    admin_me = (await api.client.get(f"{API}/me", headers=admin)).json()
    not_hr = await api.client.put(
        f"{API}/admin/staff/{admin_me['id']}/scope", json={"group_wide": True}, headers=admin
    )
    assert (not_hr.status_code, not_hr.json()["code"]) == (409, "conflict")
    nobody = await api.client.put(
        f"{API}/admin/staff/00000000-0000-0000-0000-000000000000/scope",
        json={"group_wide": True},
        headers=admin,
    )
    assert (nobody.status_code, nobody.json()["code"]) == (404, "not_found")

    async with api.app.state.runtime.db_config.get_session() as session:
        subject = await session.scalar(select(User.subject_ref).where(User.id == me["id"]))
        changes = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "hr_scope_changed").order_by(AuditEvent.seq)
            )
        )
    assert [(e.subject_ref, e.actor_role, e.details) for e in changes] == [
        (
            subject,
            "admin",
            {"group_wide": False, "companies": [STEPPE], "was_group_wide": False, "was_companies": [DALA]},
        ),
        (
            subject,
            "admin",
            {"group_wide": True, "companies": [], "was_group_wide": False, "was_companies": [STEPPE]},
        ),
    ]


async def test_a_scoped_hr_admin_works_only_on_their_companies_roster(api: Api) -> None:
    mine = await api.add_to_roster(company=DALA, city="Atyrau")
    theirs = await api.add_to_roster(company=STEPPE, city="Atyrau")
    hr = await api.scoped_hr(DALA)
    url = f"{API}/hr/employees"

    listed = (await api.client.get(url, headers=hr)).json()
    assert [e["id"] for e in listed["items"]] == [mine["id"]]
    by_company = (await api.client.get(url, params={"company": STEPPE}, headers=hr)).json()
    assert by_company["items"] == []
    for method, path, body in (
        ("GET", f"{url}/{theirs['id']}", None),
        ("PATCH", f"{url}/{theirs['id']}", {"department": "Legal"}),
        ("POST", f"{url}/{theirs['id']}/terminate", None),
    ):
        response = await api.client.request(method, path, json=body, headers=hr)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), (method, path)

    for body in (row("S-1", STEPPE), row("S-2", "Brand New LLP")):
        created = await api.client.post(url, json=body, headers=hr)
        assert (created.status_code, created.json()["code"]) == (403, "company_out_of_scope")
    moved = await api.client.patch(f"{url}/{mine['id']}", json={"company": STEPPE}, headers=hr)
    assert (moved.status_code, moved.json()["code"]) == (403, "company_out_of_scope")
    ok = await api.client.post(url, json=row("D-1", DALA), headers=hr)
    assert ok.status_code == 201
    assert (
        await api.client.patch(f"{url}/{mine['id']}", json={"city": "Aktau"}, headers=hr)
    ).status_code == 200

    hr_all = bearer(await api.hr_token())
    untouched = (await api.client.get(f"{url}/{theirs['id']}", headers=hr_all)).json()
    assert untouched == theirs
    async with api.app.state.runtime.db_config.get_session() as session:
        companies = set(await session.scalars(select(RosterEntry.company)))
    assert companies == {DALA, STEPPE}


async def test_a_scoped_import_rejects_rows_outside_the_scope(api: Api) -> None:
    theirs = await api.add_to_roster(company=STEPPE, employee_number="ST-1", email="st1@group.kz")
    await api.add_to_roster(company=STEPPE, employee_number="ST-2", email="st2@group.kz")
    await api.company(CASPIAN)
    hr = await api.scoped_hr(DALA)
    rows = [
        row("IM-1", DALA),
        row("IM-2", STEPPE),
        row("IM-3", "Unheard Of LLP"),
        row("ST-1", DALA, email="st1@group.kz"),  # moving another company's employee into mine
        row("IM-5", DALA, email="st2@group.kz"),
        row("IM-6", CASPIAN),
    ]
    response = await api.client.post(f"{API}/hr/employees/import", json=rows, headers=hr)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == "import_rejected"
    assert [(e["row"], e["field"], e["message"]) for e in body["result"]["errors"]] == [
        (2, "company", "outside your companies"),
        (3, "company", "unknown company"),
        (4, "company", "this employee number belongs to a company outside your scope"),
        (5, "email", "belongs to another roster entry"),
        (6, "company", "outside your companies"),
    ]
    assert body["result"]["rejected"] == 5
    hr_all = bearer(await api.hr_token())
    # Nothing was imported, but the attempt (whose answer said which numbers and emails exist) is on record.
    attempts = await api.client.get(
        f"{API}/hr/audit-log", params={"action": "roster_import_rejected"}, headers=hr_all
    )
    assert [(e["actor_role"], e["details"]) for e in attempts.json()["items"]] == [
        ("hr_admin", {"rows": 6, "rejected": 5, "errors_by_field": {"company": 4, "email": 1}})
    ]
    assert (await api.client.get(f"{API}/hr/employees/{theirs['id']}", headers=hr_all)).json() == theirs

    fine = await api.client.post(f"{API}/hr/employees/import", json=[row("IM-1", DALA)], headers=hr)
    assert fine.status_code == 200, fine.text
    assert fine.json()["created"] == 1


async def test_a_group_wide_import_creates_the_companies_it_names(api: Api) -> None:
    hr = bearer(await api.hr_token())
    rows = [row("GW-1", "Fresh Company"), row("GW-2", "Fresh Company"), row("GW-3", DALA)]
    response = await api.client.post(f"{API}/hr/employees/import", json=rows, headers=hr)
    assert response.status_code == 200, response.text
    listed = await api.client.get(
        f"{API}/admin/companies", params={"limit": 100}, headers=bearer(await api.admin_token())
    )
    assert [c["name"] for c in listed.json()["items"]] == [DALA, "Fresh Company"]
    async with api.app.state.runtime.db_config.get_session() as session:
        [imported] = await session.scalars(select(AuditEvent).where(AuditEvent.action == "roster_imported"))
    assert imported.details == {
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "companies_created": [DALA, "Fresh Company"],
    }
    assert imported.actor_role == "hr_admin"


async def test_a_scope_without_companies_admits_nothing(api: Api) -> None:
    await api.add_to_roster(company=DALA)
    hr = await api.scoped_hr(DALA)
    async with api.app.state.runtime.db_config.get_session() as session:
        await session.execute(delete(StaffCompanyScope))
        await session.commit()
    assert (await api.client.get(f"{API}/hr/employees", headers=hr)).json()["items"] == []
    created = await api.client.post(f"{API}/hr/employees", json=row("N-1", DALA), headers=hr)
    assert (created.status_code, created.json()["code"]) == (403, "company_out_of_scope")
    assert (await api.client.get(f"{API}/hr/audit-log", headers=hr)).json()["items"] == []
    assert (await api.client.get(f"{API}/hr/data-requests", headers=hr)).json()["items"] == []


async def test_data_requests_and_the_audit_log_stop_at_the_scope(api: Api) -> None:
    await api.publish_policy()
    mine = await api.register(company=DALA)
    theirs = await api.register(company=STEPPE)
    requests = {}
    for who in (mine, theirs):
        response = await api.client.post(
            f"{API}/me/data-requests", json={"kind": "access", "details": "all"}, headers=who.headers
        )
        requests[who.email] = response.json()
    unregistered = await api.add_to_roster(company=STEPPE)
    hr_all = bearer(await api.hr_token())
    await api.client.get(f"{API}/hr/employees/{unregistered['id']}", headers=hr_all)
    hr = await api.scoped_hr(DALA)

    queue = (await api.client.get(f"{API}/hr/data-requests", headers=hr)).json()["items"]
    assert [r["id"] for r in queue] == [requests[mine.email]["id"]]
    other = requests[theirs.email]["id"]
    for method, path, body in (
        ("GET", f"{API}/hr/data-requests/{other}/export", None),
        ("POST", f"{API}/hr/data-requests/{other}/complete", {"note": "x"}),
        ("POST", f"{API}/hr/data-requests/{other}/reject", {"reason": "no"}),
    ):
        response = await api.client.request(method, path, json=body, headers=hr)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), path
    export = await api.client.get(f"{API}/hr/data-requests/{requests[mine.email]['id']}/export", headers=hr)
    assert export.status_code == 200
    all_queue = (await api.client.get(f"{API}/hr/data-requests", headers=hr_all)).json()["items"]
    assert [r["status"] for r in all_queue] == ["open", "open"]

    async with api.app.state.runtime.db_config.get_session() as session:
        refs = dict((await session.execute(select(User.email, User.subject_ref))).all())
    log = (await api.client.get(f"{API}/hr/audit-log", params={"limit": 100}, headers=hr)).json()["items"]
    assert {e["subject_ref"] for e in log} == {refs[mine.email], f"roster:{mine.roster_id}"}
    for params in ({"employee_id": theirs.roster_id}, {"employee_id": unregistered["id"]}):
        scoped = await api.client.get(f"{API}/hr/audit-log", params=params, headers=hr)
        assert scoped.json()["items"] == []
        assert (await api.client.get(f"{API}/hr/audit-log", params=params, headers=hr_all)).json()["items"]
    everything = (await api.client.get(f"{API}/hr/audit-log", params={"limit": 100}, headers=hr_all)).json()
    assert {refs[theirs.email], f"roster:{unregistered['id']}", None} <= {
        e["subject_ref"] for e in everything["items"]
    }


async def test_roster_reads_are_audited_once_per_list_and_once_per_entry(api: Api) -> None:
    entries = [await api.add_to_roster(company=DALA, city="Aktau") for _ in range(3)]
    hr = bearer(await api.hr_token())
    first = await api.client.get(
        f"{API}/hr/employees", params={"company": DALA, "city": "Aktau", "limit": 2}, headers=hr
    )
    await api.client.get(
        f"{API}/hr/employees", params={"cursor": first.json()["next_cursor"], "limit": 2}, headers=hr
    )
    await api.client.get(f"{API}/hr/employees/{entries[0]['id']}", headers=hr)
    async with api.app.state.runtime.db_config.get_session() as session:
        listed = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "roster_listed").order_by(AuditEvent.seq)
            )
        )
        read = list(await session.scalars(select(AuditEvent).where(AuditEvent.action == "roster_entry_read")))
    assert [(e.subject_ref, e.actor_role, e.details) for e in listed] == [
        (
            None,
            "hr_admin",
            {"status": None, "company": DALA, "city": "Aktau", "limit": 2, "continued": False, "returned": 2},
        ),
        (
            None,
            "hr_admin",
            {"status": None, "company": None, "city": None, "limit": 2, "continued": True, "returned": 1},
        ),
    ]
    assert [e.subject_ref for e in read] == [f"roster:{entries[0]['id']}"]


async def test_a_scoped_hr_admin_files_and_works_requests_of_people_without_accounts_in_scope(
    api: Api,
) -> None:
    """Requests HR files for someone on the roster who never had an account are in scope through the
    roster entry; someone of another company is not found."""
    await api.publish_policy()
    left_mine = await api.add_to_roster(company=DALA)
    left_theirs = await api.add_to_roster(company=STEPPE)
    hr = await api.scoped_hr(DALA)
    body = {"kind": "access", "channel": "paper", "identity_verification": "ID card checked at the desk"}

    filed = await api.client.post(
        f"{API}/hr/data-requests", json=body | {"roster_entry_id": left_mine["id"]}, headers=hr
    )
    assert filed.status_code == 201, filed.text
    assert (filed.json()["channel"], filed.json()["roster_entry_id"]) == ("paper", left_mine["id"])
    refused = await api.client.post(
        f"{API}/hr/data-requests", json=body | {"roster_entry_id": left_theirs["id"]}, headers=hr
    )
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")

    queue = (await api.client.get(f"{API}/hr/data-requests", headers=hr)).json()["items"]
    assert [r["id"] for r in queue] == [filed.json()["id"]]
    export = await api.client.get(f"{API}/hr/data-requests/{filed.json()['id']}/export", headers=hr)
    assert export.status_code == 200
    assert export.json()["roster_entry"]["email"] == left_mine["email"]
    assert export.json()["profile"] is None
