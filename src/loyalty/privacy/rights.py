"""The data-subject rights that act on everything we hold about a person, driven by the registry:
export (streamed, one JSON document) and erasure (one transaction), plus restriction of processing.

A person is whoever the links lead to: an employee (account and roster entry), a staff user (account
only) or someone on the roster without an account. Every statement on a person's rows is built by
``rows_of``, which refuses to build one from no link at all: an empty ``OR`` would mean "no WHERE", an
export of everyone's rows or a DELETE of the whole table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, Table, delete, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.audit.services import AuditLog, roster_ref
from loyalty.core.context import Actor, Principal
from loyalty.core.errors import AppError, ErrorCode, not_found
from loyalty.core.runtime import Runtime
from loyalty.db.base import metadata
from loyalty.identity.models import User
from loyalty.privacy.registry import REGISTRY, Key, OnErase, PersonalTable
from loyalty.redemption.models import Redemption
from loyalty.redemption.services import cancel_redemptions
from loyalty.roster.models import EmploymentStatus, RosterEntry

SINGLE_ROW_SECTIONS = {"profile", "roster_entry"}
EXPORT_BATCH = 500
# Links that tie a kept (anonymised) row to the person and are cleared with the person; the audit log's
# pseudonyms stay and lose their meaning once the account and roster entry are gone.
UNLINKED_ON_ERASURE = {Key.USER_ID, Key.ROSTER_ENTRY_ID}
_encoder = msgspec.json.Encoder()


class UnlinkedPerson(RuntimeError):
    """A statement about a person's rows was about to be built from no link to the person."""


@dataclass(frozen=True, slots=True)
class Person:
    """What identifies one person in the registry's linking columns; any of it may be missing."""

    user_id: UUID | None
    roster_entry_id: UUID | None
    email: str | None
    subject_ref: str | None

    @property
    def ref(self) -> str:
        """The pseudonym the audit log knows the person by."""
        if self.subject_ref is not None:
            return self.subject_ref
        if self.roster_entry_id is not None:
            return roster_ref(self.roster_entry_id)
        raise UnlinkedPerson("a person with neither an account nor a roster entry")

    def key(self, key: Key) -> Any:
        return {
            Key.USER_ID: self.user_id,
            Key.ROSTER_ENTRY_ID: self.roster_entry_id,
            Key.EMAIL: self.email,
            Key.SUBJECT_REF: self.subject_ref,
            Key.ROSTER_REF: roster_ref(self.roster_entry_id) if self.roster_entry_id else None,
        }[key]


async def find_person(session: AsyncSession, user_id: UUID, *, lock: bool = False) -> Person:
    """The person behind an account (staff or employee)."""
    query = select(User.id, User.roster_entry_id, User.email, User.subject_ref).where(User.id == user_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise not_found("account")
    return Person(row.id, row.roster_entry_id, row.email, row.subject_ref)


async def find_roster_person(session: AsyncSession, roster_entry_id: UUID, *, lock: bool = False) -> Person:
    """The person behind a roster entry: with their account if they have one, else the entry alone."""
    account = await session.scalar(select(User.id).where(User.roster_entry_id == roster_entry_id))
    if account is not None:
        return await find_person(session, account, lock=lock)
    query = select(RosterEntry.id, RosterEntry.email).where(RosterEntry.id == roster_entry_id)
    if lock:
        query = query.with_for_update()
    row = (await session.execute(query)).one_or_none()
    if row is None:
        raise not_found("roster entry")
    return Person(None, row.id, row.email, None)


def _table(entry: PersonalTable) -> Table:
    return metadata.tables[entry.table]


def links_of(entry: PersonalTable, person: Person) -> list[ColumnElement[bool]]:
    """One condition per link of ``entry`` the person has; empty when the table cannot hold them."""
    table = _table(entry)
    conditions = [
        table.c[column] == value for column, key in entry.links if (value := person.key(key)) is not None
    ]
    if (actor_column := entry.extra.get("actor_link")) and person.subject_ref is not None:
        conditions.append(table.c[actor_column] == person.subject_ref)
    return conditions


def rows_of(entry: PersonalTable, person: Person) -> ColumnElement[bool]:
    """The WHERE clause selecting the person's rows of ``entry``. Fails closed: with no link there is no
    clause, and no statement may run without one."""
    conditions = links_of(entry, person)
    if not conditions:
        raise UnlinkedPerson(f"{entry.table}: no link to this person; refusing a statement without a WHERE")
    return or_(*conditions)


def _export_query(entry: PersonalTable, person: Person) -> Any:
    table = _table(entry)
    columns: list[Any] = [table.c[column] for column in entry.export_columns]
    source: Any = table
    for name, (other, foreign_key, column) in entry.export_lookups.items():
        looked_up = metadata.tables[other].alias(f"{name}_lookup")
        source = source.outerjoin(looked_up, looked_up.c.id == table.c[foreign_key])
        columns.append(looked_up.c[column].label(name))
    query = (
        select(*columns).select_from(source).where(rows_of(entry, person)).order_by(table.c[entry.order_by])
    )
    if entry.export_section in SINGLE_ROW_SECTIONS:
        query = query.limit(2)  # one expected; a second is refused below rather than written
    return query.execution_options(yield_per=EXPORT_BATCH)


async def export_document(
    runtime: Runtime,
    exported_at: datetime,
    *,
    user_id: UUID | None = None,
    roster_entry_id: UUID | None = None,
) -> AsyncIterator[bytes]:
    """Everything the registry lists for the person (an account, or a roster entry with its account if
    any), section by section, read in one snapshot and written as it is read, so memory stays flat
    however long the history is. A section the person cannot have rows in is empty (``null`` or ``[]``)."""
    async with runtime.db_config.get_session() as session:
        await session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        if user_id is not None:
            person = await find_person(session, user_id)
        elif roster_entry_id is not None:
            person = await find_roster_person(session, roster_entry_id)
        else:
            raise UnlinkedPerson("an export needs an account or a roster entry")
        yield (
            b'{"exported_at":'
            + _encoder.encode(exported_at)
            + b',"subject_ref":'
            + _encoder.encode(person.ref)
        )
        for entry in REGISTRY:
            if entry.export_section is None:
                continue
            single = entry.export_section in SINGLE_ROW_SECTIONS
            yield b',"' + entry.export_section.encode() + (b'":' if single else b'":[')
            rows = 0
            if links_of(entry, person):
                result = await session.stream(_export_query(entry, person))
                async for partition in result.partitions():
                    chunk = bytearray()
                    for row in partition:
                        if rows and single:
                            raise RuntimeError(f"{entry.table}: more than one row for a single-row section")
                        if rows:
                            chunk += b","
                        chunk += _encoder.encode(dict(row._mapping))
                        rows += 1
                    yield bytes(chunk)
            if single and not rows:
                yield b"null"
            if not single:
                yield b"]"
        yield b"}"


async def erase(session: AsyncSession, runtime: Runtime, user_id: UUID, actor: Actor, *, reason: str) -> str:
    """Erase the person behind an account (employee or staff) in the caller's transaction, as the
    contract's Erasure paragraph says. Answers the pseudonym that remains in consent and audit records."""
    person = await find_person(session, user_id, lock=True)
    return await erase_person(session, runtime, person, actor, reason=reason)


async def erase_person(
    session: AsyncSession, runtime: Runtime, person: Person, actor: Actor, *, reason: str
) -> str:
    """Erase ``person`` wherever the registry says they are; tables they have no link to are left alone."""
    now = runtime.clock.now()
    subject = person.ref
    if person.user_id is not None:
        await cancel_redemptions(session, now, Redemption.user_id == person.user_id)
    # Let the append-only guards of consent records and the audit log accept this one transaction's edits.
    await session.execute(text("SELECT set_config('loyalty.erasure', 'on', true)"))
    await session.execute(text("SELECT set_config('loyalty.audit_maintenance', 'on', true)"))
    still_employed = person.roster_entry_id is not None and bool(
        await session.scalar(
            select(RosterEntry.status == EmploymentStatus.ACTIVE).where(
                RosterEntry.id == person.roster_entry_id
            )
        )
    )
    for entry in REGISTRY:
        if not links_of(entry, person):
            continue
        table = _table(entry)
        rows = rows_of(entry, person)
        if entry.on_erase is OnErase.DELETE:
            await session.execute(delete(table).where(rows))
        elif entry.on_erase is OnErase.ANONYMISE:
            cleared = {column: None for column in entry.anonymise}
            cleared |= {column: None for column, key in entry.links if key in UNLINKED_ON_ERASURE}
            await session.execute(update(table).where(rows).values(**cleared))
        elif entry.on_erase is OnErase.KEEP_WHILE_EMPLOYED and not still_employed:
            await session.execute(delete(table).where(rows))
    await AuditLog(session, runtime.settings.secret_key).record(
        Actor(actor.ref, actor.role, None if actor.ref == person.subject_ref else actor.ip),
        "erasure",
        subject,
        now,
        reason=reason,
    )
    return subject


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


class MyDataService:
    """A person's own export and restriction, each recorded in the audit log."""

    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor) -> None:
        self.session = session
        self.runtime = runtime
        self.actor = actor

    async def record_export(self, subject_ref: str) -> None:
        """Record the export and commit before the document streams, so the audit row stands even if
        the download is cut off."""
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor, "export", subject_ref, self.runtime.clock.now()
        )
        await self.session.commit()

    async def set_restricted(self, principal: Principal, *, restricted: bool) -> None:
        now = self.runtime.clock.now()
        await set_restriction(self.session, principal.user_id, restricted=restricted, now=now)
        await AuditLog(self.session, self.runtime.settings.secret_key).record(
            self.actor, "restriction_set" if restricted else "restriction_lifted", principal.subject_ref, now
        )
