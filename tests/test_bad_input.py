"""Bad input gets a 4xx problem answer with a stable code, never a 500, and writes nothing."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from litestar import Litestar, post
from litestar.di import NamedDependency, Provide
from litestar.params import JSONBody
from sqlalchemy import func, select

from loyalty.app import body_fields_named_like_dependencies
from loyalty.core.access import public
from loyalty.identity.models import OneTimeCode
from tests.helpers import API, Api, bearer

PROBLEM = "application/problem+json"


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return dict(body)


async def test_malformed_json(api: Api) -> None:
    response = await api.client.post(
        f"{API}/auth/login",
        content=b'{"email": "a@b.kz", "password": ',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 400, "malformed_body")


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"email": 42, "password": "x"}, {"field": "email", "message": "Expected `str`, got `int`"}),
        # A field missing from or unknown to the body is named in the message; the body itself is "data".
        ({"email": "a@group.kz"}, {"field": "data", "message": "Object missing required field `password`"}),
        (
            {"email": "a@group.kz", "password": "x", "remember_me": True},
            {"field": "data", "message": "Object contains unknown field `remember_me`"},
        ),
        ([], {"field": "data", "message": "Expected `object`, got `array`"}),
    ],
    ids=["wrong-type", "missing-field", "unknown-field", "not-an-object"],
)
async def test_validation_errors_name_the_field(api: Api, body: Any, error: dict[str, str]) -> None:
    response = await api.client.post(f"{API}/auth/login", json=body)
    problem = assert_problem(response, 422, "validation_failed")
    assert problem["errors"] == [error]


async def test_oversize_body(api: Api) -> None:
    response = await api.client.post(
        f"{API}/auth/login",
        content=b'{"email": "' + b"a" * (1024 * 1024 + 10) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert_problem(response, 413, "payload_too_large")


async def test_invalid_uuid_in_path_and_unknown_routes(api: Api) -> None:
    hr = bearer(await api.hr_token())
    response = await api.client.get(f"{API}/hr/employees/not-a-uuid", headers=hr)
    assert_problem(response, 404, "not_found")
    assert_problem(await api.client.get(f"{API}/no/such/thing"), 404, "not_found")
    assert_problem(await api.client.delete(f"{API}/policies/current"), 405, "method_not_allowed")


async def test_missing_or_wrong_scheme_authorization(api: Api) -> None:
    assert_problem(await api.client.get(f"{API}/me"), 401, "not_authenticated")
    assert_problem(
        await api.client.get(f"{API}/me", headers={"Authorization": "Basic abc"}), 401, "not_authenticated"
    )


async def test_hr_fields_cannot_be_changed_by_the_employee(api: Api) -> None:
    await api.publish_policy()
    employee = await api.register()
    response = await api.client.patch(f"{API}/me", json={"company": "Elsewhere"}, headers=employee.headers)
    assert_problem(response, 422, "field_managed_by_hr")
    changed = await api.client.patch(
        f"{API}/me", json={"phone": "+7 701 555 0101", "language": "kk"}, headers=employee.headers
    )
    assert changed.status_code == 200
    assert (changed.json()["phone"], changed.json()["language"]) == ("+7 701 555 0101", "kk")
    bad_phone = await api.client.patch(f"{API}/me", json={"phone": "call me"}, headers=employee.headers)
    assert_problem(bad_phone, 422, "validation_failed")


async def test_a_refused_registration_writes_nothing(api: Api) -> None:
    await api.publish_policy()
    entry = await api.add_to_roster()
    for body in (
        api.registration(entry, password="password"),
        api.registration(entry, accept_policy=False),
        api.registration(entry, optional_purposes={"core": False}),
        api.registration(entry, optional_purposes={"telepathy": True}),
    ):
        response = await api.client.post(f"{API}/auth/register", json=body)
        assert response.status_code == 422, body
    async with api.app.state.runtime.db_config.get_session() as session:
        codes = select(func.count(OneTimeCode.id)).where(OneTimeCode.email == entry["email"])
        assert await session.scalar(codes) == 0
    assert (await api.mailbox.messages(entry["email"])) == []


async def test_every_error_carries_the_request_id(api: Api) -> None:
    response = await api.client.get(f"{API}/me", headers={"X-Request-ID": "trace-123"})
    assert response.headers["x-request-id"] == "trace-123"
    generated = await api.client.get(f"{API}/me", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"
    assert len(generated.headers["x-request-id"]) == 32


async def test_health_answers_at_both_paths(api: Api) -> None:
    for path in ("/health/live", "/health/ready", f"{API}/health/live", f"{API}/health/ready"):
        response = await api.client.get(path)
        assert response.status_code == 200, path
        assert response.json() == {"status": "ok"}


async def test_an_unknown_language_is_a_validation_error_everywhere(api: Api) -> None:
    """A body field named like a dependency (``language``) used to make Litestar blame the dependency
    and answer 500; every body that takes a language now answers 422."""
    await api.publish_policy("1")
    employee = await api.register()
    partner = await api.create_partner()
    admin = bearer(await api.admin_token())
    entry = await api.add_to_roster()
    attempts = [
        ("PATCH", f"{API}/me", employee.headers, {"language": "AAA"}),
        (
            "POST",
            f"{API}/me/consents",
            employee.headers,
            {"policy_version": "1", "purposes": {"core": True}, "language": "AAA"},
        ),
        ("POST", f"{API}/auth/register", {}, api.registration(entry, language="AAA")),
        (
            "POST",
            f"{API}/admin/partners/{partner['id']}/admins",
            admin,
            {"email": "till@kofe.kz", "full_name": "Till", "language": "AAA"},
        ),
        (
            "POST",
            f"{API}/admin/users",
            admin,
            {"email": "hr2@group.kz", "full_name": "HR", "role": "hr_admin", "language": "AAA"},
        ),
    ]
    for method, path, headers, body in attempts:
        response = await api.client.request(method, path, headers=headers, json=body)
        problem = assert_problem(response, 422, "validation_failed")
        assert problem["errors"][0]["field"] == "language", (path, problem)


class ClashingBody(msgspec.Struct):
    runtime: str


def test_no_body_field_is_named_like_a_dependency(app: Litestar) -> None:
    assert body_fields_named_like_dependencies(app) == []


def test_a_body_field_named_like_a_dependency_is_found() -> None:
    @post("/clash", opt=public(), sync_to_thread=False)
    def clash(data: JSONBody[ClashingBody], runtime: NamedDependency[str]) -> None:
        return None

    app = Litestar(
        route_handlers=[clash], dependencies={"runtime": Provide(lambda: "r", sync_to_thread=False)}
    )
    assert body_fields_named_like_dependencies(app) == ["POST /clash runtime"]
