"""Data-subject requests: filed by employees in the app, or by HR for someone on the roster who asked
outside it, and worked by HR within a response period counted in Kazakhstan's business days (weekends
and public holidays from the ``holidays`` library). One open request per kind per person."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from uuid import UUID
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import ColumnElement, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.companies.scope import HrScope
from loyalty.core.context import Actor
from loyalty.core.errors import AppError, ErrorCode, not_found
from loyalty.core.persistence import after, get_or_404
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Page
from loyalty.privacy.models import DataRequest, DataRequestChannel, DataRequestKind, DataRequestStatus
from loyalty.privacy.rights import Person, find_person, find_roster_person
from loyalty.privacy.schemas import DataRequestIn, DataRequestOut, HrDataRequestIn
from loyalty.roster.models import RosterEntry
from loyalty.roster.scope import admits_roster_entry, admits_user

KAZAKHSTAN = ZoneInfo("Asia/Almaty")
QUEUE_CURSOR = "data-requests"


@lru_cache(maxsize=8)
def _kazakh_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=[year, year + 1])


def add_business_days(start: date, days: int) -> date:
    """The day ``days`` Kazakh business days after ``start`` (which itself does not count). A weekend day
    worked in exchange for a day off (the calendar's ``weekend_workdays``) is a business day."""
    day = start
    while days:
        day += timedelta(days=1)
        calendar = _kazakh_holidays(day.year)
        if day in calendar.weekend_workdays or (day.weekday() < 5 and day not in calendar):
            days -= 1
    return day


def view(request: DataRequest, today: date) -> DataRequestOut:
    return DataRequestOut(
        id=request.id,
        kind=request.kind,
        channel=request.channel,
        details=request.details,
        identity_verification=request.identity_verification,
        roster_entry_id=request.roster_entry_id,
        status=request.status,
        due_on=request.due_on,
        overdue=request.status == DataRequestStatus.OPEN and request.due_on < today,
        subject_ref=request.subject_ref,
        created_at=request.created_at,
        decided_at=request.decided_at,
        decision_note=request.decision_note,
    )


def _in_scope(scope: HrScope) -> ColumnElement[bool]:
    """A request is in an HR admin's scope when its person's account or roster entry is."""
    return or_(
        admits_user(scope, DataRequest.user_id), admits_roster_entry(scope, DataRequest.roster_entry_id)
    )


class DataRequestService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    def today(self) -> date:
        return self.runtime.clock.now().astimezone(KAZAKHSTAN).date()

    async def file(self, user_id: UUID, data: DataRequestIn, actor: Actor) -> DataRequestOut:
        """The employee's own request, filed in the app."""
        person = await find_person(self.session, user_id)
        return await self._file(
            person,
            kind=data.kind,
            details=data.details,
            channel=DataRequestChannel.APP,
            verification=None,
            actor=actor,
        )

    async def file_for(self, data: HrDataRequestIn, actor: Actor, scope: HrScope) -> DataRequestOut:
        """A request someone on the roster made outside the app, filed by HR on their behalf: they may
        have left, and may never have had an account. Someone outside HR's ``scope`` is not found."""
        in_scope = await self.session.scalar(
            select(RosterEntry.id).where(
                RosterEntry.id == data.roster_entry_id, scope.condition(RosterEntry.company)
            )
        )
        if in_scope is None:
            raise not_found("roster entry")
        person = await find_roster_person(self.session, data.roster_entry_id)
        return await self._file(
            person,
            kind=data.kind,
            details=data.details,
            channel=DataRequestChannel(data.channel),
            verification=data.identity_verification,
            actor=actor,
        )

    async def _file(
        self,
        person: Person,
        *,
        kind: str,
        details: str | None,
        channel: DataRequestChannel,
        verification: str | None,
        actor: Actor,
    ) -> DataRequestOut:
        now = self.runtime.clock.now()
        # The partial unique index decides "one open request per kind", so simultaneous filings cannot
        # both get in.
        request_id = await self.session.scalar(
            insert(DataRequest)
            .values(
                user_id=person.user_id,
                roster_entry_id=person.roster_entry_id,
                subject_ref=person.ref,
                kind=kind,
                details=details,
                channel=channel,
                identity_verification=verification,
                status=DataRequestStatus.OPEN,
                due_on=add_business_days(self.today(), self.runtime.settings.privacy.response_business_days),
            )
            .on_conflict_do_nothing(
                index_elements=["roster_entry_id", "kind"], index_where=text("status = 'open'")
            )
            .returning(DataRequest.id)
        )
        if request_id is None:
            raise AppError(
                409,
                ErrorCode.DATA_REQUEST_OPEN,
                f"this person's {kind} request is open already; it is answered before another is filed",
            )
        request = await self.session.get_one(DataRequest, request_id)
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor, "data_request_filed", person.ref, now, request_id=request.id, kind=kind, channel=channel
        )
        return view(request, self.today())

    async def mine(self, user_id: UUID) -> list[DataRequestOut]:
        requests = await self.session.scalars(
            select(DataRequest).where(DataRequest.user_id == user_id).order_by(DataRequest.created_at.desc())
        )
        return [view(r, self.today()) for r in requests]

    async def queue(
        self,
        *,
        status: str,
        limit: int,
        cursor: str | None,
        reader: Actor,
        scope: HrScope,
    ) -> Page[DataRequestOut]:
        """Oldest due first; only requests of people in the HR admin's ``scope``. The read is audited:
        the queue shows people's requests."""
        query = (
            select(DataRequest)
            .where(DataRequest.status == status, _in_scope(scope))
            .order_by(DataRequest.due_on, DataRequest.id)
            .limit(limit + 1)
        )
        if cursor:
            due, last = self.runtime.cursors.decode(QUEUE_CURSOR, cursor)
            query = query.where(
                after(
                    (DataRequest.due_on, DataRequest.id),
                    [date.fromisoformat(due), UUID(last)],
                    descending=False,
                )
            )
        page, next_cursor = self.runtime.cursors.page(
            QUEUE_CURSOR,
            list(await self.session.scalars(query)),
            limit,
            lambda last: [last.due_on.isoformat(), str(last.id)],
        )
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            reader,
            "data_requests_listed",
            None,
            self.runtime.clock.now(),
            status=status,
            request_ids=[str(r.id) for r in page],
        )
        return Page(items=[view(r, self.today()) for r in page], next_cursor=next_cursor)

    async def require(self, request_id: UUID, *, scope: HrScope, lock: bool = False) -> DataRequest:
        """The request, if its subject is in ``scope``; else 404 as if it did not exist."""
        return await get_or_404(
            self.session,
            DataRequest,
            DataRequest.id == request_id,
            _in_scope(scope),
            what="data request",
            lock=lock,
        )

    async def person_of(self, request: DataRequest, *, lock: bool = False) -> Person | None:
        """Who the request is about now: their account if it still exists, else their roster entry;
        None once both are gone (erased, or left and removed by retention)."""
        if request.user_id is not None:
            return await find_person(self.session, request.user_id, lock=lock)
        if request.roster_entry_id is not None:
            return await find_roster_person(self.session, request.roster_entry_id, lock=lock)
        return None

    async def export_subject(self, request_id: UUID, actor: Actor, scope: HrScope) -> Person:
        """Whom HR may export for this request: only for an open access request, and the export is
        audited as a read of the person's data (committed before the document streams)."""
        request = await self.require(request_id, scope=scope)
        if request.kind != DataRequestKind.ACCESS:
            raise AppError(409, ErrorCode.CONFLICT, "only an access request has an export")
        if request.status != DataRequestStatus.OPEN:
            raise AppError(
                409,
                ErrorCode.DATA_REQUEST_CLOSED,
                f"this request is {request.status}; its export is no longer available",
            )
        person = await self.person_of(request)
        if person is None:
            raise AppError(409, ErrorCode.CONFLICT, "nothing is held about this person any more")
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor, "export", request.subject_ref, self.runtime.clock.now(), request_id=request.id
        )
        await self.session.commit()  # the audit row stands even if the download is cut off
        return person
