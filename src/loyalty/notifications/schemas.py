"""What the inbox answers (items rendered in the reader's language when read), preferences and devices,
and admins' announcements."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated, Any
from uuid import UUID

from msgspec import UNSET, Meta, UnsetType

from loyalty.core.schemas import NOT_BLANK_SINGLE_LINE, Page, RequestBody, ResponseBody, ShortText
from loyalty.notifications.models import DEFAULT_TIME_ZONE, Channel, DigestFrequency, Platform
from loyalty.notifications.topics import Topic, TopicKind


class NotificationOut(ResponseBody):
    id: UUID
    topic: str
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None


class InboxPage(Page[NotificationOut]):
    unread_count: int = 0


class ReadAll(ResponseBody):
    marked: int


class PreferenceCell(ResponseBody):
    channel: Channel
    enabled: bool
    # Legally required topics cannot be turned off.
    locked: bool


class TopicPreferences(ResponseBody):
    topic: Topic
    kind: TopicKind
    channels: list[PreferenceCell]


class QuietHoursOut(ResponseBody):
    starts: time
    ends: time
    time_zone: str


class PreferencesOut(ResponseBody):
    topics: list[TopicPreferences]
    # Push and email of service and marketing topics wait until they end; None = none set.
    quiet_hours: QuietHoursOut | None
    # How often the offer digest comes (on the channels chosen for ``offer_digest``): daily, weekly, off.
    digest: DigestFrequency


class PreferenceChange(RequestBody):
    topic: Topic
    channel: Channel
    enabled: bool


class QuietHoursIn(RequestBody):
    starts: time
    ends: time
    time_zone: Annotated[str, Meta(min_length=1, max_length=64)] = DEFAULT_TIME_ZONE


class PreferencesUpdate(RequestBody):
    preferences: Annotated[list[PreferenceChange], Meta(max_length=100)] = []
    # Omitted: unchanged; null: no quiet hours.
    quiet_hours: QuietHoursIn | UnsetType | None = UNSET
    # Omitted: unchanged.
    digest: DigestFrequency | UnsetType = UNSET


class DeviceIn(RequestBody):
    token: Annotated[str, Meta(min_length=1, max_length=4096, pattern=r"^[\x21-\x7e]+$")]
    platform: Platform
    app_version: Annotated[str, Meta(max_length=32, pattern=r"^[\x21-\x7e]*$")] | None = None


class DeviceOut(ResponseBody):
    id: UUID
    platform: Platform
    app_version: str | None
    created_at: datetime
    last_seen_at: datetime


class Unsubscribed(ResponseBody):
    topic: Topic
    channel: Channel
    enabled: bool


BodyText = Annotated[str, Meta(min_length=1, max_length=4000, pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")]
CityName = Annotated[str, Meta(min_length=1, max_length=100, pattern=NOT_BLANK_SINGLE_LINE)]


class AnnouncementScope(RequestBody):
    """Who hears an announcement: ``everyone``, or the employees of ``company_ids`` and those in
    ``cities`` (either matches)."""

    everyone: bool = False
    company_ids: Annotated[list[UUID], Meta(max_length=200)] = []
    cities: Annotated[list[CityName], Meta(max_length=200)] = []


class AnnouncementTitle(RequestBody):
    kk: ShortText
    ru: ShortText
    en: ShortText


class AnnouncementBody(RequestBody):
    kk: BodyText
    ru: BodyText
    en: BodyText


class AnnouncementPreview(RequestBody):
    scope: AnnouncementScope


class AnnouncementCreate(RequestBody):
    title: AnnouncementTitle
    body: AnnouncementBody
    scope: AnnouncementScope


class AudienceOut(ResponseBody):
    audience: int


class AnnouncementOut(ResponseBody):
    id: UUID
    title: dict[str, str]
    body: dict[str, str]
    scope: dict[str, Any]
    audience: int
    sent_count: int
    created_at: datetime
    finished_at: datetime | None
