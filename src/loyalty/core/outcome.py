"""What a service decided besides its answer: the mail to send once the transaction has committed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from litestar import Response
from litestar.background_tasks import BackgroundTask

from loyalty.core.mailer import Mailer, OutgoingMail, deliver

T = TypeVar("T")


@dataclass(slots=True)
class Outcome:
    """What a service decided, plus the mail to send once the transaction has committed."""

    mails: list[OutgoingMail] = field(default_factory=list)


def with_mail(body: T, outcome: Outcome, mailer: Mailer, *, status_code: int = 200) -> Response[T]:
    """The answer; the outcome's mail leaves as a background task, after the response, so after the
    request's transaction has committed (a rolled-back request mails nothing)."""
    background = BackgroundTask(deliver, mailer, outcome.mails) if outcome.mails else None
    return Response(body, status_code=status_code, background=background)
