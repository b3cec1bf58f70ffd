"""My inbox: list (newest first, with the unread count), mark one read, mark all read.

Every role has an inbox. It is the person's own record shown back to them, as ``/me/export`` is, so it
stays open while the account is restricted or the current policy is not yet accepted: the outcome of a
data request must reach the person who filed it.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from loyalty.core.access import ALL_ROLES, allow
from loyalty.core.dependencies import Caller, LanguageDep, service
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.notifications.schemas import InboxPage, NotificationOut, ReadAll
from loyalty.notifications.services import NotificationService

MINE = allow(*ALL_ROLES, consent_exempt=True)
Notifications = NamedDependency[NotificationService]


class NotificationController(Controller):
    path = "/me/notifications"
    tags = ["notifications"]
    dependencies = {"notifications": service(NotificationService)}

    @get("", operation_id="listNotifications", opt=MINE)
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

    @post("/{notification_id:uuid}/read", operation_id="markNotificationRead", opt=MINE, status_code=200)
    async def mark_read(
        self,
        notification_id: FromPath[UUID],
        principal: Caller,
        notifications: Notifications,
        reader_language: LanguageDep,
    ) -> NotificationOut:
        """Mark one read; marking it again keeps the first time."""
        return await notifications.mark_read(principal.user_id, notification_id, language=reader_language)

    @post("/read-all", operation_id="markAllNotificationsRead", opt=MINE, status_code=200)
    async def mark_all_read(self, principal: Caller, notifications: Notifications) -> ReadAll:
        """Mark every unread one read; answers how many were marked."""
        return await notifications.mark_all_read(principal.user_id)
