"""The served OpenAPI document is the contract: valid OpenAPI 3.1, every operation named, tagged and with
its errors as problem details, and good enough that a generated client drives a whole journey.

The client is generated once per session with ``openapi-python-client`` (zero warnings allowed) and
talks to the real app over an ASGI transport, like every other test.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
import pytest
from litestar import Litestar, get
from litestar.testing import TestClient
from openapi_spec_validator import validate

from loyalty.app import create_app
from loyalty.core.access import public
from loyalty.core.contract import OPERATION_ID, TAG_NAMES, undocumented_routes
from loyalty.core.errors import STATUS_OF, ErrorCode
from loyalty.settings import AppSettings, Settings, WorkerSettings
from tests.conftest import TEST_SECRET
from tests.helpers import STRONG_PASSWORD, Api

METHODS = {"get", "put", "post", "patch", "delete"}
PACKAGE = "loyalty_client"
PROBLEM = {"$ref": "#/components/schemas/Problem"}


@pytest.fixture(scope="session")
def document(tmp_path_factory: pytest.TempPathFactory, server_url: str) -> dict[str, Any]:
    """The document as the app serves it (building it needs no database connection)."""
    folder = tmp_path_factory.mktemp("document")
    settings = Settings(
        app=AppSettings(secret_key=TEST_SECRET, data_dir=str(folder), log_level="WARNING"),
        worker=WorkerSettings(in_process=False),
    ).completed()
    with TestClient(create_app(settings, database_url=server_url)) as client:
        response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


@pytest.fixture(scope="session")
def generated(document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The typed client openapi-python-client generates from the document, imported."""
    folder = tmp_path_factory.mktemp("client")
    (folder / "openapi.json").write_text(json.dumps(document))
    (folder / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    run = subprocess.run(
        [
            str(Path(sys.executable).parent / "openapi-python-client"),
            "generate",
            "--path",
            str(folder / "openapi.json"),
            "--output-path",
            str(folder / PACKAGE),
            "--meta",
            "none",
            "--config",
            str(folder / "config.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "warning" not in output.lower(), output
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_every_operation_has_a_short_unique_id_tags_and_problem_errors(document: dict[str, Any]) -> None:
    ids = Counter(operation.get("operationId") for _, operation in operations(document))
    assert [name for name, count in ids.items() if count > 1] == []
    declared_tags = {tag["name"] for tag in document["tags"]}
    assert declared_tags == TAG_NAMES
    for name, operation in operations(document):
        assert OPERATION_ID.match(operation.get("operationId") or ""), name
        assert operation.get("tags"), name
        assert set(operation["tags"]) <= declared_tags, name
        for status, answer in operation["responses"].items():
            if int(status) >= 400:
                assert answer["content"] == {"application/problem+json": {"schema": PROBLEM}}, (name, status)
                for code in answer["description"].removeprefix("Problem: ").split(", "):
                    assert ErrorCode(code.strip("`")), (name, status, code)
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    assert document["components"]["schemas"]["ErrorCode"]["enum"] == [code.value for code in ErrorCode]


def test_errors_are_derived_from_what_a_route_declares(document: dict[str, Any]) -> None:
    def codes(method_path: str, status: int) -> list[str]:
        method, path = method_path.split(" ", 1)
        answer = document["paths"][path][method.lower()]["responses"].get(str(status))
        if answer is None:
            return []
        return [code.strip("`") for code in answer["description"].removeprefix("Problem: ").split(", ")]

    assert codes("GET /api/v1/offers/{offer_id}", 401) == ["not_authenticated"]
    assert codes("GET /api/v1/offers/{offer_id}", 403) == [
        "forbidden",
        "consent_required",
        "account_restricted",
    ]
    assert codes("GET /api/v1/offers/{offer_id}", 404) == ["not_found"]
    assert codes("GET /api/v1/offers", 422) == ["validation_failed", "invalid_cursor"]
    assert codes("POST /api/v1/auth/login", 401) == ["invalid_credentials"]
    assert codes("POST /api/v1/auth/login", 400) == ["malformed_body"]
    assert codes("POST /api/v1/auth/login", 429) == ["rate_limited"]
    assert codes("POST /api/v1/auth/login", 403) == []
    assert codes("POST /api/v1/partner/redemptions/confirm", 403) == ["forbidden", "partner_suspended"]
    assert codes("POST /api/v1/partner/redemptions/confirm", 422) == ["validation_failed", "code_expired"]
    assert codes("POST /api/v1/partner/redemptions/confirm", 409) == ["already_redeemed"]
    assert codes("POST /api/v1/partner/redemptions/confirm", 404) == ["not_found"]
    assert codes("GET /api/v1/me/export", 403) == []
    assert codes("GET /api/v1/health/ready", 503) == ["database_unavailable"]
    assert STATUS_OF[ErrorCode.CODE_EXPIRED] == 400


async def test_a_generated_client_drives_a_whole_journey(api: Api, generated: ModuleType) -> None:
    """Register (HR's roster lists me), verify, consent, browse, take a code, the partner confirms it at
    the till, export my data, erase my account: every step through the generated client."""
    models = importlib.import_module(f"{PACKAGE}.models")

    def call(module: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.api.{module}")

    def client(token: str | None = None) -> Any:
        transport = httpx.ASGITransport(app=api.app, client=("203.0.113.20", 40000))
        args = {"transport": transport}
        if token is None:
            return generated.Client(base_url="http://testserver.local", httpx_args=args)
        return generated.AuthenticatedClient(base_url="http://testserver.local", token=token, httpx_args=args)

    await api.publish_policy("1")
    entry = await api.add_to_roster()
    _, partner_headers = await api.partner_with_admin()
    offer = await api.create_offer(partner_headers)
    anonymous = client()

    registered = await call("auth.register").asyncio_detailed(
        client=anonymous,
        body=models.RegisterRequest.from_dict(
            api.registration(entry, optional_purposes={"marketing": False})
        ),
    )
    assert registered.status_code == 202, registered.content
    code = await api.mailbox.last_code(entry["email"])
    tokens = await call("auth.verify_registration").asyncio(
        client=anonymous,
        body=models.VerifyRequest(email=entry["email"], code=code),
    )
    assert isinstance(tokens, models.TokenPair), tokens
    me = client(tokens.access_token)

    consent = await call("consent.record_consent").asyncio(
        client=me,
        body=models.ConsentCreate.from_dict(
            {"policy_version": "1", "purposes": {"core": True, "marketing": True, "analytics": False}}
        ),
    )
    assert isinstance(consent, models.ConsentEvent), consent

    page = await call("catalog.list_offers").asyncio(client=me)
    assert isinstance(page, models.PageOfferSummary), page
    assert [item.id for item in page.items] == [UUID(offer["id"])]
    detail = await call("catalog.get_offer").asyncio(offer_id=UUID(offer["id"]), client=me)
    assert isinstance(detail, models.OfferDetail), detail
    assert detail.eligible is True

    issued = await call("redemptions.issue_redemption").asyncio(
        offer_id=UUID(offer["id"]), client=me, idempotency_key="journey-1"
    )
    assert isinstance(issued, models.RedemptionIssued), issued

    till = client(partner_headers["Authorization"].removeprefix("Bearer "))
    confirmed = await call("till.confirm_redemption").asyncio(
        client=till, body=models.ConfirmIn(code=issued.code)
    )
    assert isinstance(confirmed, models.Confirmed), confirmed
    again = await call("till.confirm_redemption").asyncio(
        client=till, body=models.ConfirmIn(code=issued.code)
    )
    assert isinstance(again, models.Problem), again
    assert again.code == models.ErrorCode.ALREADY_REDEEMED

    exported = await call("my_data.export_my_data").asyncio_detailed(client=me)
    assert exported.status_code == 200
    assert json.loads(exported.content)["profile"]["email"] == entry["email"]

    erased = await call("my_data.erase_my_account").asyncio(
        client=me, body=models.ErasureIn(password=STRONG_PASSWORD)
    )
    assert isinstance(erased, models.Erased), erased
    gone = await call("profile.get_profile").asyncio(client=me)
    assert isinstance(gone, models.Problem), gone
    assert gone.code == models.ErrorCode.NOT_AUTHENTICATED


def test_request_bodies_are_documented_as_strictly_as_they_are_validated(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["LoginRequest"]["additionalProperties"] is False
    assert schemas["CategoryPatch"]["properties"]["position"]["minimum"] == 0
    assert schemas["Discount"]["properties"]["value"]["exclusiveMinimum"] == 0
    assert schemas["ConsentCreate"]["properties"]["purposes"]["propertyNames"]["pattern"]
    assert schemas["HrScopeIn"]["properties"]["companies"]["items"]["minLength"] == 1
    assert [rule["required"] for rule in schemas["LocalizedText"]["anyOf"]] == [["kk"], ["ru"], ["en"]]
    upload = document["paths"]["/api/v1/partner/offers/{offer_id}/codes"]["post"]
    assert "application/json" in upload["requestBody"]["content"]


def test_a_route_without_an_operation_id_or_tag_is_refused() -> None:
    @get("/unnamed", opt=public(), sync_to_thread=False)
    def unnamed() -> None:
        return None

    @get("/named", operation_id="getNamed", tags=["catalog"], opt=public(), sync_to_thread=False)
    def named() -> None:
        return None

    @get("/odd", operation_id="Get_Odd", tags=["nowhere"], opt=public(), sync_to_thread=False)
    def odd() -> None:
        return None

    app = Litestar(route_handlers=[unnamed, named, odd], openapi_config=None)
    assert undocumented_routes(app) == [
        "GET /unnamed: operation_id None",
        "GET /unnamed: tags []",
        "GET /odd: operation_id 'Get_Odd'",
        "GET /odd: tags ['nowhere']",
    ]
