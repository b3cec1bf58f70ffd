"""HR moving an account's sign-in email warns the old address and ends every session of the account:
otherwise whoever controls the new address could take the account over through a password reset unseen."""

from __future__ import annotations

from email.header import decode_header, make_header

from sqlalchemy import select

from loyalty.audit.models import AuditEvent
from tests.helpers import API, STRONG_PASSWORD, Api, Employee, bearer


async def subjects(api: Api, address: str) -> list[str]:
    return [str(make_header(decode_header(m["Subject"]))) for m in await api.mailbox.messages(address)]


async def signed_out(api: Api, employee: Employee) -> bool:
    me = await api.client.get(f"{API}/me", headers=employee.headers)
    refreshed = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": employee.refresh_token})
    return (me.status_code, refreshed.status_code) == (401, 401)


async def test_hr_changing_the_email_warns_the_old_address_in_its_language_and_ends_sessions(
    api: Api,
) -> None:
    await api.publish_policy()
    employee = await api.register()
    assert (
        await api.client.patch(f"{API}/me", json={"language": "kk"}, headers=employee.headers)
    ).status_code == 200
    hr = bearer(await api.hr_token())
    response = await api.client.patch(
        f"{API}/hr/employees/{employee.roster_id}", json={"email": "Taken.Over@group.kz"}, headers=hr
    )
    assert response.status_code == 200, response.text
    assert (await subjects(api, employee.email))[-1] == "loyalty жүйесіне кіру поштасы өзгертілді"
    assert (await subjects(api, "taken.over@group.kz")) == []
    assert await signed_out(api, employee)
    assert await api.login("taken.over@group.kz", STRONG_PASSWORD)

    # A correction that leaves the email as it is tells nobody and keeps the sessions.
    fresh = await api.login("taken.over@group.kz", STRONG_PASSWORD)
    same = await api.client.patch(
        f"{API}/hr/employees/{employee.roster_id}",
        json={"email": "taken.over@group.kz", "department": "Legal"},
        headers=hr,
    )
    assert same.status_code == 200
    assert (await subjects(api, "taken.over@group.kz")) == []
    assert (await api.client.get(f"{API}/me", headers=bearer(fresh))).status_code == 200


async def test_an_import_that_moves_emails_warns_every_old_address(api: Api) -> None:
    await api.publish_policy()
    first = await api.register()
    second = await api.register()
    assert (
        await api.client.patch(f"{API}/me", json={"language": "en"}, headers=first.headers)
    ).status_code == 200
    without_account = await api.add_to_roster()
    hr = bearer(await api.hr_token())
    rows = []
    for number, new_email in (
        (first.employee_number, second.email),  # the two swap addresses within one file
        (second.employee_number, first.email),
        (without_account["employee_number"], "nobody.new@group.kz"),
    ):
        entry = (await api.client.get(f"{API}/hr/employees", params={"limit": 100}, headers=hr)).json()[
            "items"
        ]
        [current] = [e for e in entry if e["employee_number"] == number]
        rows.append(
            {k: current[k] for k in ("employee_number", "full_name", "company", "department", "city")}
            | {"email": new_email}
        )
    response = await api.client.post(f"{API}/hr/employees/import", json=rows, headers=hr)
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == 3
    assert (await subjects(api, first.email))[-1] == "Your loyalty sign-in email was changed"
    assert (await subjects(api, second.email))[-1] == "Почта для входа в loyalty изменена"
    assert (await subjects(api, without_account["email"])) == []
    assert (await subjects(api, "nobody.new@group.kz")) == []
    assert await signed_out(api, first)
    assert await signed_out(api, second)
    async with api.app.state.runtime.db_config.get_session() as session:
        reasons = set(
            await session.scalars(
                select(AuditEvent.details["created"]).where(AuditEvent.action == "roster_imported")
            )
        )
    assert reasons == {0}
