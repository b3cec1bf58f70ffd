"""Redemption endpoints: employees take and cancel codes, tills confirm them, partners upload pools and
read aggregate statistics; the QR signing key is public."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIType, Schema
from litestar.params import FromPath, HeaderParameter, JSONBody, Parameter

from loyalty.catalog.visibility import Viewer
from loyalty.core import idempotency
from loyalty.core.access import Role, allow, public
from loyalty.core.contract import fails_with, reads_body
from loyalty.core.dependencies import Caller, LanguageDep, RuntimeDep, partner_service, service
from loyalty.core.errors import ErrorCode
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
    RedemptionIssued,
)
from loyalty.redemption.services import RedemptionService
from loyalty.redemption.stats import StatsService

EMPLOYEE_PROCESSING = allow(Role.EMPLOYEE, processing=True)
PARTNER = allow(Role.PARTNER_ADMIN)
IdempotencyKeyHeader = Annotated[
    str | None,
    HeaderParameter(name="Idempotency-Key", max_length=200, description="retry-safe: same key, same answer"),
]


RedemptionsDep = NamedDependency[RedemptionService]
PoolsDep = NamedDependency[PoolService]
StatisticsDep = NamedDependency[StatsService]
REDEMPTIONS = {"redemptions": service(RedemptionService)}


_CODES = Schema(
    type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING, pattern=r"^\s*[A-Za-z0-9_-]{1,64}\s*$")
)
# JSON as documented; the same codes also come as `text/csv` or plain text, one per line.
CODE_FORMATS = {
    "application/json": Schema(
        any_of=[_CODES, Schema(type=OpenAPIType.OBJECT, properties={"codes": _CODES}, required=["codes"])]
    ),
}


class RedemptionController(Controller):
    tags = ["redemptions"]
    dependencies = REDEMPTIONS

    @post(
        "/offers/{offer_id:uuid}/redemptions",
        operation_id="issueRedemption",
        opt=EMPLOYEE_PROCESSING
        | fails_with(
            ErrorCode.NOT_ELIGIBLE,
            ErrorCode.LIMIT_REACHED,
            ErrorCode.SOLD_OUT,
            ErrorCode.OFFER_NOT_STARTED,
            ErrorCode.OFFER_EXPIRED,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
        ),
        status_code=201,
    )
    async def issue(
        self,
        offer_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        redemptions: RedemptionsDep,
        principal: Caller,
        idempotency_key: IdempotencyKeyHeader = None,
    ) -> Response[RedemptionIssued]:
        """Take a code for the offer. Over a limit → 409 `limit_reached`; pool empty → 409 `sold_out`;
        not yet / no longer valid → 422 `offer_not_started` / `offer_expired`; not eligible → 403."""
        key = idempotency.valid_key(idempotency_key)
        request_fingerprint = (
            idempotency.fingerprint("POST", request.url.path, await request.body())
            if key is not None
            else None
        )
        answer = await redemptions.issue_once(offer_id, Viewer.of(principal), key, request_fingerprint)
        if isinstance(answer, idempotency.Replay):
            return Response(answer.body, status_code=answer.status_code)
        return Response(answer, status_code=201)

    @get("/me/redemptions", operation_id="listMyRedemptions", opt=allow(Role.EMPLOYEE))
    async def mine(
        self,
        redemptions: RedemptionsDep,
        principal: Caller,
        reader_language: LanguageDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[MyRedemption]:
        """My codes, newest first: `issued`, `redeemed`, `expired` or `cancelled`."""
        return await redemptions.history(
            principal.user_id, language=reader_language, limit=limit, cursor=cursor
        )

    @post(
        "/me/redemptions/{redemption_id:uuid}/cancel",
        operation_id="cancelRedemption",
        opt=allow(Role.EMPLOYEE) | fails_with(ErrorCode.CONFLICT),
        status_code=200,
    )
    async def cancel(
        self,
        redemption_id: FromPath[UUID],
        redemptions: RedemptionsDep,
        principal: Caller,
        reader_language: LanguageDep,
    ) -> MyRedemption:
        """Give back a live, unredeemed code: its use returns to every limit."""
        return await redemptions.cancel(redemption_id, principal.user_id, reader_language)

    @get("/redemptions/keys", operation_id="getRedemptionKeys", opt=public())
    async def keys(self, runtime: RuntimeDep) -> dict[str, list[dict[str, str]]]:
        """The JWKS with which a till verifies `qr_payload` offline (EdDSA / Ed25519, audience `loyalty:till`)."""
        return {"keys": [runtime.qr.jwk]}


class PartnerRedemptionController(Controller):
    path = "/partner"
    dependencies = {
        **REDEMPTIONS,
        "pools": partner_service(PoolService),
        "statistics": partner_service(StatsService),
    }

    @post(
        "/redemptions/confirm",
        operation_id="confirmRedemption",
        tags=["till"],
        opt=PARTNER
        | fails_with(ErrorCode.NOT_FOUND, ErrorCode.ALREADY_REDEEMED, (422, ErrorCode.CODE_EXPIRED)),
        status_code=200,
    )
    async def confirm(
        self, data: JSONBody[ConfirmIn], redemptions: RedemptionsDep, principal: Caller
    ) -> Confirmed:
        """Redeem a code at the till, exactly once. Never says who the employee is."""
        return await redemptions.confirm(principal.own_partner(), data.code)

    @post(
        "/offers/{offer_id:uuid}/codes",
        operation_id="uploadPoolCodes",
        tags=["partner-offers"],
        opt=PARTNER
        | fails_with(
            ErrorCode.MALFORMED_BODY,
            ErrorCode.PAYLOAD_TOO_LARGE,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.CODES_REJECTED,
            ErrorCode.CONFLICT,
        )
        | reads_body(**CODE_FORMATS),
        status_code=200,
        request_max_body_size=MAX_UPLOAD_BYTES,
    )
    async def upload_codes(
        self,
        offer_id: FromPath[UUID],
        request: Request[Any, Any, Any],
        pools: PoolsDep,
    ) -> PoolUploadResult:
        """Single-use codes as a JSON list (or `{"codes": [...]}`) or CSV / text, one per line; up to 100,000."""
        codes = parse_codes(request.headers.get("content-type", ""), await request.body())
        return await pools.upload(offer_id, codes)

    @get("/offers/{offer_id:uuid}/codes", operation_id="getCodePool", tags=["partner-offers"], opt=PARTNER)
    async def pool(self, offer_id: FromPath[UUID], pools: PoolsDep) -> PoolStatus:
        return await pools.status(offer_id)

    @get("/stats", operation_id="getPartnerStats", tags=["partner-stats"], opt=PARTNER)
    async def stats(
        self,
        statistics: StatisticsDep,
        granularity: Literal["day", "week"] = Parameter(default="day"),
        since: date | None = Parameter(default=None, description="first local day; default 30 days ago"),
        until: date | None = Parameter(
            default=None,
            description="last local day; default today (the latest calendar day in any time zone)",
        ),
        offer_id: UUID | None = Parameter(default=None),
    ) -> PartnerStats:
        """Issued and redeemed per offer per day or week; cells under 10 people are suppressed."""
        return await statistics.read(granularity, since, until, offer_id)
