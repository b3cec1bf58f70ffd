"""Prometheus metrics: what the service counts besides the per-route requests (Litestar's
``PrometheusMiddleware``) and the connection pool (``db/pool.py``), and the ``/metrics`` exposition.

The metrics are module-level, unlike the rest of the runtime: ``prometheus_client`` keeps one registry
per process, and in multiprocess mode one set of files per process, so a metric is a process-wide fact
whichever app instance counts it. Counting is one increment on the hot path (a lock and a float add, or
a write to a memory-mapped file in multiprocess mode).

Several worker processes: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder before the processes start
(before ``prometheus_client`` is imported anywhere: it picks its storage then). Each process then
writes its values to its own files there and ``/metrics``, in whichever process answers, sums them:
counters and histograms add up; the gauges say how they combine (``multiprocess_mode``): ``livesum``
for connections in use and pool capacity (the sum over the processes alive now; a process that stops
cleanly removes its files in :func:`forget_this_process`). The folder must be emptied when the server
starts (:func:`prepare_multiprocess_dir`), or a previous run's counts come back.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
PREFIX = "loyalty"
# Request durations (Litestar's middleware): the catalog answers in a few milliseconds, searches in tens.
REQUEST_BUCKETS: list[str | float] = [0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

REDEMPTIONS_ISSUED = Counter(f"{PREFIX}_redemptions_issued", "Codes issued to employees (committed)")
REDEMPTIONS_CONFIRMED = Counter(f"{PREFIX}_redemptions_confirmed", "Codes confirmed at a partner's till")
LOGINS_FAILED = Counter(f"{PREFIX}_logins_failed", "Password logins refused: wrong email or password")
NOTIFICATION_DELIVERIES = Counter(
    f"{PREFIX}_notification_deliveries",
    "Deliveries the worker finished (push and email), by channel and outcome (sent, failed, skipped, retry)",
    ["channel", "outcome"],
)
THROTTLE_REJECTIONS = Counter(
    f"{PREFIX}_throttle_rejections",
    "Requests answered 429 rate_limited, by the rule that was spent",
    ["rule"],
)


# Read once, like prometheus_client, which chose its storage when it was imported just above: a variable
# set later would make /metrics read files that nothing in this process writes.
_MULTIPROCESS_DIR = os.environ.get(MULTIPROCESS_ENV) or None


def multiprocess_dir() -> str | None:
    return _MULTIPROCESS_DIR


def prepare_multiprocess_dir(path: Path) -> None:
    """For the process that starts several workers, before it starts them (and before it imports the
    app): an empty folder for their metric files, named in the environment they inherit."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    os.environ[MULTIPROCESS_ENV] = str(path)


def forget_this_process() -> None:
    """A stopping worker's live gauges leave the sums (its counters stay counted)."""
    if directory := multiprocess_dir():
        multiprocess.mark_process_dead(os.getpid(), directory)  # type: ignore[no-untyped-call]


def exposition(queue_depth: dict[tuple[str, str], int] | None) -> bytes:
    """The text format of every metric: this process's, or every worker's summed in multiprocess mode,
    plus the job queue's depth read from the database just now (None when it could not be read)."""
    if directory := multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, directory)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    text = generate_latest(registry)
    if queue_depth is not None:
        jobs = GaugeMetricFamily(
            f"{PREFIX}_job_queue_jobs",
            "Jobs in the queue now, by entrypoint and status (queued: waiting; picked: running)",
            labels=["entrypoint", "status"],
        )
        for (entrypoint, status), count in sorted(queue_depth.items()):
            jobs.add_metric([entrypoint, status], count)
        queue = CollectorRegistry()
        queue.register(_Fixed([jobs]))
        text += generate_latest(queue)
    return text


class _Fixed:
    """A collector that yields metric families computed before the scrape."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self) -> list[GaugeMetricFamily]:
        return self.families
