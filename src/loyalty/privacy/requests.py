"""Data-subject requests: filed by employees, worked by HR within a response period counted in
Kazakhstan's business days (weekends and public holidays from the ``holidays`` library)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import cast
from uuid import UUID
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import Actor, AuditLog
from loyalty.companies.scope import HrScope
from loyalty.core.errors import AppError, ErrorCode, not_found
from loyalty.core.pagination import CursorCodec
from loyalty.core.schemas import Language
from loyalty.identity.models import User
from loyalty.identity.services import Outcome
from loyalty.mail.messages import compose
from loyalty.privacy.models import DataRequest, DataRequestKind, DataRequestStatus
from loyalty.privacy.rights import erase
from loyalty.privacy.schemas import DataRequestIn, DataRequestOut
from loyalty.runtime import Runtime

KAZAKHSTAN = ZoneInfo("Asia/Almaty")
QUEUE_CURSOR = "data-requests"


@lru_cache(maxsize=8)
def _kazakh_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=[year, year + 1])


def add_business_days(start: date, days: int) -> date:
    """The day ``days`` Kazakh business days after ``start`` (which itself does not count)."""
    day = start
    while days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in _kazakh_holidays(day.year):
            days -= 1
    return day


def view(request: DataRequest, today: date) -> DataRequestOut:
    return DataRequestOut(
        id=request.id,
        kind=request.kind,
        details=request.details,
        status=request.status,
        due_on=request.due_on,
        overdue=request.status == DataRequestStatus.OPEN and request.due_on < today,
        subject_ref=request.subject_ref,
        created_at=request.created_at,
        decided_at=request.decided_at,
        decision_note=request.decision_note,
    )


class DataRequestService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    def _today(self) -> date:
        return self.runtime.clock.now().astimezone(KAZAKHSTAN).date()

    async def file(self, user_id: UUID, data: DataRequestIn, actor: Actor) -> DataRequestOut:
        user = await self.session.get_one(User, user_id)
        now = self.runtime.clock.now()
        request = DataRequest(
            user_id=user.id,
            subject_ref=user.subject_ref,
            kind=data.kind,
            details=data.details,
            status=DataRequestStatus.OPEN,
            due_on=add_business_days(self._today(), self.runtime.settings.privacy.response_business_days),
        )
        self.session.add(request)
        await self.session.flush()
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor, "data_request_filed", user.subject_ref, now, request_id=request.id, kind=data.kind
        )
        return view(request, self._today())

    async def mine(self, user_id: UUID) -> list[DataRequestOut]:
        requests = await self.session.scalars(
            select(DataRequest).where(DataRequest.user_id == user_id).order_by(DataRequest.created_at.desc())
        )
        return [view(r, self._today()) for r in requests]

    async def queue(
        self, cursors: CursorCodec, *, status: str, limit: int, cursor: str | None, scope: HrScope
    ) -> tuple[list[DataRequestOut], str | None]:
        """Oldest due first; only requests of people in the HR admin's ``scope``."""
        query = (
            select(DataRequest)
            .where(DataRequest.status == status, scope.admits_user(DataRequest.user_id))
            .order_by(DataRequest.due_on, DataRequest.id)
            .limit(limit + 1)
        )
        if cursor:
            due, last = cursors.decode(QUEUE_CURSOR, cursor)
            query = query.where(
                (DataRequest.due_on > date.fromisoformat(due))
                | ((DataRequest.due_on == date.fromisoformat(due)) & (DataRequest.id > UUID(last)))
            )
        page, next_cursor = cursors.page(
            QUEUE_CURSOR,
            list(await self.session.scalars(query)),
            limit,
            lambda last: [last.due_on.isoformat(), str(last.id)],
        )
        return [view(r, self._today()) for r in page], next_cursor

    async def require(self, request_id: UUID, *, scope: HrScope, lock: bool = False) -> DataRequest:
        """The request, if its subject is in ``scope``; else 404 as if it did not exist."""
        query = select(DataRequest).where(
            DataRequest.id == request_id, scope.admits_user(DataRequest.user_id)
        )
        if lock:
            query = query.with_for_update()
        request = await self.session.scalar(query)
        if request is None:
            raise not_found("data request")
        return request

    async def decide(
        self, request_id: UUID, *, complete: bool, note: str | None, actor: Actor, scope: HrScope
    ) -> tuple[DataRequestOut, Outcome]:
        """Complete or reject an open request; completing an erasure request erases the person."""
        request = await self.require(request_id, scope=scope, lock=True)
        if request.status != DataRequestStatus.OPEN:
            raise AppError(409, ErrorCode.CONFLICT, f"this request is {request.status} already")
        now = self.runtime.clock.now()
        user = await self.session.get(User, request.user_id) if request.user_id else None
        recipient = (user.email, user.full_name, cast(Language, user.language)) if user else None
        request.status = DataRequestStatus.COMPLETED if complete else DataRequestStatus.REJECTED
        request.decided_at = now
        request.decided_by_ref = actor.ref
        request.decision_note = note
        await self.session.flush()
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor,
            f"data_request_{request.status}",
            request.subject_ref,
            now,
            request_id=request.id,
            kind=request.kind,
        )
        if complete and request.kind == DataRequestKind.ERASURE and user is not None:
            await erase(self.session, self.runtime, user.id, actor, reason="erasure request")
        mails = []
        if recipient is not None:
            email, name, language = recipient
            mails.append(
                compose(
                    "data_request_status",
                    language,
                    email,
                    name=name,
                    request_kind=request.kind,
                    status=request.status,
                    note=note or "",
                )
            )
        return view(request, self._today()), Outcome(mails)
