"""The persistence toolkit's pure parts: the keyset condition it builds and the conditions it refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import msgspec
import pytest
from sqlalchemy.dialects import postgresql

from loyalty.core.persistence import after, get_or_404, to_struct
from loyalty.roster.models import RosterEntry

KEY = [datetime(2026, 1, 2, tzinfo=UTC), UUID("00000000-0000-7000-8000-000000000001")]


def sql(condition: object) -> str:
    return str(condition.compile(dialect=postgresql.dialect()))  # type: ignore[attr-defined]


@pytest.mark.parametrize(("descending", "operator"), [(True, "<"), (False, ">")])
def test_after_is_one_row_comparison_in_the_sort_direction(descending: bool, operator: str) -> None:
    condition = after([RosterEntry.created_at, RosterEntry.id], KEY, descending=descending)
    assert sql(condition) == (
        f"(roster_entries.created_at, roster_entries.id) {operator} "
        "(%(param_1)s::TIMESTAMP WITH TIME ZONE, %(param_2)s::UUID)"
    )


@pytest.mark.parametrize("key", [[], [KEY[0]], [*KEY, 3]])
def test_after_refuses_a_key_that_does_not_fit_the_columns(key: list[object]) -> None:
    columns = [RosterEntry.created_at, RosterEntry.id] if key else []
    with pytest.raises(ValueError, match="one value per sort column"):
        after(columns, key, descending=True)


async def test_get_or_404_refuses_to_run_without_a_condition() -> None:
    with pytest.raises(ValueError, match="at least one condition"):
        await get_or_404(None, RosterEntry, what="roster entry")  # type: ignore[arg-type]


class Named(msgspec.Struct):
    name: str
    size: int


class Row:
    def __init__(self, name: object, size: object) -> None:
        self.name = name
        self.size = size


def test_to_struct_reads_attributes_and_validates_them() -> None:
    assert to_struct(Named, Row("a", 2)) == Named("a", 2)
    with pytest.raises(msgspec.ValidationError, match="size"):
        to_struct(Named, Row("a", "two"))
