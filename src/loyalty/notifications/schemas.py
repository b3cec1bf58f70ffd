"""What the inbox answers: items rendered in the reader's language when read."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from loyalty.core.schemas import Page, ResponseBody


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
