"""Admins' announcements: a preview of the audience, sending (recorded, audited, fanned out by a job in
batches), and the list of past ones; the audience is exactly the employed employees with an account in
scope, and a fan-out run twice tells nobody twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import text

from loyalty.flows import announcements
from loyalty.flows.announcements import fan_out
from tests.helpers import API, STRONG_PASSWORD, Api, bearer

URL = f"{API}/admin/announcements"
MESSAGE = {
    "title": {"kk": "Жаңалық", "ru": "Новость", "en": "News"},
    "body": {"kk": "Ертең кеңсе жабық.", "ru": "Завтра офис закрыт.", "en": "The office is closed tomorrow."},
}


async def rows(api: Api, sql: str, **params: Any) -> list[Any]:
    async with api.app.state.runtime.db_config.get_session() as session:
        return list(await session.execute(text(sql), params))


async def told(api: Api) -> list[str]:
    found = await rows(
        api,
        "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE n.topic = 'announcements' ORDER BY u.email",
    )
    return [row.email for row in found]


async def people(api: Api) -> dict[str, Any]:
    await api.publish_policy("1")
    astana = await api.register()
    almaty = await api.register(city="Almaty")
    mining = await api.register(company="Dala Mining", city="Almaty")
    leaver = await api.register(city="Almaty")
    erased = await api.register(city="Almaty")
    await api.add_to_roster(city="Almaty")  # no account
    hr = bearer(await api.hr_token())
    assert (await api.client.post(f"{API}/hr/employees/{leaver.roster_id}/terminate", headers=hr)).is_success
    gone = await api.client.request(
        "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=erased.headers
    )
    assert gone.status_code == 202, gone.text
    await api.partner_with_admin()
    return {"astana": astana, "almaty": almaty, "mining": mining, "company": await api.company("Dala Mining")}


async def preview(api: Api, scope: dict[str, Any]) -> Any:
    return await api.client.post(
        f"{URL}/preview", json={"scope": scope}, headers=bearer(await api.admin_token())
    )


async def test_preview_counts_employed_employees_with_an_account_in_scope(api: Api) -> None:
    them = await people(api)
    cases = [
        ({"everyone": True}, 3),
        ({"cities": ["Almaty"]}, 2),
        ({"company_ids": [them["company"]["id"]]}, 1),
        ({"company_ids": [them["company"]["id"]], "cities": ["Astana"]}, 2),
        ({"cities": ["Nowhere"]}, 0),
    ]
    for scope, expected in cases:
        response = await preview(api, scope)
        assert response.status_code == 200, response.text
        assert response.json() == {"audience": expected}, scope


@pytest.mark.parametrize(
    "scope",
    [{}, {"everyone": False}, {"everyone": True, "cities": ["Almaty"]}, {"company_ids": [str(UUID(int=7))]}],
)
async def test_a_scope_must_name_someone_that_exists(api: Api, scope: dict[str, Any]) -> None:
    response = await preview(api, scope)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "validation_failed"


async def test_sending_records_audits_and_fans_out_to_the_scope_only(api: Api) -> None:
    them = await people(api)
    admin = bearer(await api.admin_token())
    response = await api.client.post(URL, json=MESSAGE | {"scope": {"cities": ["Almaty"]}}, headers=admin)
    assert response.status_code == 201, response.text
    sent = response.json()
    assert (sent["audience"], sent["sent_count"], sent["finished_at"]) == (2, 0, None)
    assert await told(api) == []  # the request only enqueued the fan-out
    audit = await rows(api, "SELECT details FROM audit_events WHERE action = 'announcement_sent'")
    assert [row.details["announcement_id"] for row in audit] == [sent["id"]]

    await api.drain_jobs()
    assert await told(api) == sorted([them["almaty"].email, them["mining"].email])
    inbox = await api.client.get(
        f"{API}/me/notifications", params={"lang": "en"}, headers=them["mining"].headers
    )
    [item] = inbox.json()["items"]
    assert (item["topic"], item["title"], item["body"]) == ("announcements", "News", MESSAGE["body"]["en"])

    listed = await api.client.get(URL, headers=admin)
    assert listed.status_code == 200, listed.text
    [past] = listed.json()["items"]
    assert (past["id"], past["sent_count"], past["scope"]["cities"]) == (sent["id"], 2, ["Almaty"])
    assert past["finished_at"] is not None


async def test_the_fan_out_goes_in_batches_and_never_tells_anyone_twice(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    them = await people(api)
    monkeypatch.setattr(announcements, "BATCH", 2)
    admin = bearer(await api.admin_token())
    response = await api.client.post(URL, json=MESSAGE | {"scope": {"everyone": True}}, headers=admin)
    announcement_id = UUID(response.json()["id"])
    runtime = api.app.state.runtime
    await fan_out(runtime, announcement_id)
    await fan_out(runtime, announcement_id)  # a second run (or another worker) finds nothing left to do
    await api.drain_jobs()  # and the queued job too
    assert await told(api) == sorted(e.email for k, e in them.items() if k != "company")
    [row] = await rows(api, "SELECT sent_count, finished_at FROM announcements")
    assert row.sent_count == 3
    assert row.finished_at is not None


async def test_list_pages_newest_first(api: Api) -> None:
    await api.publish_policy("1")
    admin = bearer(await api.admin_token())
    ids = []
    for _ in range(3):
        response = await api.client.post(URL, json=MESSAGE | {"scope": {"everyone": True}}, headers=admin)
        ids.append(response.json()["id"])
        api.clock.advance(timedelta(seconds=1))
    first = await api.client.get(URL, params={"limit": 2}, headers=admin)
    second = await api.client.get(
        URL, params={"limit": 2, "cursor": first.json()["next_cursor"]}, headers=admin
    )
    assert [a["id"] for a in first.json()["items"] + second.json()["items"]] == ids[::-1]
    assert second.json()["next_cursor"] is None
