"""Admins' announcements: the audience of a scope (active employees with an account, employed, in the
named companies or cities, or everyone), a preview of its size, and the fan-out.

Sending writes the announcement and its audit event and enqueues one ``announce`` job in the admin's
transaction, so the request returns at once whatever the audience. The job tells the audience in batches
of :data:`BATCH`, people selected in SQL in id order; each batch commits with the announcement's
``fanned_out_until`` (the last id told) under the announcement's row lock, so a job that dies half-way, runs
twice or on two workers resumes where the last batch committed and tells nobody twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from sqlalchemy import ColumnElement, false, func, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.companies.models import Company
from loyalty.core.context import Actor
from loyalty.core.errors import invalid_field
from loyalty.core.jobs import enqueue
from loyalty.core.persistence import newest_first
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.identity.models import User
from loyalty.notifications.models import Announcement
from loyalty.notifications.schemas import (
    AnnouncementCreate,
    AnnouncementOut,
    AnnouncementScope,
    AudienceOut,
)
from loyalty.notifications.services import NotificationService
from loyalty.notifications.topics import Topic
from loyalty.roster.models import RosterEntry
from loyalty.roster.people import working_employees

ANNOUNCE = "announce"  # the job entrypoint that fans an announcement out
TEMPLATE = "announcement"
BATCH = 1000
CURSOR_SCOPE = "announcements"
log = structlog.get_logger("loyalty.announcements")


def in_scope(scope: dict[str, Any]) -> ColumnElement[bool]:
    """The roster condition of a stored scope (``{"everyone", "company_ids", "cities"}``)."""
    if scope.get("everyone"):
        return true()
    parts: list[ColumnElement[bool]] = []
    if scope.get("company_ids"):
        names = select(Company.name).where(Company.id.in_([UUID(str(c)) for c in scope["company_ids"]]))
        parts.append(RosterEntry.company.in_(names))
    if scope.get("cities"):
        parts.append(RosterEntry.city.in_(list(scope["cities"])))
    return or_(*parts) if parts else false()


def audience(scope: dict[str, Any]) -> Any:
    """Who an announcement reaches: employees whose account is active and whose roster entry is employed
    and in scope (erased people have no account)."""
    return working_employees(in_scope(scope))


def view(row: Announcement) -> AnnouncementOut:
    return AnnouncementOut(
        id=row.id,
        title=row.title,
        body=row.body,
        scope=row.scope,
        audience=row.audience,
        sent_count=row.sent_count,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


class AnnouncementService:
    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor) -> None:
        self.session = session
        self.runtime = runtime
        self.actor = actor

    async def _scope(self, scope: AnnouncementScope) -> dict[str, Any]:
        """The scope as stored; 422 when it names nobody in particular or a company that does not exist."""
        companies = sorted(set(scope.company_ids))
        cities = sorted(set(scope.cities))
        if scope.everyone and (companies or cities):
            raise invalid_field("scope", "everyone excludes company_ids and cities")
        if not scope.everyone and not (companies or cities):
            raise invalid_field("scope", "name company_ids or cities, or set everyone")
        if companies:
            found = set(await self.session.scalars(select(Company.id).where(Company.id.in_(companies))))
            if missing := [str(c) for c in companies if c not in found]:
                raise invalid_field("scope.company_ids", f"unknown company {', '.join(missing)}")
        return {"everyone": scope.everyone, "company_ids": [str(c) for c in companies], "cities": cities}

    async def _count(self, scope: dict[str, Any]) -> int:
        return int(
            await self.session.scalar(select(func.count()).select_from(audience(scope).subquery())) or 0
        )

    async def preview(self, scope: AnnouncementScope) -> AudienceOut:
        return AudienceOut(audience=await self._count(await self._scope(scope)))

    async def send(self, data: AnnouncementCreate) -> AnnouncementOut:
        scope = await self._scope(data.scope)
        now = self.runtime.clock.now()
        announcement = Announcement(
            title={"kk": data.title.kk, "ru": data.title.ru, "en": data.title.en},
            body={"kk": data.body.kk, "ru": data.body.ru, "en": data.body.en},
            scope=scope,
            audience=await self._count(scope),
            sent_count=0,
            created_by_ref=self.actor.ref,
            created_at=now,
        )
        self.session.add(announcement)
        await self.session.flush()
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor,
            "announcement_sent",
            None,
            now,
            announcement_id=str(announcement.id),
            audience=announcement.audience,
            scope=scope,
        )
        await enqueue(self.session, ANNOUNCE, [announcement.id])
        return view(announcement)

    async def list(self, *, limit: int, cursor: str | None) -> Page[AnnouncementOut]:
        query = newest_first(
            select(Announcement),
            Announcement.created_at,
            Announcement.id,
            self.runtime.cursors.decode(CURSOR_SCOPE, cursor) if cursor else None,
            limit,
        )
        rows = list(await self.session.scalars(query))
        page, next_cursor = self.runtime.cursors.page(
            CURSOR_SCOPE, rows, limit, lambda last: [last.created_at.isoformat(), str(last.id)]
        )
        return Page(items=[view(row) for row in page], next_cursor=next_cursor)


async def fan_out_batch(session: AsyncSession, runtime: Runtime, announcement_id: UUID) -> bool | None:
    """Tell the next batch of the audience, in ``session``'s transaction; True when all are told, None when
    there is nothing to do (finished, unknown, or another worker holds it)."""
    announcement = await session.scalar(
        select(Announcement)
        .where(Announcement.id == announcement_id, Announcement.finished_at.is_(None))
        .with_for_update(skip_locked=True)
    )
    if announcement is None:
        return None
    query = audience(announcement.scope)
    if announcement.fanned_out_until is not None:
        query = query.where(User.id > announcement.fanned_out_until)
    users = list(await session.scalars(query.order_by(User.id).limit(BATCH)))
    told = await NotificationService(session, runtime).notify_many(
        users,
        Topic.ANNOUNCEMENTS,
        TEMPLATE,
        {
            **{f"title_{lang}": text for lang, text in announcement.title.items()},
            **{f"body_{lang}": text for lang, text in announcement.body.items()},
        },
    )
    done = len(users) < BATCH
    await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id)
        .values(
            fanned_out_until=users[-1] if users else announcement.fanned_out_until,
            sent_count=Announcement.sent_count + told,
            finished_at=runtime.clock.now() if done else None,
        )
        .execution_options(synchronize_session=False)
    )
    return done


async def fan_out(runtime: Runtime, announcement_id: UUID) -> None:
    """The ``announce`` job: batches, each in its own transaction, until everyone in scope is told."""
    while True:
        async with runtime.db_config.get_session() as session:
            done = await fan_out_batch(session, runtime, announcement_id)
            await session.commit()
        if done is None or done:
            log.info("announcement_fanned_out", announcement_id=str(announcement_id), finished=done)
            return
