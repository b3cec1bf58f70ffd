"""Partners' pools of single-use codes: bulk upload (JSON or CSV) and what is left."""

from __future__ import annotations

import csv
import io
import re
from uuid import UUID

import msgspec
from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import String
from uuid_utils.compat import uuid7

from loyalty.catalog.models import Offer
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.persistence import get_or_404
from loyalty.core.runtime import Runtime
from loyalty.redemption.models import PoolCode
from loyalty.redemption.schemas import PoolStatus, PoolUploadResult

MAX_CODES_PER_UPLOAD = 100_000
MAX_UPLOAD_BYTES = 4 * 1024 * 1024
POOL_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
REPORTED_ERRORS = 20


def parse_codes(content_type: str, body: bytes) -> list[str]:
    """Codes from a JSON list (or ``{"codes": [...]}``) or from CSV / plain text, one per line. Blank lines
    are skipped; a header line ``code`` is allowed. Any malformed code rejects the whole file."""
    if "json" in content_type:
        try:
            decoded = msgspec.json.decode(body, type=list[str] | dict[str, list[str]])
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise AppError(
                422, ErrorCode.VALIDATION_FAILED, f"expected a JSON list of codes: {exc}"
            ) from None
        raw = decoded if isinstance(decoded, list) else decoded.get("codes", [])
    else:
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise AppError(422, ErrorCode.VALIDATION_FAILED, "the file is not UTF-8 text") from None
        raw = [row[0] if row else "" for row in csv.reader(io.StringIO(text))]
        if raw and raw[0].strip().lower() == "code":
            raw = raw[1:]
    codes = [code.strip() for code in raw if code.strip()]
    if len(codes) > MAX_CODES_PER_UPLOAD:
        raise AppError(
            422,
            ErrorCode.CODES_REJECTED,
            f"at most {MAX_CODES_PER_UPLOAD} codes per upload",
            received=len(codes),
        )
    if not codes:
        raise AppError(422, ErrorCode.CODES_REJECTED, "the upload holds no codes")
    bad = [index for index, code in enumerate(codes, start=1) if not POOL_CODE.match(code)]
    if bad:
        raise AppError(
            422,
            ErrorCode.CODES_REJECTED,
            f"{len(bad)} codes are not 1-64 letters, digits, '-' or '_'; nothing was added",
            errors=[
                {"field": f"codes[{index}]", "message": "letters, digits, '-' or '_', at most 64"}
                for index in bad[:REPORTED_ERRORS]
            ],
        )
    return codes


class PoolService:
    """One partner's pools; another partner's offer is a 404."""

    def __init__(self, session: AsyncSession, runtime: Runtime, partner_id: UUID) -> None:
        self.session = session
        self.runtime = runtime
        self.partner_id = partner_id

    async def upload(self, offer_id: UUID, codes: list[str]) -> PoolUploadResult:
        now = self.runtime.clock.now()
        offer = await self._offer(offer_id)
        if offer.code_mode != "pool":
            raise AppError(
                409, ErrorCode.CONFLICT, 'set the offer\'s code_mode to "pool" before uploading codes'
            )
        added = await self.session.execute(
            insert(PoolCode)
            .from_select(
                ["id", "offer_id", "code", "uploaded_at"],
                select(
                    func.unnest(literal([uuid7() for _ in codes], ARRAY(PgUUID(as_uuid=True)))),
                    literal(offer_id, PgUUID(as_uuid=True)),
                    func.unnest(literal(codes, ARRAY(String))),
                    literal(now),
                ),
            )
            .on_conflict_do_nothing(index_elements=[PoolCode.offer_id, PoolCode.code])
            .returning(PoolCode.id)
        )
        count = len(added.all())
        return PoolUploadResult(
            received=len(codes),
            added=count,
            duplicate=len(codes) - count,
            remaining=await pool_remaining(self.session, offer_id),
        )

    async def status(self, offer_id: UUID) -> PoolStatus:
        await self._offer(offer_id)
        total, claimed = (
            await self.session.execute(
                select(func.count(), func.count(PoolCode.claimed_at)).where(PoolCode.offer_id == offer_id)
            )
        ).one()
        return PoolStatus(offer_id=offer_id, total=total, claimed=claimed, remaining=total - claimed)

    async def _offer(self, offer_id: UUID) -> Offer:
        return await get_or_404(
            self.session, Offer, Offer.id == offer_id, Offer.partner_id == self.partner_id, what="offer"
        )


async def pool_remaining(session: AsyncSession, offer_id: UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(PoolCode.offer_id == offer_id, PoolCode.claimed_at.is_(None))
        )
        or 0
    )
