"""Who is acting and from where: the values every layer passes along with a request."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from loyalty.core.access import Role


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of this request."""

    user_id: UUID
    session_id: UUID
    role: Role
    language: str
    roster_entry_id: UUID | None
    consented_policy_version_id: UUID | None
    core_consent: bool
    restricted: bool
    partner_id: UUID | None = None
    partner_suspended: bool = False
    subject_ref: str = ""
    # The HR attributes offers' eligibility rules read (employees only).
    company: str | None = None
    department: str | None = None
    city: str | None = None

    def own_partner(self) -> UUID:
        """The partner a partner admin acts for (the guard admits partner routes only to partner admins,
        and the database guarantees every partner admin has a partner)."""
        if self.partner_id is None:
            raise RuntimeError("only a partner admin acts for a partner")
        return self.partner_id


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a request came from, kept with sessions and consent records."""

    ip: str | None
    user_agent: str | None


@dataclass(frozen=True, slots=True)
class Actor:
    ref: str
    role: str
    ip: str | None = None


SYSTEM_ACTOR = Actor("system", "system")
