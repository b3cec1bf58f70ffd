"""Companies as an entity admins manage; offers and the roster name them, and follow a rename."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, update

from loyalty.audit.models import AuditEvent
from loyalty.catalog.models import Offer
from loyalty.companies.models import Company
from loyalty.companies.services import lock_companies, require_companies
from loyalty.roster.models import RosterEntry
from tests.helpers import API, Api, bearer


async def events(api: Api, action: str) -> list[AuditEvent]:
    async with api.app.state.runtime.db_config.get_session() as session:
        return list(await session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


async def test_admins_create_list_and_rename_companies(api: Api) -> None:
    admin = bearer(await api.admin_token())
    url = f"{API}/admin/companies"
    made = []
    for name in ("Steppe Telecom", "Altyn Finance", "Dala Energy"):
        response = await api.client.post(url, json={"name": f"  {name} "}, headers=admin)
        assert response.status_code == 201, response.text
        made.append(response.json())
    assert made[0]["name"] == "Steppe Telecom"
    assert set(made[0]) == {"id", "name", "created_at", "updated_at"}
    first = (await api.client.get(url, params={"limit": 2}, headers=admin)).json()
    assert [c["name"] for c in first["items"]] == ["Altyn Finance", "Dala Energy"]
    rest = (await api.client.get(url, params={"cursor": first["next_cursor"]}, headers=admin)).json()
    assert ([c["name"] for c in rest["items"]], rest["next_cursor"]) == (["Steppe Telecom"], None)

    duplicate = await api.client.post(url, json={"name": "Dala Energy"}, headers=admin)
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "conflict")
    taken = await api.client.patch(f"{url}/{made[0]['id']}", json={"name": "Dala Energy"}, headers=admin)
    assert (taken.status_code, taken.json()["code"]) == (409, "conflict")
    missing = await api.client.patch(
        f"{url}/00000000-0000-0000-0000-000000000000", json={"name": "X"}, headers=admin
    )
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    for bad in ({}, {"name": ""}, {"name": "   "}, {"name": "x" * 201}, {"name": "A", "extra": 1}):
        response = await api.client.post(url, json=bad, headers=admin)
        assert (response.status_code, response.json()["code"]) == (422, "validation_failed"), bad

    renamed = await api.client.patch(f"{url}/{made[0]['id']}", json={"name": "Steppe Mobile"}, headers=admin)
    assert renamed.status_code == 200
    assert (renamed.json()["id"], renamed.json()["name"]) == (made[0]["id"], "Steppe Mobile")

    created = await events(api, "company_created")
    assert sorted(e.details["name"] for e in created) == ["Altyn Finance", "Dala Energy", "Steppe Telecom"]
    assert {e.actor_role for e in created} == {"admin"}
    [rename] = await events(api, "company_renamed")
    assert rename.details | {"offers": 0} == {
        "company_id": made[0]["id"],
        "old_name": "Steppe Telecom",
        "new_name": "Steppe Mobile",
        "offers": 0,
    }


async def test_a_rename_reaches_the_roster_and_offers_eligibility_in_one_step(api: Api) -> None:
    await api.publish_policy()
    _, headers = await api.partner_with_admin()
    employee = await api.register(company="Steppe Telecom")
    other = await api.create_offer(headers, eligibility={"companies": ["Dala Energy", "Steppe Telecom"]})
    company = await api.company("Steppe Telecom")

    response = await api.client.patch(
        f"{API}/admin/companies/{company['id']}",
        json={"name": "Steppe Mobile"},
        headers=bearer(await api.admin_token()),
    )
    assert response.status_code == 200, response.text
    hr = bearer(await api.hr_token())
    entry = (await api.client.get(f"{API}/hr/employees/{employee.roster_id}", headers=hr)).json()
    assert entry["company"] == "Steppe Mobile"
    offer = (await api.client.get(f"{API}/partner/offers/{other['id']}", headers=headers)).json()
    assert offer["eligibility"]["companies"] == ["Dala Energy", "Steppe Mobile"]
    me = (await api.client.get(f"{API}/me", headers=employee.headers)).json()
    assert me["company"] == "Steppe Mobile"
    # The employee still sees the offer meant for their (renamed) company.
    seen = await api.client.get(f"{API}/offers/{other['id']}", headers=employee.headers)
    assert seen.status_code == 200
    [rename] = await events(api, "company_renamed")
    assert rename.details["offers"] == 1


async def test_offers_name_only_companies_that_exist(api: Api) -> None:
    _, headers = await api.partner_with_admin()
    await api.category("food")
    body = api.offer_body(eligibility={"companies": ["Dala Energy", "Nowhere LLP", "Ghost Co"]})
    await api.company("Dala Energy")
    response = await api.client.post(f"{API}/partner/offers", json=body, headers=headers)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "unknown_company"
    assert problem["errors"] == [
        {"field": "eligibility.companies", "message": "unknown company: Ghost Co"},
        {"field": "eligibility.companies", "message": "unknown company: Nowhere LLP"},
    ]
    offer = await api.create_offer(headers, eligibility={"companies": ["Dala Energy"]})
    patched = await api.client.patch(
        f"{API}/partner/offers/{offer['id']}",
        json={"eligibility": {"companies": ["Ghost Co"]}},
        headers=headers,
    )
    assert (patched.status_code, patched.json()["code"]) == (422, "unknown_company")
    kept = (await api.client.get(f"{API}/partner/offers/{offer['id']}", headers=headers)).json()
    assert kept["eligibility"]["companies"] == ["Dala Energy"]


async def test_offers_written_during_a_rename_never_keep_the_old_name(api: Api) -> None:
    """Each offer write either lands before the rename (and is rewritten by it) or after it (and is told
    the old name is unknown): no offer is left naming a company that no longer exists."""
    _, headers = await api.partner_with_admin()
    await api.category("food")
    company = await api.company("Old Name")
    body = api.offer_body(eligibility={"companies": ["Old Name"]})

    async def write() -> tuple[int, str | None]:
        response = await api.client.post(f"{API}/partner/offers", json=body, headers=headers)
        return response.status_code, response.json()["code"] if response.status_code >= 400 else None

    async def rename() -> int:
        await asyncio.sleep(0.05)
        response = await api.client.patch(
            f"{API}/admin/companies/{company['id']}",
            json={"name": "New Name"},
            headers=bearer(await api.admin_token()),
        )
        return response.status_code

    *writes, renamed = await asyncio.gather(*(write() for _ in range(20)), rename())
    assert renamed == 200
    async with api.app.state.runtime.db_config.get_session() as session:
        names = list(await session.scalars(select(func.unnest(Offer.eligible_companies))))
        assert await session.scalar(select(func.count(Company.id)).where(Company.name == "Old Name")) == 0
    assert set(names) == {"New Name"}
    # Where the rename fell among the writes is the race's; every write on either side of it is one of
    # these two, and each one created is now an offer naming the new name.
    assert Counter(writes) == Counter({(201, None): len(names), (422, "unknown_company"): 20 - len(names)})


async def test_a_rename_waits_for_an_offer_write_that_checked_the_old_name(api: Api) -> None:
    """The writer's check locks the company: the rename waits for its commit, then rewrites its array."""
    _, headers = await api.partner_with_admin()
    offer = await api.create_offer(headers)
    company = await api.company("Old Name")
    async with api.app.state.runtime.db_config.get_session() as writer:
        assert await require_companies(writer, ["Old Name"], "eligibility.companies") == {
            "Old Name": UUID(company["id"])
        }
        rename = asyncio.create_task(
            api.client.patch(
                f"{API}/admin/companies/{company['id']}",
                json={"name": "New Name"},
                headers=bearer(await api.admin_token()),
            )
        )
        await asyncio.sleep(0.5)
        assert not rename.done()
        await writer.execute(
            update(Offer).where(Offer.id == UUID(offer["id"])).values(eligible_companies=["Old Name"])
        )
        await writer.commit()
    assert (await rename).status_code == 200
    got = (await api.client.get(f"{API}/partner/offers/{offer['id']}", headers=headers)).json()
    assert got["eligibility"]["companies"] == ["New Name"]
    # And a writer that comes after the rename is told the old name is gone.
    async with api.app.state.runtime.db_config.get_session() as late:
        assert await lock_companies(late, ["Old Name"]) == {}


async def test_simultaneous_creations_of_one_company_make_it_once(api: Api) -> None:
    admin = bearer(await api.admin_token())
    hr = bearer(await api.hr_token())

    async def by_admin() -> int:
        response = await api.client.post(f"{API}/admin/companies", json={"name": "Altyn Bank"}, headers=admin)
        return response.status_code

    async def by_hr(serial: int) -> int:
        body: dict[str, Any] = {
            "employee_number": f"QR-{serial}",
            "email": f"qr{serial}@group.kz",
            "full_name": f"Retail {serial}",
            "company": "Qazaq Retail",
        }
        response = await api.client.post(f"{API}/hr/employees", json=body, headers=hr)
        return response.status_code

    assert sorted(await asyncio.gather(*(by_admin() for _ in range(8)))) == [201] + [409] * 7
    # Group-wide HR naming a new company creates it; at once, ten entries make it exactly once.
    assert await asyncio.gather(*(by_hr(n) for n in range(10))) == [201] * 10
    async with api.app.state.runtime.db_config.get_session() as session:
        counts = dict(
            (
                await session.execute(
                    select(Company.name, func.count(Company.id))
                    .where(Company.name.in_(["Altyn Bank", "Qazaq Retail"]))
                    .group_by(Company.name)
                )
            ).all()
        )
        assert counts == {"Altyn Bank": 1, "Qazaq Retail": 1}
        entries = select(func.count(RosterEntry.id)).where(RosterEntry.company == "Qazaq Retail")
        assert await session.scalar(entries) == 10
    made_by_hr = [e for e in await events(api, "company_created") if e.actor_role == "hr_admin"]
    assert [e.details for e in made_by_hr] == [{"name": "Qazaq Retail", "source": "roster"}]
