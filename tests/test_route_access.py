"""Walk every route the app serves with every role and anonymously.

``EXPECTED`` is written here independently of the declarations in the code: a route missing from it,
a role let in that should not be, or a role kept out that should not be, fails the suite.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from litestar import Litestar, get
from sqlalchemy import text

from loyalty.app import _check_declarations
from loyalty.core.access import Role, http_routes, undeclared_routes
from tests.helpers import API, Api, bearer

ANONYMOUS = "anonymous"
EVERYONE = frozenset({ANONYMOUS, *Role})
SIGNED_IN = frozenset(Role)
EMPLOYEE = frozenset({Role.EMPLOYEE})
HR = frozenset({Role.HR_ADMIN})
ADMIN = frozenset({Role.ADMIN})
PARTNER = frozenset({Role.PARTNER_ADMIN})
NOBODY: frozenset[str] = frozenset()  # only the metrics scraper's token (tests/test_observability.py)

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/health/live"): EVERYONE,
    ("GET", "/health/ready"): EVERYONE,
    ("GET", "/api/v1/health/live"): EVERYONE,
    ("GET", "/api/v1/health/ready"): EVERYONE,
    ("GET", "/metrics"): NOBODY,
    ("POST", "/api/v1/auth/register"): EVERYONE,
    ("POST", "/api/v1/auth/verify"): EVERYONE,
    ("POST", "/api/v1/auth/login"): EVERYONE,
    ("POST", "/api/v1/auth/refresh"): EVERYONE,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("POST", "/api/v1/auth/password-reset"): EVERYONE,
    ("POST", "/api/v1/auth/password-reset/confirm"): EVERYONE,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("PATCH", "/api/v1/me"): SIGNED_IN,
    ("GET", "/api/v1/me/notifications"): SIGNED_IN,
    ("POST", "/api/v1/me/notifications/{notification_id:uuid}/read"): SIGNED_IN,
    ("POST", "/api/v1/me/notifications/read-all"): SIGNED_IN,
    ("GET", "/api/v1/me/notification-preferences"): SIGNED_IN,
    ("PUT", "/api/v1/me/notification-preferences"): SIGNED_IN,
    ("POST", "/api/v1/me/devices"): EMPLOYEE,
    ("DELETE", "/api/v1/me/devices/{device:str}"): EMPLOYEE,
    ("POST", "/api/v1/notifications/unsubscribe"): EVERYONE,
    ("GET", "/api/v1/me/consents"): EMPLOYEE,
    ("POST", "/api/v1/me/consents"): EMPLOYEE,
    ("GET", "/api/v1/policies/current"): EVERYONE,
    ("GET", "/api/v1/policies/upcoming"): EVERYONE,
    ("GET", "/api/v1/admin/announcements"): ADMIN,
    ("POST", "/api/v1/admin/announcements"): ADMIN,
    ("POST", "/api/v1/admin/announcements/preview"): ADMIN,
    ("GET", "/api/v1/admin/policies"): ADMIN,
    ("POST", "/api/v1/admin/policies"): ADMIN,
    ("POST", "/api/v1/admin/policies/{version:str}/publish"): ADMIN,
    ("POST", "/api/v1/admin/users"): ADMIN,
    ("GET", "/api/v1/admin/staff"): ADMIN,
    ("POST", "/api/v1/admin/staff/{user_id:uuid}/disable"): ADMIN,
    ("POST", "/api/v1/admin/staff/{user_id:uuid}/enable"): ADMIN,
    ("DELETE", "/api/v1/admin/staff/{user_id:uuid}"): ADMIN,
    ("PUT", "/api/v1/admin/staff/{user_id:uuid}/scope"): ADMIN,
    ("GET", "/api/v1/admin/companies"): ADMIN,
    ("POST", "/api/v1/admin/companies"): ADMIN,
    ("PATCH", "/api/v1/admin/companies/{company_id:uuid}"): ADMIN,
    ("GET", "/api/v1/hr/employees"): HR,
    ("POST", "/api/v1/hr/employees"): HR,
    ("GET", "/api/v1/hr/employees/{entry_id:uuid}"): HR,
    ("PATCH", "/api/v1/hr/employees/{entry_id:uuid}"): HR,
    ("POST", "/api/v1/hr/employees/{entry_id:uuid}/terminate"): HR,
    ("POST", "/api/v1/hr/employees/import"): HR,
    ("GET", "/api/v1/categories"): frozenset({Role.EMPLOYEE, Role.PARTNER_ADMIN, Role.ADMIN}),
    ("GET", "/api/v1/offers"): EMPLOYEE,
    ("GET", "/api/v1/offers/{offer_id:uuid}"): EMPLOYEE,
    ("GET", "/api/v1/partners/{partner_id:uuid}"): EMPLOYEE,
    ("GET", "/api/v1/me/favorites"): EMPLOYEE,
    ("PUT", "/api/v1/me/favorites/{offer_id:uuid}"): EMPLOYEE,
    ("DELETE", "/api/v1/me/favorites/{offer_id:uuid}"): EMPLOYEE,
    ("GET", "/api/v1/partner/offers"): PARTNER,
    ("POST", "/api/v1/partner/offers"): PARTNER,
    ("GET", "/api/v1/partner/offers/{offer_id:uuid}"): PARTNER,
    ("PATCH", "/api/v1/partner/offers/{offer_id:uuid}"): PARTNER,
    ("DELETE", "/api/v1/partner/offers/{offer_id:uuid}"): PARTNER,
    ("GET", "/api/v1/partner/locations"): PARTNER,
    ("POST", "/api/v1/partner/locations"): PARTNER,
    ("PATCH", "/api/v1/partner/locations/{location_id:uuid}"): PARTNER,
    ("GET", "/api/v1/admin/partners"): ADMIN,
    ("POST", "/api/v1/admin/partners"): ADMIN,
    ("GET", "/api/v1/admin/partners/{partner_id:uuid}"): ADMIN,
    ("PATCH", "/api/v1/admin/partners/{partner_id:uuid}"): ADMIN,
    ("POST", "/api/v1/admin/partners/{partner_id:uuid}/admins"): ADMIN,
    ("GET", "/api/v1/admin/categories"): ADMIN,
    ("POST", "/api/v1/admin/categories"): ADMIN,
    ("PATCH", "/api/v1/admin/categories/{category_id:uuid}"): ADMIN,
    ("GET", "/api/v1/admin/offers"): ADMIN,
    ("PATCH", "/api/v1/admin/offers/{offer_id:uuid}"): ADMIN,
    ("POST", "/api/v1/offers/{offer_id:uuid}/redemptions"): EMPLOYEE,
    ("GET", "/api/v1/me/redemptions"): EMPLOYEE,
    ("POST", "/api/v1/me/redemptions/{redemption_id:uuid}/cancel"): EMPLOYEE,
    ("GET", "/api/v1/redemptions/keys"): EVERYONE,
    ("POST", "/api/v1/partner/redemptions/confirm"): PARTNER,
    ("POST", "/api/v1/partner/offers/{offer_id:uuid}/codes"): PARTNER,
    ("GET", "/api/v1/partner/offers/{offer_id:uuid}/codes"): PARTNER,
    ("GET", "/api/v1/partner/stats"): PARTNER,
    ("GET", "/api/v1/me/export"): SIGNED_IN,
    ("DELETE", "/api/v1/me"): EMPLOYEE,
    ("POST", "/api/v1/me/restriction"): EMPLOYEE,
    ("DELETE", "/api/v1/me/restriction"): EMPLOYEE,
    ("POST", "/api/v1/me/data-requests"): EMPLOYEE,
    ("GET", "/api/v1/me/data-requests"): EMPLOYEE,
    ("GET", "/api/v1/hr/data-requests"): HR,
    ("POST", "/api/v1/hr/data-requests"): HR,
    ("POST", "/api/v1/hr/data-requests/{request_id:uuid}/complete"): HR,
    ("POST", "/api/v1/hr/data-requests/{request_id:uuid}/reject"): HR,
    ("GET", "/api/v1/hr/data-requests/{request_id:uuid}/export"): HR,
    ("GET", "/api/v1/hr/audit-log"): HR,
}
DOCS_PREFIX = "/schema"


def concrete(path: str) -> str:
    def fill(match: re.Match[str]) -> str:
        return str(uuid.uuid4()) if match.group(2) == "uuid" else "x"

    return re.sub(r"\{(\w+):(\w+)\}", fill, path)


async def tokens_for_every_role(api: Api) -> dict[str, dict[str, str]]:
    await api.publish_policy("1")
    employee = await api.register()
    _, partner_headers = await api.partner_with_admin()
    return {
        ANONYMOUS: {},
        Role.EMPLOYEE: employee.headers,
        Role.PARTNER_ADMIN: partner_headers,
        Role.HR_ADMIN: bearer(await api.hr_token()),
        Role.ADMIN: bearer(await api.admin_token()),
    }


async def test_every_route_admits_exactly_the_expected_roles(api: Api) -> None:
    headers_by_role = await tokens_for_every_role(api)
    served = {
        (method, path)
        for method, path, _ in http_routes(api.app)
        if method not in ("OPTIONS", "HEAD") and not path.startswith(DOCS_PREFIX)
    }
    assert served == set(EXPECTED), (
        f"routes without an expectation here: {sorted(served - set(EXPECTED))}; "
        f"expected but not served: {sorted(set(EXPECTED) - served)}"
    )
    wrong = []
    # Routes that change the walker's own state go last: restricting (then lifting) stops processing
    # routes, and logging out ends the sessions.
    last = [
        ("POST", "/api/v1/me/restriction"),
        ("DELETE", "/api/v1/me/restriction"),
        ("POST", "/api/v1/auth/logout"),
    ]
    for method, path in sorted(served, key=lambda route: (last.index(route) if route in last else -1, route)):
        for role, headers in headers_by_role.items():
            response = await api.client.request(method, concrete(path), headers=headers, json={})
            let_in = response.status_code not in (401, 403)
            if let_in != (role in EXPECTED[(method, path)]):
                wrong.append(f"{method} {path} as {role}: {response.status_code} {response.text[:120]}")
    assert wrong == []


async def test_docs_are_public(api: Api) -> None:
    for path in ("/schema/openapi.json", "/schema"):
        response = await api.client.get(path)
        assert response.status_code == 200, path


def test_every_route_declares_its_access(app: Litestar) -> None:
    assert undeclared_routes(app) == []


def test_an_undeclared_route_stops_start_up() -> None:
    @get("/forgotten", sync_to_thread=False)
    def forgotten() -> str:
        return "no access rule"

    with pytest.raises(RuntimeError, match="GET /forgotten"):
        _check_declarations(Litestar(route_handlers=[forgotten]))


HR_PREFIX = "/api/v1/hr/"
COMPANY_A = "Dala Energy"
COMPANY_B = "Steppe Telecom"


@dataclass(frozen=True)
class CrossCompany:
    """How one HR route is aimed at company B's resource, and the one answer a company-A HR admin gets."""

    status: int
    code: str | None = None  # the problem's code; None for a 200 whose items must not show B
    params: dict[str, str] = field(default_factory=dict)
    body: Any = None


def cross_company_cases(b_number: str, b_roster_id: str) -> dict[tuple[str, str], CrossCompany]:
    not_found = CrossCompany(404, "not_found")
    return {
        ("GET", "/api/v1/hr/employees"): CrossCompany(200, params={"company": COMPANY_B}),
        ("POST", "/api/v1/hr/employees"): CrossCompany(
            403,
            "company_out_of_scope",
            body={
                "employee_number": "B-NEW",
                "email": "b-new@group.kz",
                "full_name": "B",
                "company": COMPANY_B,
            },
        ),
        ("GET", "/api/v1/hr/employees/{entry_id:uuid}"): not_found,
        ("PATCH", "/api/v1/hr/employees/{entry_id:uuid}"): CrossCompany(
            404, "not_found", body={"department": "Moved", "company": COMPANY_A}
        ),
        ("POST", "/api/v1/hr/employees/{entry_id:uuid}/terminate"): not_found,
        ("POST", "/api/v1/hr/employees/import"): CrossCompany(
            422,
            "import_rejected",
            body=[
                {
                    "employee_number": b_number,
                    "email": "b-took@group.kz",
                    "full_name": "B",
                    "company": COMPANY_A,
                },
                {
                    "employee_number": "B-NEW",
                    "email": "b-new@group.kz",
                    "full_name": "B",
                    "company": COMPANY_B,
                },
            ],
        ),
        ("GET", "/api/v1/hr/data-requests"): CrossCompany(200),
        ("POST", "/api/v1/hr/data-requests"): CrossCompany(
            404,
            "not_found",
            body={
                "roster_entry_id": b_roster_id,
                "kind": "erasure",
                "channel": "paper",
                "identity_verification": "passport seen",
            },
        ),
        ("POST", "/api/v1/hr/data-requests/{request_id:uuid}/complete"): CrossCompany(
            404, "not_found", body={"note": "done"}
        ),
        ("POST", "/api/v1/hr/data-requests/{request_id:uuid}/reject"): CrossCompany(
            404, "not_found", body={"reason": "no"}
        ),
        ("GET", "/api/v1/hr/data-requests/{request_id:uuid}/export"): not_found,
        ("GET", "/api/v1/hr/audit-log"): CrossCompany(200),
    }


async def hr_visible_state(api: Api, b_refs: list[str]) -> dict[str, Any]:
    """Everything an HR route could change, plus the audit events about B's employee."""
    async with api.app.state.runtime.db_config.get_session() as session:
        state = {}
        for table in (
            "roster_entries",
            "users",
            "auth_sessions",
            "data_requests",
            "companies",
            "redemptions",
        ):
            rows = await session.execute(text(f"SELECT * FROM {table} ORDER BY 1"))
            state[table] = [tuple(row) for row in rows]
        about_b = await session.execute(
            text("SELECT seq, action FROM audit_events WHERE subject_ref = ANY(:refs) ORDER BY seq"),
            {"refs": b_refs},
        )
        state["audit_events about B"] = [tuple(row) for row in about_b]
    return state


async def test_an_hr_admin_of_one_company_reaches_nothing_of_another(api: Api) -> None:
    """Every HR route, aimed at company B's resource by an HR admin scoped to company A, is refused (or,
    for lists, shows none of B) and changes nothing. New HR routes join this walk automatically."""
    await api.publish_policy("1")
    await api.register(company=COMPANY_A)
    b_employee = await api.register(company=COMPANY_B)
    request = await api.client.post(
        f"{API}/me/data-requests", json={"kind": "access", "details": "all"}, headers=b_employee.headers
    )
    assert request.status_code == 201, request.text
    hr_a = await api.scoped_hr(COMPANY_A)
    ids = {"entry_id": b_employee.roster_id, "request_id": request.json()["id"]}
    async with api.app.state.runtime.db_config.get_session() as session:
        account_ref = await session.scalar(
            text("SELECT subject_ref FROM users WHERE roster_entry_id = :id"), {"id": b_employee.roster_id}
        )
    b_refs = [account_ref, f"roster:{b_employee.roster_id}"]
    b_ids = {b_employee.roster_id, request.json()["id"], *b_refs}

    hr_routes = {
        (method, path)
        for method, path, _ in http_routes(api.app)
        if path.startswith(HR_PREFIX) and method not in ("OPTIONS", "HEAD")
    }
    cases = cross_company_cases(b_employee.employee_number, b_employee.roster_id)
    assert hr_routes == set(cases), (
        f"give these HR routes a cross-company case: {sorted(hr_routes - set(cases))}"
    )

    wrong = []
    for method, path in sorted(hr_routes):
        case = cases[(method, path)]
        url = re.sub(r"\{(\w+):\w+\}", lambda m: ids[m.group(1)], path)
        before = await hr_visible_state(api, b_refs)
        response = await api.client.request(method, url, params=case.params, json=case.body, headers=hr_a)
        answer: tuple[int, Any] = (response.status_code, response.json().get("code"))
        if case.code is None and response.status_code == 200:
            shown = {str(value) for item in response.json()["items"] for value in item.values()}
            answer = (200, sorted(shown & b_ids) or None)
        if answer != (case.status, case.code):
            wrong.append(f"{method} {path}: {answer} {response.text[:160]}")
        if await hr_visible_state(api, b_refs) != before:
            wrong.append(f"{method} {path} changed company B's data")
    assert wrong == []
