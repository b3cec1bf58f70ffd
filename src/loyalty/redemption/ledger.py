"""The redemption side of what the catalog shows and guards (:class:`loyalty.catalog.ports.RedemptionLedger`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.core.prepared import connection_of
from loyalty.redemption.limits import pool_has_codes, remaining_for
from loyalty.redemption.models import Redemption


class Ledger:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def remaining_for(self, offer: Any, user_id: UUID, now: datetime) -> int | None:
        return await remaining_for(await connection_of(self.session), offer, user_id, now)

    async def pool_has_codes(self, offer_id: UUID) -> bool:
        return await pool_has_codes(await connection_of(self.session), offer_id)

    async def has_redemptions(self, offer_id: UUID) -> bool:
        taken = await self.session.scalar(
            select(Redemption.id).where(Redemption.offer_id == offer_id).limit(1)
        )
        return taken is not None
