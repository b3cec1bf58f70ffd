"""Redemption endpoints: employees take and cancel codes, tills confirm them, partners upload pools and
read aggregate statistics; the QR signing key is public."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, HeaderParameter, JSONBody, Parameter

from loyalty.catalog.visibility import Viewer
from loyalty.core import idempotency
from loyalty.core.access import Role, allow, public
from loyalty.core.dependencies import Caller, Db, LanguageDep, RuntimeDep
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.redemption.pools import MAX_UPLOAD_BYTES, PoolService, parse_codes
from loyalty.redemption.schemas import (
    Confirmed,
    ConfirmIn,
    MyRedemption,
    PartnerStats,
    PoolStatus,
    PoolUploadResult,
)
from loyalty.redemption.services import HISTORY_CURSOR, RedemptionService
from loyalty.redemption.stats import partner_stats

EMPLOYEE_PROCESSING = allow(Role.EMPLOYEE, processing=True)
PARTNER = allow(Role.PARTNER_ADMIN)
IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(name="Idempotency-Key", max_length=200, description="retry-safe: same key, same answer"),
]


class RedemptionController(Controller):
    tags = ["redemption"]

    @post("/offers/{offer_id:uuid}/redemptions", opt=EMPLOYEE_PROCESSING, status_code=201)
    async def issue(
        self,
        offer_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        db_session: Db,
        runtime: RuntimeDep,
        principal: Caller,
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[Any]:
        """Take a code for the offer. Over a limit → 409 `limit_reached`; pool empty → 409 `sold_out`;
        not yet / no longer valid → 422 `offer_not_started` / `offer_expired`; not eligible → 403."""
        key = idempotency.valid_key(idempotency_key)
        if key is not None:
            fingerprint = idempotency.fingerprint("POST", request.url.path, await request.body())
            replay = await idempotency.claim(
                db_session, principal.user_id, key, fingerprint, runtime.clock.now()
            )
            if replay is not None:
                return Response(replay.body, status_code=replay.status_code)
        issued = await RedemptionService(db_session, runtime).issue(offer_id, Viewer.of(principal))
        if key is not None:
            await idempotency.remember(db_session, principal.user_id, key, 201, msgspec.to_builtins(issued))
        return Response(issued, status_code=201)

    @get("/me/redemptions", opt=allow(Role.EMPLOYEE))
    async def mine(
        self,
        db_session: Db,
        runtime: RuntimeDep,
        principal: Caller,
        reader_language: LanguageDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[MyRedemption]:
        """My codes, newest first: `issued`, `redeemed`, `expired` or `cancelled`."""
        items = await RedemptionService(db_session, runtime).history(
            principal.user_id,
            language=reader_language,
            cursors=runtime.cursors,
            limit=limit + 1,
            cursor=cursor,
        )
        page = items[:limit]
        next_cursor = (
            runtime.cursors.encode(HISTORY_CURSOR, [page[-1].issued_at.isoformat(), str(page[-1].id)])
            if len(items) > limit
            else None
        )
        return Page(items=page, next_cursor=next_cursor)

    @post("/me/redemptions/{redemption_id:uuid}/cancel", opt=allow(Role.EMPLOYEE), status_code=200)
    async def cancel(
        self,
        redemption_id: FromPath[UUID],
        db_session: Db,
        runtime: RuntimeDep,
        principal: Caller,
        reader_language: LanguageDep,
    ) -> MyRedemption:
        """Give back a live, unredeemed code: its use returns to every limit."""
        return await RedemptionService(db_session, runtime).cancel(
            redemption_id, principal.user_id, reader_language
        )

    @get("/redemptions/keys", opt=public())
    async def keys(self, runtime: RuntimeDep) -> dict[str, list[dict[str, str]]]:
        """The JWKS with which a till verifies `qr_payload` offline (EdDSA / Ed25519, audience `loyalty:till`)."""
        return {"keys": [runtime.qr.jwk]}


class PartnerRedemptionController(Controller):
    path = "/partner"
    tags = ["partner"]

    @post("/redemptions/confirm", opt=PARTNER, status_code=200)
    async def confirm(
        self, data: JSONBody[ConfirmIn], db_session: Db, runtime: RuntimeDep, principal: Caller
    ) -> Confirmed:
        """Redeem a code at the till, exactly once. Never says who the employee is."""
        return await RedemptionService(db_session, runtime).confirm(principal.own_partner(), data.code)

    @post(
        "/offers/{offer_id:uuid}/codes", opt=PARTNER, status_code=200, request_max_body_size=MAX_UPLOAD_BYTES
    )
    async def upload_codes(
        self,
        offer_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        db_session: Db,
        runtime: RuntimeDep,
        principal: Caller,
    ) -> PoolUploadResult:
        """Single-use codes as a JSON list (or `{"codes": [...]}`) or CSV / text, one per line; up to 100,000."""
        codes = parse_codes(request.headers.get("content-type", ""), await request.body())
        return await PoolService(db_session, principal.own_partner()).upload(
            offer_id, codes, runtime.clock.now()
        )

    @get("/offers/{offer_id:uuid}/codes", opt=PARTNER)
    async def pool(self, offer_id: FromPath[UUID], db_session: Db, principal: Caller) -> PoolStatus:
        return await PoolService(db_session, principal.own_partner()).status(offer_id)

    @get("/stats", opt=PARTNER)
    async def stats(
        self,
        db_session: Db,
        runtime: RuntimeDep,
        principal: Caller,
        granularity: Literal["day", "week"] = Parameter(default="day"),
        since: date | None = Parameter(default=None, description="first local day; default 30 days ago"),
        until: date | None = Parameter(default=None, description="last local day; default today"),
        offer_id: UUID | None = Parameter(default=None),
    ) -> PartnerStats:
        """Issued and redeemed per offer per day or week; cells under 10 people are suppressed."""
        today = runtime.clock.now().date()
        return await partner_stats(
            db_session,
            principal.own_partner(),
            granularity,
            since or today - timedelta(days=30),
            until or today,
            offer_id,
        )
