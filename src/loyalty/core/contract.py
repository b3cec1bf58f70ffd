"""The OpenAPI contract of every route, derived from what the route already declares.

A route names its operation (``operation_id="getOffer"``, Litestar's own parameter), its tag (``tags``,
one of :data:`TAGS`) and the error codes of its own rules (``opt=... | fails_with(ErrorCode.SOLD_OUT)``).
The errors every route shares follow from its other declarations: a non-public access rule answers
401 ``not_authenticated`` and, per role and flags, 403 ``forbidden`` / ``consent_required`` /
``account_restricted`` / ``partner_suspended``; a path parameter 404 ``not_found``; any parameter or
body 422 ``validation_failed``; a body 400 ``malformed_body``, 413 and 415; a ``cursor`` 422
``invalid_cursor``. Every error is documented as ``application/problem+json`` with the one shared
:class:`~loyalty.core.errors.Problem` schema. :func:`undocumented_routes` makes the app refuse to
start with a route that has no operation id or tag, and :func:`document_errors` wires the rest. A route
that reads its body itself says what it accepts with :func:`reads_body`; :class:`StrictStructSchemaPlugin`
makes request schemas as strict as their validation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import msgspec
from litestar import Litestar
from litestar._openapi.schema_generation import SchemaCreator
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin  # extended below
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import (
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
    Tag,
)
from litestar.typing import FieldDefinition

from loyalty.core.access import ALL_ROLES, Access, Role, access_of, http_routes
from loyalty.core.errors import PROBLEM_MEDIA_TYPE, STATUS_OF, ErrorCode, Problem

OPERATION_ID = re.compile(r"^[a-z][A-Za-z]+$")
PROBLEM_SCHEMA = Reference(ref="#/components/schemas/Problem")

TAGS = [
    Tag(name="health", description="Liveness and readiness probes."),
    Tag(name="auth", description="Sign-up for employees on HR's roster, sign-in, sessions, passwords."),
    Tag(name="consent", description="The privacy policy in effect and my consent to it."),
    Tag(name="profile", description="My profile."),
    Tag(name="notifications", description="My inbox, push devices and notification preferences."),
    Tag(name="catalog", description="Browsing offers, partners, categories; my favourites."),
    Tag(name="redemptions", description="Taking a code for an offer and my codes."),
    Tag(name="my-data", description="My data-subject rights: export, erasure, restriction, requests."),
    Tag(name="partner-offers", description="A partner's offers, locations and pools of codes."),
    Tag(name="till", description="Confirming an employee's code at the partner's till."),
    Tag(name="partner-stats", description="A partner's redemption statistics."),
    Tag(name="hr-roster", description="HR's roster of employees: who may register."),
    Tag(name="hr-privacy", description="HR's queue of data requests and the audit log."),
    Tag(name="admin-staff", description="Staff accounts, invitations and HR scopes."),
    Tag(name="admin-companies", description="The group's companies."),
    Tag(name="admin-partners", description="Partners and their admins."),
    Tag(name="admin-catalog", description="Categories and featured offers."),
    Tag(name="admin-policies", description="Privacy policy versions."),
    Tag(name="admin-announcements", description="Announcements to employees, with the audience first."),
]
TAG_NAMES = frozenset(tag.name for tag in TAGS)

Declared = ErrorCode | tuple[int, ErrorCode]


def fails_with(*codes: Declared) -> dict[str, Any]:
    """The error codes a route's own rules answer, for its ``opt`` (``ADMIN | fails_with(...)``); a
    code answered with another status than :data:`~loyalty.core.errors.STATUS_OF` names it as a pair."""
    return {"errors": codes}


def reads_body(**by_media_type: Schema) -> dict[str, Any]:
    """The body a route reads itself (an upload in several formats), for its ``opt``, so the document
    says what it accepts: ``reads_body(**{"text/csv": Schema(type=OpenAPIType.STRING)})``."""
    return {"body": by_media_type}


def _shared_errors(access: Access | None) -> Iterable[Declared]:
    if access is None or access.public:
        return
    yield ErrorCode.NOT_AUTHENTICATED
    if access.roles != ALL_ROLES:
        yield ErrorCode.FORBIDDEN
    if Role.EMPLOYEE in access.roles and (not access.consent_exempt or access.processing):
        yield ErrorCode.CONSENT_REQUIRED
    if Role.EMPLOYEE in access.roles and access.processing:
        yield ErrorCode.ACCOUNT_RESTRICTED
    if access.partner_work:
        yield ErrorCode.PARTNER_SUSPENDED


def declared_errors(handler: HTTPRouteHandler) -> dict[int, list[ErrorCode]]:
    """Status → codes a route answers by its access rule and its own declared rules."""
    by_status: dict[int, list[ErrorCode]] = defaultdict(list)
    for item in (*_shared_errors(access_of(handler)), *handler.opt.get("errors", ())):
        status, code = item if isinstance(item, tuple) else (STATUS_OF[item], item)
        if code not in by_status[status]:
            by_status[status].append(code)
    return by_status


def _input_errors(operation: Operation) -> dict[int, list[ErrorCode]]:
    """Status → codes the route answers for what it reads (parameters and body), from its operation."""
    parameters = [p for p in operation.parameters or () if not isinstance(p, Reference)]
    found: dict[int, list[ErrorCode]] = defaultdict(list)
    if operation.request_body is not None:
        found[400].append(ErrorCode.MALFORMED_BODY)
        found[413].append(ErrorCode.PAYLOAD_TOO_LARGE)
        found[415].append(ErrorCode.UNSUPPORTED_MEDIA_TYPE)
    if any(p.param_in == "path" for p in parameters):
        found[404].append(ErrorCode.NOT_FOUND)
    if parameters or operation.request_body is not None:
        found[422].append(ErrorCode.VALIDATION_FAILED)
    if any(p.name == "cursor" for p in parameters):
        found[422].append(ErrorCode.INVALID_CURSOR)
    return found


def problem_response(codes: list[ErrorCode]) -> OpenAPIResponse:
    return OpenAPIResponse(
        description="Problem: " + ", ".join(f"`{code}`" for code in codes),
        content={PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=PROBLEM_SCHEMA)},
    )


@dataclass
class ContractOperation(Operation):
    """The route's operation with Litestar's generic error responses replaced by its problems. Each route
    gets a subclass holding its own declarations (``_operation_class``): made with ``type()``, not
    ``@dataclass`` again, because generating a dataclass per route cost every app start a second."""

    declared: ClassVar[dict[int, list[ErrorCode]]] = {}
    body: ClassVar[dict[str, Schema] | None] = None

    def __post_init__(self) -> None:
        body = type(self).body
        if body and self.request_body is None:
            content = {media_type: OpenAPIMediaType(schema=schema) for media_type, schema in body.items()}
            self.request_body = RequestBody(content=content, required=True)
        errors: dict[int, list[ErrorCode]] = defaultdict(list)
        for status, codes in [*_input_errors(self).items(), *type(self).declared.items()]:
            errors[status] += [code for code in codes if code not in errors[status]]
        kept = {status: answer for status, answer in (self.responses or {}).items() if int(status) < 400}
        self.responses = kept | {str(status): problem_response(errors[status]) for status in sorted(errors)}


def _operation_class(declared: dict[int, list[ErrorCode]], body: dict[str, Schema] | None) -> type[Operation]:
    return type("ContractOperation", (ContractOperation,), {"declared": declared, "body": body})


def document_errors(app: Litestar) -> None:
    """Give every route's operation its problem responses; run before the document is first built."""
    for _, _, handler in http_routes(app):
        declared = declared_errors(handler)
        # Through a ResponseSpec the Problem schema lands in the document's components.
        handler.responses = {
            **(handler.responses or {}),
            **{
                status: ResponseSpec(
                    data_container=Problem,
                    media_type=PROBLEM_MEDIA_TYPE,
                    description="Problem",
                    generate_examples=False,
                )
                for status in declared
            },
        }
        handler.operation_class = _operation_class(declared, handler.opt.get("body"))


def undocumented_routes(app: Litestar) -> list[str]:
    """Routes in the document without a short stable operation id or a known tag."""
    missing = []
    for method, path, handler in http_routes(app):
        if method in {"HEAD", "OPTIONS"} or not handler.resolve_include_in_schema():
            continue
        operation_id = handler.operation_id
        if not isinstance(operation_id, str) or not OPERATION_ID.match(operation_id):
            missing.append(f"{method} {path}: operation_id {operation_id!r}")
        tags = handler.resolve_tags()
        if not tags or not set(tags) <= TAG_NAMES:
            missing.append(f"{method} {path}: tags {tags!r}")
    return missing


def require_operation_id(handler: HTTPRouteHandler, method: Any, _: Any) -> str:
    """``OpenAPIConfig.operation_id_creator``: there is no made-up id, every route names its own."""
    raise RuntimeError(f"{method} {handler.paths}: every route declares operation_id=")


def _say_what_litestar_leaves_out(field: msgspec.inspect.Field, schema: Schema | Reference | None) -> None:
    """Litestar drops a bound of 0 (falsy: ``gt=0``, ``ge=0``), a dict's key pattern and the constraints
    on a list's strings; the document says them."""
    if not isinstance(schema, Schema):
        return
    members = field.type.types if isinstance(field.type, msgspec.inspect.UnionType) else (field.type,)
    targets = [schema, *(one for one in schema.one_of or () if isinstance(one, Schema))]
    for member in members:
        if isinstance(member, msgspec.inspect.FloatType | msgspec.inspect.IntType):
            if member.gt == 0:
                schema.exclusive_minimum = 0
            if member.ge == 0:
                schema.minimum = 0
        if isinstance(member, msgspec.inspect.DictType) and (names := _string_schema(member.key_type)):
            for target in targets:
                if target.type == OpenAPIType.OBJECT:
                    target.property_names = names
        if isinstance(member, msgspec.inspect.ListType) and (items := _string_schema(member.item_type)):
            for target in targets:
                if target.type == OpenAPIType.ARRAY and isinstance(target.items, Schema):
                    target.items.min_length = items.min_length
                    target.items.max_length = items.max_length
                    target.items.pattern = items.pattern


def _string_schema(type_: msgspec.inspect.Type) -> Schema | None:
    if not isinstance(type_, msgspec.inspect.StrType) or (
        type_.pattern is None and type_.min_length is None and type_.max_length is None
    ):
        return None
    return Schema(pattern=type_.pattern, min_length=type_.min_length, max_length=type_.max_length)


class StrictStructSchemaPlugin(StructSchemaPlugin):
    """Request bodies refuse unknown fields (``forbid_unknown_fields``), so their schemas say
    ``additionalProperties: false``; a Struct's ``__schema_extra__`` adds what ``msgspec.Meta`` cannot
    say on a field (``{"min_properties": 1}``)."""

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return super().is_plugin_supported_field(field_definition) and (
            field_definition.type_.__struct_config__.forbid_unknown_fields
            or hasattr(field_definition.type_, "__schema_extra__")
        )

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: SchemaCreator) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        if field_definition.type_.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False
        info = msgspec.inspect.type_info(field_definition.type_)
        for field in getattr(info, "fields", ()):
            _say_what_litestar_leaves_out(field, (schema.properties or {}).get(field.encode_name))
        for name, value in getattr(field_definition.type_, "__schema_extra__", {}).items():
            setattr(schema, name, value)
        return schema
