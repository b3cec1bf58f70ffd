"""My inbox: list (newest first, with the unread count), mark one read, mark all read; and admins'
announcements.

Every role has an inbox. It is the person's own record shown back to them, as ``/me/export`` is, so it
stays open while the account is restricted or the current policy is not yet accepted: the outcome of a
data request must reach the person who filed it.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from loyalty.core.access import ALL_ROLES, Role, allow
from loyalty.core.dependencies import Caller, LanguageDep, acting_service, service
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.flows.announcements import AnnouncementService
from loyalty.notifications.schemas import (
    AnnouncementCreate,
    AnnouncementOut,
    AnnouncementPreview,
    AudienceOut,
    InboxPage,
    NotificationOut,
    ReadAll,
)
from loyalty.notifications.services import NotificationService

MINE = allow(*ALL_ROLES, consent_exempt=True)
Notifications = NamedDependency[NotificationService]
Announcements = NamedDependency[AnnouncementService]


class NotificationController(Controller):
    path = "/me/notifications"
    tags = ["me"]
    dependencies = {"notifications": service(NotificationService)}

    @get("", opt=MINE)
    async def inbox(
        self,
        principal: Caller,
        notifications: Notifications,
        reader_language: LanguageDep,
        limit: Limit = DEFAULT_LIMIT,
        cursor: Cursor = None,
    ) -> InboxPage:
        """My notifications, newest first, in my language; `unread_count` counts all my unread ones."""
        return await notifications.inbox(
            principal.user_id, language=reader_language, limit=limit, cursor=cursor
        )

    @post("/{notification_id:uuid}/read", opt=MINE, status_code=200)
    async def mark_read(
        self,
        notification_id: FromPath[UUID],
        principal: Caller,
        notifications: Notifications,
        reader_language: LanguageDep,
    ) -> NotificationOut:
        """Mark one read; marking it again keeps the first time."""
        return await notifications.mark_read(principal.user_id, notification_id, language=reader_language)

    @post("/read-all", opt=MINE, status_code=200)
    async def mark_all_read(self, principal: Caller, notifications: Notifications) -> ReadAll:
        """Mark every unread one read; answers how many were marked."""
        return await notifications.mark_all_read(principal.user_id)


class AnnouncementController(Controller):
    """Admins' announcements to employees: how many a scope reaches, sending one, and the past ones."""

    path = "/admin/announcements"
    tags = ["admin"]
    dependencies = {"announcements": acting_service(AnnouncementService)}

    @post("/preview", opt=allow(Role.ADMIN), status_code=200)
    async def preview(self, data: JSONBody[AnnouncementPreview], announcements: Announcements) -> AudienceOut:
        """How many people the scope reaches now (active employees with an account, employed)."""
        return await announcements.preview(data.scope)

    @post("", opt=allow(Role.ADMIN))
    async def send(self, data: JSONBody[AnnouncementCreate], announcements: Announcements) -> AnnouncementOut:
        """Record and audit the announcement; it reaches its audience through the job queue, in batches."""
        return await announcements.send(data)

    @get("", opt=allow(Role.ADMIN))
    async def list_sent(
        self, announcements: Announcements, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
    ) -> Page[AnnouncementOut]:
        """Past announcements, newest first, with how many they reached so far."""
        return await announcements.list(limit=limit, cursor=cursor)
