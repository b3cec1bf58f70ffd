"""``create_app(settings)``: builds every configuration and collaborator of the service, nothing at import."""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

import msgspec
import structlog
from advanced_alchemy.extensions.litestar import SQLAlchemyPlugin
from litestar import Controller, Litestar, Router
from litestar.config.app import AppConfig
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins import InitPluginProtocol, PluginProtocol
from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import ControllerRouterHandler
from msgspec import Struct
from opentelemetry.sdk.trace.export import SpanExporter

from loyalty.catalog.controllers import (
    AdminCategoryController,
    AdminOfferController,
    CatalogController,
    FavoriteController,
    PartnerOfferController,
)
from loyalty.cli import LoyaltyCommands
from loyalty.companies.controllers import AdminCompanyController, StaffScopeController
from loyalty.companies.scope import provide_hr_scope
from loyalty.core.access import http_routes, public, undeclared_routes
from loyalty.core.clock import Clock
from loyalty.core.contract import (
    TAGS,
    StrictStructSchemaPlugin,
    document_errors,
    require_operation_id,
    undocumented_routes,
)
from loyalty.core.dependencies import app_dependencies
from loyalty.core.errors import EXCEPTION_HANDLERS
from loyalty.core.hashing import SecretHasher
from loyalty.core.logging import RequestContextMiddleware, configure_logging
from loyalty.core.mailer import Mailer, build_mailer
from loyalty.core.metrics import PREFIX, REQUEST_BUCKETS, forget_this_process
from loyalty.core.pagination import CursorCodec
from loyalty.core.runtime import Runtime
from loyalty.core.signing import QrSigner
from loyalty.core.throttle import Throttle
from loyalty.core.tokens import TokenService
from loyalty.core.tracing import Tracing, build_tracing
from loyalty.db.config import build_sqlalchemy_config, resolve_database_url, transaction_dependency
from loyalty.db.pool import add_pool_capacity, release_pool
from loyalty.guard import access_guard, provide_principal
from loyalty.health.controllers import HealthController, MetricsController
from loyalty.identity.controllers import AuthController, MeController
from loyalty.notifications.controllers import (
    AnnouncementController,
    DeviceController,
    NotificationController,
    PreferenceController,
    UnsubscribeController,
)
from loyalty.partners.controllers import AdminPartnerController, PartnerLocationController
from loyalty.privacy.controllers.consent import AdminPolicyController, ConsentController, PolicyController
from loyalty.privacy.controllers.rights import AuditLogController, HrDataRequestController, MyDataController
from loyalty.redemption.controllers import PartnerRedemptionController, RedemptionController
from loyalty.roster.controllers import RosterController
from loyalty.settings import Settings
from loyalty.staff.controllers import AdminStaffController, AdminUserController
from loyalty.worker import run_worker

API_PREFIX = "/api/v1"
log = structlog.get_logger("loyalty.app")
API_CONTROLLERS = [
    HealthController,  # also at the root: orchestrators probe /health/*, the contract lists it under /api/v1
    AuthController,
    MeController,
    NotificationController,
    DeviceController,
    PreferenceController,
    UnsubscribeController,
    AnnouncementController,
    AdminUserController,
    AdminStaffController,
    PolicyController,
    ConsentController,
    AdminPolicyController,
    RosterController,
    CatalogController,
    FavoriteController,
    PartnerOfferController,
    PartnerLocationController,
    AdminPartnerController,
    AdminCategoryController,
    AdminOfferController,
    RedemptionController,
    PartnerRedemptionController,
    MyDataController,
    HrDataRequestController,
    AuditLogController,
    AdminCompanyController,
    StaffScopeController,
]


def _own_path(controller: type[Controller]) -> str:
    # A controller's path is a class attribute over Litestar's slot of the same name.
    return next(
        (vars(klass)["path"] for klass in controller.__mro__ if isinstance(vars(klass).get("path"), str)), "/"
    )


def _paths_of(controller: type[Controller]) -> set[str]:
    own = _own_path(controller)
    return {
        f"{own.rstrip('/')}/{path.lstrip('/')}".rstrip("/") or "/"
        for handler in vars(controller).values()
        if isinstance(handler, HTTPRouteHandler)
        for path in handler.paths
    }


def served_under(prefix: str, controllers: list[type[Controller]]) -> list[ControllerRouterHandler]:
    """``controllers`` at ``prefix``. Litestar deep-copies a ``Router`` with every handler in it on each
    app (a third of an app's start-up, paid by every test), so each controller is served as a subclass
    with the prefixed path instead; controllers that share a path still go through one small Router,
    because Litestar merges a path's handlers only before it adds the path's OPTIONS handler."""
    groups: list[tuple[set[str], list[type[Controller]]]] = []
    for controller in controllers:
        paths = _paths_of(controller)
        joined = [group for group in groups if group[0] & paths]
        merged = (
            paths.union(*(group[0] for group in joined)),
            [c for group in joined for c in group[1]] + [controller],
        )
        groups = [group for group in groups if group not in joined] + [merged]
    served: list[ControllerRouterHandler] = []
    for _, members in groups:
        if len(members) == 1:
            served.append(type(members[0].__name__, (members[0],), {"path": prefix + _own_path(members[0])}))
        else:
            served.append(Router(path=prefix, route_handlers=members))
    return served


API_ROUTES = served_under(API_PREFIX, API_CONTROLLERS)


@asynccontextmanager
async def ready_until_sigterm(app: Litestar) -> AsyncIterator[None]:
    """``/health/ready`` answers 503 from the moment the process gets SIGTERM, while requests in flight
    drain: the server's own handler (uvicorn's) still runs, we only note the signal first."""
    app.state.draining = False
    previous = (
        signal.getsignal(signal.SIGTERM) if threading.current_thread() is threading.main_thread() else None
    )
    if not callable(previous):  # no server handles SIGTERM here (tests, a worker thread): nothing to note
        yield
        return
    server_handler = previous

    def note_then_forward(signum: int, frame: Any) -> None:
        app.state.draining = True
        server_handler(signum, frame)

    signal.signal(signal.SIGTERM, note_then_forward)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGTERM) is note_then_forward:
            signal.signal(signal.SIGTERM, server_handler)


@asynccontextmanager
async def in_process_worker(app: Litestar) -> AsyncIterator[None]:
    """Development runs the job worker inside the web process (``LOYALTY_WORKER_IN_PROCESS``), so
    ``loyalty up`` alone delivers notifications; production runs ``loyalty worker`` beside it."""
    runtime: Runtime = app.state.runtime
    if not runtime.settings.worker_in_process:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(runtime, stop))
    task.add_done_callback(_report_worker_end)
    try:
        yield
    finally:
        stop.set()
        with suppress(Exception):  # reported by _report_worker_end
            await task


@asynccontextmanager
async def observability(app: Litestar) -> AsyncIterator[None]:
    """Add the pool's capacity to the process's gauges while the app runs; on the way out, flush the batched spans and
    take this process's live gauges out of the multiprocess sums."""
    runtime: Runtime = app.state.runtime
    capacity = runtime.settings.database.pool_size + runtime.settings.database.max_overflow
    add_pool_capacity(capacity)
    tracing: Tracing | None = app.state.tracing
    try:
        yield
    finally:
        release_pool(capacity)
        if tracing is not None:
            tracing.shutdown()
        forget_this_process()


def _report_worker_end(task: asyncio.Task[None]) -> None:
    """A worker that fails (the database gone, its schema not migrated) says so when it happens, not at
    shutdown; the API keeps serving."""
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("in_process_worker_failed", error_type=type(error).__name__, error=str(error))


class RouteDeclarationCheck(InitPluginProtocol):
    """Refuse to build an app in which some route does not say who may call it."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.on_startup.append(_check_declarations)
        return app_config


def _check_declarations(app: Litestar) -> None:
    if missing := undeclared_routes(app):
        raise RuntimeError(f"routes without an access declaration: {', '.join(missing)}")
    if missing := undocumented_routes(app):
        raise RuntimeError(f"routes without an operation id or tag: {', '.join(missing)}")
    if clashes := body_fields_named_like_dependencies(app):
        raise RuntimeError(f"request body fields named like a dependency: {', '.join(clashes)}")


def body_fields_named_like_dependencies(app: Litestar) -> list[str]:
    """Litestar blames a dependency, and answers 500, when a body field that fails validation has a
    dependency's name (a bad ``"language"`` once did); so no body field may share one."""
    clashes = []
    for method, path, handler in http_routes(app):
        body = handler.parsed_fn_signature.parameters.get("data")
        if body is None or not (isinstance(body.annotation, type) and issubclass(body.annotation, Struct)):
            continue
        names = {field.encode_name for field in msgspec.structs.fields(body.annotation)}
        clashes += [f"{method} {path} {name}" for name in sorted(names & set(handler.resolve_dependencies()))]
    return clashes


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    mailer: Mailer | None = None,
    database_url: str | None = None,
    span_exporter: SpanExporter | None = None,
) -> Litestar:
    settings = settings or Settings.from_env()
    configure_logging(settings)
    db_config = build_sqlalchemy_config(settings, database_url or resolve_database_url(settings))
    runtime = Runtime(
        settings=settings,
        clock=clock or Clock(),
        hasher=SecretHasher(settings.argon2),
        tokens=TokenService(settings.secret_key, settings.auth.access_token_ttl_seconds),
        mailer=mailer or build_mailer(settings),
        throttle=Throttle(settings.secret_key, settings.redis.url),
        cursors=CursorCodec(settings.secret_key),
        db_config=db_config,
        qr=QrSigner(settings.secret_key),
    )
    tracing = build_tracing(settings.observability.otel_endpoint, span_exporter)
    plugins: list[PluginProtocol] = [
        SQLAlchemyPlugin(config=db_config),
        RouteDeclarationCheck(),
        LoyaltyCommands(),
        StrictStructSchemaPlugin(),
    ]
    if tracing is not None:
        plugins.append(tracing.plugin)
    metrics = PrometheusConfig(app_name="loyalty", prefix=PREFIX, group_path=True, buckets=REQUEST_BUCKETS)
    app = Litestar(
        route_handlers=[
            # The probes at the root are the same operations as under /api/v1, documented there once.
            Router(path="/", route_handlers=[HealthController], include_in_schema=False),
            MetricsController,
            *API_ROUTES,
        ],
        plugins=plugins,
        dependencies={
            **app_dependencies(),
            "principal": Provide(provide_principal, sync_to_thread=False),
            "db_session": Provide(transaction_dependency(db_config)),
            "hr_scope": Provide(provide_hr_scope),
        },
        guards=[access_guard],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[metrics.middleware, RequestContextMiddleware],
        # A 50-offer page is ~20 KB of JSON; brotli for the clients that accept it, gzip for the rest.
        compression_config=CompressionConfig(backend="brotli", brotli_quality=4, gzip_compress_level=6),
        request_max_body_size=settings.app.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="loyalty API",
            version="1.0.0",
            description="Employee perks: staff-only registration, partner discounts, redemption, data rights.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
            openapi_router=Router(path="/schema", route_handlers=[], include_in_schema=False, opt=public()),
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
            ),
            security=[{"bearer": []}],
            tags=TAGS,
            operation_id_creator=require_operation_id,
        ),
        state=State({"runtime": runtime, "tracing": tracing}),
        lifespan=[ready_until_sigterm, observability, in_process_worker],
        debug=False,
    )
    _check_declarations(app)
    document_errors(app)
    return app
