"""Partners (run by admins) and their locations (run by the partner's own admins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.core.access import Role
from loyalty.core.context import SYSTEM_ACTOR, Actor
from loyalty.core.emails import normalize_email
from loyalty.core.errors import invalid_field
from loyalty.core.persistence import after, get_or_404, to_struct
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.identity.models import User
from loyalty.partners.models import Partner, PartnerLocation, PartnerStatus
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
from loyalty.staff.services import StaffService

PARTNERS_CURSOR = "partners"
LOCATIONS_CURSOR = "partner-locations"


def require_zone(name: str, field: str = "timezone") -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise invalid_field(field, "not an IANA time zone, e.g. Asia/Almaty") from None
    return name


@dataclass(frozen=True, slots=True)
class PartnerEdit:
    """A partner changed but not yet recorded: what :meth:`PartnerService.record_edit` audits."""

    partner: Partner
    fields: list[str]


class PartnerService:
    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor = SYSTEM_ACTOR) -> None:
        self.session = session
        self.runtime = runtime
        self.actor = actor

    async def _audit(self, action: str, subject_ref: str | None = None, **details: Any) -> None:
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor, action, subject_ref, self.runtime.clock.now(), **details
        )

    async def list_partners(self, *, limit: int, cursor: str | None, status: str | None) -> Page[PartnerOut]:
        cursors = self.runtime.cursors
        query = select(Partner).order_by(Partner.id.desc()).limit(limit + 1)
        if cursor:
            (last_id,) = cursors.decode(PARTNERS_CURSOR, cursor)
            query = query.where(after([Partner.id], [UUID(str(last_id))], descending=True))
        if status:
            query = query.where(Partner.status == status)
        page, next_cursor = cursors.page(
            PARTNERS_CURSOR, list(await self.session.scalars(query)), limit, lambda last: [str(last.id)]
        )
        return Page(items=[partner_view(p) for p in page], next_cursor=next_cursor)

    async def create(self, data: PartnerIn) -> PartnerOut:
        partner = Partner(status=PartnerStatus.ACTIVE, **_partner_values(msgspec.structs.asdict(data)))
        self.session.add(partner)
        await self.session.flush()
        await self._audit("partner_created", partner_id=partner.id)
        return partner_view(partner)

    async def get(self, partner_id: UUID) -> PartnerOut:
        return partner_view(await self._require(partner_id))

    async def edit(self, partner_id: UUID, data: PartnerPatch) -> PartnerEdit:
        """Lock the partner and apply the request. Suspending takes the partner's offers out of the catalog
        at once: every catalog query joins the partner's status. What copies the partner's fields is
        brought up to date before :meth:`record_edit` (``loyalty.flows.partner_changes``)."""
        partner = await self._require(partner_id, lock=True)
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        status = changes.pop("status", None)
        for name, value in _partner_values(changes).items():
            setattr(partner, name, value)
        if status is not None and status != partner.status:
            partner.status = status
            partner.suspended_at = self.runtime.clock.now() if status == PartnerStatus.SUSPENDED else None
        await self.session.flush()
        return PartnerEdit(partner, sorted([*changes, *(["status"] if status else [])]))

    async def record_edit(self, edit: PartnerEdit) -> PartnerOut:
        await self._audit("partner_changed", partner_id=edit.partner.id, fields=edit.fields)
        return partner_view(edit.partner)

    async def invite_admin(self, partner_id: UUID, data: PartnerAdminInvite) -> PartnerAdminOut:
        await self._require(partner_id)
        user = await StaffService(self.session, self.runtime).invite_user(
            normalize_email(data.email),
            data.full_name.strip(),
            Role.PARTNER_ADMIN,
            data.language,
            partner_id=partner_id,
        )
        await self._audit("partner_admin_invited", await self._subject_of(user.id), partner_id=partner_id)
        view = PartnerAdminOut(
            id=user.id, email=user.email, full_name=user.full_name, partner_id=partner_id, status=user.status
        )
        return view

    async def _subject_of(self, user_id: UUID) -> str | None:
        return await self.session.scalar(select(User.subject_ref).where(User.id == user_id))

    async def _require(self, partner_id: UUID, *, lock: bool = False) -> Partner:
        return await get_or_404(self.session, Partner, Partner.id == partner_id, what="partner", lock=lock)


class LocationService:
    """One partner's locations; another partner's location is indistinguishable from a missing one. The
    offers' cities follow a location's city through ``loyalty.flows.partner_changes``."""

    def __init__(self, session: AsyncSession, runtime: Runtime, partner_id: UUID) -> None:
        self.session = session
        self.runtime = runtime
        self.partner_id = partner_id

    async def list_locations(self, *, limit: int, cursor: str | None) -> Page[LocationOut]:
        cursors = self.runtime.cursors
        query = (
            select(PartnerLocation)
            .where(PartnerLocation.partner_id == self.partner_id)
            .order_by(PartnerLocation.id)
            .limit(limit + 1)
        )
        if cursor:
            (last_id,) = cursors.decode(LOCATIONS_CURSOR, cursor)
            query = query.where(after([PartnerLocation.id], [UUID(str(last_id))], descending=False))
        page, next_cursor = cursors.page(
            LOCATIONS_CURSOR, list(await self.session.scalars(query)), limit, lambda last: [str(last.id)]
        )
        return Page(items=[location_view(x) for x in page], next_cursor=next_cursor)

    async def create(self, data: LocationIn) -> LocationOut:
        values = msgspec.structs.asdict(data)
        require_zone(values["timezone"])
        location = PartnerLocation(partner_id=self.partner_id, **_strip(values))
        self.session.add(location)
        await self.session.flush()
        return location_view(location)

    async def update(self, location_id: UUID, data: LocationPatch) -> LocationOut:
        location = await get_or_404(
            self.session,
            PartnerLocation,
            PartnerLocation.id == location_id,
            PartnerLocation.partner_id == self.partner_id,
            what="location",
            lock=True,
        )
        changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        if "timezone" in changes:
            require_zone(changes["timezone"])
        for name, value in _strip(changes).items():
            setattr(location, name, value)
        await self.session.flush()
        return location_view(location)


def _strip(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


def _partner_values(values: dict[str, Any]) -> dict[str, Any]:
    """Request fields → columns: localized texts as dicts, contacts split into their columns."""
    columns: dict[str, Any] = {}
    for name, value in values.items():
        if name in ("name", "description"):
            columns[name] = value.as_dict() if value is not None else None
        elif name == "contacts":
            columns["contact_phone"] = value.phone if value else None
            columns["contact_email"] = normalize_email(value.email) if value and value.email else None
        else:
            columns[name] = value
    return columns


def partner_view(partner: Partner) -> PartnerOut:
    return PartnerOut(
        id=partner.id,
        name=partner.name,
        description=partner.description,
        website=partner.website,
        logo_url=partner.logo_url,
        contacts=contacts_of(partner),
        status=partner.status,
        suspended_at=partner.suspended_at,
        created_at=partner.created_at,
        updated_at=partner.updated_at,
    )


def contacts_of(partner: Partner) -> dict[str, str]:
    return {
        key: value
        for key, value in (("phone", partner.contact_phone), ("email", partner.contact_email))
        if value
    }


def location_view(location: PartnerLocation) -> LocationOut:
    return to_struct(LocationOut, location)
