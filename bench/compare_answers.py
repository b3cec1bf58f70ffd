"""Do two versions of loyalty answer the same? Starts the service from this checkout and from another
source tree (``--other-src``, e.g. a git worktree of an older commit) on the same database, sends both the
catalog benchmark's requests (every case, the first pages and their next pages, the details of many
offers) as the demo employee, and compares the JSON answers.

    .venv/bin/python bench/compare_answers.py --other-src /path/to/old/src \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench_catalog

The database must hold the catalog benchmark's data (``bench/catalog_load.py --no-load``). Both servers
read it at the same instant, give or take a second, so offers that start or end within that second could
differ; none of the generated data does.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import catalog_load
import harness
import httpx


async def answers(base_url: str, email: str, password: str, paths: list[str]) -> dict[str, Any]:
    """Every path's answer, and for lists the next page's too (following ``next_cursor``)."""
    found: dict[str, Any] = {}
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        token = await catalog_load.login(client, email, password)
        headers = {"Authorization": f"Bearer {token}", "Accept-Language": "ru"}
        for path in paths:
            response = await client.get(path, headers=headers)
            body = response.json()
            found[path] = [response.status_code, body]
            cursor = body.get("next_cursor") if isinstance(body, dict) else None
            if cursor:
                page = await client.get(path, headers=headers, params={"cursor": cursor})
                # Cursors are signed per process start only by the secret key, which both servers share.
                found[path + " (page 2)"] = [page.status_code, page.json()]
    return found


def differences(mine: dict[str, Any], other: dict[str, Any]) -> list[str]:
    return [
        path
        for path in mine
        if json.dumps(mine[path], sort_keys=True) != json.dumps(other.get(path), sort_keys=True)
    ]


def main() -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument("--other-src", type=Path, required=True, help="the other version's src/ folder")
    parser.add_argument("--database-url", default=catalog_load.DEFAULT_DATABASE_URL)
    parser.add_argument("--details", type=int, default=200, help="offer details to compare (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder with both server logs")
    args = parser.parse_args()
    email, password, roster = harness.demo_employee()
    workdir = harness.make_workdir("loyalty-compare-")
    env = harness.server_env(
        workdir, args.database_url, keep=harness.TUNING_PREFIXES, settings=harness.LOAD_SETTINGS
    )
    detail = asyncio.run(catalog_load.detail_paths(args.database_url, roster["company"], args.details))
    paths = [case.path for case in catalog_load.CASES if case.path] + detail
    results = {}
    try:
        for label, extra in (("this checkout", {}), ("other", {"PYTHONPATH": str(args.other_src.resolve())})):
            server = harness.Server(workdir, harness.free_port(), {**env, **extra}, log_name=f"{label}.log")
            server.start()
            try:
                server.wait_live()
                results[label] = asyncio.run(answers(server.base_url, email, password, paths))
            finally:
                server.stop()
    finally:
        harness.remove_workdir(workdir, args.keep)
    mine, other = results["this checkout"], results["other"]
    different = differences(mine, other)
    print(
        f"compared {len(mine)} answers ({len(paths) - len(detail)} lists and their next pages, {len(detail)} details)"
    )
    for path in different:
        ids = [
            {item.get("id") for item in (answer[1].get("items") or [])}
            if isinstance(answer[1], dict)
            else set()
            for answer in (mine[path], other.get(path, [0, {}]))
        ]
        shared = f"; {len(ids[0] & ids[1])} of {len(ids[0])} items in both" if ids[0] else ""
        print(f"  DIFFERENT: {path}{shared}")
    print("all the same" if not different else f"{len(different)} different")
    return 0 if not different else 1


if __name__ == "__main__":
    sys.exit(main())
