"""Login, refresh rotation with reuse detection, logout, termination, password reset, throttling."""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import argon2
import pytest
import redis.asyncio as redis
from litestar import Litestar
from sqlalchemy import select, update

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.core.tokens import TokenKind
from loyalty.identity.models import AuthSession, User
from loyalty.settings import AuthSettings, RedisSettings
from tests.conftest import AppClient, behind_proxy
from tests.helpers import API, STRONG_PASSWORD, Api, bearer

REDIS_URL = "redis://127.0.0.1:6379/15"


async def test_login_issues_a_short_lived_token_pair(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    response = await api.client.post(
        f"{API}/auth/login", json={"email": employee.email, "password": STRONG_PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 900
    claims = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[1] + "=="))
    assert (
        claims["sub"]
        == (await api.client.get(f"{API}/me", headers=bearer(body["access_token"]))).json()["id"]
    )
    assert "@" not in claims["sub"]
    assert claims["aud"] == TokenKind.ACCESS
    assert claims["exp"] - claims["iat"] <= 900
    assert len(body["refresh_token"]) >= 43  # 256 bits, base64url


async def test_wrong_password_and_unknown_email_look_the_same(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    hasher = api.app.state.runtime.hasher
    verified: list[str | None] = []
    original = hasher.verify

    async def spy(stored: str | None, secret: str) -> bool:
        verified.append(stored)
        return await original(stored, secret)

    hasher.verify = spy
    wrong = await api.client.post(
        f"{API}/auth/login", json={"email": employee.email, "password": "Wrong-Password-123"}
    )
    unknown = await api.client.post(
        f"{API}/auth/login", json={"email": "nobody@group.kz", "password": "Wrong-Password-123"}
    )
    hasher.verify = original
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "invalid_credentials"
    assert len(verified) == 2  # the unknown email still costs one argon2 verification
    assert verified[1] is None


async def test_refresh_rotates_and_reuse_revokes_the_family(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    first = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": employee.refresh_token})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != employee.refresh_token
    assert (await api.client.get(f"{API}/me", headers=bearer(rotated["access_token"]))).status_code == 200

    reuse = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": employee.refresh_token})
    assert reuse.status_code == 401
    assert reuse.json()["code"] == "token_reused"
    # The whole family is dead: the rotated refresh token and every access token of the session.
    again = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert again.status_code == 401
    assert (await api.client.get(f"{API}/me", headers=bearer(rotated["access_token"]))).status_code == 401
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 401


async def test_refreshing_never_keeps_a_session_past_its_absolute_lifetime(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    refresh_token = employee.refresh_token
    # Refreshed every ten days, well within the refresh-token lifetime (30 days)...
    for _ in range(2):
        api.clock.advance(timedelta(days=10))
        response = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": refresh_token})
        assert response.status_code == 200
        refresh_token = response.json()["refresh_token"]
    api.clock.advance(timedelta(days=9, hours=23))
    last = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": refresh_token})
    assert last.status_code == 200
    # ...the session still ends 30 days (LOYALTY_AUTH_SESSION_ABSOLUTE_DAYS) after the login.
    api.clock.advance(timedelta(hours=1, seconds=1))
    ended = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": last.json()["refresh_token"]})
    assert ended.status_code == 401
    assert ended.json()["code"] == "not_authenticated"
    # Signing in again starts a new one.
    assert await api.login(employee.email, STRONG_PASSWORD)


async def test_concurrent_refreshes_with_one_token_give_one_new_pair(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    responses = await asyncio.gather(
        *[
            api.client.post(f"{API}/auth/refresh", json={"refresh_token": employee.refresh_token})
            for _ in range(8)
        ]
    )
    # The first to mark the token used holds its row until it commits, so it always gets the new pair;
    # every other one then finds the token used: that is reuse, and the family is revoked.
    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(200, None): 1, (401, "token_reused"): 7}, [r.text for r in responses]
    async with api.app.state.runtime.db_config.get_session() as session:
        revoked = await session.scalar(
            select(AuthSession.revoked_reason).join(User).where(User.email == employee.email)
        )
    assert revoked == "token_reuse"


async def test_logout_cuts_the_session_on_the_next_request(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 200
    assert (await api.client.post(f"{API}/auth/logout", headers=employee.headers)).status_code == 204
    response = await api.client.get(f"{API}/me", headers=employee.headers)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    refresh = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": employee.refresh_token})
    assert refresh.status_code == 401


async def test_termination_cuts_live_tokens_and_blocks_login(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    response = await api.client.post(
        f"{API}/hr/employees/{employee.roster_id}/terminate", headers=bearer(await api.hr_token())
    )
    assert response.status_code == 200
    assert response.json()["status"] == "terminated"
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 401
    refresh = await api.client.post(f"{API}/auth/refresh", json={"refresh_token": employee.refresh_token})
    assert refresh.status_code == 401
    login = await api.client.post(
        f"{API}/auth/login", json={"email": employee.email, "password": STRONG_PASSWORD}
    )
    assert login.status_code == 401
    assert login.json()["code"] == "invalid_credentials"


async def test_login_rehashes_when_parameters_change(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    old = argon2.PasswordHasher(time_cost=3, memory_cost=19_456, parallelism=1).hash(STRONG_PASSWORD)
    async with api.app.state.runtime.db_config.get_session() as session:
        await session.execute(update(User).where(User.email == employee.email).values(password_hash=old))
        await session.commit()
    assert (
        await api.client.post(
            f"{API}/auth/login", json={"email": employee.email, "password": STRONG_PASSWORD}
        )
    ).status_code == 200
    async with api.app.state.runtime.db_config.get_session() as session:
        stored = await session.scalar(select(User.password_hash).where(User.email == employee.email))
    assert stored is not None
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIiwic2lkIjoiMSIsImF1ZCI6ImxveWFsdHk6YWNjZXNzIn0.",
    ],
)
async def test_malformed_and_unsigned_tokens_are_refused(api: Api, token: str) -> None:
    response = await api.client.get(f"{API}/me", headers=bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_tampered_expired_and_wrong_kind_tokens_are_refused(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    header, payload, signature = employee.access_token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "admin"
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    tokens = api.app.state.runtime.tokens
    other_kind = tokens.encode(
        "loyalty:qr", {"sub": claims["sub"], "sid": claims["sid"], "exp": claims["exp"], "iat": claims["iat"]}
    )
    for token in (f"{header}.{forged_payload}.{signature}", employee.refresh_token, other_kind):
        response = await api.client.get(f"{API}/me", headers=bearer(token))
        assert response.status_code == 401, token
        assert response.json()["code"] == "not_authenticated"
    # The app keeps tokens it verified; a kept one still expires by the service's clock.
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 200
    api.clock.advance(timedelta(minutes=15, seconds=1))
    expired = await api.client.get(f"{API}/me", headers=employee.headers)
    assert expired.status_code == 401
    assert expired.json()["code"] == "not_authenticated"


async def test_password_reset_revokes_other_sessions(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    response = await api.client.post(f"{API}/auth/password-reset", json={"email": employee.email})
    assert response.status_code == 202
    stranger = await api.client.post(f"{API}/auth/password-reset", json={"email": "nobody@group.kz"})
    assert stranger.status_code == 202
    assert stranger.json() == response.json()
    assert (await api.mailbox.messages("nobody@group.kz")) == []
    await api.confirm_reset(employee.email, "A-Brand-New-Passphrase-7")
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 401
    old = await api.client.post(
        f"{API}/auth/login", json={"email": employee.email, "password": STRONG_PASSWORD}
    )
    assert old.status_code == 401
    assert await api.login(employee.email, "A-Brand-New-Passphrase-7")


async def test_repeated_failures_are_throttled_without_locking_out_the_owner(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    settings = behind_proxy(tmp_path)
    app = create_app(settings, clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        api = Api(client=client, app=app, mailbox=None, clock=clock)  # type: ignore[arg-type]
        await api.admin_token()
        attacker = {"X-Forwarded-For": "198.51.100.7"}
        body = {"email": "root@loyalty.kz", "password": "Guessing-Wrong-1"}
        statuses = [
            (await client.post(f"{API}/auth/login", json=body, headers=attacker)).status_code
            for _ in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        blocked = await client.post(f"{API}/auth/login", json=body, headers=attacker)
        assert blocked.json()["code"] == "rate_limited"
        assert 1 <= int(blocked.headers["Retry-After"]) <= 900
        owner = await client.post(
            f"{API}/auth/login",
            json={"email": "root@loyalty.kz", "password": "Admin-Password-For-Tests-1"},
            headers={"X-Forwarded-For": "203.0.113.99"},
        )
        assert owner.status_code == 200


async def _redis_available() -> bool:
    client = redis.from_url(REDIS_URL)
    try:
        return bool(await asyncio.wait_for(client.ping(), 1))
    except Exception:
        return False
    finally:
        await client.aclose()


async def test_throttling_holds_across_two_instances_sharing_redis(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    if not await _redis_available():
        pytest.skip("no Redis on 127.0.0.1:6379; the in-process throttle is tested above")
    settings = behind_proxy(
        tmp_path, redis=RedisSettings(url=REDIS_URL), auth=AuthSettings(login_failures_per_account_ip=4)
    )
    first: Litestar = create_app(settings, clock=clock, database_url=database_url)
    second: Litestar = create_app(settings, clock=clock, database_url=database_url)
    target = f"{uuid.uuid4().hex}@group.kz"  # fresh throttle keys for this run
    body = {"email": target, "password": "Guessing-Wrong-1"}
    headers = {"X-Forwarded-For": "198.51.100.8"}
    async with AppClient(first) as one, AppClient(second) as two:
        statuses = []
        for client in (one, two, one, two, one, two):
            statuses.append((await client.post(f"{API}/auth/login", json=body, headers=headers)).status_code)
    assert statuses == [401, 401, 401, 401, 429, 429]
