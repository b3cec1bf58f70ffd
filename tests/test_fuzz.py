"""Schemathesis over every operation of the served OpenAPI document, as every role: input of any shape,
valid or not, gets an answer that is not a 5xx, whose status is documented and whose body matches the
documented schema; and input the document admits is never refused by request validation (the schema
says as much as the validation does).

Cases are drawn deterministically (derandomized Hypothesis, a bounded number per operation) so a
failure reproduces; the requests go through the real app to the real database like every other test.
Each role fuzzes the operations it may call (the others stop at the guard, which the route-access walk
covers).
"""

from __future__ import annotations

import os
import re
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from loyalty.core.access import Role, access_of, http_routes
from tests.helpers import Api, bearer

# Raise it for a deeper local hunt: LOYALTY_FUZZ_EXAMPLES=50 python3 dev.py test tests/test_fuzz.py
EXAMPLES_PER_MODE = int(os.environ.get("LOYALTY_FUZZ_EXAMPLES", "4"))
ANONYMOUS = "anonymous"
# Operations that end or change the fuzzing caller's own session or state run after all others.
TYPED_PARAMETER = re.compile(r"{(\w+):\w+}")
LAST = ("POST /api/v1/me/restriction", "DELETE /api/v1/me", "POST /api/v1/auth/logout")


def stricter_than_schema(response: Any, mode: GenerationMode) -> str | None:
    """A request the document admits that request parsing still refuses: the schema says less than the
    validation does (business rules, such as an unknown category, answer with their own detail)."""
    if mode is not GenerationMode.POSITIVE or response.status_code not in {400, 422}:
        return None
    problem = response.json()
    if problem.get("code") == "malformed_body" or problem.get("detail") == "the request is not valid":
        return f"validation is stricter than the schema: {problem.get('errors') or problem.get('detail')}"
    return None


def draw_cases(operation: Any, mode: GenerationMode, count: int) -> list[Any]:
    found: list[Any] = []

    @hypothesis.settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(operation.as_strategy(generation_mode=mode))
    def collect(case: Any) -> None:
        found.append(case)

    collect()
    return found[:count]


async def headers_for(api: Api, role: str) -> dict[str, str]:
    await api.publish_policy("1")
    if role == ANONYMOUS:
        return {}
    if role == Role.EMPLOYEE:
        return (await api.register()).headers
    if role == Role.PARTNER_ADMIN:
        return (await api.partner_with_admin())[1]
    if role == Role.HR_ADMIN:
        return bearer(await api.hr_token())
    return bearer(await api.admin_token())


def callable_by(api: Api, role: str) -> set[str]:
    """'METHOD /path' of the operations the role may call, in the document's path spelling."""
    admitted = set()
    for method, path, handler in http_routes(api.app):
        access = access_of(handler)
        if access and (access.public or role in access.roles):
            admitted.add(method + " " + TYPED_PARAMETER.sub(r"{\1}", path))
    return admitted


@pytest.mark.parametrize("role", [ANONYMOUS, *Role])
async def test_no_input_makes_an_operation_fail_or_leave_its_schema(api: Api, role: str) -> None:
    headers = await headers_for(api, role)
    document = (await api.client.get("/schema/openapi.json")).json()
    admitted = callable_by(api, role)
    operations = [
        operation
        for result in schemathesis.openapi.from_dict(document).get_all_operations()
        if f"{(operation := result.ok()).method.upper()} {operation.path}" in admitted
    ]
    assert len(operations) >= 5, admitted
    operations.sort(key=lambda op: (f"{op.method.upper()} {op.path}" in LAST, op.path, op.method))
    failures: list[str] = []
    for operation in operations:
        for mode in GenerationMode:
            for case in draw_cases(operation, mode, EXAMPLES_PER_MODE):
                kwargs = case.as_transport_kwargs(base_url="http://testserver.local", headers=headers)
                for unused in ("follow_redirects", "timeout", "cookies"):
                    kwargs.pop(unused, None)
                response = await api.client.request(**kwargs)
                if stricter := stricter_than_schema(response, mode):
                    failures.append(f"{operation.method.upper()} {operation.path} as {role}: {stricter}")
                try:
                    case.validate_response(
                        response,
                        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
                    )
                except (
                    Exception,
                    BaseExceptionGroup,
                ) as failure:  # schemathesis raises a group of check failures
                    failures.append(
                        f"{operation.method.upper()} {operation.path} ({mode.value}) as {role}: "
                        f"{response.status_code} {response.text[:200]} :: {str(failure)[:300]}"
                    )
    assert not failures, "\n".join(failures)
