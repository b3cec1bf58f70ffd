"""A suspended partner's admins can do no work for it until it is re-enabled; their own account stays
theirs. Walks every route partner admins may call, so a new /partner route is covered without a test."""

from __future__ import annotations

from typing import Any

from loyalty.core.access import Role, access_of, http_routes
from tests.helpers import API, Api, bearer
from tests.test_route_access import concrete

PARTNER_WORK = f"{API}/partner/"
# Everything else a partner admin may call: their own account and the shared reference data keep
# working while their partner is suspended. A new such route fails the walk until it is listed here.
NOT_PARTNER_WORK = {
    ("GET", f"{API}/categories"): (200, None),
    ("GET", f"{API}/me"): (200, None),
    ("GET", f"{API}/me/export"): (200, None),
    ("PATCH", f"{API}/me"): (200, None),
    # A suspended partner's admin still reads their own inbox (an unknown id is simply not found).
    ("GET", f"{API}/me/notifications"): (200, None),
    ("POST", f"{API}/me/notifications/read-all"): (200, None),
    ("POST", f"{API}/me/notifications/{{notification_id:uuid}}/read"): (404, "not_found"),
    # ... and chooses which notifications reach them.
    ("GET", f"{API}/me/notification-preferences"): (200, None),
    ("PUT", f"{API}/me/notification-preferences"): (200, None),
}


def partner_admin_routes(api: Api) -> list[tuple[str, str]]:
    routes = set()
    for method, path, handler in http_routes(api.app):
        access = access_of(handler)
        if method not in ("HEAD", "OPTIONS") and access is not None and Role.PARTNER_ADMIN in access.roles:
            routes.add((method, path))
    return sorted(routes)


async def set_status(api: Api, partner: dict[str, Any], status: str) -> None:
    response = await api.client.patch(
        f"{API}/admin/partners/{partner['id']}",
        json={"status": status},
        headers=bearer(await api.admin_token()),
    )
    assert response.json()["status"] == status, response.text


async def test_every_partner_route_answers_partner_suspended_and_own_data_keeps_working(api: Api) -> None:
    partner, headers = await api.partner_with_admin()
    await set_status(api, partner, "suspended")
    routes = partner_admin_routes(api)
    work = [route for route in routes if route[1].startswith(PARTNER_WORK)]
    assert len(work) >= 11  # offers, locations, codes, till, stats: the walk did find them
    answers = {}
    for method, path in routes:
        if (method, path) == ("POST", f"{API}/auth/logout"):
            continue  # it ends the session the walk uses; checked last
        response = await api.client.request(method, concrete(path), headers=headers, json={})
        body = response.json()
        answers[(method, path)] = (response.status_code, body.get("code") if isinstance(body, dict) else None)
    assert {route: answers[route] for route in work} == dict.fromkeys(work, (403, "partner_suspended"))
    assert {route: answer for route, answer in answers.items() if route not in work} == NOT_PARTNER_WORK
    logout = await api.client.post(f"{API}/auth/logout", headers=headers)
    assert logout.status_code == 204


async def test_a_suspended_partners_till_confirms_nothing_until_it_is_re_enabled(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    partner, headers = await api.partner_with_admin()
    offer = await api.create_offer(headers, code_mode="pool")
    upload_url = f"{API}/partner/offers/{offer['id']}/codes"
    assert (await api.client.post(upload_url, json=["A1", "A2"], headers=headers)).status_code == 200
    code = (
        await api.client.post(f"{API}/offers/{offer['id']}/redemptions", headers=employee.headers)
    ).json()["code"]
    await set_status(api, partner, "suspended")
    confirm_url = f"{API}/partner/redemptions/confirm"
    refused = [
        await api.client.post(confirm_url, json={"code": code}, headers=headers),
        await api.client.post(upload_url, json=["A3"], headers=headers),
        await api.client.post(f"{API}/partner/offers", json=api.offer_body(), headers=headers),
        await api.client.patch(
            f"{API}/partner/offers/{offer['id']}", json={"terms": {"en": "x"}}, headers=headers
        ),
        await api.client.get(f"{API}/partner/stats", headers=headers),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(403, "partner_suspended")] * 5
    assert (await api.client.get(f"{API}/me", headers=headers)).status_code == 200

    await set_status(api, partner, "active")
    confirmed = await api.client.post(confirm_url, json={"code": code}, headers=headers)
    assert confirmed.json() == {
        "status": "redeemed",
        "offer_id": offer["id"],
        "redeemed_at": confirmed.json()["redeemed_at"],
    }
    assert (await api.client.get(upload_url, headers=headers)).json()["remaining"] == 1
