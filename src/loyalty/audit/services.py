"""Writing, reading and verifying the hash-chained audit log.

Each row's ``hash`` is SHA-256 over the previous row's hash and the row's own content, so a deleted row
breaks the next row's ``prev_hash`` and an altered row no longer matches its hash. Appending takes a
transaction-scoped advisory lock, so concurrent requests chain one after another.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.models import AuditEvent
from loyalty.audit.schemas import AuditEventOut
from loyalty.core.context import Actor
from loyalty.core.pagination import CursorCodec

GENESIS = "0" * 64
APPEND_LOCK = 0x4C4F59414C5459  # "LOYALTY"
SYSTEM = "system"
CURSOR_SCOPE = "audit-log"


ROSTER_REF_PREFIX = "roster:"


def roster_ref(entry_id: UUID) -> str:
    return f"{ROSTER_REF_PREFIX}{entry_id}"


def ip_digest(secret_key: str, ip: str | None) -> str | None:
    if ip is None:
        return None
    return hmac.new(secret_key.encode(), f"audit-ip:{ip}".encode(), hashlib.sha256).hexdigest()


def row_hash(prev_hash: str, event: AuditEvent | Any) -> str:
    content = json.dumps(
        [
            prev_hash,
            event.at.isoformat(),
            event.actor_ref,
            event.actor_role,
            event.action,
            event.subject_ref,
            event.ip_digest,
            event.details,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode()).hexdigest()


class AuditLog:
    def __init__(self, session: AsyncSession, secret_key: str) -> None:
        self.session = session
        self.secret_key = secret_key

    async def record(
        self,
        actor: Actor,
        action: str,
        subject_ref: str | None,
        now: datetime,
        **details: Any,
    ) -> None:
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})
        prev = await self.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1))
        event = AuditEvent(
            at=now,
            actor_ref=actor.ref,
            actor_role=actor.role,
            action=action,
            subject_ref=subject_ref,
            ip=actor.ip,
            ip_digest=ip_digest(self.secret_key, actor.ip),
            details={k: (str(v) if isinstance(v, UUID) else v) for k, v in details.items()},
            prev_hash=prev or GENESIS,
        )
        event.hash = row_hash(event.prev_hash, event)
        self.session.add(event)
        await self.session.flush()

    async def page(
        self,
        cursors: CursorCodec,
        *,
        limit: int,
        cursor: str | None,
        subject_refs: list[str] | None,
        action: str | None,
        since: datetime | None,
        until: datetime | None,
        reader: Actor,
        now: datetime,
        scope: ColumnElement[bool] | None = None,
    ) -> tuple[list[AuditEventOut], str | None]:
        """A page of the log, newest first. Reading the log is itself recorded (after the page is read,
        so the page shows the log as it was): about the last of ``subject_refs`` when filtered by person.
        ``scope``: the reader's limit on whose events they see (an HR admin's companies)."""
        query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit + 1)
        if scope is not None:
            query = query.where(scope)
        if cursor:
            (before,) = cursors.decode(CURSOR_SCOPE, cursor)
            query = query.where(AuditEvent.seq < int(before))
        if subject_refs is not None:
            query = query.where(AuditEvent.subject_ref.in_(subject_refs))
        if action:
            query = query.where(AuditEvent.action == action)
        if since:
            query = query.where(AuditEvent.at >= since)
        if until:
            query = query.where(AuditEvent.at < until)
        page, next_cursor = cursors.page(
            CURSOR_SCOPE, list(await self.session.scalars(query)), limit, lambda last: [last.seq]
        )
        await self.record(
            reader,
            "audit_log_read",
            subject_refs[-1] if subject_refs else None,
            now,
            # Whose events were read is the row's subject; the other pseudonyms stay out of the details,
            # which the reader's own export shows.
            by_person=subject_refs is not None,
            action_filter=action,
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
            rows=len(page),
        )
        return [
            AuditEventOut(
                seq=e.seq,
                at=e.at,
                actor_ref=e.actor_ref,
                actor_role=e.actor_role,
                action=e.action,
                subject_ref=e.subject_ref,
                ip=e.ip,
                details=e.details,
            )
            for e in page
        ], next_cursor


@dataclass(frozen=True, slots=True)
class ChainReport:
    rows: int
    broken_at: int | None
    reason: str | None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


async def verify_chain(session: AsyncSession, secret_key: str) -> ChainReport:
    """Walk the log in order. The oldest remaining row anchors the chain (retention prunes from the start)."""
    rows = 0
    prev: str | None = None
    result = await session.stream_scalars(select(AuditEvent).order_by(AuditEvent.seq))
    async for event in result:
        rows += 1
        if prev is not None and event.prev_hash != prev:
            return ChainReport(rows, event.seq, "a row before this one was deleted or altered")
        if event.hash != row_hash(event.prev_hash, event):
            return ChainReport(rows, event.seq, "this row was altered")
        if event.ip is not None and event.ip_digest != ip_digest(secret_key, event.ip):
            return ChainReport(rows, event.seq, "this row's address was altered")
        prev = event.hash
    return ChainReport(rows, None, None)
