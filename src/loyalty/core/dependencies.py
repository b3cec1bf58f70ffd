"""Dependencies every domain's controllers may ask for by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.context import Actor, Origin, Principal
from loyalty.core.i18n import resolve_language
from loyalty.core.network import client_ip, user_agent
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language

# Handlers name what they need with these, so Litestar never has to infer a dependency.
Db = NamedDependency[AsyncSession]
RuntimeDep = NamedDependency[Runtime]
OriginDep = NamedDependency[Origin]
Caller = NamedDependency[Principal]
LanguageDep = NamedDependency[Language]
ActorDep = NamedDependency[Actor]


def provide_runtime(state: State) -> Runtime:
    runtime: Runtime = state.runtime
    return runtime


def provide_origin(request: Request[Any, Any, Any], runtime: NamedDependency[Runtime]) -> Origin:
    return Origin(
        ip=client_ip(request, runtime.settings.app.trusted_proxy_hops), user_agent=user_agent(request)
    )


def provide_actor(principal: NamedDependency[Principal], origin: NamedDependency[Origin]) -> Actor:
    """Who the audit log records for this request: the caller's pseudonym, role and address."""
    return Actor(principal.subject_ref, principal.role.value, origin.ip)


def app_dependencies() -> dict[str, Provide]:
    """Everything but ``principal``, which the guard provides (``loyalty.guard``)."""
    return {
        "runtime": Provide(provide_runtime, sync_to_thread=False),
        "origin": Provide(provide_origin, sync_to_thread=False),
        "reader_language": Provide(resolve_language, sync_to_thread=False),
        "actor": Provide(provide_actor, sync_to_thread=False),
    }


def service(factory: Callable[[AsyncSession, Runtime], Any]) -> Provide:
    """A dependency that builds ``factory(db_session, runtime)`` for each request."""

    def provide(db_session: Db, runtime: RuntimeDep) -> Any:
        return factory(db_session, runtime)

    return Provide(provide, sync_to_thread=False)


def acting_service(factory: Callable[[AsyncSession, Runtime, Actor], Any]) -> Provide:
    """``factory(db_session, runtime, actor)``: a service that records its actions as the caller."""

    def provide(db_session: Db, runtime: RuntimeDep, actor: ActorDep) -> Any:
        return factory(db_session, runtime, actor)

    return Provide(provide, sync_to_thread=False)


def partner_service(factory: Callable[[AsyncSession, Runtime, UUID], Any]) -> Provide:
    """``factory(db_session, runtime, partner_id)``: a service confined to the calling partner admin's partner."""

    def provide(db_session: Db, runtime: RuntimeDep, principal: Caller) -> Any:
        return factory(db_session, runtime, principal.own_partner())

    return Provide(provide, sync_to_thread=False)
