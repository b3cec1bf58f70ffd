"""My favourite offers: kept while I can still see them, listed most recently added first."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import and_, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.models import Favorite, Offer
from loyalty.catalog.schemas import OfferSummary
from loyalty.catalog.summaries import live_offers, summary
from loyalty.catalog.visibility import Viewer, live, meant_for_company
from loyalty.core.errors import not_found
from loyalty.core.pagination import CursorCodec
from loyalty.core.persistence import newest_first
from loyalty.core.schemas import Language, Page
from loyalty.partners.models import Partner

CURSOR_SCOPE = "favorites"


class FavoriteService:
    def __init__(self, session: AsyncSession, now: datetime, viewer: Viewer, cursors: CursorCodec) -> None:
        self.session = session
        self.now = now
        self.viewer = viewer
        self.cursors = cursors

    async def add(self, offer_id: UUID) -> None:
        visible = await self.session.scalar(
            select(Offer.id)
            .join(Partner, Partner.id == Offer.partner_id)
            .where(Offer.id == offer_id, *live(self.now), meant_for_company(self.viewer))
        )
        if visible is None:
            raise not_found("offer")
        await self.session.execute(
            insert(Favorite)
            .values(user_id=self.viewer.user_id, offer_id=offer_id, created_at=self.now)
            .on_conflict_do_nothing()
        )

    async def remove(self, offer_id: UUID) -> None:
        await self.session.execute(
            delete(Favorite).where(Favorite.user_id == self.viewer.user_id, Favorite.offer_id == offer_id)
        )

    async def mine(self, *, limit: int, cursor: str | None, language: Language) -> Page[OfferSummary]:
        """My favourites that I can still see, most recently added first."""
        query = newest_first(
            live_offers(self.now, Favorite.created_at.label("favorited_at"))
            .join(Favorite, and_(Favorite.offer_id == Offer.id, Favorite.user_id == self.viewer.user_id))
            .where(meant_for_company(self.viewer)),
            Favorite.created_at,
            Favorite.offer_id,
            self.cursors.decode(CURSOR_SCOPE, cursor) if cursor else None,
            limit,
        )
        rows = list(await self.session.execute(query))
        page, next_cursor = self.cursors.page(
            CURSOR_SCOPE, rows, limit, lambda last: [last.favorited_at.isoformat(), str(last.id)]
        )
        return Page(items=[summary(row, language) for row in page], next_cursor=next_cursor)
