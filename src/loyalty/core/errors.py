"""Every error the API can answer, as one enum of stable codes, and the handlers that render them.

All errors leave as ``application/problem+json`` (RFC 9457) with ``type``, ``title``, ``status``,
``detail`` and ``code``; validation errors add ``errors: [{field, message}]``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from http import HTTPStatus
from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import (
    ClientException,
    HTTPException,
    InternalServerException,
    MethodNotAllowedException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.exceptions.http_exceptions import RequestEntityTooLarge, TooManyRequestsException
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError

logger = structlog.get_logger("loyalty.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://loyalty.example/problems/"


class ErrorCode(StrEnum):
    VALIDATION_FAILED = "validation_failed"
    MALFORMED_BODY = "malformed_body"
    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOKEN_REUSED = "token_reused"
    FORBIDDEN = "forbidden"
    CONSENT_REQUIRED = "consent_required"
    ACCOUNT_RESTRICTED = "account_restricted"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    RATE_LIMITED = "rate_limited"
    POLICY_OUTDATED = "policy_outdated"
    POLICY_NOT_FOUND = "policy_not_found"
    WEAK_PASSWORD = "weak_password"
    INVALID_CODE = "invalid_code"
    CODE_EXPIRED = "code_expired"
    # The right registration code after a collision of two registrations: send the password with it.
    PASSWORD_REQUIRED = "password_required"
    ALREADY_REGISTERED = "already_registered"
    INVALID_CURSOR = "invalid_cursor"
    IMPORT_REJECTED = "import_rejected"
    EMPLOYEE_TERMINATED = "employee_terminated"
    FIELD_MANAGED_BY_HR = "field_managed_by_hr"
    ALREADY_PUBLISHED = "already_published"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    LIMIT_REACHED = "limit_reached"
    SOLD_OUT = "sold_out"
    OFFER_NOT_STARTED = "offer_not_started"
    OFFER_EXPIRED = "offer_expired"
    NOT_ELIGIBLE = "not_eligible"
    ALREADY_REDEEMED = "already_redeemed"
    OFFER_HAS_REDEMPTIONS = "offer_has_redemptions"
    CODES_REJECTED = "codes_rejected"
    OWN_ACCOUNT = "own_account"
    LAST_ADMIN = "last_admin"
    DATA_REQUEST_OPEN = "data_request_open"
    DATA_REQUEST_CLOSED = "data_request_closed"
    PARTNER_SUSPENDED = "partner_suspended"
    UNKNOWN_COMPANY = "unknown_company"
    COMPANY_OUT_OF_SCOPE = "company_out_of_scope"
    # A legally required notification topic cannot be turned off.
    TOPIC_LOCKED = "topic_locked"
    DATABASE_UNAVAILABLE = "database_unavailable"
    INTERNAL_ERROR = "internal_error"


class AppError(HTTPException):
    """A business-rule failure with a stable machine code; raise it from services."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail=detail, status_code=status, headers=headers)
        self.code = code
        self.errors = errors
        self.extra_fields = extra


def not_found(what: str = "resource") -> AppError:
    return AppError(404, ErrorCode.NOT_FOUND, f"{what} not found")


def conflict(detail: str, code: ErrorCode = ErrorCode.CONFLICT) -> AppError:
    return AppError(409, code, detail)


def invalid_field(field: str, message: str) -> AppError:
    return AppError(
        422, ErrorCode.VALIDATION_FAILED, "validation failed", errors=[{"field": field, "message": message}]
    )


def problem_response(
    status: int,
    code: ErrorCode | str,
    detail: str,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + str(code).replace("_", "-"),
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": str(code),
    }
    if errors is not None:
        body["errors"] = errors
    if extra:
        body.update(extra)
    return Response(content=body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


_MSGSPEC_PATH = re.compile(r" - at `\$\.?([^`]*)`")
_MSGSPEC_MISSING = re.compile(r"missing required field `([^`]*)`")


def msgspec_field_error(message: str) -> dict[str, str]:
    """``{field, message}`` from a msgspec validation message such as
    "Expected `str`, got `int` - at `$.email`" or "Object missing required field `email`"."""
    match = _MSGSPEC_PATH.search(message)
    path = match.group(1) if match else ""
    missing = _MSGSPEC_MISSING.search(message)
    if missing:
        path = f"{path}.{missing.group(1)}" if path else missing.group(1)
    return {"field": path, "message": _MSGSPEC_PATH.sub("", message)}


def _validation_errors(exc: Exception) -> list[dict[str, str]]:
    """Turn Litestar's and msgspec's messages into ``{field, message}`` pairs."""
    extra = getattr(exc, "extra", None)
    errors: list[dict[str, str]] = []
    if isinstance(extra, list):
        for item in extra:
            if isinstance(item, dict):
                errors.append(
                    {"field": str(item.get("key", "")), "message": str(item.get("message", "invalid"))}
                )
    if errors:
        return errors
    return [msgspec_field_error(str(getattr(exc, "detail", "") or exc))]


def _root_cause(exc: BaseException) -> BaseException:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return exc


def handle_app_error(_: Request[Any, Any, Any], exc: AppError) -> Response[dict[str, Any]]:
    return problem_response(
        exc.status_code,
        exc.code,
        exc.detail,
        errors=exc.errors,
        headers=exc.headers,
        extra=exc.extra_fields,
    )


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[dict[str, Any]]:
    """Map Litestar's own exceptions onto our codes."""
    if isinstance(exc, AppError):
        return handle_app_error(request, exc)
    headers = dict(exc.headers or {})
    if isinstance(exc, ValidationException):
        return problem_response(
            422, ErrorCode.VALIDATION_FAILED, "the request is not valid", errors=_validation_errors(exc)
        )
    if isinstance(exc, NotAuthorizedException):
        return problem_response(401, ErrorCode.NOT_AUTHENTICATED, exc.detail or "authentication required")
    if isinstance(exc, PermissionDeniedException):
        return problem_response(403, ErrorCode.FORBIDDEN, "you may not do this")
    if isinstance(exc, NotFoundException):
        return problem_response(404, ErrorCode.NOT_FOUND, "not found")
    if isinstance(exc, MethodNotAllowedException):
        return problem_response(405, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed", headers=headers)
    if isinstance(exc, RequestEntityTooLarge):
        return problem_response(413, ErrorCode.PAYLOAD_TOO_LARGE, "the request body is too large")
    if isinstance(exc, TooManyRequestsException):
        return problem_response(429, ErrorCode.RATE_LIMITED, "too many requests", headers=headers)
    if isinstance(exc, ClientException):
        cause = _root_cause(exc)
        if isinstance(cause, msgspec.ValidationError):
            return problem_response(
                422, ErrorCode.VALIDATION_FAILED, "the request is not valid", errors=_validation_errors(cause)
            )
        if exc.status_code == 415:
            return problem_response(415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, exc.detail)
        return problem_response(400, ErrorCode.MALFORMED_BODY, "the request body could not be read")
    if isinstance(exc, InternalServerException):
        return handle_unexpected(request, exc)
    status = exc.status_code if 400 <= exc.status_code < 600 else 500
    return problem_response(status, ErrorCode.INTERNAL_ERROR if status >= 500 else "http_error", exc.detail)


def handle_integrity_error(request: Request[Any, Any, Any], exc: IntegrityError) -> Response[dict[str, Any]]:
    # A constraint the service did not anticipate; the transaction is rolled back by the session dependency.
    logger.warning("integrity_error", path=request.url.path, constraint=_constraint_name(exc))
    return problem_response(409, ErrorCode.CONFLICT, "the change conflicts with existing data")


def handle_dbapi_error(request: Request[Any, Any, Any], exc: DBAPIError) -> Response[dict[str, Any]]:
    if isinstance(exc, IntegrityError):
        return handle_integrity_error(request, exc)
    if isinstance(exc, DataError):  # a value PostgreSQL cannot store that validation let through
        logger.warning("data_error", path=request.url.path)
        return problem_response(422, ErrorCode.VALIDATION_FAILED, "a value in the request cannot be stored")
    return handle_unexpected(request, exc)


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    logger.error("unhandled_error", path=request.url.path, error_type=type(exc).__name__, exc_info=exc)
    return problem_response(500, ErrorCode.INTERNAL_ERROR, "an unexpected error occurred")


def _constraint_name(exc: IntegrityError) -> str | None:
    orig = getattr(exc, "orig", None)
    return getattr(getattr(orig, "__cause__", None), "constraint_name", None) or getattr(
        orig, "constraint_name", None
    )


EXCEPTION_HANDLERS: dict[type[Exception] | int, Any] = {
    AppError: handle_app_error,
    HTTPException: handle_http_exception,
    IntegrityError: handle_integrity_error,
    DBAPIError: handle_dbapi_error,
    Exception: handle_unexpected,
}
