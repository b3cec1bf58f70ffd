"""What the catalog needs to know about redemptions, which sit above it: the redemption domain
implements it (``loyalty.redemption.ledger``) and the controllers pass it in."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from uuid import UUID


# Runtime-checkable because Litestar checks each injected dependency against its declared type.
@runtime_checkable
class RedemptionLedger(Protocol):
    async def remaining_for(self, offer: Any, user_id: UUID, now: datetime) -> int | None:
        """How many more codes the user may take now; None when the offer sets no limit. ``offer`` has
        the offer's ``id``, ``timezone``, ``issued_count`` and limit columns."""
        ...

    async def pool_has_codes(self, offer_id: UUID) -> bool:
        """Whether the offer's pool has an unclaimed code left."""
        ...

    async def has_redemptions(self, offer_id: UUID) -> bool:
        """Whether anyone has taken a code for the offer."""
        ...
