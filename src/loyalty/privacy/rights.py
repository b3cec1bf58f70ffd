"""The data-subject rights that act on everything we hold about a person, driven by the registry:
export (streamed, one JSON document) and erasure (one transaction), plus restriction of processing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import Table, delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import Actor, AuditLog
from loyalty.core.errors import AppError, ErrorCode, not_found
from loyalty.db.base import metadata
from loyalty.identity.models import User
from loyalty.privacy.registry import REGISTRY, Key, OnErase, PersonalTable
from loyalty.redemption.models import Redemption
from loyalty.redemption.services import cancel_redemptions
from loyalty.roster.models import EmploymentStatus, RosterEntry
from loyalty.runtime import Runtime

SINGLE_ROW_SECTIONS = {"profile", "roster_entry"}
EXPORT_BATCH = 500
_encoder = msgspec.json.Encoder()


@dataclass(frozen=True, slots=True)
class Person:
    user_id: UUID
    roster_entry_id: UUID | None
    email: str
    subject_ref: str

    def key(self, key: Key) -> Any:
        return {
            Key.USER_ID: self.user_id,
            Key.ROSTER_ENTRY_ID: self.roster_entry_id,
            Key.EMAIL: self.email,
            Key.SUBJECT_REF: self.subject_ref,
        }[key]


async def find_person(session: AsyncSession, user_id: UUID, *, lock: bool = False) -> Person:
    query = select(User.id, User.roster_entry_id, User.email, User.subject_ref).where(User.id == user_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise not_found("account")
    return Person(row.id, row.roster_entry_id, row.email, row.subject_ref)


def _table(entry: PersonalTable) -> Table:
    return metadata.tables[entry.table]


def _rows_of(entry: PersonalTable, person: Person) -> Any:
    table = _table(entry)
    conditions = [
        table.c[column] == person.key(key) for column, key in entry.links if person.key(key) is not None
    ]
    if actor_column := entry.extra.get("actor_link"):
        conditions.append(table.c[actor_column] == person.subject_ref)
    return or_(*conditions)


async def export_document(runtime: Runtime, user_id: UUID, exported_at: datetime) -> AsyncIterator[bytes]:
    """Everything the registry lists for the person, section by section, read in one snapshot and
    written as it is read, so memory stays flat however long the history is."""
    async with runtime.db_config.get_session() as session:
        await session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        person = await find_person(session, user_id)
        yield (
            b'{"exported_at":'
            + _encoder.encode(exported_at)
            + b',"subject_ref":'
            + _encoder.encode(person.subject_ref)
        )
        for entry in REGISTRY:
            if entry.export_section is None:
                continue
            table = _table(entry)
            query = (
                select(*(table.c[column] for column in entry.export_columns))
                .where(_rows_of(entry, person))
                .order_by(table.c[entry.order_by])
                .execution_options(yield_per=EXPORT_BATCH)
            )
            single = entry.export_section in SINGLE_ROW_SECTIONS
            yield b',"' + entry.export_section.encode() + (b'":' if single else b'":[')
            first = True
            result = await session.stream(query)
            async for partition in result.partitions():
                chunk = bytearray()
                for row in partition:
                    if not first and not single:
                        chunk += b","
                    chunk += _encoder.encode(dict(row._mapping))
                    first = False
                yield bytes(chunk)
            if single and first:
                yield b"null"
            if not single:
                yield b"]"
        yield b"}"


async def erase(session: AsyncSession, runtime: Runtime, user_id: UUID, actor: Actor, *, reason: str) -> str:
    """Erase a person in the caller's transaction, as the contract's Erasure paragraph says. Answers the
    pseudonym that remains in consent and audit records."""
    now = runtime.clock.now()
    person = await find_person(session, user_id, lock=True)
    await cancel_redemptions(session, now, Redemption.user_id == user_id)
    # Let the append-only guards of consent records and the audit log accept this one transaction's edits.
    await session.execute(text("SELECT set_config('loyalty.erasure', 'on', true)"))
    await session.execute(text("SELECT set_config('loyalty.audit_maintenance', 'on', true)"))
    still_employed = await session.scalar(
        select(RosterEntry.status == EmploymentStatus.ACTIVE).where(RosterEntry.id == person.roster_entry_id)
    )
    for entry in REGISTRY:
        table = _table(entry)
        rows = _rows_of(entry, person)
        if entry.on_erase is OnErase.DELETE:
            await session.execute(delete(table).where(rows))
        elif entry.on_erase is OnErase.ANONYMISE:
            cleared = {column: None for column in entry.anonymise}
            cleared |= {column: None for column, key in entry.links if key is Key.USER_ID}
            await session.execute(update(table).where(rows).values(**cleared))
        elif entry.on_erase is OnErase.KEEP_WHILE_EMPLOYED and not still_employed:
            await session.execute(delete(table).where(rows))
    await AuditLog(session, runtime.settings.secret_key).record(
        Actor(actor.ref, actor.role, None if actor.ref == person.subject_ref else actor.ip),
        "erasure",
        person.subject_ref,
        now,
        reason=reason,
    )
    return person.subject_ref


async def set_restriction(session: AsyncSession, user_id: UUID, *, restricted: bool, now: datetime) -> None:
    changed = await session.scalar(
        update(User)
        .where(
            User.id == user_id,
            User.restricted_at.is_(None) if restricted else User.restricted_at.is_not(None),
        )
        .values(restricted_at=now if restricted else None)
        .returning(User.id)
    )
    if changed is None:
        raise AppError(
            409,
            ErrorCode.CONFLICT,
            "processing of your data is restricted already" if restricted else "processing is not restricted",
        )
