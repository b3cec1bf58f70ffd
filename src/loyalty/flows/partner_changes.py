"""Partner and location edits whose effects reach the partner's offers, which copy the partner's names
(for search) and its locations' cities (for the city filter)."""

from __future__ import annotations

from uuid import UUID

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.services import refresh_offer_cities, refresh_partner_names
from loyalty.core.context import SYSTEM_ACTOR, Actor
from loyalty.core.runtime import Runtime
from loyalty.partners.schemas import LocationIn, LocationOut, LocationPatch, PartnerOut, PartnerPatch
from loyalty.partners.services import LocationService, PartnerService


class PartnerChanges:
    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor = SYSTEM_ACTOR) -> None:
        self.session = session
        self.partners = PartnerService(session, runtime, actor)

    async def update(self, partner_id: UUID, data: PartnerPatch) -> PartnerOut:
        """A renamed partner's offers are found by the new name in the same transaction."""
        edit = await self.partners.edit(partner_id, data)
        if "name" in edit.fields:
            await refresh_partner_names(self.session, edit.partner)
        return await self.partners.record_edit(edit)


class LocationChanges:
    """One partner's locations, as :class:`LocationService` scopes them."""

    def __init__(self, session: AsyncSession, runtime: Runtime, partner_id: UUID) -> None:
        self.session = session
        self.partner_id = partner_id
        self.locations = LocationService(session, runtime, partner_id)

    async def create(self, data: LocationIn) -> LocationOut:
        location = await self.locations.create(data)
        await refresh_offer_cities(self.session, self.partner_id)
        return location

    async def update(self, location_id: UUID, data: LocationPatch) -> LocationOut:
        location = await self.locations.update(location_id, data)
        if data.city is not msgspec.UNSET:
            await refresh_offer_cities(self.session, self.partner_id)
        return location
