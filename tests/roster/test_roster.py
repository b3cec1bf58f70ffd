"""HR's roster: CRUD, keyset pages, all-or-nothing imports in JSON and CSV, termination and return."""

from __future__ import annotations

from sqlalchemy import func, select

from loyalty.roster.models import RosterEntry
from tests.helpers import API, STRONG_PASSWORD, Api, bearer


async def roster_count(api: Api) -> int:
    async with api.app.state.runtime.db_config.get_session() as session:
        return int(await session.scalar(select(func.count(RosterEntry.id))) or 0)


async def test_create_read_update_and_conflicts(api: Api) -> None:
    hr = bearer(await api.hr_token())
    entry = await api.add_to_roster(email="  Dana.Sarsenova@Group.KZ ", full_name="Dana Sarsenova")
    assert entry["email"] == "dana.sarsenova@group.kz"
    assert entry["status"] == "active"
    assert entry["has_account"] is False
    got = await api.client.get(f"{API}/hr/employees/{entry['id']}", headers=hr)
    assert got.json() == entry

    patched = await api.client.patch(
        f"{API}/hr/employees/{entry['id']}", json={"department": "Legal", "city": "Almaty"}, headers=hr
    )
    assert patched.status_code == 200
    assert (patched.json()["department"], patched.json()["city"]) == ("Legal", "Almaty")

    duplicate = await api.client.post(
        f"{API}/hr/employees",
        json={
            "employee_number": entry["employee_number"],
            "email": "x@group.kz",
            "full_name": "X",
            "company": "C",
        },
        headers=hr,
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "conflict"
    assert (
        await api.client.get(f"{API}/hr/employees/00000000-0000-0000-0000-000000000000", headers=hr)
    ).status_code == 404


async def test_keyset_pages_visit_every_entry_once_while_entries_are_added(api: Api) -> None:
    hr = bearer(await api.hr_token())
    for _ in range(7):
        await api.add_to_roster()
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await api.client.get(f"{API}/hr/employees", params=params, headers=hr)).json()
        seen.extend(item["employee_number"] for item in page["items"])
        if not cursor:
            await api.add_to_roster(employee_number="A00001")  # sorts before every page still to come
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7
    assert seen == sorted(seen)
    filtered = await api.client.get(f"{API}/hr/employees", params={"status": "terminated"}, headers=hr)
    assert filtered.json()["items"] == []
    for bad in ({"limit": 0}, {"limit": 101}, {"cursor": "garbage"}):
        response = await api.client.get(f"{API}/hr/employees", params=bad, headers=hr)
        assert response.status_code == 422, bad


async def test_json_import_upserts_and_counts(api: Api) -> None:
    hr = bearer(await api.hr_token())
    existing = await api.add_to_roster(employee_number="IMP-1", email="imp1@group.kz", full_name="Imp One")
    unchanged = await api.add_to_roster(employee_number="IMP-2", email="imp2@group.kz", full_name="Imp Two")
    rows = [
        {
            "employee_number": "IMP-1",
            "email": "imp1@group.kz",
            "full_name": "Imp One Renamed",
            "company": "Dala Energy",
        },
        {
            key: unchanged[key]
            for key in ("employee_number", "email", "full_name", "company", "department", "city")
        },
        {
            "employee_number": "IMP-3",
            "email": "imp3@group.kz",
            "full_name": "Imp Three",
            "company": "Steppe Telecom",
        },
    ]
    response = await api.client.post(f"{API}/hr/employees/import", json={"employees": rows}, headers=hr)
    assert response.status_code == 200, response.text
    assert response.json() | {"errors": []} == {
        "applied": True,
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "rejected": 0,
        "errors": [],
    }
    renamed = await api.client.get(f"{API}/hr/employees/{existing['id']}", headers=hr)
    assert renamed.json()["full_name"] == "Imp One Renamed"


async def test_csv_import(api: Api) -> None:
    hr = bearer(await api.hr_token())
    csv_text = (
        "employee_number,email,full_name,company,department,city\n"
        "CSV-1,csv1@group.kz,Асель Мұқанова,Dala Energy,Finance,Astana\n"
        "CSV-2,csv2@group.kz,Timur Bekov,Caspian Logistics,,Aktau\n"
    )
    response = await api.client.post(
        f"{API}/hr/employees/import", content=csv_text.encode(), headers=hr | {"Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    page = (await api.client.get(f"{API}/hr/employees", headers=hr)).json()["items"]
    by_number = {item["employee_number"]: item for item in page}
    assert by_number["CSV-1"]["full_name"] == "Асель Мұқанова"
    assert by_number["CSV-2"]["department"] is None


async def test_one_bad_row_rejects_the_whole_file(api: Api) -> None:
    hr = bearer(await api.hr_token())
    await api.add_to_roster(employee_number="OWN-1", email="owner@group.kz")
    before = await roster_count(api)
    rows = [
        {"employee_number": "NEW-1", "email": "new1@group.kz", "full_name": "New One", "company": "C"},
        {"employee_number": "NEW-2", "email": "not-an-email", "full_name": "New Two", "company": "C"},
        {"employee_number": "NEW-3", "full_name": "No Email", "company": "C"},
        {"employee_number": "NEW-1", "email": "new1b@group.kz", "full_name": "Again", "company": "C"},
        {"employee_number": "NEW-4", "email": "owner@group.kz", "full_name": "Taken", "company": "C"},
    ]
    response = await api.client.post(f"{API}/hr/employees/import", json=rows, headers=hr)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "import_rejected"
    assert body["result"]["applied"] is False
    assert body["result"]["rejected"] == 4
    assert [(e["row"], e["field"]) for e in body["result"]["errors"]] == [
        (2, "email"),
        (3, "email"),
        (4, "employee_number"),
        (5, "email"),
    ]
    assert await roster_count(api) == before


async def test_termination_by_import_and_reinstatement(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    hr = bearer(await api.hr_token())
    entry = (await api.client.get(f"{API}/hr/employees/{employee.roster_id}", headers=hr)).json()
    assert entry["has_account"] is True
    row = {
        key: entry[key] for key in ("employee_number", "email", "full_name", "company", "department", "city")
    }
    response = await api.client.post(
        f"{API}/hr/employees/import", json=[row | {"status": "terminated"}], headers=hr
    )
    assert response.json()["updated"] == 1
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 401

    back = await api.client.patch(
        f"{API}/hr/employees/{employee.roster_id}", json={"status": "active"}, headers=hr
    )
    assert back.json()["status"] == "active"
    assert back.json()["terminated_at"] is None
    assert await api.login(employee.email, STRONG_PASSWORD)


async def test_email_correction_follows_to_the_account(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    hr = bearer(await api.hr_token())
    response = await api.client.patch(
        f"{API}/hr/employees/{employee.roster_id}", json={"email": "renamed@group.kz"}, headers=hr
    )
    assert response.status_code == 200
    token = await api.login("renamed@group.kz", STRONG_PASSWORD)
    assert (await api.client.get(f"{API}/me", headers=bearer(token))).json()["email"] == "renamed@group.kz"
