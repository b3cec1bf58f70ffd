"""How a one-word search fares on the postings (migration 0013) against ranking every match, word by word:
whether the walk proved its page and how deep it went, whether the page is the same, and the PostgreSQL time
of each way (the statements of one request, run back to back on one connection after warming up, so that
the prepared statements are on their steady-state plans; median of ``--runs``).

    .venv/bin/python bench/postings_check.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench

The database must hold the catalog benchmark's data (``bench/catalog_load.py --no-load``) and migration 0013.
The viewer is the demo employee; the page is 20 (21 rows asked, as the service does).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import asyncpg
import catalog_load
import harness

from loyalty.catalog.browse import BrowseShape, browse_statement, walked_page
from loyalty.catalog.search import tsquery_params, tsquery_shape, understand, words_of
from loyalty.catalog.visibility import Viewer, viewer_params, viewer_shape

WORDS = (
    "кофе кітаптар pizza пица пицца скидка coffee фитнес книги тенге spa маникюр кофейня десерты суши "
    "массаж кино такси подарок бесплатно жеңілдік кітап йога"
)


async def walked(
    connection: asyncpg.Connection, shape: BrowseShape, params: dict[str, Any]
) -> tuple[Any, str]:
    """The page the service finds from the postings, and how (the walks and the reaching sets; "full":
    not proven, every match ranked)."""
    steps: list[str] = []
    rows = await walked_page(connection, shape, params, steps=steps)
    if rows is None:
        return await browse_statement(shape).fetch(connection, **params), "full"
    return rows, ", ".join(steps)


async def timed(runs: int, call: Any) -> float:
    for _ in range(6):  # past the five custom plans of a prepared statement
        await call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


async def check(url: str, words: list[str], runs: int) -> int:
    _, _, roster = harness.demo_employee()
    viewer = Viewer(uuid4(), roster["company"], roster["department"], roster["city"])
    connection = await asyncpg.connect(harness.asyncpg_dsn(url))
    kept_total = wanted_total = 0
    print(f"{'word':<12} {'matches':>7} {'top 20 kept':>11} {'postings ms':>11} {'full ms':>8}  how")
    try:
        for word in words:
            typed, corrections = await understand(connection, words_of(word))
            shape = BrowseShape(
                sort="relevance",
                viewer=viewer_shape(viewer),
                tsquery=tsquery_shape(typed, corrections),
            )
            params = {
                "now": datetime.now(UTC),
                "limit": 21,
                **viewer_params(viewer),
                **tsquery_params(typed, corrections),
            }
            full = await browse_statement(shape).fetch(connection, **params | {"limit": 100_000})
            page, how = await walked(connection, shape, params)
            top = [row["sort_1"] for row in full[:20]]
            kept = len(set(top) & {row["sort_1"] for row in page[:20]})
            same = [row["sort_1"] for row in page] == [row["sort_1"] for row in full[:21]]
            kept_total, wanted_total = kept_total + kept, wanted_total + len(top)
            postings_ms = await timed(
                runs, lambda shape=shape, params=params: walked(connection, shape, params)
            )
            full_ms = await timed(
                runs, lambda shape=shape, params=params: browse_statement(shape).fetch(connection, **params)
            )
            print(
                f"{word:<12} {len(full):>7} {kept:>6}/{len(top):<2}{'' if same else ' !':<3}"
                f" {postings_ms:>11.2f} {full_ms:>8.2f}  {how}"
            )
    finally:
        await connection.close()
    print(f"top 20 kept: {kept_total} of {wanted_total}")
    return 0 if kept_total == wanted_total else 1


def main() -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--database-url", default=catalog_load.DEFAULT_DATABASE_URL)
    parser.add_argument("--words", default=WORDS, help="space-separated words to search")
    parser.add_argument("--runs", type=int, default=9, help="timed runs per way and word (default 9)")
    args = parser.parse_args()
    return asyncio.run(check(args.database_url, args.words.split(), args.runs))


if __name__ == "__main__":
    sys.exit(main())
