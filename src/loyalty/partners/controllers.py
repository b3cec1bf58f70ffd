"""Admins run partners and invite their admins; a partner's admins run its locations."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from litestar import Controller, Response, get, patch, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody, Parameter

from loyalty.core.access import Role, allow
from loyalty.core.dependencies import ActorDep, Caller, Db, RuntimeDep
from loyalty.core.mailer import deliver
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


def provide_partner_changes(db_session: Db, runtime: RuntimeDep, actor: ActorDep) -> PartnerChanges:
    return PartnerChanges(db_session, runtime, actor)


def provide_location_changes(db_session: Db, runtime: RuntimeDep, principal: Caller) -> LocationChanges:
    return LocationChanges(db_session, runtime, principal.own_partner())


PartnerChangesDep = NamedDependency[PartnerChanges]
LocationChangesDep = NamedDependency[LocationChanges]


class AdminPartnerController(Controller):
    path = "/admin/partners"
    tags = ["admin"]
    dependencies = {"partner_changes": Provide(provide_partner_changes, sync_to_thread=False)}

    @get("", opt=ADMIN)
    async def list_partners(
        self,
        actor: ActorDep,
        db_session: Db,
        runtime: RuntimeDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
        status: Literal["active", "suspended"] | None = Parameter(default=None),
    ) -> Page[PartnerOut]:
        items, next_cursor = await PartnerService(db_session, runtime, actor).list_partners(
            runtime.cursors, limit=limit, cursor=cursor, status=status
        )
        return Page(items=items, next_cursor=next_cursor)

    @post("", opt=ADMIN)
    async def create(
        self, actor: ActorDep, data: JSONBody[PartnerIn], db_session: Db, runtime: RuntimeDep
    ) -> PartnerOut:
        return await PartnerService(db_session, runtime, actor).create(data)

    @get("/{partner_id:uuid}", opt=ADMIN)
    async def get_partner(
        self, actor: ActorDep, partner_id: FromPath[UUID], db_session: Db, runtime: RuntimeDep
    ) -> PartnerOut:
        return await PartnerService(db_session, runtime, actor).get(partner_id)

    @patch("/{partner_id:uuid}", opt=ADMIN)
    async def update(
        self, partner_changes: PartnerChangesDep, partner_id: FromPath[UUID], data: JSONBody[PartnerPatch]
    ) -> PartnerOut:
        """Edit a partner; `"status": "suspended"` takes all its offers out of the catalog at once."""
        return await partner_changes.update(partner_id, data)

    @post("/{partner_id:uuid}/admins", opt=ADMIN)
    async def invite_admin(
        self,
        actor: ActorDep,
        partner_id: FromPath[UUID],
        data: JSONBody[PartnerAdminInvite],
        db_session: Db,
        runtime: RuntimeDep,
    ) -> Response[PartnerAdminOut]:
        """Invite a partner admin: a code to set the password (`/auth/password-reset/confirm`) is mailed."""
        admin, outcome = await PartnerService(db_session, runtime, actor).invite_admin(partner_id, data)
        return Response(
            admin, status_code=201, background=BackgroundTask(deliver, runtime.mailer, outcome.mails)
        )


class PartnerLocationController(Controller):
    path = "/partner/locations"
    tags = ["partner"]
    dependencies = {"location_changes": Provide(provide_location_changes, sync_to_thread=False)}

    @get("", opt=PARTNER)
    async def list_locations(
        self,
        db_session: Db,
        runtime: RuntimeDep,
        principal: Caller,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> Page[LocationOut]:
        items, next_cursor = await LocationService(
            db_session, runtime, principal.own_partner()
        ).list_locations(runtime.cursors, limit=limit, cursor=cursor)
        return Page(items=items, next_cursor=next_cursor)

    @post("", opt=PARTNER)
    async def create(self, location_changes: LocationChangesDep, data: JSONBody[LocationIn]) -> LocationOut:
        return await location_changes.create(data)

    @patch("/{location_id:uuid}", opt=PARTNER)
    async def update(
        self, location_changes: LocationChangesDep, location_id: FromPath[UUID], data: JSONBody[LocationPatch]
    ) -> LocationOut:
        return await location_changes.update(location_id, data)
