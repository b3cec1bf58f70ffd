"""Admins run partners and invite their admins; a partner's admins run its locations."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from loyalty.core.access import Role, allow
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import acting_service, partner_service
from loyalty.core.errors import ErrorCode
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.flows.partner_changes import LocationChanges, PartnerChanges
from loyalty.partners.schemas import (
    LocationIn,
    LocationOut,
    LocationPatch,
    PartnerAdminInvite,
    PartnerAdminOut,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
)
from loyalty.partners.services import LocationService, PartnerService

ADMIN = allow(Role.ADMIN)
PARTNER = allow(Role.PARTNER_ADMIN)


PartnersDep = NamedDependency[PartnerService]
LocationsDep = NamedDependency[LocationService]
PartnerChangesDep = NamedDependency[PartnerChanges]
LocationChangesDep = NamedDependency[LocationChanges]


class AdminPartnerController(Controller):
    path = "/admin/partners"
    tags = ["admin-partners"]
    dependencies = {
        "partners": acting_service(PartnerService),
        "partner_changes": acting_service(PartnerChanges),
    }

    @get("", operation_id="listPartners", opt=ADMIN)
    async def list_partners(
        self,
        partners: PartnersDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        status: Literal["active", "suspended"] | None = Parameter(default=None),
    ) -> Page[PartnerOut]:
        return await partners.list_partners(limit=limit, cursor=cursor, status=status)

    @post("", operation_id="createPartner", opt=ADMIN)
    async def create(self, partners: PartnersDep, data: JSONBody[PartnerIn]) -> PartnerOut:
        return await partners.create(data)

    @get("/{partner_id:uuid}", operation_id="adminGetPartner", opt=ADMIN)
    async def get_partner(self, partners: PartnersDep, partner_id: FromPath[UUID]) -> PartnerOut:
        return await partners.get(partner_id)

    @patch("/{partner_id:uuid}", operation_id="updatePartner", opt=ADMIN)
    async def update(
        self, partner_changes: PartnerChangesDep, partner_id: FromPath[UUID], data: JSONBody[PartnerPatch]
    ) -> PartnerOut:
        """Edit a partner; `"status": "suspended"` takes all its offers out of the catalog at once."""
        return await partner_changes.update(partner_id, data)

    @post(
        "/{partner_id:uuid}/admins",
        operation_id="invitePartnerAdmin",
        opt=ADMIN | fails_with(ErrorCode.CONFLICT),
    )
    async def invite_admin(
        self,
        partners: PartnersDep,
        partner_id: FromPath[UUID],
        data: JSONBody[PartnerAdminInvite],
    ) -> PartnerAdminOut:
        """Invite a partner admin: a code to set the password (`/auth/password-reset/confirm`) is mailed."""
        return await partners.invite_admin(partner_id, data)


class PartnerLocationController(Controller):
    path = "/partner/locations"
    tags = ["partner-offers"]
    dependencies = {
        "locations": partner_service(LocationService),
        "location_changes": partner_service(LocationChanges),
    }

    @get("", operation_id="listLocations", opt=PARTNER)
    async def list_locations(
        self, locations: LocationsDep, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
    ) -> Page[LocationOut]:
        return await locations.list_locations(limit=limit, cursor=cursor)

    @post("", operation_id="createLocation", opt=PARTNER)
    async def create(self, location_changes: LocationChangesDep, data: JSONBody[LocationIn]) -> LocationOut:
        return await location_changes.create(data)

    @patch("/{location_id:uuid}", operation_id="updateLocation", opt=PARTNER)
    async def update(
        self, location_changes: LocationChangesDep, location_id: FromPath[UUID], data: JSONBody[LocationPatch]
    ) -> LocationOut:
        return await location_changes.update(location_id, data)
