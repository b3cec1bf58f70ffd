"""Issuing codes within every limit an offer sets, confirming them at the till, cancelling them.

Every limit is enforced by PostgreSQL inside the issuing transaction, never by read-then-write:
per-employee limits by a conditional upsert of a counter row per period, a code pool by
``FOR UPDATE SKIP LOCKED``, the total by a conditional ``UPDATE offers ... WHERE issued_count < limit``
that runs last so the offer's row stays locked only until the commit. Any failed step raises, and the
request's transaction rolls back every step before it.

A partner's pool code, once shown to an employee, stays theirs: cancelling gives the use back to the
limits but not the code to the pool, and the employee's next code of that offer is the one they already
hold (the oldest cancelled one no other redemption has since used) before a fresh one is claimed. So an
employee sees no more distinct pool codes than their limits let them hold at once, and a cancel burns
no code for anyone else. Issue and cancel of a pool offer first take a transaction-scoped advisory lock
on (employee, offer), so "does the employee hold a code?" and "claim a fresh one" are decided one
request at a time per employee; other employees never wait on it.

Lock order of issuing and cancelling, so neither can deadlock the other: the (employee, offer) advisory
lock, the redemption row (cancel), the employee's counter rows, the offer's row. Bulk cancels
(termination, erasure) do not follow it yet: see ``cancel_redemptions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Integer,
    String,
    Uuid,
    bindparam,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from uuid_utils.compat import uuid7

from loyalty.catalog.models import LIMIT_COLUMNS, Offer, OfferStatus
from loyalty.catalog.visibility import Viewer, meant_for_shape, viewer_params
from loyalty.core import idempotency
from loyalty.core.errors import AppError, ErrorCode, not_found
from loyalty.core.i18n import pick_text
from loyalty.core.metrics import REDEMPTIONS_CONFIRMED, REDEMPTIONS_ISSUED
from loyalty.core.persistence import after, get_or_404
from loyalty.core.prepared import Prepared, connection_of
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import Language, Page
from loyalty.db.locks import lock_until_commit, take_lock
from loyalty.partners.models import Partner, PartnerStatus
from loyalty.redemption.codes import code_candidates, new_code
from loyalty.redemption.limits import PeriodLimit, local_day_of, period_limits
from loyalty.redemption.models import PoolCode, Redemption, RedemptionCounter, RedemptionStatus
from loyalty.redemption.schemas import Confirmed, MyRedemption, RedemptionIssued

CODE_TTL = timedelta(minutes=15)
CODE_ATTEMPTS = 5
HISTORY_CURSOR = "my-redemptions"


def pool_holdings_lock(user_id: UUID, offer_id: UUID) -> str:
    """The lock that serialises issuing and cancelling one employee's codes of one pool offer until the
    commit: issuing takes it on its prepared path, cancelling through the session."""
    return f"pool-holdings:{user_id}:{offer_id}"


async def lock_pool_holdings(session: AsyncSession, user_id: UUID, offer_id: UUID) -> None:
    await lock_until_commit(session, pool_holdings_lock(user_id, offer_id))


class RedemptionService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def issue_once(
        self, offer_id: UUID, viewer: Viewer, key: str | None, request_fingerprint: bytes | None
    ) -> RedemptionIssued | idempotency.Replay:
        """Take a code within every limit, in one transaction on the request's connection. Retry-safe
        when the request carries an ``Idempotency-Key``: the first answer is kept and a retry with the
        same key and request gets it back (``loyalty.core.idempotency``)."""
        now = self.runtime.clock.now()
        connection = await connection_of(self.session)
        issued: RedemptionIssued | None = None
        async with connection.transaction():
            if key is not None and request_fingerprint is not None:
                replay = await idempotency.claim(connection, viewer.user_id, key, request_fingerprint, now)
                if replay is not None:
                    return replay
            offer, redemption = await self._issue(connection, offer_id, viewer, now)
            if key is not None:
                issued = self._answer(offer, redemption, now)
                await idempotency.remember(connection, viewer.user_id, key, 201, msgspec.to_builtins(issued))
        REDEMPTIONS_ISSUED.inc()
        # Without a key to remember it under, the answer is built after the commit: the offer's row is
        # locked until then, and signing the QR payload need not hold it.
        return issued or self._answer(offer, redemption, now)

    def _answer(self, offer: Any, redemption: IssuedCode, now: datetime) -> RedemptionIssued:
        qr_payload = self.runtime.qr.sign(
            redemption_id=redemption.id,
            offer_id=offer.id,
            partner_id=offer.partner_id,
            code=redemption.code,
            issued_at=now,
            expires_at=redemption.expires_at,
        )
        return RedemptionIssued(
            id=redemption.id,
            offer_id=offer.id,
            code=redemption.code,
            qr_payload=qr_payload,
            status=RedemptionStatus.ISSUED,
            issued_at=now,
            expires_at=redemption.expires_at,
        )

    async def _issue(
        self, connection: asyncpg.Connection, offer_id: UUID, viewer: Viewer, now: datetime
    ) -> tuple[Any, IssuedCode]:
        statement = ISSUABLE_WITH_COMPANY if viewer.company is not None else ISSUABLE
        offer = await statement.fetchrow(connection, offer_id=offer_id, **viewer_params(viewer))
        if offer is None:
            raise not_found("offer")
        self._check_usable(offer, viewer, now)
        local_day = local_day_of(now, offer.timezone)
        pool = offer.code_mode == "pool"
        if pool:
            await LOCK.fetchval(connection, name=pool_holdings_lock(viewer.user_id, offer.id))
        for limit in period_limits(offer, local_day):
            await _count_use(connection, viewer.user_id, offer.id, limit)
        if pool:
            code = await HELD_CODE.fetchval(
                connection, user_id=viewer.user_id, offer_id=offer.id
            ) or await _claim_pool_code(connection, offer.id, now)
            # A partner's own code lasts as long as the offer; the till checks it like a generated one.
            redemption = await _insert(
                connection, offer, viewer.user_id, code, "pool", now, local_day, offer.valid_until_at
            )
            if redemption is None:
                raise AppError(
                    409, ErrorCode.CONFLICT, "this code is live for another offer of the partner; try again"
                )
        else:
            redemption = await _insert_generated(connection, offer, viewer.user_id, now, local_day)
        # Last: the offer's row stays locked only from here to the commit.
        if await COUNT_TOTAL.fetchval(connection, offer_id=offer.id, now=now) is None:
            raise AppError(409, ErrorCode.LIMIT_REACHED, "all codes of this offer are taken", limit="total")
        return offer, redemption

    def _check_usable(self, offer: Any, viewer: Viewer, now: datetime) -> None:
        if (offer.eligible_departments and viewer.department not in offer.eligible_departments) or (
            offer.eligible_cities and viewer.city not in offer.eligible_cities
        ):
            raise AppError(403, ErrorCode.NOT_ELIGIBLE, "this offer is not meant for your department or city")
        if now < offer.valid_from_at:
            raise AppError(
                422,
                ErrorCode.OFFER_NOT_STARTED,
                "the offer is not valid yet",
                valid_from=offer.valid_from.isoformat(),
            )
        if now >= offer.valid_until_at:
            raise AppError(422, ErrorCode.OFFER_EXPIRED, "the offer is no longer valid")

    async def cancel(self, redemption_id: UUID, user_id: UUID, language: Language) -> MyRedemption:
        now = self.runtime.clock.now()
        cancelled = await cancel_redemptions(
            self.session,
            now,
            Redemption.id == redemption_id,
            Redemption.user_id == user_id,
            Redemption.expires_at > now,
        )
        if not cancelled:
            await get_or_404(
                self.session,
                Redemption,
                Redemption.id == redemption_id,
                Redemption.user_id == user_id,
                what="redemption",
            )
            raise AppError(409, ErrorCode.CONFLICT, "only a live, unredeemed code can be cancelled")
        (cancelled_one,) = await self._redemptions(user_id, Redemption.id == redemption_id, language=language)
        return cancelled_one

    async def history(
        self, user_id: UUID, *, language: Language, limit: int, cursor: str | None
    ) -> Page[MyRedemption]:
        """The employee's codes, newest first."""
        cursors = self.runtime.cursors
        conditions = []
        if cursor:
            at, last_id = cursors.decode(HISTORY_CURSOR, cursor)
            conditions.append(
                after(
                    [Redemption.issued_at, Redemption.id],
                    [datetime.fromisoformat(at), UUID(last_id)],
                    descending=True,
                )
            )
        items = await self._redemptions(user_id, *conditions, language=language, limit=limit + 1)
        page, next_cursor = cursors.page(
            HISTORY_CURSOR, items, limit, lambda last: [last.issued_at.isoformat(), str(last.id)]
        )
        return Page(items=page, next_cursor=next_cursor)

    async def _redemptions(
        self, user_id: UUID, *conditions: ColumnElement[bool], language: Language, limit: int = 1
    ) -> list[MyRedemption]:
        now = self.runtime.clock.now()
        query = (
            select(Redemption, Offer.title, Partner.name)
            .join(Offer, Offer.id == Redemption.offer_id)
            .join(Partner, Partner.id == Redemption.partner_id)
            .where(Redemption.user_id == user_id, *conditions)
            .order_by(Redemption.issued_at.desc(), Redemption.id.desc())
            .limit(limit)
        )
        return [
            my_redemption(redemption, title, partner_name, language, now)
            for redemption, title, partner_name in await self.session.execute(query)
        ]

    async def confirm(self, partner_id: UUID, typed_code: str) -> Confirmed:
        """Exactly once: the conditional UPDATE lets one of any number of simultaneous confirmations win."""
        now = self.runtime.clock.now()
        candidates = code_candidates(typed_code)
        confirmed = (
            await self.session.execute(
                update(Redemption)
                .where(
                    Redemption.partner_id == partner_id,
                    Redemption.code.in_(candidates),
                    Redemption.status == RedemptionStatus.ISSUED,
                    Redemption.expires_at > now,
                )
                .values(status=RedemptionStatus.REDEEMED, redeemed_at=now)
                .returning(Redemption.offer_id, Redemption.redeemed_at)
            )
        ).one_or_none()
        if confirmed is not None:
            REDEMPTIONS_CONFIRMED.inc()
            return Confirmed(
                status="redeemed", offer_id=confirmed.offer_id, redeemed_at=confirmed.redeemed_at
            )
        latest = (
            await self.session.execute(
                select(Redemption.status, Redemption.expires_at)
                .where(Redemption.partner_id == partner_id, Redemption.code.in_(candidates))
                .order_by(Redemption.issued_at.desc())
                .limit(1)
            )
        ).one_or_none()
        if latest is None or latest.status == RedemptionStatus.CANCELLED:
            raise not_found("code")
        if latest.status == RedemptionStatus.REDEEMED:
            raise AppError(409, ErrorCode.ALREADY_REDEEMED, "this code was redeemed already")
        raise AppError(422, ErrorCode.CODE_EXPIRED, "this code has expired; ask for a new one")


async def cancel_redemptions(session: AsyncSession, now: datetime, *conditions: Any) -> int:
    """Cancel the live codes matching ``conditions`` and give their uses back to every limit.

    A pool code stays claimed: it remains its employee's, handed back to them on their next issue.
    Known gap: counters and offers are touched offer by offer, not in the issuing order, so a rare
    interleaving with an issue for the same person can deadlock (PostgreSQL aborts one of the two)."""
    live = (Redemption.status == RedemptionStatus.ISSUED, *conditions)
    holders = await session.execute(
        select(Redemption.user_id, Redemption.offer_id)
        .where(*live, Redemption.source == "pool")
        .distinct()
        .order_by(Redemption.user_id, Redemption.offer_id)
    )
    for holder, offer_id in holders.all():
        if holder is not None:  # an erased person's codes are nobody's to hand back
            await lock_pool_holdings(session, holder, offer_id)
    cancelled = list(
        await session.execute(
            update(Redemption)
            .where(*live)
            .values(status=RedemptionStatus.CANCELLED, cancelled_at=now)
            .returning(Redemption.offer_id, Redemption.user_id, Redemption.local_day)
        )
    )
    for offer_id, user_id, local_day in sorted(cancelled, key=lambda row: str(row.offer_id)):
        offer = (await session.execute(select(Offer).where(Offer.id == offer_id))).scalar_one()
        # The counters before the offer's row, as issuing takes them.
        for limit in period_limits(offer, local_day) if user_id is not None else []:
            await session.execute(
                update(RedemptionCounter)
                .where(
                    RedemptionCounter.user_id == user_id,
                    RedemptionCounter.offer_id == offer_id,
                    RedemptionCounter.period == limit.period,
                    RedemptionCounter.period_start == limit.start,
                    RedemptionCounter.used > 0,
                )
                .values(used=RedemptionCounter.used - 1)
            )
        await session.execute(
            update(Offer).where(Offer.id == offer_id).values(issued_count=Offer.issued_count - 1)
        )
    await session.flush()
    return len(cancelled)


def shown_status(redemption: Redemption, now: datetime) -> str:
    if redemption.status == RedemptionStatus.ISSUED and redemption.expires_at <= now:
        return RedemptionStatus.EXPIRED
    return redemption.status


def my_redemption(
    redemption: Redemption,
    title: dict[str, str],
    partner_name: dict[str, str],
    language: Language,
    now: datetime,
) -> MyRedemption:
    status = shown_status(redemption, now)
    text, used = pick_text(title, language)
    return MyRedemption(
        id=redemption.id,
        offer_id=redemption.offer_id,
        partner_id=redemption.partner_id,
        partner_name=pick_text(partner_name, used)[0] or "",
        title=text or "",
        language=used,
        status=status,  # type: ignore[arg-type]
        code=redemption.code if status == RedemptionStatus.ISSUED else None,
        issued_at=redemption.issued_at,
        expires_at=redemption.expires_at,
        redeemed_at=redemption.redeemed_at,
        cancelled_at=redemption.cancelled_at,
    )


def _issuable(viewer_company: bool) -> Prepared:
    """The offer, if it is published, its partner active and it is meant for my company. Not the
    catalog's visibility window: past the last valid day is ``offer_expired``, not a 404."""
    return Prepared(
        select(
            Offer.id,
            Offer.partner_id,
            Offer.timezone,
            Offer.code_mode,
            Offer.eligible_departments,
            Offer.eligible_cities,
            Offer.valid_from,
            Offer.valid_from_at,
            Offer.valid_until_at,
            *(getattr(Offer, column) for column in LIMIT_COLUMNS),
        )
        .join(Partner, Partner.id == Offer.partner_id)
        .where(
            Offer.id == bindparam("offer_id", type_=Uuid),
            Offer.status == OfferStatus.PUBLISHED,
            Partner.status == PartnerStatus.ACTIVE,
            meant_for_shape((viewer_company, False, False))[0],
        )
    )


ISSUABLE, ISSUABLE_WITH_COMPANY = _issuable(False), _issuable(True)
LOCK = Prepared(take_lock(bindparam("name", type_=String)))
_counter = RedemptionCounter.__table__
COUNT_USE = Prepared(
    insert(RedemptionCounter)
    .values(
        user_id=bindparam("user_id", type_=Uuid),
        offer_id=bindparam("offer_id", type_=Uuid),
        period=bindparam("period", type_=String),
        period_start=bindparam("period_start", type_=Date),
        used=1,
    )
    .on_conflict_do_update(
        index_elements=[_counter.c.user_id, _counter.c.offer_id, _counter.c.period, _counter.c.period_start],
        set_={"used": _counter.c.used + 1},
        where=_counter.c.used < bindparam("limit", type_=Integer),
    )
    .returning(_counter.c.used)
)
COUNT_TOTAL = Prepared(
    update(Offer)
    .where(
        Offer.id == bindparam("offer_id", type_=Uuid),
        or_(Offer.limit_total.is_(None), Offer.issued_count < Offer.limit_total),
    )
    .values(issued_count=Offer.issued_count + 1, updated_at=bindparam("now", type_=DateTime(timezone=True)))
    .returning(Offer.issued_count)
)
_since = aliased(Redemption)
# A pool code the employee was shown, cancelled, and has not been handed again since. Read under the
# (employee, offer) lock, so no concurrent request of theirs can take it too.
HELD_CODE = Prepared(
    select(Redemption.code)
    .where(
        Redemption.user_id == bindparam("user_id", type_=Uuid),
        Redemption.offer_id == bindparam("offer_id", type_=Uuid),
        Redemption.source == "pool",
        Redemption.status == RedemptionStatus.CANCELLED,
        ~exists().where(
            _since.offer_id == Redemption.offer_id,
            _since.code == Redemption.code,
            _since.status != RedemptionStatus.CANCELLED,
        ),
    )
    .order_by(Redemption.issued_at, Redemption.id)
    .limit(1)
)
_free = (
    select(PoolCode.id)
    .where(PoolCode.offer_id == bindparam("offer_id", type_=Uuid), PoolCode.claimed_at.is_(None))
    .order_by(PoolCode.id)
    .limit(1)
    .with_for_update(skip_locked=True)
    .scalar_subquery()
)
CLAIM_POOL_CODE = Prepared(
    update(PoolCode)
    .where(PoolCode.id == _free)
    .values(claimed_at=bindparam("now", type_=DateTime(timezone=True)))
    .returning(PoolCode.code)
)
# No conflict target: the live-code unique index refuses a code already live at the partner's till.
INSERT_REDEMPTION = Prepared(
    insert(Redemption)
    .values(
        id=bindparam("id", type_=Uuid),
        offer_id=bindparam("offer_id", type_=Uuid),
        partner_id=bindparam("partner_id", type_=Uuid),
        user_id=bindparam("user_id", type_=Uuid),
        code=bindparam("code", type_=String),
        source=bindparam("source", type_=String),
        status=RedemptionStatus.ISSUED,
        issued_at=bindparam("now", type_=DateTime(timezone=True)),
        expires_at=bindparam("expires_at", type_=DateTime(timezone=True)),
        local_day=bindparam("local_day", type_=Date),
    )
    .on_conflict_do_nothing()
    .returning(Redemption.id)
)


@dataclass(frozen=True, slots=True)
class IssuedCode:
    id: UUID
    code: str
    expires_at: datetime


async def _count_use(
    connection: asyncpg.Connection, user_id: UUID, offer_id: UUID, limit: PeriodLimit
) -> None:
    used = await COUNT_USE.fetchval(
        connection,
        user_id=user_id,
        offer_id=offer_id,
        period=limit.period.value,
        period_start=limit.start,
        limit=limit.limit,
    )
    if used is None:
        raise AppError(
            409,
            ErrorCode.LIMIT_REACHED,
            f"you have used this offer as often as it allows ({limit.limit} per {limit.period.value})",
            limit=limit.period.value,
        )


async def _claim_pool_code(connection: asyncpg.Connection, offer_id: UUID, now: datetime) -> str:
    code: str | None = await CLAIM_POOL_CODE.fetchval(connection, offer_id=offer_id, now=now)
    if code is None:
        raise AppError(409, ErrorCode.SOLD_OUT, "the partner's codes for this offer are all handed out")
    return code


async def _insert(
    connection: asyncpg.Connection,
    offer: Any,
    user_id: UUID,
    code: str,
    source: str,
    now: datetime,
    local_day: date,
    expires_at: datetime,
) -> IssuedCode | None:
    """The new redemption, or None when the code is live at the partner already."""
    redemption_id = uuid7()
    inserted = await INSERT_REDEMPTION.fetchval(
        connection,
        id=redemption_id,
        offer_id=offer.id,
        partner_id=offer.partner_id,
        user_id=user_id,
        code=code,
        source=source,
        now=now,
        expires_at=expires_at,
        local_day=local_day,
    )
    return IssuedCode(redemption_id, code, expires_at) if inserted is not None else None


async def _insert_generated(
    connection: asyncpg.Connection, offer: Any, user_id: UUID, now: datetime, local_day: date
) -> IssuedCode:
    expires_at = min(now + CODE_TTL, offer.valid_until_at)
    for _ in range(CODE_ATTEMPTS):
        issued = await _insert(
            connection, offer, user_id, new_code(), "generated", now, local_day, expires_at
        )
        if issued is not None:
            return issued
        # The code is live at this partner already: draw another.
    raise AssertionError("no free code after several draws")
