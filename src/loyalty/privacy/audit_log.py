"""HR reads the audit log: filtered by person (any of their pseudonyms), limited to the people of the
HR admin's companies, and every read is itself recorded."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.models import AuditEvent
from loyalty.audit.schemas import AuditEventOut
from loyalty.audit.services import AuditLog, roster_ref
from loyalty.companies.scope import HrScope
from loyalty.core.context import Actor
from loyalty.core.errors import invalid_field
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.identity.models import User
from loyalty.roster.scope import admits_subject


class HrAuditLog:
    def __init__(self, session: AsyncSession, runtime: Runtime, reader: Actor, scope: HrScope) -> None:
        self.session = session
        self.runtime = runtime
        self.reader = reader
        self.scope = scope

    async def page(
        self,
        *,
        limit: int,
        cursor: str | None,
        employee_id: UUID | None,
        subject_ref: str | None,
        action: str | None,
        since: datetime | None,
        until: datetime | None,
    ) -> Page[AuditEventOut]:
        if since and until and until < since:
            raise invalid_field("until", "must not be before since")
        items, next_cursor = await AuditLog(self.session, self.runtime.settings.secret_key).page(
            self.runtime.cursors,
            limit=limit,
            cursor=cursor,
            subject_refs=await self._refs(employee_id, subject_ref),
            action=action,
            since=since,
            until=until,
            reader=self.reader,
            now=self.runtime.clock.now(),
            scope=admits_subject(self.scope, AuditEvent.subject_ref),
        )
        return Page(items=items, next_cursor=next_cursor)

    async def _refs(self, employee_id: UUID | None, subject_ref: str | None) -> list[str] | None:
        """The pseudonyms to filter by: ``subject_ref``, and a roster entry's own and its account's."""
        if employee_id is None and subject_ref is None:
            return None
        refs = [subject_ref] if subject_ref else []
        if employee_id is not None:
            refs.append(roster_ref(employee_id))
            account_ref = await self.session.scalar(
                select(User.subject_ref).where(User.roster_entry_id == employee_id)
            )
            if account_ref:
                refs.append(account_ref)
        return refs
