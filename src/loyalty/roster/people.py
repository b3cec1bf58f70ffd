"""Who counts as a working employee we may address: one answer for announcements, policy-change notices
and the periodic notices."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, select

from loyalty.identity.models import AccountStatus, User
from loyalty.roster.models import EmploymentStatus, RosterEntry


def working_employee() -> list[ColumnElement[bool]]:
    """The conditions on ``User`` and ``RosterEntry`` (joined here by condition, so any query can add
    them): an employee with an active account, still on the roster as employed."""
    return [
        User.role == "employee",
        User.status == AccountStatus.ACTIVE,
        RosterEntry.id == User.roster_entry_id,
        RosterEntry.status == EmploymentStatus.ACTIVE,
    ]


def working_employees(*conditions: ColumnElement[Any]) -> Select[UUID]:
    """Ids of employees with an active account whose roster entry is employed (erased people have no
    account any more; terminated ones are not employed), narrowed by ``conditions`` on ``User`` and
    ``RosterEntry``."""
    return (
        select(User.id)
        .join(RosterEntry, RosterEntry.id == User.roster_entry_id)
        .where(*working_employee(), *conditions)
    )
