"""``/metrics`` (who may read it, what it counts, several worker processes) and traces over OTLP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import Litestar
from litestar.plugins.opentelemetry import OpenTelemetryPlugin
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from prometheus_client.parser import text_string_to_metric_families

from loyalty.app import create_app
from loyalty.core.clock import ManualClock
from loyalty.settings import ObservabilitySettings, Settings
from tests.conftest import AppClient
from tests.helpers import API, Api, Mailbox, bearer

METRICS_TOKEN = "scrape-" + "x" * 40
ROOT = Path(__file__).resolve().parents[1]


def with_observability(settings: Settings, **values: Any) -> Settings:
    return msgspec.structs.replace(
        settings, observability=ObservabilitySettings(metrics_token=METRICS_TOKEN, **values)
    )


@pytest.fixture
async def observed(settings: Settings, clock: ManualClock, database_url: str) -> AsyncIterator[Api]:
    app = create_app(with_observability(settings), clock=clock, database_url=database_url)
    async with AppClient(app) as client:
        yield Api(client=client, app=app, mailbox=Mailbox(settings.mail_path), clock=clock)


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples named ``name`` whose labels include ``labels`` (0 when there are none)."""
    wanted = set(labels.items())
    return sum(v for (n, got), v in samples(text).items() if n == name and wanted <= got)


async def scrape(api: Api) -> str:
    response = await api.client.get("/metrics", headers=bearer(METRICS_TOKEN))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_metrics_answer_only_the_scrapers_token(observed: Api) -> None:
    assert (await observed.client.get("/metrics")).status_code == 401
    wrong = await observed.client.get("/metrics", headers=bearer("scrape-" + "y" * 40))
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "not_authenticated"
    admin = await observed.client.get("/metrics", headers=bearer(await observed.admin_token()))
    assert admin.status_code == 401
    assert "loyalty_requests_total" in await scrape(observed)


async def test_without_a_token_setting_nobody_reads_the_metrics(api: Api) -> None:
    assert api.app.state.runtime.settings.observability.metrics_token is None
    assert (await api.client.get("/metrics", headers=bearer(METRICS_TOKEN))).status_code == 401


async def test_requests_are_counted_by_route_template_never_by_raw_path(observed: Api) -> None:
    await observed.publish_policy("1")
    employee = await observed.register()
    template = f"{API}/offers/{{offer_id}}"
    before = await scrape(observed)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for offer_id in ids:
        response = await observed.client.get(f"{API}/offers/{offer_id}", headers=employee.headers)
        assert response.status_code == 404
    after = await scrape(observed)
    labels = {"path": template, "method": "GET", "status_code": "404"}
    assert (
        value(after, "loyalty_requests_total", **labels) - value(before, "loyalty_requests_total", **labels)
        == 3
    )
    assert (
        value(after, "loyalty_request_duration_seconds_count", **labels)
        - value(before, "loyalty_request_duration_seconds_count", **labels)
        == 3
    )
    assert not any(offer_id in after for offer_id in ids)


async def test_failed_logins_throttling_and_redemptions_are_counted(observed: Api) -> None:
    await observed.publish_policy("1")
    employee = await observed.register()
    _, partner_headers = await observed.partner_with_admin()
    offer = await observed.create_offer(partner_headers)
    before = await scrape(observed)

    wrong = {"email": employee.email, "password": "Wrong-Guess-1234"}
    assert (await observed.client.post(f"{API}/auth/login", json=wrong)).status_code == 401
    issued = await observed.client.post(f"{API}/offers/{offer['id']}/redemptions", headers=employee.headers)
    assert issued.status_code == 201, issued.text
    confirmed = await observed.client.post(
        f"{API}/partner/redemptions/confirm", json={"code": issued.json()["code"]}, headers=partner_headers
    )
    assert confirmed.status_code == 200, confirmed.text
    refused = 0
    for _ in range(8):  # the per-account-and-address budget of failed logins is 5
        refused += (await observed.client.post(f"{API}/auth/login", json=wrong)).status_code == 429
    assert refused > 0

    after = await scrape(observed)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("loyalty_logins_failed_total") == 9 - refused
    assert grew("loyalty_throttle_rejections_total") == refused
    assert grew("loyalty_throttle_rejections_total", rule="login-account-ip") == refused
    assert grew("loyalty_redemptions_issued_total") == 1
    assert grew("loyalty_redemptions_confirmed_total") == 1
    settings = observed.app.state.runtime.settings.database
    assert value(after, "loyalty_db_pool_capacity") >= settings.pool_size + settings.max_overflow
    assert value(after, "loyalty_db_pool_wait_seconds_count") > value(
        before, "loyalty_db_pool_wait_seconds_count"
    )
    # The scrape's own request holds no pooled connection while the page is written.
    assert value(after, "loyalty_db_pool_connections_in_use") >= 0


async def test_the_job_queue_depth_is_read_from_the_database(observed: Api) -> None:
    await observed.publish_policy("1")
    employee = await observed.register()
    request = await observed.client.post(
        f"{API}/me/data-requests", json={"kind": "access", "details": "all"}, headers=employee.headers
    )
    assert request.status_code == 201, request.text
    decided = await observed.client.post(
        f"{API}/hr/data-requests/{request.json()['id']}/reject",
        json={"reason": "not needed"},
        headers=bearer(await observed.hr_token()),
    )
    assert decided.status_code == 200, decided.text
    queued = value(await scrape(observed), "loyalty_job_queue_jobs", status="queued")
    assert queued >= 1
    await observed.drain_jobs()
    assert value(await scrape(observed), "loyalty_job_queue_jobs", status="queued") == 0


# --------------------------------------------------------------------------- several worker processes

WORKER = """
import os, sys
from loyalty.app import create_app
from loyalty.settings import AppSettings, ObservabilitySettings, Settings, WorkerSettings, PrivacySettings
from litestar.testing import TestClient

data_dir, database_url, token, requests, linger = sys.argv[1:6]
settings = Settings(
    app=AppSettings(secret_key="s" * 48, data_dir=data_dir, log_level="WARNING"),
    worker=WorkerSettings(in_process=False),
    observability=ObservabilitySettings(metrics_token=token),
).completed()
with TestClient(create_app(settings, database_url=database_url)) as client:
    for _ in range(int(requests)):
        assert client.get("/health/live").status_code == 200
    print(client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).text, flush=True)
    print("=== served", flush=True)
    if linger == "1":
        sys.stdin.readline()
"""


def start_worker(
    tmp_path: Path, metrics_dir: Path, database_url: str, requests: int, *, linger: bool
) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_")}
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            WORKER,
            str(tmp_path / "data"),
            database_url,
            METRICS_TOKEN,
            str(requests),
            "1" if linger else "0",
        ],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def served_metrics(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        if line.startswith("=== served"):
            return "".join(lines)
        lines.append(line)
    raise AssertionError(f"the worker ended early with {process.wait()}")


def test_several_processes_sum_their_counts(tmp_path: Path, database_url: str) -> None:
    """Two processes sharing PROMETHEUS_MULTIPROC_DIR, as ``loyalty run`` with two workers: either one's
    /metrics shows both processes' requests, and live gauges only while their process lives."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    first = start_worker(tmp_path, metrics_dir, database_url, 3, linger=True)
    try:
        served_metrics(first)  # its requests are done; it stays alive
        second = start_worker(tmp_path, metrics_dir, database_url, 5, linger=False)
        both = served_metrics(second)
        assert second.wait(timeout=60) == 0
    finally:
        if first.stdin is not None:
            first.stdin.write("\n")
            first.stdin.close()
        assert first.wait(timeout=60) == 0
    live = {"path": "/health/live", "method": "GET", "status_code": "200"}
    assert value(both, "loyalty_requests_total", **live) == 8
    assert value(both, "loyalty_request_duration_seconds_count", **live) == 8
    one_pool = 32 + 8
    assert value(both, "loyalty_db_pool_capacity") == 2 * one_pool
    # A third process after both stopped: their counts stay, their live gauges left with them.
    third = start_worker(tmp_path, metrics_dir, database_url, 0, linger=False)
    later = served_metrics(third)
    assert third.wait(timeout=60) == 0
    assert value(later, "loyalty_requests_total", **live) == 8
    assert value(later, "loyalty_db_pool_capacity") == one_pool


# --------------------------------------------------------------------------- traces


class Collector:
    """An OTLP/HTTP stand-in on 127.0.0.1 keeping every span it is sent."""

    def __init__(self) -> None:
        self.spans: list[Any] = []
        collector = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/v1/traces":
                    request = ExportTraceServiceRequest.FromString(body)
                    for resource in request.resource_spans:
                        for scope in resource.scope_spans:
                            collector.spans.extend(scope.spans)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def collector() -> Iterator[Collector]:
    stand_in = Collector()
    yield stand_in
    stand_in.close()


async def test_api_requests_are_traced_and_probes_are_not(
    tmp_path: Path,
    settings: Settings,
    clock: ManualClock,
    database_url: str,
    collector: Collector,
    capsys: pytest.CaptureFixture[str],
) -> None:
    json_logs = msgspec.structs.replace(
        settings, app=msgspec.structs.replace(settings.app, log_format="json", log_level="INFO")
    )
    app: Litestar = create_app(
        with_observability(json_logs, otel_endpoint=collector.url), clock=clock, database_url=database_url
    )
    offer_id = str(uuid.uuid4())
    async with AppClient(app) as client:
        assert (await client.get(f"{API}/offers/{offer_id}")).status_code == 401
        for path in ("/health/live", "/health/ready", f"{API}/health/live", f"{API}/health/ready"):
            assert (await client.get(path)).status_code == 200
        assert (await client.get("/metrics", headers=bearer(METRICS_TOKEN))).status_code == 200
        app.state.tracing.provider.force_flush()
    names = sorted(span.name for span in collector.spans)
    assert names == [f"GET {API}/offers/{{offer_id}}"]
    span = collector.spans[0]
    attributes = {a.key: a.value.string_value or a.value.int_value for a in span.attributes}
    assert attributes["http.route"] == f"{API}/offers/{{offer_id}}"
    assert offer_id not in span.name

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    offer_lines = [line for line in lines if line.get("path") == f"{API}/offers/{offer_id}"]
    assert len(offer_lines) == 1
    assert offer_lines[0]["trace_id"] == span.trace_id.hex()
    assert offer_lines[0]["span_id"] == span.span_id.hex()
    probe_lines = [line for line in lines if str(line.get("path", "")).endswith("/health/live")]
    assert probe_lines
    assert all("trace_id" not in line for line in probe_lines)


def test_no_endpoint_no_tracing(app: Litestar) -> None:
    assert app.state.tracing is None
    assert not any(isinstance(plugin, OpenTelemetryPlugin) for plugin in app.plugins)
