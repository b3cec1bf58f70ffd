"""What the inbox answers (items rendered in the reader's language when read), preferences and devices."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated
from uuid import UUID

from msgspec import UNSET, Meta, UnsetType

from loyalty.core.schemas import Page, RequestBody, ResponseBody
from loyalty.notifications.models import DEFAULT_TIME_ZONE, Channel, Platform
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
