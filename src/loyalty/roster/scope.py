"""An HR admin's scope applied to what hangs off the roster: accounts, roster entries and audit subjects."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String, cast, literal, select, true, union_all

from loyalty.audit.services import ROSTER_REF_PREFIX
from loyalty.companies.scope import HrScope
from loyalty.identity.models import User
from loyalty.roster.models import RosterEntry


def admits_user(scope: HrScope, user_id_column: Any) -> ColumnElement[bool]:
    """Rows whose ``user_id_column`` is an account whose roster entry is in the scope."""
    if scope.group_wide:
        return true()
    return user_id_column.in_(  # type: ignore[no-any-return]
        select(User.id)
        .join(RosterEntry, RosterEntry.id == User.roster_entry_id)
        .where(scope.condition(RosterEntry.company))
    )


def admits_roster_entry(scope: HrScope, roster_entry_id_column: Any) -> ColumnElement[bool]:
    """Rows whose ``roster_entry_id_column`` is a roster entry in the scope."""
    if scope.group_wide:
        return true()
    return roster_entry_id_column.in_(  # type: ignore[no-any-return]
        select(RosterEntry.id).where(scope.condition(RosterEntry.company))
    )


def admits_subject(scope: HrScope, subject_ref_column: Any) -> ColumnElement[bool]:
    """Rows whose pseudonym ``subject_ref_column`` is of someone in the scope: an account's
    ``subject_ref`` or a roster entry's ``roster_ref``. Events about nobody in particular are group-wide."""
    if scope.group_wide:
        return true()
    in_scope = scope.condition(RosterEntry.company)
    return subject_ref_column.in_(  # type: ignore[no-any-return]
        union_all(
            select(User.subject_ref)
            .join(RosterEntry, RosterEntry.id == User.roster_entry_id)
            .where(in_scope),
            select(literal(ROSTER_REF_PREFIX) + cast(RosterEntry.id, String)).where(in_scope),
        )
    )
