"""The one guard: reads each route's :class:`~loyalty.core.access.Access` declaration, authenticates the
caller against a live session, and applies role, consent and restriction rules, and stops a suspended
partner's admins from working for it."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import DateTime, Uuid, bindparam, select

from loyalty.core.access import Access, Role
from loyalty.core.context import Principal
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.prepared import Prepared, connection_of
from loyalty.core.runtime import Runtime
from loyalty.core.tokens import InvalidToken
from loyalty.identity.models import AccountStatus, AuthSession, User
from loyalty.partners.models import Partner, PartnerStatus
from loyalty.privacy.models import PolicyVersion
from loyalty.privacy.policies import current_policy_query
from loyalty.roster.models import RosterEntry

_NOW = bindparam("now", type_=DateTime(timezone=True))
_CURRENT_POLICY = (
    current_policy_query(_NOW)
    .with_only_columns(PolicyVersion.id, PolicyVersion.version)
    .subquery("current_policy")
)
# Every authenticated request runs this one statement, built and compiled once: the session is live, the
# account active, and with it what the rules below need (role, consent, restriction, partner, roster).
SESSION_CHECK = Prepared(
    select(
        User.role,
        User.status,
        User.language,
        User.roster_entry_id,
        User.consented_policy_version_id,
        User.core_consent,
        User.restricted_at,
        User.partner_id,
        Partner.status.label("partner_status"),
        User.subject_ref,
        RosterEntry.company,
        RosterEntry.department,
        RosterEntry.city,
        _CURRENT_POLICY.c.id.label("policy_id"),
        _CURRENT_POLICY.c.version.label("policy_version"),
    )
    .join(AuthSession, AuthSession.user_id == User.id)
    .outerjoin(RosterEntry, RosterEntry.id == User.roster_entry_id)
    .outerjoin(Partner, Partner.id == User.partner_id)
    .outerjoin(_CURRENT_POLICY, _CURRENT_POLICY.c.id.is_not(None))
    .where(
        AuthSession.id == bindparam("session_id", type_=Uuid),
        User.id == bindparam("user_id", type_=Uuid),
        AuthSession.revoked_at.is_(None),
        AuthSession.expires_at > _NOW,
        User.status == AccountStatus.ACTIVE,
    )
)


def _bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthorizedException("a bearer access token is required")
    return token.strip()


async def authenticate(
    connection: ASGIConnection[Any, Any, Any, Any], runtime: Runtime
) -> tuple[Principal, Any]:
    """The caller and the current policy row (id, version), or 401 ``not_authenticated``."""
    now = runtime.clock.now()
    try:
        claims = runtime.tokens.decode_access(_bearer_token(connection), now)
    except InvalidToken:
        raise NotAuthorizedException("the access token is not valid") from None
    session = runtime.db_config.provide_session(connection.app.state, connection.scope)
    row = await SESSION_CHECK.fetchrow(
        await connection_of(session), session_id=claims.session_id, user_id=claims.user_id, now=now
    )
    if row is None:
        raise NotAuthorizedException("the session has ended")
    principal = Principal(
        user_id=claims.user_id,
        session_id=claims.session_id,
        role=Role(row["role"]),
        language=row["language"],
        roster_entry_id=row["roster_entry_id"],
        consented_policy_version_id=row["consented_policy_version_id"],
        core_consent=row["core_consent"],
        restricted=row["restricted_at"] is not None,
        partner_id=row["partner_id"],
        partner_suspended=row["partner_status"] == PartnerStatus.SUSPENDED,
        subject_ref=row["subject_ref"],
        company=row["company"],
        department=row["department"],
        city=row["city"],
    )
    return principal, row


async def access_guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    access = handler.opt.get("access")
    if not isinstance(access, Access):
        # The app refuses to start with an undeclared route; this is the fail-closed backstop.
        raise PermissionDeniedException("this route declares no access rule")
    if access.public:
        return
    runtime: Runtime = connection.app.state.runtime
    if access.scraper:
        expected = runtime.settings.observability.metrics_token
        if expected is None or not hmac.compare_digest(_bearer_token(connection).encode(), expected.encode()):
            raise NotAuthorizedException("the metrics scraper's token is required")
        return
    principal, row = await authenticate(connection, runtime)
    connection.scope["user"] = principal
    if principal.role not in access.roles:
        raise PermissionDeniedException("your role may not call this")
    if principal.role is Role.PARTNER_ADMIN and access.partner_work and principal.partner_suspended:
        raise AppError(
            403,
            ErrorCode.PARTNER_SUSPENDED,
            "your partner is suspended; its work waits until it is re-enabled",
        )
    if principal.role is not Role.EMPLOYEE:
        return
    if (
        not access.consent_exempt
        and row["policy_id"] is not None
        and principal.consented_policy_version_id != row["policy_id"]
    ):
        raise AppError(
            403,
            ErrorCode.CONSENT_REQUIRED,
            "accept the current privacy policy to continue",
            policy_version=row["policy_version"],
        )
    if access.processing:
        if not principal.core_consent:
            raise AppError(
                403,
                ErrorCode.CONSENT_REQUIRED,
                "you withdrew consent to the core purpose; give it again to continue",
                policy_version=row["policy_version"],
            )
        if principal.restricted:
            raise AppError(
                403, ErrorCode.ACCOUNT_RESTRICTED, "processing of your data is restricted at your request"
            )


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    principal = request.scope.get("user")
    if not isinstance(principal, Principal):
        raise NotAuthorizedException("authentication required")
    return principal
