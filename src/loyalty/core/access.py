"""Route access declarations: every route says who may call it in ``opt={"access": ...}``.

The one guard that reads these lives in :mod:`loyalty.guard`; the app refuses to start when a
route has no declaration, and ``tests/test_route_access.py`` walks every route with every role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler


class Role(StrEnum):
    EMPLOYEE = "employee"
    PARTNER_ADMIN = "partner_admin"
    HR_ADMIN = "hr_admin"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.HR_ADMIN, Role.ADMIN})
PARTNER_ONLY = frozenset({Role.PARTNER_ADMIN})
ALL_ROLES = frozenset(Role)


@dataclass(frozen=True, slots=True)
class Access:
    """Who may call a route, and which of the employee's privacy states it respects.

    ``consent_exempt``: an employee who has not accepted the current policy may still call it (the
    contract's list: ``/me``, ``/me/consents``, ``/me/export``, ``DELETE /me``).
    ``processing``: the route processes the employee's data for perks (catalog, redemption,
    notifications), so it stops while the account is restricted or the core purpose is withdrawn.
    :attr:`partner_work`: the route acts for the caller's partner, so it stops while the partner is
    suspended.
    ``scraper``: no person may call it, only the metrics scraper with ``LOYALTY_METRICS_TOKEN``.
    """

    roles: frozenset[Role]
    public: bool = False
    scraper: bool = False
    consent_exempt: bool = False
    processing: bool = False

    @property
    def partner_work(self) -> bool:
        """A route only partner admins may call works for their partner (``/partner/*``); routes they
        share with other roles (``/me``, ``/me/export``, ``/auth/logout``, ``/categories``) are their own."""
        return self.roles == PARTNER_ONLY


PUBLIC = Access(roles=frozenset(), public=True)
SCRAPER = Access(roles=frozenset(), scraper=True)


def public() -> dict[str, Any]:
    return {"access": PUBLIC}


def scraper() -> dict[str, Any]:
    """``/metrics``: the Prometheus scraper's bearer token (``LOYALTY_METRICS_TOKEN``), never a person's."""
    return {"access": SCRAPER}


def allow(*roles: Role, consent_exempt: bool = False, processing: bool = False) -> dict[str, Any]:
    if not roles:
        raise ValueError("allow() needs at least one role; use public() for anonymous routes")
    return {"access": Access(frozenset(roles), consent_exempt=consent_exempt, processing=processing)}


def access_of(handler: HTTPRouteHandler) -> Access | None:
    declared = handler.opt.get("access")
    return declared if isinstance(declared, Access) else None


def http_routes(app: Litestar) -> Iterator[tuple[str, str, HTTPRouteHandler]]:
    """Every (method, path, handler) the app serves, HEAD and OPTIONS included where registered."""
    for route in app.routes:
        for method, (handler, _) in getattr(route, "route_handler_map", {}).items():
            if isinstance(handler, HTTPRouteHandler):
                yield method, route.path, handler


def undeclared_routes(app: Litestar) -> list[str]:
    return [
        f"{method} {path}"
        for method, path, handler in http_routes(app)
        if method != "OPTIONS" and access_of(handler) is None
    ]
