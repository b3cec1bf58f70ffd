"""What a service decided besides its answer: the mail to send once the transaction has committed."""

from __future__ import annotations

from dataclasses import dataclass, field

from loyalty.core.mailer import OutgoingMail


@dataclass(slots=True)
class Outcome:
    """What a service decided, plus the mail to send once the transaction has committed."""

    mails: list[OutgoingMail] = field(default_factory=list)
