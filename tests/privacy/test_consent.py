"""Policy versions, consent gating and re-consent, withdrawal of the core purpose, append-only records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from litestar import get
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from loyalty.core.access import Role, allow
from loyalty.privacy.policies import text_sha256
from tests.helpers import API, Api, bearer, policy_body


@get("/api/v1/test-only/perks", opt=allow(Role.EMPLOYEE, processing=True), sync_to_thread=False)
def perks_route() -> dict[str, str]:
    """Stands in for the catalog and redemption routes, which process data for perks."""
    return {"ok": "perks"}


@get("/api/v1/test-only/plain", opt=allow(Role.EMPLOYEE), sync_to_thread=False)
def plain_route() -> dict[str, str]:
    return {"ok": "plain"}


def with_gated_routes(api: Api) -> Api:
    api.app.register(perks_route)
    api.app.register(plain_route)
    return api


async def test_current_policy_in_each_language_with_fallback(api: Api) -> None:
    missing = await api.client.get(f"{API}/policies/current")
    assert missing.status_code == 404
    assert missing.json()["code"] == "policy_not_found"
    await api.publish_policy("1")
    for lang, expected in (
        ("kk", "Құпиялылық саясаты 1"),
        ("ru", "Политика конфиденциальности 1"),
        ("en", "Privacy policy 1"),
    ):
        body = (await api.client.get(f"{API}/policies/current", params={"lang": lang})).json()
        assert body["text"] == expected
        assert body["sha256"] == text_sha256(expected)
        assert body["version"] == "1"
        assert {p["code"]: p["required"] for p in body["purposes"]} == {
            "core": True,
            "marketing": False,
            "analytics": False,
        }
    by_header = await api.client.get(f"{API}/policies/current", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert by_header.json()["language"] == "en"
    fallback = await api.client.get(f"{API}/policies/current", params={"lang": "de"})
    assert fallback.json()["language"] == "ru"
    kazakh = await api.client.get(f"{API}/policies/current", params={"lang": "kk"})
    analytics = next(p for p in kazakh.json()["purposes"] if p["code"] == "analytics")
    assert analytics["title"] == "Аналитика"  # no Kazakh title: falls back to Russian


async def test_new_version_gates_everything_but_the_exempt_routes_until_accepted(api: Api) -> None:
    with_gated_routes(api)
    await api.publish_policy("1")
    employee = await api.register()
    assert (await api.client.get(f"{API}/test-only/perks", headers=employee.headers)).status_code == 200

    await api.publish_policy("2", effective_in=timedelta(days=7))
    assert (await api.client.get(f"{API}/test-only/perks", headers=employee.headers)).status_code == 200
    api.clock.advance(timedelta(days=7, seconds=1))
    employee.access_token = await api.login(employee.email, employee.password)

    for path in ("/test-only/perks", "/test-only/plain"):
        gated = await api.client.get(f"{API}{path}", headers=employee.headers)
        assert gated.status_code == 403
        assert gated.json()["code"] == "consent_required"
        assert gated.json()["policy_version"] == "2"
    for path in ("/me", "/me/consents"):
        assert (await api.client.get(f"{API}{path}", headers=employee.headers)).status_code == 200

    outdated = await api.client.post(
        f"{API}/me/consents",
        json={"policy_version": "1", "purposes": {"core": True}},
        headers=employee.headers,
    )
    assert outdated.status_code == 409
    assert outdated.json()["code"] == "policy_outdated"
    accepted = await api.client.post(
        f"{API}/me/consents",
        json={"policy_version": "2", "purposes": {"core": True, "marketing": False, "analytics": True}},
        headers=employee.headers,
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["event"] == "given"
    assert (await api.client.get(f"{API}/test-only/perks", headers=employee.headers)).status_code == 200


async def test_withdrawing_core_stops_processing_until_given_again(api: Api) -> None:
    with_gated_routes(api)
    await api.publish_policy("1")
    employee = await api.register()
    purposes = {"core": False, "marketing": False, "analytics": False}
    withdrawn = await api.client.post(
        f"{API}/me/consents", json={"policy_version": "1", "purposes": purposes}, headers=employee.headers
    )
    assert withdrawn.status_code == 201
    assert withdrawn.json()["event"] == "withdrawn"
    stopped = await api.client.get(f"{API}/test-only/perks", headers=employee.headers)
    assert stopped.status_code == 403
    assert stopped.json()["code"] == "consent_required"
    assert (await api.client.get(f"{API}/test-only/plain", headers=employee.headers)).status_code == 200

    given = await api.client.post(
        f"{API}/me/consents",
        json={"policy_version": "1", "purposes": purposes | {"core": True}},
        headers=employee.headers,
    )
    assert given.status_code == 201
    assert (await api.client.get(f"{API}/test-only/perks", headers=employee.headers)).status_code == 200

    history = (await api.client.get(f"{API}/me/consents", headers=employee.headers)).json()["items"]
    assert [event["event"] for event in history] == ["given", "withdrawn", "given"]
    assert [event["method"] for event in history] == ["consent_update", "consent_update", "registration"]
    assert history[-1]["purposes"] == {"analytics": False, "core": True, "marketing": True}


async def test_consent_history_pages_newest_first(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    for marketing in (True, False, True, False):
        response = await api.client.post(
            f"{API}/me/consents",
            json={
                "policy_version": "1",
                "purposes": {"core": True, "marketing": marketing, "analytics": False},
            },
            headers=employee.headers,
        )
        assert response.status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await api.client.get(f"{API}/me/consents", params=params, headers=employee.headers)).json()
        seen.extend(event["id"] for event in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    tampered = await api.client.get(
        f"{API}/me/consents", params={"cursor": "AAAA" + "x" * 30}, headers=employee.headers
    )
    assert tampered.status_code == 422
    assert tampered.json()["code"] == "invalid_cursor"


async def test_consent_must_name_each_known_purpose(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    for purposes in ({"core": True}, {"core": True, "marketing": True, "analytics": True, "telepathy": True}):
        response = await api.client.post(
            f"{API}/me/consents", json={"policy_version": "1", "purposes": purposes}, headers=employee.headers
        )
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"


async def test_admin_policy_rules(api: Api) -> None:
    headers = bearer(await api.admin_token())
    effective = api.clock.now().isoformat()
    no_core = policy_body(
        "9", effective, purposes=[{"code": "marketing", "required": False, "title": {"en": "M"}}]
    )
    response = await api.client.post(f"{API}/admin/policies", json=no_core, headers=headers)
    assert response.status_code == 422
    assert (
        await api.client.post(f"{API}/admin/policies", json=policy_body("3", effective), headers=headers)
    ).status_code == 201
    duplicate = await api.client.post(
        f"{API}/admin/policies", json=policy_body("3", effective), headers=headers
    )
    assert duplicate.status_code == 409
    assert (await api.client.post(f"{API}/admin/policies/3/publish", headers=headers)).status_code == 200
    twice = await api.client.post(f"{API}/admin/policies/3/publish", headers=headers)
    assert twice.status_code == 409
    assert twice.json()["code"] == "already_published"
    unknown = await api.client.post(f"{API}/admin/policies/404/publish", headers=headers)
    assert unknown.status_code == 404
    listed = (await api.client.get(f"{API}/admin/policies", headers=headers)).json()
    assert [p["version"] for p in listed] == ["3"]
    assert listed[0]["sha256"]["en"] == text_sha256("Privacy policy 3")


async def test_consent_records_are_append_only(api: Api) -> None:
    await api.publish_policy("1")
    await api.register()
    async with api.app.state.runtime.db_config.get_session() as session:
        for statement in ("UPDATE consent_records SET ip = NULL", "DELETE FROM consent_records"):
            with pytest.raises(DBAPIError, match="append-only"):
                await session.execute(text(statement))
            await session.rollback()
        await session.execute(text("SET LOCAL loyalty.erasure = 'on'"))
        result = await session.execute(text("UPDATE consent_records SET ip = NULL, user_agent = NULL"))
        assert result.rowcount == 1  # type: ignore[attr-defined]
        await session.rollback()
