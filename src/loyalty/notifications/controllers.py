"""My inbox: list (newest first, with the unread count), mark one read, mark all read; my push devices,
my notification preferences and quiet hours; the one-click unsubscribe link of notification mails; and
admins' announcements.

Every role has an inbox. It is the person's own record shown back to them, as ``/me/export`` is, so it
stays open while the account is restricted or the current policy is not yet accepted: the outcome of a
data request must reach the person who filed it.
"""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from loyalty.core.access import ALL_ROLES, Role, allow, public
from loyalty.core.contract import fails_with
from loyalty.core.dependencies import Caller, LanguageDep, acting_service, service
from loyalty.core.errors import ErrorCode
from loyalty.core.pagination import DEFAULT_LIMIT, Cursor, Limit
from loyalty.core.schemas import Page
from loyalty.flows.announcements import AnnouncementService
from loyalty.notifications.devices import DeviceService
from loyalty.notifications.preferences import PreferenceService
from loyalty.notifications.schemas import (
    AnnouncementCreate,
    AnnouncementOut,
    AnnouncementPreview,
    AudienceOut,
    DeviceIn,
    DeviceOut,
    InboxPage,
    NotificationOut,
    PreferencesOut,
    PreferencesUpdate,
    ReadAll,
    Unsubscribed,
)
from loyalty.notifications.services import NotificationService

MINE = allow(*ALL_ROLES, consent_exempt=True)
Notifications = NamedDependency[NotificationService]
Devices = NamedDependency[DeviceService]
Preferences = NamedDependency[PreferenceService]
Announcements = NamedDependency[AnnouncementService]


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


class DeviceController(Controller):
    """The mobile app (employees') registers its push token after sign-in and removes it on sign-out."""

    path = "/me/devices"
    tags = ["notifications"]
    dependencies = {"devices": service(DeviceService)}

    @post("", operation_id="registerDevice", opt=allow(Role.EMPLOYEE, processing=True))
    async def register(
        self, data: JSONBody[DeviceIn], principal: Caller, devices: Devices
    ) -> Response[DeviceOut]:
        """Register my push token (201), or refresh it (200): the same token again is one device; a token
        registered by another account moves to mine."""
        device, created = await devices.register(principal.user_id, data)
        return Response(device, status_code=201 if created else 200)

    @delete(
        "/{device:str}",
        operation_id="unregisterDevice",
        opt=allow(Role.EMPLOYEE, consent_exempt=True),
        status_code=204,
    )
    async def remove(self, device: FromPath[str], principal: Caller, devices: Devices) -> None:
        """Stop pushing to one of my devices, named by its id or its token."""
        await devices.remove(principal.user_id, device)


class PreferenceController(Controller):
    path = "/me/notification-preferences"
    tags = ["notifications"]
    dependencies = {"preference_service": service(PreferenceService)}

    @get("", operation_id="getNotificationPreferences", opt=MINE)
    async def show(self, principal: Caller, preference_service: Preferences) -> PreferencesOut:
        """Every topic meant for me × channel: on or off (`locked` for those the law requires), and my
        quiet hours."""
        return await preference_service.show(principal.user_id, principal.role)

    @put(
        "",
        operation_id="updateNotificationPreferences",
        opt=MINE | fails_with(ErrorCode.TOPIC_LOCKED),
        status_code=200,
    )
    async def change(
        self, data: JSONBody[PreferencesUpdate], principal: Caller, preference_service: Preferences
    ) -> PreferencesOut:
        """Turn cells on or off and set (or, with null, remove) my quiet hours; answers the whole matrix.
        Turning off a required topic is 422 `topic_locked`."""
        return await preference_service.change(principal.user_id, principal.role, data)


class UnsubscribeController(Controller):
    path = "/notifications/unsubscribe"
    tags = ["notifications"]
    dependencies = {"preference_service": service(PreferenceService)}

    @post("", operation_id="unsubscribeByEmailLink", opt=public(), status_code=200)
    async def unsubscribe(
        self, preference_service: Preferences, token: str = Parameter(min_length=1, max_length=2048)
    ) -> Unsubscribed:
        """One-click unsubscribe (RFC 8058) from the `List-Unsubscribe` link of a notification mail: the
        signed link is the credential; it turns that topic's email off."""
        return await preference_service.unsubscribe(token)


class AnnouncementController(Controller):
    """Admins' announcements to employees: how many a scope reaches, sending one, and the past ones."""

    path = "/admin/announcements"
    tags = ["admin-announcements"]
    dependencies = {"announcements": acting_service(AnnouncementService)}

    @post("/preview", operation_id="previewAnnouncementAudience", opt=allow(Role.ADMIN), status_code=200)
    async def preview(self, data: JSONBody[AnnouncementPreview], announcements: Announcements) -> AudienceOut:
        """How many people the scope reaches now (active employees with an account, employed)."""
        return await announcements.preview(data.scope)

    @post("", operation_id="sendAnnouncement", opt=allow(Role.ADMIN))
    async def send(self, data: JSONBody[AnnouncementCreate], announcements: Announcements) -> AnnouncementOut:
        """Record and audit the announcement; it reaches its audience through the job queue, in batches."""
        return await announcements.send(data)

    @get("", operation_id="listAnnouncements", opt=allow(Role.ADMIN))
    async def list_sent(
        self, announcements: Announcements, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None
    ) -> Page[AnnouncementOut]:
        """Past announcements, newest first, with how many they reached so far."""
        return await announcements.list(limit=limit, cursor=cursor)
