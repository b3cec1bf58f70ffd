"""Every error the API can answer, as one enum of stable codes, and the handlers that render them.

All errors leave as ``application/problem+json`` (RFC 9457) with ``type``, ``title``, ``status``,
``detail`` and ``code``; validation errors add ``errors: [{field, message}]``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from http import HTTPStatus
from typing import Any

import asyncpg
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
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

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
    SHUTTING_DOWN = "shutting_down"
    INTERNAL_ERROR = "internal_error"
    # An HTTP error of Litestar's that no code above names (none is known to reach a client).
    HTTP_ERROR = "http_error"


STATUS_OF: dict[ErrorCode, int] = {
    code: status
    for status, codes in {
        400: (
            ErrorCode.MALFORMED_BODY,
            ErrorCode.INVALID_CODE,
            ErrorCode.CODE_EXPIRED,  # 422 on the till: a route declares (422, CODE_EXPIRED)
            ErrorCode.PASSWORD_REQUIRED,
            ErrorCode.HTTP_ERROR,
        ),
        401: (ErrorCode.NOT_AUTHENTICATED, ErrorCode.INVALID_CREDENTIALS, ErrorCode.TOKEN_REUSED),
        403: (
            ErrorCode.FORBIDDEN,
            ErrorCode.CONSENT_REQUIRED,
            ErrorCode.ACCOUNT_RESTRICTED,
            ErrorCode.EMPLOYEE_TERMINATED,
            ErrorCode.NOT_ELIGIBLE,
            ErrorCode.PARTNER_SUSPENDED,
            ErrorCode.COMPANY_OUT_OF_SCOPE,
        ),
        404: (ErrorCode.NOT_FOUND, ErrorCode.POLICY_NOT_FOUND),
        405: (ErrorCode.METHOD_NOT_ALLOWED,),
        409: (
            ErrorCode.CONFLICT,
            ErrorCode.POLICY_OUTDATED,
            ErrorCode.ALREADY_REGISTERED,
            ErrorCode.ALREADY_PUBLISHED,
            ErrorCode.LIMIT_REACHED,
            ErrorCode.SOLD_OUT,
            ErrorCode.ALREADY_REDEEMED,
            ErrorCode.OFFER_HAS_REDEMPTIONS,
            ErrorCode.OWN_ACCOUNT,
            ErrorCode.LAST_ADMIN,
            ErrorCode.DATA_REQUEST_OPEN,
            ErrorCode.DATA_REQUEST_CLOSED,
        ),
        413: (ErrorCode.PAYLOAD_TOO_LARGE,),
        415: (ErrorCode.UNSUPPORTED_MEDIA_TYPE,),
        422: (
            ErrorCode.TOPIC_LOCKED,
            ErrorCode.VALIDATION_FAILED,
            ErrorCode.WEAK_PASSWORD,
            ErrorCode.FIELD_MANAGED_BY_HR,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            ErrorCode.INVALID_CURSOR,
            ErrorCode.OFFER_NOT_STARTED,
            ErrorCode.OFFER_EXPIRED,
            ErrorCode.IMPORT_REJECTED,
            ErrorCode.CODES_REJECTED,
            ErrorCode.UNKNOWN_COMPANY,
        ),
        429: (ErrorCode.RATE_LIMITED,),
        500: (ErrorCode.INTERNAL_ERROR,),
        503: (ErrorCode.DATABASE_UNAVAILABLE,),
    }.items()
    for code in codes
}
"""The status each code is answered with (``code_expired`` is also 422 on the till)."""


class FieldError(msgspec.Struct):
    field: str
    message: str


class Problem(msgspec.Struct, kw_only=True):
    """Every error body (RFC 9457 problem details, ``application/problem+json``).

    Members beyond ``code`` appear only with the codes that carry them: ``errors`` with
    ``validation_failed`` and ``codes_rejected``; ``policy_version`` with ``consent_required`` and
    ``policy_outdated``; ``limit`` with ``limit_reached``; ``valid_from`` with ``offer_not_started``;
    ``result`` (the per-row report) with ``import_rejected``; ``received`` with ``codes_rejected``.
    """

    type: str
    title: str
    status: int
    detail: str
    code: ErrorCode
    errors: list[FieldError] | msgspec.UnsetType = msgspec.UNSET
    policy_version: str | msgspec.UnsetType | None = msgspec.UNSET
    limit: str | msgspec.UnsetType = msgspec.UNSET  # total, ever, day, week or month
    valid_from: str | msgspec.UnsetType = msgspec.UNSET
    result: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    received: int | msgspec.UnsetType = msgspec.UNSET


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
    return problem_response(
        status, ErrorCode.INTERNAL_ERROR if status >= 500 else ErrorCode.HTTP_ERROR, exc.detail
    )


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


# Seconds a client is asked to wait when the database is away: a PostgreSQL restart takes a few.
DATABASE_RETRY_AFTER = "2"
# asyncpg's errors for a connection that is gone or cannot be made: the server is down, restarting,
# shutting down (57P01-57P03) or out of connections. A query cancelled by a timeout (57014) is not one.
_CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.exceptions.PostgresConnectionError,  # ConnectionDoesNotExistError among them
    asyncpg.exceptions.CannotConnectNowError,
    asyncpg.exceptions.AdminShutdownError,
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.TooManyConnectionsError,
    PoolTimeoutError,  # every pooled connection stayed busy for the whole pool timeout
)
# The socket's own errors (refused, reset, no such socket file, connect timeout) count only when the
# database driver or SQLAlchemy raised them, not when other code of the request did.
_SOCKET_ERRORS = (OSError, TimeoutError)
_DATABASE_MODULES = ("asyncpg", "sqlalchemy")
# What asyncpg says when a statement meets a connection whose previous operation the server's hang-up
# cut short ("another operation is in progress"): unavailable when that connection is closed, a bug
# of ours otherwise.
_DRIVER_STATE_ERRORS = (asyncpg.exceptions.InternalClientError, asyncpg.exceptions.InterfaceError)


def database_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it wraps: SQLAlchemy's ``orig``, a ``__cause__`` or ``__context__``)
    says the database cannot be reached now, rather than that the request or the code is wrong."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _CONNECTION_ERRORS):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        if isinstance(current, asyncpg.exceptions.InterfaceError) and "connection is closed" in str(current):
            return True
        if isinstance(current, _DRIVER_STATE_ERRORS) and _on_closed_connection(current):
            return True
        if isinstance(current, _SOCKET_ERRORS) and _raised_in(current, _DATABASE_MODULES):
            return True
        pending += [getattr(current, "orig", None), current.__cause__, current.__context__]
    return False


def _on_closed_connection(exc: BaseException) -> bool:
    traceback = exc.__traceback__
    while traceback is not None:
        owner = traceback.tb_frame.f_locals.get("self")
        if isinstance(owner, asyncpg.Connection) and owner.is_closed():
            return True
        traceback = traceback.tb_next
    return False


def _raised_in(exc: BaseException, modules: tuple[str, ...]) -> bool:
    traceback = exc.__traceback__
    while traceback is not None:
        if str(traceback.tb_frame.f_globals.get("__name__", "")).startswith(modules):
            return True
        traceback = traceback.tb_next
    return False


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if database_unavailable(exc):
        # Expected while PostgreSQL restarts or fails over: the client retries; no traceback.
        logger.warning("database_unavailable", path=request.url.path, error_type=type(exc).__name__)
        return problem_response(
            503,
            ErrorCode.DATABASE_UNAVAILABLE,
            "the database does not answer; try again shortly",
            headers={"Retry-After": DATABASE_RETRY_AFTER},
        )
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
