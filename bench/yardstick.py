"""The yardstick: a bare ASGI service (no framework, no ORM) that answers the benchmark's requests by
running the very SQL statements loyalty sent for the same request — the guard's session check included —
on an asyncpg pool, and encoding the rows with msgspec. loyalty's speed divided by this one's says how much
of a request is the service's own work rather than the database's.

    python bench/yardstick.py --port 8123 --database-url postgresql://... --statements statements.json

``statements.json`` holds ``{"cases": {path: statements}, "detail": {"offer_id": id, "statements": ...}}``:
the statements one request of each case executed, ``[{"sql": ..., "params": [tagged values]}]`` (see
``encode_params``). For an offer's detail the captured offer id is replaced by the one requested.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import enum
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import uvicorn

DETAIL_PREFIX = "/api/v1/offers/"


def _tag(value: Any) -> Any:
    if value is None or (isinstance(value, bool | int | float | str) and not isinstance(value, enum.Enum)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"decimal": str(value)}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, list | tuple):
        return {"list": [_tag(item) for item in value]}
    raise TypeError(f"cannot carry a {type(value).__name__} parameter")


def encode_params(params: tuple[Any, ...]) -> list[Any]:
    return [_tag(value) for value in params]


def _untag(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    ((kind, raw),) = value.items()
    readers: dict[str, Callable[[Any], Any]] = {
        "uuid": uuid.UUID,
        "datetime": dt.datetime.fromisoformat,
        "date": dt.date.fromisoformat,
        "decimal": decimal.Decimal,
        "bytes": bytes.fromhex,
        "list": lambda items: [_untag(item) for item in items],
    }
    return readers[kind](raw)


class Statement(msgspec.Struct):
    sql: str
    params: list[Any]


class Detail(msgspec.Struct):
    offer_id: uuid.UUID
    statements: list[Statement]


class Captured(msgspec.Struct):
    cases: dict[str, list[Statement]]
    detail: Detail | None = None


Replay = list[tuple[str, list[Any]]]


def _replay(statements: list[Statement]) -> Replay:
    return [(s.sql, [_untag(p) for p in s.params]) for s in statements]


def load(path: Path) -> tuple[dict[str, Replay], tuple[uuid.UUID, Replay] | None]:
    raw = msgspec.json.decode(path.read_bytes(), type=Captured)
    detail = (raw.detail.offer_id, _replay(raw.detail.statements)) if raw.detail else None
    return {case: _replay(statements) for case, statements in raw.cases.items()}, detail


def _rows(records: list[asyncpg.Record]) -> list[dict[str, Any]]:
    return [dict(record) for record in records]


class Yardstick:
    def __init__(
        self, url: str, cases: dict[str, Replay], detail: tuple[uuid.UUID, Replay] | None, pool_size: int
    ) -> None:
        self.url = url
        self.cases = cases
        self.detail = detail
        self.pool_size = pool_size
        self.pool: asyncpg.Pool | None = None
        self.encoder = msgspec.json.Encoder()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        path = scope["path"] + ("?" + scope["query_string"].decode() if scope["query_string"] else "")
        status, body = await self._answer(path, scope)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # The same connection settings loyalty's pool uses for its prepared statements.
                self.pool = await asyncpg.create_pool(
                    self.url,
                    min_size=self.pool_size,
                    max_size=self.pool_size,
                    server_settings={"plan_cache_mode": "force_custom_plan", "timezone": "UTC"},
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _answer(self, path: str, scope: dict[str, Any]) -> tuple[int, bytes]:
        if path == "/health/live":
            return 200, b'{"status":"ok"}'
        headers = dict(scope["headers"])
        if not headers.get(b"authorization", b"").startswith(b"Bearer "):
            return 401, b'{"code":"not_authenticated"}'
        statements = self.cases.get(path)
        swap: tuple[uuid.UUID, uuid.UUID] | None = None
        if statements is None and self.detail is not None and path.startswith(DETAIL_PREFIX):
            captured, statements = self.detail
            swap = (captured, uuid.UUID(path.removeprefix(DETAIL_PREFIX)))
        if statements is None:
            return 404, b'{"code":"not_found"}'
        assert self.pool is not None
        answer: list[dict[str, Any]] = []
        async with self.pool.acquire() as connection:
            for sql, params in statements:
                if swap is not None:
                    params = [swap[1] if value == swap[0] else value for value in params]
                records = await connection.fetch(sql, *params)
                if records:
                    answer = _rows(records)
        return 200, self.encoder.encode({"items": answer})


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--database-url", required=True, help="postgresql://... (no +asyncpg)")
    parser.add_argument("--statements", type=Path, required=True)
    parser.add_argument("--pool", type=int, default=32)
    args = parser.parse_args()
    cases, detail = load(args.statements)
    app = Yardstick(args.database_url, cases, detail, args.pool)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False, lifespan="on")
    return 0


if __name__ == "__main__":
    sys.exit(main())
