"""Security events: a sign-in from a client not seen for 90 days and a changed password are told to the
person (Topic.SECURITY) in the request's own transaction; a first sign-in or an invited person's first
password is not news."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import text

from tests.helpers import API, STRONG_PASSWORD, Api


async def security(api: Api, email: str) -> list[Any]:
    async with api.app.state.runtime.db_config.get_session() as session:
        found = await session.execute(
            text(
                "SELECT n.template, n.params FROM notifications n JOIN users u ON u.id = n.user_id"
                " WHERE u.email = :e AND n.topic = 'security' ORDER BY n.created_at, n.id"
            ),
            {"e": email},
        )
        return list(found)


async def login(api: Api, email: str, agent: str, password: str = STRONG_PASSWORD) -> None:
    response = await api.client.post(
        f"{API}/auth/login", json={"email": email, "password": password}, headers={"User-Agent": agent}
    )
    assert response.status_code == 200, response.text


async def test_a_sign_in_from_a_new_client_is_told_once(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()  # verifying opened a session from the test client
    agent = (await api.client.get(f"{API}/health/live")).request.headers["user-agent"]
    await login(api, employee.email, agent)
    assert await security(api, employee.email) == []

    await login(api, employee.email, "NewPhone/1.0")
    [notice] = await security(api, employee.email)
    assert notice.template == "new_sign_in"
    assert notice.params["client"] == "NewPhone/1.0"
    await login(api, employee.email, "NewPhone/1.0")
    assert len(await security(api, employee.email)) == 1

    api.clock.advance(timedelta(days=91))  # not seen for 90 days: new again
    await login(api, employee.email, agent)
    assert [row.template for row in await security(api, employee.email)] == ["new_sign_in"] * 2

    wrong = await api.client.post(
        f"{API}/auth/login",
        json={"email": employee.email, "password": "Wrong-Password-123"},
        headers={"User-Agent": "Thief/1.0"},
    )
    assert wrong.status_code == 401
    assert len(await security(api, employee.email)) == 2


async def test_a_changed_password_is_told_but_an_invited_persons_first_is_not(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    await api.hr_token()  # invited, set a first password, signed in for the first time
    assert await security(api, "hr-admin@loyalty.kz") == []

    asked = await api.client.post(f"{API}/auth/password-reset", json={"email": employee.email})
    assert asked.status_code == 202
    code = await api.mailbox.last_code(employee.email)
    weak = await api.client.post(
        f"{API}/auth/password-reset/confirm",
        json={"email": employee.email, "code": code, "new_password": "password"},
    )
    assert weak.status_code == 422
    assert await security(api, employee.email) == []  # rolled back with the refused change
    done = await api.client.post(
        f"{API}/auth/password-reset/confirm",
        json={"email": employee.email, "code": code, "new_password": "Another-Strong-Pass-7"},
    )
    assert done.status_code == 204, done.text
    [notice] = await security(api, employee.email)
    assert notice.template == "password_changed"
