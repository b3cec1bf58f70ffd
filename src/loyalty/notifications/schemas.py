"""What the inbox answers (items rendered in the reader's language when read), and admins' announcements."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from msgspec import Meta

from loyalty.core.schemas import NOT_BLANK_SINGLE_LINE, Page, RequestBody, ResponseBody, ShortText


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
