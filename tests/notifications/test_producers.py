"""The periodic producers (flows/notices.py): each tells exactly who it should, and a run repeated (as on a
second worker) tells nobody twice; partner admins hear aggregates only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text

from loyalty.core.runtime import Runtime
from loyalty.flows import notices
from tests.helpers import API, STRONG_PASSWORD, Api, Employee, bearer


def runtime(api: Api) -> Runtime:
    found: Runtime = api.app.state.runtime
    return found


async def rows(api: Api, sql: str, **params: Any) -> list[Any]:
    async with runtime(api).db_config.get_session() as session:
        return list(await session.execute(text(sql), params))


async def told(api: Api, topic: str) -> list[tuple[str, dict[str, Any]]]:
    """(email, params) of every ``topic`` notification, by email."""
    found = await rows(
        api,
        "SELECT u.email, n.params FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE n.topic = :t ORDER BY u.email, n.created_at",
        t=topic,
    )
    return [(row.email, row.params) for row in found]


async def twice(api: Api, producer: Any) -> int:
    first = await producer(runtime(api))
    second = await producer(runtime(api))
    assert second == 0, "a second run told someone again"
    return int(first)


async def test_the_digest_tells_each_person_once_a_day_of_new_offers_meant_for_them(api: Api) -> None:
    await api.publish_policy("1")
    _, partner = await api.partner_with_admin()
    online = await api.create_partner("Online")  # no locations: its offers are in no city
    nowhere = await api.partner_admin(online["id"], "online@partner.kz")
    energy = await api.register()  # Dala Energy, IT, Astana
    energy_hr = await api.register(department="HR")
    mining = await api.register(company="Dala Mining", city="Almaty")
    almaty = await api.add_location(partner, city="Almaty", lat=43.24, lon=76.91)
    await api.create_offer(partner, eligibility={"companies": ["Dala Energy"]})
    await api.create_offer(
        partner, eligibility={"companies": ["Dala Energy"], "departments": ["Sales"]}
    )  # named their company but not their department: nobody may see it
    city_offer = await api.create_offer(partner, location_ids=[almaty["id"]])
    await api.create_offer(nowhere, category="books")  # for everyone, but about nothing of theirs
    await api.create_offer(partner, eligibility={"companies": ["Dala Energy"]}, status="draft")

    assert await twice(api, notices.offer_digest) == 3
    digests = await told(api, "offer_digest")
    assert [(email, params["count"]) for email, params in digests] == sorted(
        [(energy.email, 1), (energy_hr.email, 1), (mining.email, 1)]
    )
    mining_digest = dict(digests)[mining.email]
    assert mining_digest["first_title_en"] == "10% off"

    # A favourite makes its category theirs. The next day: nothing new for anyone, so no digest.
    favourite = await api.client.put(f"{API}/me/favorites/{city_offer['id']}", headers=mining.headers)
    assert favourite.status_code == 204, favourite.text
    api.clock.advance(timedelta(days=1))
    assert await twice(api, notices.offer_digest) == 0

    # Only offers listed since the last digest count.
    api.clock.advance(timedelta(days=1))
    nowhere = bearer(await api.login("online@partner.kz", STRONG_PASSWORD))
    await api.create_offer(nowhere, title={"ru": "Еда", "en": "Food", "kk": "Тамақ"})  # food, for everyone
    await api.create_offer(nowhere, eligibility={"companies": ["Dala Mining"]}, category="books")
    assert await twice(api, notices.offer_digest) == 1
    latest = await rows(
        api,
        "SELECT u.email, n.params FROM notifications n JOIN users u ON u.id = n.user_id"
        " WHERE n.topic = 'offer_digest' AND n.created_at = :now",
        now=api.clock.now(),
    )
    assert [(row.email, row.params["count"]) for row in latest] == [(mining.email, 2)]


async def test_the_digest_comes_daily_weekly_or_never_as_each_person_chose(api: Api) -> None:
    await api.publish_policy("1")
    shop = await api.create_partner("Kofe Dala")
    await api.partner_admin(shop["id"], "digest@partner.kz")
    daily = await api.register()
    weekly = await api.register()
    never = await api.register()
    preferences = f"{API}/me/notification-preferences"
    assert (await api.client.get(preferences, headers=daily.headers)).json()["digest"] == "daily"
    for person, frequency in ((weekly, "weekly"), (never, "off")):
        chosen = await api.client.put(preferences, json={"digest": frequency}, headers=person.headers)
        assert (chosen.status_code, chosen.json()["digest"]) == (200, frequency), chosen.text
    unknown = await api.client.put(preferences, json={"digest": "hourly"}, headers=daily.headers)
    assert (unknown.status_code, unknown.json()["code"]) == (422, "validation_failed")
    for _ in range(8):  # a new offer for them every day, and the digest's daily run
        partner = bearer(await api.login("digest@partner.kz", STRONG_PASSWORD))
        await api.create_offer(partner, eligibility={"companies": ["Dala Energy"]})
        await twice(api, notices.offer_digest)
        api.clock.advance(timedelta(days=1))
    counts: dict[str, list[int]] = {email: [] for email in (daily.email, weekly.email, never.email)}
    for email, params in await told(api, "offer_digest"):
        counts[email].append(params["count"])
    # Weekly: the first run, then the run a week later with the week's seven new offers.
    assert counts == {daily.email: [1] * 8, weekly.email: [1, 7], never.email: []}


async def test_a_favourite_ending_soon_is_told_once(api: Api) -> None:
    await api.publish_policy("1")
    _, partner = await api.partner_with_admin()
    employee = await api.register()
    other = await api.register()
    today = api.clock.now().date()
    ending = await api.create_offer(partner, valid_until=(today + timedelta(days=2)).isoformat())
    later = await api.create_offer(partner, valid_until=(today + timedelta(days=20)).isoformat())
    for offer in (ending, later):
        response = await api.client.put(f"{API}/me/favorites/{offer['id']}", headers=employee.headers)
        assert response.status_code == 204, response.text
    assert await twice(api, notices.favorite_ending) == 1
    [(email, params)] = await told(api, "favorite_ending")
    assert email == employee.email
    assert params["ends_on"] == (today + timedelta(days=2)).isoformat()
    assert other.email not in {e for e, _ in await told(api, "favorite_ending")}


async def issue(api: Api, employee: Employee, offer: dict[str, Any]) -> dict[str, Any]:
    response = await api.client.post(f"{API}/offers/{offer['id']}/redemptions", headers=employee.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_code_about_to_expire_is_told_once_and_the_partner_learns_nothing(api: Api) -> None:
    await api.publish_policy("1")
    _, partner = await api.partner_with_admin()
    employee = await api.register()
    offer = await api.create_offer(partner)
    await issue(api, employee, offer)
    assert await notices.code_expiring(runtime(api)) == 0  # 15 minutes left: not yet
    api.clock.advance(timedelta(minutes=11))
    assert await twice(api, notices.code_expiring) == 1
    [(email, params)] = await told(api, "code_expiring")
    assert email == employee.email
    assert set(params) == {"expires_at", "offer_title_kk", "offer_title_ru", "offer_title_en"}
    api.clock.advance(timedelta(minutes=10))
    assert await notices.code_expiring(runtime(api)) == 0  # expired: nothing to say any more


async def test_partner_admins_hear_of_low_pools_once_per_crossing_and_of_offers_ending(api: Api) -> None:
    await api.publish_policy("1")
    _, partner = await api.partner_with_admin()
    _, other_partner = await api.partner_with_admin("Other")
    today = api.clock.now().date()
    pool = await api.create_offer(partner, code_mode="pool")
    upload = await api.client.post(
        f"{API}/partner/offers/{pool['id']}/codes", json=[f"C{i:03d}" for i in range(3)], headers=partner
    )
    assert upload.status_code == 200, upload.text
    await api.create_offer(other_partner, valid_until=(today + timedelta(days=1)).isoformat())

    assert await twice(api, notices.pool_low) == 1
    [(_, params)] = await told(api, "pool_low")
    assert params["remaining"] == 3
    assert set(params) == {"remaining", "offer_title_kk", "offer_title_ru", "offer_title_en"}

    refill = await api.client.post(
        f"{API}/partner/offers/{pool['id']}/codes", json=[f"R{i:03d}" for i in range(30)], headers=partner
    )
    assert refill.status_code == 200, refill.text
    assert await twice(api, notices.pool_low) == 0  # above the line: re-armed, nothing to say
    async with runtime(api).db_config.get_session() as session:
        await session.execute(text("UPDATE pool_codes SET claimed_at = now() WHERE code LIKE 'R%'"))
        await session.commit()
    assert await twice(api, notices.pool_low) == 1  # fell below again: a new crossing
    assert len(await told(api, "pool_low")) == 2

    assert await twice(api, notices.offer_expiring) == 1
    [(email, params)] = await told(api, "offer_expiring")
    assert email.startswith("partner-")
    assert params["ends_on"] == (today + timedelta(days=1)).isoformat()


async def test_hr_admins_in_scope_hear_of_requests_nearly_due_and_overdue(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()  # Dala Energy
    await api.hr_token()  # group-wide
    await api.scoped_hr("Dala Energy")
    await api.scoped_hr("Dala Mining")
    filed = await api.client.post(
        f"{API}/me/data-requests", json={"kind": "access"}, headers=employee.headers
    )
    assert filed.status_code == 201, filed.text

    assert await twice(api, notices.requests_due) == 2
    due_soon = await told(api, "requests_due")
    hr_by_email = {
        row.email: row.hr_group_wide
        for row in await rows(api, "SELECT email, hr_group_wide FROM users WHERE role = 'hr_admin'")
    }
    told_to = sorted(email for email, _ in due_soon)
    assert len(told_to) == 2
    assert any(hr_by_email[email] for email in told_to)
    scoped = [email for email in told_to if not hr_by_email[email]]
    assert len(scoped) == 1
    scopes = await rows(
        api,
        "SELECT c.name FROM staff_company_scopes s JOIN companies c ON c.id = s.company_id"
        " JOIN users u ON u.id = s.user_id WHERE u.email = :e",
        e=scoped[0],
    )
    assert [row.name for row in scopes] == ["Dala Energy"]
    assert all(params["request_kind"] == "access" for _, params in due_soon)

    api.clock.advance(timedelta(days=10))
    assert await twice(api, notices.requests_due) == 2
    templates = await rows(api, "SELECT template FROM notifications WHERE topic = 'requests_due'")
    assert sorted(row.template for row in templates) == ["request_due_soon"] * 2 + ["request_overdue"] * 2
