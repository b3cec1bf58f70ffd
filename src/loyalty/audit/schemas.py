"""Bodies of the audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from loyalty.core.schemas import ResponseBody


class AuditEventOut(ResponseBody):
    seq: int
    at: datetime
    actor_ref: str
    actor_role: str
    action: str
    subject_ref: str | None
    ip: str | None
    details: dict[str, Any]
