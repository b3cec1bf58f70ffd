"""OpenTelemetry traces, on only when ``LOYALTY_OTEL_ENDPOINT`` names an OTLP/HTTP collector.

One server span per request (Litestar's OpenTelemetry plugin around the whole app), named by the
route's template once routing has found it (``core/logging.py``), never by the raw path; health probes
and ``/metrics`` make none. Spans leave in batches from a background thread, so a slow or absent
collector never holds a request. The JSON logs carry the current ``trace_id`` and ``span_id``
(:func:`add_trace_ids`), so a log line leads to its trace.

OTLP over HTTP (protobuf) rather than gRPC: it needs no grpcio (a large native package that does not
survive ``fork`` well in multi-process servers), goes through ordinary HTTP proxies, and every collector
accepts it (port 4318).
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

SERVICE_NAME = "loyalty"
# Probes and scrapes come every few seconds and say nothing about a user's request.
UNTRACED_PATHS = ["^/health/", "^/api/v1/health/", "^/metrics"]


@dataclass(frozen=True, slots=True)
class Tracing:
    plugin: OpenTelemetryPlugin
    provider: TracerProvider

    def shutdown(self) -> None:
        """Send what is still batched, then stop the exporter's thread."""
        self.provider.shutdown()


def build_tracing(endpoint: str | None, exporter: SpanExporter | None = None) -> Tracing | None:
    """The plugin and its provider, or None without an endpoint (``exporter`` replaces OTLP in tests)."""
    if endpoint is None and exporter is None:
        return None
    # OTEL_RESOURCE_ATTRIBUTES is merged in by the SDK; OTEL_SERVICE_NAME, when set, names the service.
    name = os.environ.get("OTEL_SERVICE_NAME") or SERVICE_NAME
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    provider.add_span_processor(
        BatchSpanProcessor(exporter or OTLPSpanExporter(endpoint=f"{(endpoint or '').rstrip('/')}/v1/traces"))
    )
    config = OpenTelemetryConfig(
        tracer_provider=provider,
        exclude=UNTRACED_PATHS,
        # The ASGI receive/send spans would double the spans for nothing a request's trace needs.
        exclude_spans=["receive", "send"],
    )
    return Tracing(OpenTelemetryPlugin(config), provider)


def name_span_by_route(method: str, path_template: str) -> None:
    """Rename the request's server span from its raw path to its route (``GET /api/v1/offers/{offer_id:uuid}``)."""
    span = trace.get_current_span()
    if span.is_recording():
        span.update_name(f"{method} {path_template}")
        span.set_attribute("http.route", path_template)


def add_trace_ids(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """structlog processor: the trace and span the line was logged in, as the collector shows them."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event["trace_id"] = format(context.trace_id, "032x")
        event["span_id"] = format(context.span_id, "016x")
    return event
