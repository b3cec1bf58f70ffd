"""Walk every route the app serves with every role and anonymously.

``EXPECTED`` is written here independently of the declarations in the code: a route missing from it,
a role let in that should not be, or a role kept out that should not be, fails the suite.
"""

from __future__ import annotations

import re
import uuid

import pytest
from litestar import Litestar, get

from loyalty.app import _check_declarations
from loyalty.core.access import Role, http_routes, undeclared_routes
from tests.helpers import Api, bearer

ANONYMOUS = "anonymous"
EVERYONE = frozenset({ANONYMOUS, *Role})
SIGNED_IN = frozenset(Role)
EMPLOYEE = frozenset({Role.EMPLOYEE})
HR = frozenset({Role.HR_ADMIN})
ADMIN = frozenset({Role.ADMIN})
PARTNER = frozenset({Role.PARTNER_ADMIN})

EXPECTED: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/health/live"): EVERYONE,
    ("GET", "/health/ready"): EVERYONE,
    ("GET", "/api/v1/health/live"): EVERYONE,
    ("GET", "/api/v1/health/ready"): EVERYONE,
    ("POST", "/api/v1/auth/register"): EVERYONE,
    ("POST", "/api/v1/auth/verify"): EVERYONE,
    ("POST", "/api/v1/auth/login"): EVERYONE,
    ("POST", "/api/v1/auth/refresh"): EVERYONE,
    ("POST", "/api/v1/auth/logout"): SIGNED_IN,
    ("POST", "/api/v1/auth/password-reset"): EVERYONE,
    ("POST", "/api/v1/auth/password-reset/confirm"): EVERYONE,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("PATCH", "/api/v1/me"): SIGNED_IN,
    ("GET", "/api/v1/me/consents"): EMPLOYEE,
    ("POST", "/api/v1/me/consents"): EMPLOYEE,
    ("GET", "/api/v1/policies/current"): EVERYONE,
    ("GET", "/api/v1/admin/policies"): ADMIN,
    ("POST", "/api/v1/admin/policies"): ADMIN,
    ("POST", "/api/v1/admin/policies/{version:str}/publish"): ADMIN,
    ("POST", "/api/v1/admin/users"): ADMIN,
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
