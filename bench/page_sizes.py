"""What a page of offers weighs on the wire, uncompressed and compressed, and what compressing it costs.

    .venv/bin/python bench/page_sizes.py [--database-url URL] [--limit 50] [--runs 200]

Builds the app in this process on an already filled catalog database (``bench/catalog_load.py``'s,
default ``loyalty_bench_catalog``), logs in as the demo employee, and asks for the first page of
``--limit`` offers three times: without compression, with ``Accept-Encoding: gzip`` and with ``br``,
through the app's own compression. Then it compresses the same JSON ``--runs`` times at each gzip
level and brotli quality the app could use and prints bytes and CPU microseconds per page. Nothing is
written to the database; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import gzip
import os
import statistics
import time
from collections.abc import Callable

import brotli
import harness
from litestar.testing import TestClient

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench_catalog"


def cpu_us(compress: Callable[[bytes], bytes], body: bytes, runs: int) -> tuple[int, float]:
    timings = []
    for _ in range(runs):
        started = time.process_time()
        size = len(compress(body))
        timings.append(time.process_time() - started)
    return size, statistics.median(timings) * 1e6


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--limit", type=int, default=50)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    workdir = harness.make_workdir("loyalty-page-sizes-")
    os.environ.update(harness.server_env(workdir, args.database_url))
    # Read only: no job worker, no retention run in this process.
    os.environ.update({"LOYALTY_WORKER_IN_PROCESS": "false"})
    from loyalty.app import create_app

    email, password, _ = harness.demo_employee()
    with TestClient(create_app()) as client:
        login = client.post(f"{harness.API}/auth/login", json={"email": email, "password": password})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}", "Accept-Language": "ru"}
        url = f"{harness.API}/offers?limit={args.limit}"
        wire = {}
        for encoding in ("identity", "gzip", "br"):
            with client.stream("GET", url, headers=headers | {"Accept-Encoding": encoding}) as response:
                wire[encoding] = len(b"".join(response.iter_raw()))
                served = response.headers.get("content-encoding", "identity")
                assert served == encoding, (encoding, served)
        body = client.get(url, headers=headers | {"Accept-Encoding": "identity"}).content
    harness.remove_workdir(workdir, keep=False)
    print(f"first page of {args.limit} offers, as the app sends it (bytes on the wire):")
    for encoding, size in wire.items():
        print(f"  {encoding:8} {size:7d} B  ({size / wire['identity']:.0%})")
    print(f"compressing that JSON, median of {args.runs} runs (CPU µs per page):")
    for level in (1, 6, 9):
        size, us = cpu_us(
            lambda b, level=level: gzip.compress(b, compresslevel=level, mtime=0), body, args.runs
        )
        print(f"  gzip -{level:<2}      {size:7d} B  {us:7.0f} µs")
    for quality in (1, 4, 5, 11):
        size, us = cpu_us(lambda b, q=quality: brotli.compress(b, quality=q), body, args.runs)
        print(f"  brotli q{quality:<2}     {size:7d} B  {us:7.0f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
