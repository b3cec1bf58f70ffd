"""What the observability and slow-network edges add to one request, measured alone: the same Litestar
handler (answering a first page of 20 offers as JSON, 9.7 KB) called straight through ASGI, without and
with each edge, many times; CPU µs per request, best of several rounds (robust on a busy machine).

    .venv/bin/python bench/edge_overhead.py [--requests 4000] [--rounds 7]

Edges: Litestar's PrometheusMiddleware as the app configures it (route-template labels), the
compression middleware on a client that accepts none / gzip / br, the ETag of ``RevalidatedResponse``,
and the pool's counting (one checkout timed, connections in use up and down). Nothing leaves the process.
``bench/first_page.json`` is the first page of the 100k bench database (generated offers) as this branch
answers it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path
from typing import Any

from litestar import Litestar, get
from litestar.config.compression import CompressionConfig
from litestar.plugins.prometheus import PrometheusConfig

from loyalty.core.metrics import PREFIX, REQUEST_BUCKETS
from loyalty.core.revalidation import REVALIDATED
from loyalty.db.pool import DB_POOL_IN_USE, DB_POOL_WAIT


def build(page: Any, *, metrics: bool, compression: bool, etag: bool) -> Litestar:
    extra: dict[str, Any] = REVALIDATED if etag else {}

    @get("/api/v1/offers", sync_to_thread=False, **extra)
    def offers() -> Any:
        return page

    return Litestar(
        route_handlers=[offers],
        middleware=[
            PrometheusConfig(
                app_name="loyalty", prefix=f"{PREFIX}_bench", group_path=True, buckets=REQUEST_BUCKETS
            ).middleware
        ]
        if metrics
        else [],
        compression_config=CompressionConfig(backend="brotli", brotli_quality=4, gzip_compress_level=6)
        if compression
        else None,
        debug=False,
    )


async def drive(app: Litestar, encoding: str, requests: int) -> float:
    headers = [(b"host", b"t"), (b"accept-encoding", encoding.encode())]
    scope_base = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/v1/offers",
        "raw_path": b"/api/v1/offers",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        return None

    started = time.process_time()
    for _ in range(requests):
        await app(dict(scope_base, state={}), receive, send)  # type: ignore[arg-type]
    return (time.process_time() - started) / requests * 1e6


def pool_counting(requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        t = time.perf_counter()
        DB_POOL_IN_USE.inc()
        DB_POOL_WAIT.observe(time.perf_counter() - t)
        DB_POOL_IN_USE.dec()
    return (time.process_time() - started) / requests * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--page", type=Path, default=Path(__file__).parent / "first_page.json")
    args = parser.parse_args()
    page = json.loads(args.page.read_text())
    variants = {
        "plain (before)": (build(page, metrics=False, compression=False, etag=False), "identity"),
        "+ metrics": (build(page, metrics=True, compression=False, etag=False), "identity"),
        "+ metrics + ETag": (build(page, metrics=True, compression=False, etag=True), "identity"),
        "+ metrics + ETag + compression, client accepts none": (
            build(page, metrics=True, compression=True, etag=True),
            "identity",
        ),
        "  ... client accepts gzip": (build(page, metrics=True, compression=True, etag=True), "gzip"),
        "  ... client accepts br": (build(page, metrics=True, compression=True, etag=True), "br"),
    }
    best = {name: float("inf") for name in variants}
    for app, _ in variants.values():
        await app.on_startup[0](app) if app.on_startup else None
    for _ in range(args.rounds):
        for name, (app, encoding) in variants.items():
            best[name] = min(best[name], await drive(app, encoding, args.requests))
    base = best["plain (before)"]
    for name, us in best.items():
        print(f"{name:55} {us:8.1f} µs/request  ({us - base:+.1f})")
    print(
        f"{'pool counting (one checkout)':55} {min(pool_counting(args.requests * 5) for _ in range(args.rounds)):8.1f} µs/request"
    )


if __name__ == "__main__":
    asyncio.run(main())
