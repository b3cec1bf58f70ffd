"""``loyalty run``: the API on uvicorn, in ``LOYALTY_WORKERS`` processes under uvicorn's supervisor.

Why uvicorn (and not granian): it is already what Litestar's CLI and ``loyalty up`` serve with, and its
shutdown is the one we need and can read. On SIGTERM a worker closes its listening socket, closes idle
keep-alive connections, lets each request in flight finish and then closes that connection too (so a
busy keep-alive client cannot keep it alive), waits up to ``timeout_graceful_shutdown`` and only then
cancels what is left, and finally runs the lifespan shutdown (our pools close there). The supervisor
restarts a worker that dies, stops when a worker cannot start at all, and rolls the workers on SIGHUP.
Granian only learnt to let requests in flight finish in 2.x, and keeps serving kept-alive connections
while it drains (emmett-framework/granian#518, #548); its Rust core is faster per request, but our
requests spend their time in Python and PostgreSQL, not in the HTTP parser.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile

import uvicorn
from uvicorn.supervisors import Multiprocess

APP_FACTORY = "loyalty.app:create_app"
# Read by prometheus_client's multiprocess mode: every worker writes its samples there and /metrics
# adds them up. It must be empty when the server starts, so each run gets a fresh one.
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
WORKER_HEALTHCHECK_SECONDS = 60


class Supervisor(Multiprocess):
    """uvicorn's supervisor that, on SIGTERM or Ctrl-C, closes its own copy of the listening socket
    before stopping the workers: once they close theirs, new connections are refused at once instead
    of waiting in the kernel's queue for workers that are leaving."""

    def handle_term(self) -> None:
        self._stop_listening()
        super().handle_term()

    def handle_int(self) -> None:
        self._stop_listening()
        super().handle_int()

    def _stop_listening(self) -> None:
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()


def serve(*, host: str, port: int, workers: int, grace_seconds: int, log_level: str) -> None:
    """Serve until SIGTERM or Ctrl-C, then drain (see the module docstring) and return."""
    config = uvicorn.Config(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        timeout_graceful_shutdown=grace_seconds,
        lifespan="on",
        # The app reads X-Forwarded-For itself, as far as LOYALTY_TRUSTED_PROXY_HOPS says to trust it.
        proxy_headers=False,
        server_header=False,
        access_log=False,  # the app logs each request (core/logging.py)
        log_level=log_level.lower(),
        # The supervisor kills a worker that does not answer its ping within this; a new worker answers
        # only once it has imported the app, which takes several seconds on a busy small machine.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
    metrics_dir = None
    if METRICS_DIR_VARIABLE not in os.environ:
        metrics_dir = tempfile.mkdtemp(prefix="loyalty-metrics-")
        os.environ[METRICS_DIR_VARIABLE] = metrics_dir  # inherited by the workers
    try:
        Supervisor(config, sockets=[config.bind_socket()]).run()
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
