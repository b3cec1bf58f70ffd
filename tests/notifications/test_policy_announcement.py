"""Publishing a policy version that takes effect later tells exactly the people it will affect, with what
changed in their language; ``GET /policies/upcoming`` shows it until it takes effect."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text

from tests.helpers import API, STRONG_PASSWORD, Api, bearer, policy_body

SUMMARY = {
    "kk": "Аналитика мақсаты қосылды.",
    "ru": "Добавлена цель «аналитика».",
    "en": "An analytics purpose was added.",
}


async def rows(api: Api, sql: str, **params: Any) -> list[Any]:
    async with api.app.state.runtime.db_config.get_session() as session:
        return list(await session.execute(text(sql), params))


async def told(api: Api, topic: str = "policy_changes") -> set[str]:
    found = await rows(
        api,
        "SELECT u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.topic = :t",
        t=topic,
    )
    return {row.email for row in found}


async def create_version(api: Api, version: str, effective_in: timedelta, **extra: Any) -> None:
    body = policy_body(version, (api.clock.now() + effective_in).isoformat()) | extra
    response = await api.client.post(
        f"{API}/admin/policies", json=body, headers=bearer(await api.admin_token())
    )
    assert response.status_code == 201, response.text


async def publish(api: Api, version: str) -> dict[str, Any]:
    response = await api.client.post(
        f"{API}/admin/policies/{version}/publish", headers=bearer(await api.admin_token())
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_scheduled_version_is_announced_to_exactly_the_employees_it_affects(api: Api) -> None:
    await api.publish_policy("1")
    stays, leaves, erased = await api.register(), await api.register(), await api.register()
    other_company = await api.register(company="Dala Mining", city="Almaty")
    await api.add_to_roster()  # on the roster, never registered: no account to tell
    hr = bearer(await api.hr_token())
    _, partner = await api.partner_with_admin()
    assert partner
    terminated = await api.client.post(f"{API}/hr/employees/{leaves.roster_id}/terminate", headers=hr)
    assert terminated.status_code == 200, terminated.text
    gone = await api.client.request(
        "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=erased.headers
    )
    assert gone.status_code == 202, gone.text
    assert not await rows(api, "SELECT 1 FROM users WHERE email = :e", e=erased.email)

    await create_version(api, "2", timedelta(days=14), summary=SUMMARY)
    published = await publish(api, "2")

    assert await told(api) == {stays.email, other_company.email}
    assert published["announced_to"] == 2
    assert published["summary"] == SUMMARY
    # Told through the topic's channels, in the same transaction as the publication (outbox); push only
    # reaches people with a registered device, and none registered one here.
    channels = await rows(
        api,
        "SELECT d.channel FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id"
        " WHERE n.topic = 'policy_changes'",
    )
    assert {row.channel for row in channels} == {"inbox", "email"}

    inbox = await api.client.get(f"{API}/me/notifications", params={"lang": "en"}, headers=stays.headers)
    assert inbox.status_code == 200, inbox.text
    [item] = inbox.json()["items"]
    assert item["topic"] == "policy_changes"
    assert SUMMARY["en"] in item["body"]
    assert "version 2" in item["body"].lower() or "Version 2" in item["body"]
    kk = await api.client.get(f"{API}/me/notifications", params={"lang": "kk"}, headers=stays.headers)
    assert SUMMARY["kk"] in kk.json()["items"][0]["body"]


async def test_people_who_consented_to_an_earlier_version_are_told_of_each_later_one(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    await create_version(api, "2", timedelta(days=7), summary=SUMMARY)
    await create_version(api, "3", timedelta(days=30), summary=SUMMARY)
    assert (await publish(api, "2"))["announced_to"] == 1
    assert (await publish(api, "3"))["announced_to"] == 1
    found = await rows(
        api,
        "SELECT n.params->>'version' AS version FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE u.email = :e AND n.topic = 'policy_changes' ORDER BY 1",
        e=employee.email,
    )
    assert [row.version for row in found] == ["2", "3"]


async def test_a_version_that_takes_effect_at_once_is_not_announced(api: Api) -> None:
    await api.publish_policy("1", effective_in=timedelta(days=-10))
    await api.register()
    await create_version(api, "2", timedelta(days=-1))
    assert (await publish(api, "2"))["announced_to"] is None
    assert await told(api) == set()


async def test_a_failed_publication_announces_nothing(api: Api) -> None:
    await api.publish_policy("1")
    await api.register()
    await create_version(api, "2", timedelta(days=7), summary=SUMMARY)
    await publish(api, "2")
    before = await told(api)
    again = await api.client.post(f"{API}/admin/policies/2/publish", headers=bearer(await api.admin_token()))
    assert again.status_code == 409
    assert len(await rows(api, "SELECT 1 FROM notifications WHERE topic = 'policy_changes'")) == len(before)


async def test_upcoming_shows_the_scheduled_version_until_it_takes_effect(api: Api) -> None:
    await api.publish_policy("1")
    none = await api.client.get(f"{API}/policies/upcoming")
    assert none.status_code == 404
    assert none.headers["content-type"].startswith("application/problem+json")
    assert none.json()["code"] == "policy_not_found"

    await create_version(api, "2", timedelta(days=14), summary=SUMMARY)
    draft = await api.client.get(f"{API}/policies/upcoming")
    assert draft.status_code == 404  # a draft is nobody's business yet
    await publish(api, "2")

    upcoming = await api.client.get(f"{API}/policies/upcoming", params={"lang": "kk"})
    assert upcoming.status_code == 200, upcoming.text
    body = upcoming.json()
    assert body["version"] == "2"
    assert body["language"] == "kk"
    assert body["text"] == "Құпиялылық саясаты 2"
    assert body["summary"] == SUMMARY["kk"]
    assert len(body["sha256"]) == 64
    current = await api.client.get(f"{API}/policies/current")
    assert current.json()["version"] == "1"

    api.clock.advance(timedelta(days=15))
    assert (await api.client.get(f"{API}/policies/upcoming")).status_code == 404
    assert (await api.client.get(f"{API}/policies/current")).json()["version"] == "2"


async def test_a_summary_needs_all_three_languages(api: Api) -> None:
    body = policy_body("2", (api.clock.now() + timedelta(days=3)).isoformat()) | {
        "summary": {"ru": "Только по-русски"}
    }
    response = await api.client.post(
        f"{API}/admin/policies", json=body, headers=bearer(await api.admin_token())
    )
    assert response.status_code in (400, 422), response.text
