"""HR decides a data request: the request closes, the person hears of it, and completing an erasure
request erases the person, all in one transaction.

The person hears of it through a notification (inbox and email) written in that transaction: an SMTP
outage delays the mail, it no longer loses it. A person erased by the decision has no account left to
notify: their confirmation is a mail addressed to them directly, their address and name sealed in the
notification until it is sent (then wiped), so it reaches them and nothing of theirs stays behind.
"""

from __future__ import annotations

from typing import cast
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog
from loyalty.companies.scope import HrScope
from loyalty.core.context import Actor
from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language
from loyalty.identity.models import User
from loyalty.notifications.services import NotificationService, Recipient
from loyalty.notifications.topics import Topic
from loyalty.privacy.models import DataRequestKind, DataRequestStatus
from loyalty.privacy.requests import DataRequestService, view
from loyalty.privacy.rights import erase_person
from loyalty.privacy.schemas import DataRequestOut


class DecideDataRequest:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime
        self.requests = DataRequestService(session, runtime)

    async def decide(
        self, request_id: UUID, *, complete: bool, note: str | None, actor: Actor, scope: HrScope
    ) -> DataRequestOut:
        """Complete or reject an open request; completing an erasure request erases the person."""
        request = await self.requests.require(request_id, scope=scope, lock=True)
        if request.status != DataRequestStatus.OPEN:
            raise AppError(409, ErrorCode.CONFLICT, f"this request is {request.status} already")
        now = self.runtime.clock.now()
        person = await self.requests.person_of(request, lock=True)
        user = await self.session.get(User, person.user_id) if person and person.user_id else None
        recipient = (user.id, user.email, user.full_name, cast(Language, user.language)) if user else None
        request.status = DataRequestStatus.COMPLETED if complete else DataRequestStatus.REJECTED
        request.decided_at = now
        request.decided_by_ref = actor.ref
        # Once the person is erased, a note about them would outlive them with no link to clear it by.
        request.decision_note = note if person is not None else None
        await self.session.flush()
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            actor,
            f"data_request_{request.status}",
            request.subject_ref,
            now,
            request_id=request.id,
            kind=request.kind,
        )
        erased = complete and request.kind == DataRequestKind.ERASURE and person is not None
        if erased and person is not None:
            await erase_person(self.session, self.runtime, person, actor, reason="erasure request")
        if recipient is not None:
            user_id, email, name, language = recipient
            params = {"request_kind": request.kind, "status": request.status, "note": note or ""}
            outbox = NotificationService(self.session, self.runtime)
            if erased:
                await outbox.mail(
                    "data_request_status",
                    params,
                    to=Recipient(email, name, language),
                    topic=Topic.DATA_REQUESTS,
                )
            else:
                await outbox.notify(
                    user_id, topic=Topic.DATA_REQUESTS, template="data_request_status", params=params
                )
        return view(request, self.requests.today())
