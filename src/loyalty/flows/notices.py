"""The periodic producers: what the job worker announces on its own schedule (``loyalty.worker`` declares
when), each an ``async def (runtime) -> int`` that answers how many notifications it wrote.

Each producer finds what is due in SQL, then claims a :class:`NoticeMark` per notice (``INSERT ... ON
CONFLICT DO NOTHING RETURNING``) and notifies only for the marks it got, in the same transaction: a run
repeated, or running on two workers at once (the second waits on the first's marks, then finds them
taken), tells nobody twice. Partner admins are told aggregates (an offer, how many codes are left), never
who received what.

- offer digest (daily, or weekly, or never, as the person chose: ``notification_digest``): per employee,
  the offers listed since their last digest (or the last day, or week) that they may see
  (``catalog.visibility``) and that are meant for them: naming their company, available in their city, or
  in the category of one of their favourites. One notification per person per day (weekly: per week),
  none for people with nothing new.
- favourite ending: a favourite the person may still see whose offer ends within
  :data:`FAVORITE_ENDING_WITHIN`; once per favourite.
- code expiring: an issued code that expires within :data:`CODE_EXPIRING_WITHIN`; once per code.
- pool low: a live pool offer with fewer than :data:`POOL_LOW_BELOW` unclaimed codes, to its partner's
  admins; once per crossing (the mark goes when the pool is refilled).
- offer expiring: a live offer ending within :data:`OFFER_EXPIRING_WITHIN`, to its partner's admins; once.
- requests due: an open data request due within :data:`REQUEST_DUE_WITHIN_DAYS` days, and again once
  overdue, to the HR admins whose scope holds the person's company.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import structlog
from sqlalchemy import (
    case,
    delete,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import array as pg_array
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from loyalty.catalog.models import Favorite, Offer
from loyalty.catalog.visibility import live_offer, meant_for_entry, of_active_partner
from loyalty.companies.models import Company, StaffCompanyScope
from loyalty.core.runtime import Runtime
from loyalty.core.schemas import LANGUAGES
from loyalty.identity.models import AccountStatus, User
from loyalty.notifications.models import DigestChoice, DigestFrequency, NoticeMark
from loyalty.notifications.services import NotificationService
from loyalty.notifications.topics import Topic
from loyalty.privacy.models import DataRequest, DataRequestStatus
from loyalty.redemption.models import PoolCode, Redemption, RedemptionStatus
from loyalty.roster.models import RosterEntry
from loyalty.roster.people import working_employee

DIGEST_WINDOW = timedelta(days=1)  # how far back someone's first daily digest looks
WEEKLY_WINDOW = timedelta(days=7)  # ... and their first weekly one
WEEKLY_GAP = timedelta(days=6, hours=12)  # a weekly digest comes no sooner after the last
DIGEST_BATCH = 1000  # people per transaction
FAVORITE_ENDING_WITHIN = timedelta(days=3)
CODE_EXPIRING_WITHIN = timedelta(minutes=5)  # codes live 15 minutes (redemption.services.CODE_TTL)
POOL_LOW_BELOW = 20
OFFER_EXPIRING_WITHIN = timedelta(days=3)
REQUEST_DUE_WITHIN_DAYS = 3
KAZAKHSTAN = ZoneInfo("Asia/Almaty")  # the day people and HR count in (privacy.requests)
log = structlog.get_logger("loyalty.notices")


def titles(title: Mapping[str, str] | None, prefix: str) -> dict[str, str]:
    """An offer's title in each language, as template values ``{prefix}_kk`` etc. (a missing language
    reads in Russian, else any)."""
    title = title or {}
    fallback = title.get("ru") or next(iter(title.values()), "")
    return {f"{prefix}_{lang}": title.get(lang) or fallback for lang in LANGUAGES}


async def claim(
    session: AsyncSession, kind: str, marks: Iterable[tuple[str, UUID | None]], now: datetime
) -> set[str]:
    """Insert the marks ``(key, user_id)`` not taken yet; the keys this transaction got."""
    rows = [{"key": key, "kind": kind, "user_id": user_id, "created_at": now} for key, user_id in marks]
    if not rows:
        return set()
    taken = await session.scalars(
        insert(NoticeMark)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(NoticeMark.key)
    )
    return set(taken)


async def partner_admins(session: AsyncSession, partner_id: UUID) -> list[UUID]:
    return list(
        await session.scalars(
            select(User.id).where(
                User.role == "partner_admin",
                User.partner_id == partner_id,
                User.status == AccountStatus.ACTIVE,
            )
        )
    )


async def hr_admins_of(session: AsyncSession, company: str | None) -> list[UUID]:
    """Active HR admins whose scope holds ``company`` (group-wide ones only when it is unknown)."""
    scoped = (
        select(StaffCompanyScope.user_id)
        .join(Company, Company.id == StaffCompanyScope.company_id)
        .where(StaffCompanyScope.user_id == User.id, Company.name == company)
        .exists()
    )
    reach = or_(User.hr_group_wide.is_(True), scoped) if company is not None else User.hr_group_wide.is_(True)
    return list(
        await session.scalars(
            select(User.id).where(User.role == "hr_admin", User.status == AccountStatus.ACTIVE, reach)
        )
    )


# --- employees ------------------------------------------------------------------------------------------


def digest_day(now: datetime) -> str:
    return now.astimezone(KAZAKHSTAN).date().isoformat()


async def offer_digest(runtime: Runtime) -> int:
    """The daily digest, in batches of :data:`DIGEST_BATCH` people, each batch its own transaction."""
    total, last = 0, None
    while True:
        async with runtime.db_config.get_session() as session:
            told, last = await _digest_batch(session, runtime, last)
            await session.commit()
        total += told
        if last is None:
            break
    log.info("offer_digest_done", told=total)
    return total


async def _digest_batch(
    session: AsyncSession, runtime: Runtime, after_user: UUID | None
) -> tuple[int, UUID | None]:
    now = runtime.clock.now()
    day = digest_day(now)
    last_digest = (
        select(func.max(NoticeMark.created_at))
        .where(NoticeMark.user_id == User.id, NoticeMark.kind == "digest")
        .correlate(User)
        .scalar_subquery()
    )
    frequency = func.coalesce(DigestChoice.frequency, literal(DigestFrequency.DAILY.value))
    weekly = frequency == DigestFrequency.WEEKLY.value
    people = (
        select(User.id)
        .outerjoin(DigestChoice, DigestChoice.user_id == User.id)
        .where(
            *working_employee(),
            frequency != DigestFrequency.OFF.value,
            # Weekly: the run a week after the last one (runs are daily, at the same hour).
            or_(~weekly, last_digest.is_(None), last_digest <= literal(now - WEEKLY_GAP)),
        )
        .order_by(User.id)
        .limit(DIGEST_BATCH)
    )
    if after_user is not None:
        people = people.where(User.id > after_user)
    batch = list(await session.scalars(people))
    if not batch:
        return 0, None
    window = case((weekly, literal(now - WEEKLY_WINDOW)), else_=literal(now - DIGEST_WINDOW))
    since = func.coalesce(last_digest, window)
    favourite = aliased(Offer)
    favourite_categories = (
        select(favourite.category_id)
        .join(Favorite, Favorite.offer_id == favourite.id)
        .where(Favorite.user_id == User.id)
        .correlate(User)
    )
    in_my_city = or_(
        Offer.cities.contains(pg_array([RosterEntry.city])),
        Offer.eligible_cities.contains(pg_array([RosterEntry.city])),
    )
    for_me = or_(
        Offer.eligible_companies.contains(pg_array([RosterEntry.company])),
        in_my_city,
        Offer.category_id.in_(favourite_categories),
    )
    new_for_me = (
        select(func.count().over().label("new_count"), Offer.title.label("title"))
        .where(
            Offer.listed_at > since,
            Offer.listed_at <= now,
            *live_offer(now),
            of_active_partner(),
            *meant_for_entry(RosterEntry.company, RosterEntry.department, RosterEntry.city),
            for_me,
        )
        .order_by(Offer.listed_at.desc(), Offer.id.desc())
        .limit(1)
        .correlate(User, RosterEntry, DigestChoice)
        .lateral("newest")
    )
    rows = list(
        await session.execute(
            select(User.id, new_for_me.c.new_count, new_for_me.c.title)
            .select_from(User)
            .join(RosterEntry, RosterEntry.id == User.roster_entry_id)
            .outerjoin(DigestChoice, DigestChoice.user_id == User.id)
            .join(new_for_me, true())
            .where(User.id.in_(batch))
        )
    )
    claimed = await claim(session, "digest", ((f"digest:{row.id}:{day}", row.id) for row in rows), now)
    notifications = NotificationService(session, runtime)
    told = 0
    for row in rows:
        if f"digest:{row.id}:{day}" in claimed:
            await notifications.notify(
                row.id,
                Topic.OFFER_DIGEST,
                "offer_digest",
                {"count": row.new_count, **titles(row.title, "first_title")},
            )
            told += 1
    return told, batch[-1]


async def favorite_ending(runtime: Runtime) -> int:
    async with runtime.db_config.get_session() as session:
        now = runtime.clock.now()
        rows = list(
            await session.execute(
                select(Favorite.user_id, Offer.id.label("offer_id"), Offer.title, Offer.valid_until)
                .join(Offer, Offer.id == Favorite.offer_id)
                .join(User, User.id == Favorite.user_id)
                .join(RosterEntry, RosterEntry.id == User.roster_entry_id)
                .where(
                    *working_employee(),
                    *live_offer(now),
                    of_active_partner(),
                    *meant_for_entry(RosterEntry.company, RosterEntry.department, RosterEntry.city),
                    Offer.valid_until_at > now,
                    Offer.valid_until_at <= now + FAVORITE_ENDING_WITHIN,
                )
            )
        )
        key = "favorite_ending:{0.user_id}:{0.offer_id}".format
        claimed = await claim(session, "favorite_ending", ((key(row), row.user_id) for row in rows), now)
        notifications = NotificationService(session, runtime)
        for row in rows:
            if key(row) in claimed:
                await notifications.notify(
                    row.user_id,
                    Topic.FAVORITE_ENDING,
                    "favorite_ending",
                    {"ends_on": row.valid_until.isoformat(), **titles(row.title, "offer_title")},
                )
        await session.commit()
    return len(claimed)


async def code_expiring(runtime: Runtime) -> int:
    async with runtime.db_config.get_session() as session:
        now = runtime.clock.now()
        rows = list(
            await session.execute(
                select(Redemption.id, Redemption.user_id, Redemption.expires_at, Offer.title, Offer.timezone)
                .join(Offer, Offer.id == Redemption.offer_id)
                .join(User, User.id == Redemption.user_id)
                .where(
                    Redemption.status == RedemptionStatus.ISSUED,
                    Redemption.expires_at > now,
                    Redemption.expires_at <= now + CODE_EXPIRING_WITHIN,
                    User.status == AccountStatus.ACTIVE,
                )
            )
        )
        claimed = await claim(
            session, "code_expiring", ((f"code_expiring:{row.id}", row.user_id) for row in rows), now
        )
        notifications = NotificationService(session, runtime)
        for row in rows:
            if f"code_expiring:{row.id}" in claimed:
                local = row.expires_at.astimezone(ZoneInfo(row.timezone))
                await notifications.notify(
                    row.user_id,
                    Topic.CODE_EXPIRING,
                    "code_expiring",
                    {"expires_at": local.strftime("%H:%M"), **titles(row.title, "offer_title")},
                )
        await session.commit()
    return len(claimed)


# --- partner admins -----------------------------------------------------------------------------------


async def pool_low(runtime: Runtime) -> int:
    async with runtime.db_config.get_session() as session:
        now = runtime.clock.now()
        remaining = (
            select(func.count())
            .where(PoolCode.offer_id == Offer.id, PoolCode.claimed_at.is_(None))
            .correlate(Offer)
            .scalar_subquery()
        )
        pools = list(
            await session.execute(
                select(Offer.id, Offer.partner_id, Offer.title, remaining.label("remaining")).where(
                    Offer.code_mode == "pool",
                    *live_offer(now),
                    Offer.valid_until_at > now,
                    of_active_partner(),
                )
            )
        )
        low = [row for row in pools if row.remaining < POOL_LOW_BELOW]
        refilled = [f"pool_low:{row.id}" for row in pools if row.remaining >= POOL_LOW_BELOW]
        if refilled:  # above the line again: the next fall below it is a new crossing
            await session.execute(delete(NoticeMark).where(NoticeMark.key.in_(refilled)))
        claimed = await claim(session, "pool_low", ((f"pool_low:{row.id}", None) for row in low), now)
        told = 0
        for row in low:
            if f"pool_low:{row.id}" in claimed:
                told += await NotificationService(session, runtime).notify_many(
                    await partner_admins(session, row.partner_id),
                    Topic.POOL_LOW,
                    "pool_low",
                    {"remaining": row.remaining, **titles(row.title, "offer_title")},
                )
        await session.commit()
    return told


async def offer_expiring(runtime: Runtime) -> int:
    async with runtime.db_config.get_session() as session:
        now = runtime.clock.now()
        offers = list(
            await session.execute(
                select(Offer.id, Offer.partner_id, Offer.title, Offer.valid_until).where(
                    *live_offer(now),
                    of_active_partner(),
                    Offer.valid_until_at > now,
                    Offer.valid_until_at <= now + OFFER_EXPIRING_WITHIN,
                )
            )
        )
        claimed = await claim(
            session, "offer_expiring", ((f"offer_expiring:{row.id}", None) for row in offers), now
        )
        told = 0
        for row in offers:
            if f"offer_expiring:{row.id}" in claimed:
                told += await NotificationService(session, runtime).notify_many(
                    await partner_admins(session, row.partner_id),
                    Topic.OFFER_EXPIRING,
                    "offer_expiring",
                    {"ends_on": row.valid_until.isoformat(), **titles(row.title, "offer_title")},
                )
        await session.commit()
    return told


# --- HR -----------------------------------------------------------------------------------------------


async def requests_due(runtime: Runtime) -> int:
    async with runtime.db_config.get_session() as session:
        now = runtime.clock.now()
        today = now.astimezone(KAZAKHSTAN).date()
        requests = list(
            await session.execute(
                select(DataRequest.id, DataRequest.kind, DataRequest.due_on, RosterEntry.company)
                .outerjoin(RosterEntry, RosterEntry.id == DataRequest.roster_entry_id)
                .where(
                    DataRequest.status == DataRequestStatus.OPEN,
                    DataRequest.due_on <= today + timedelta(days=REQUEST_DUE_WITHIN_DAYS),
                )
            )
        )

        def key(row: Any) -> str:
            return f"request_{'overdue' if row.due_on < today else 'due_soon'}:{row.id}"

        claimed = await claim(session, "requests_due", ((key(row), None) for row in requests), now)
        told = 0
        for row in requests:
            if key(row) in claimed:
                template = "request_overdue" if row.due_on < today else "request_due_soon"
                told += await NotificationService(session, runtime).notify_many(
                    await hr_admins_of(session, row.company),
                    Topic.REQUESTS_DUE,
                    template,
                    {"request_kind": row.kind, "due_on": row.due_on.isoformat()},
                )
        await session.commit()
    return told


Producer = Callable[[Runtime], Awaitable[int]]
PRODUCERS: dict[str, tuple[str, Producer]] = {
    # name: (cron, producer); pgqueuer runs each schedule once across all workers
    "notify_offer_digest": ("0 4 * * *", offer_digest),  # 09:00 in Kazakhstan
    "notify_favorite_ending": ("5 * * * *", favorite_ending),
    "notify_code_expiring": ("* * * * *", code_expiring),
    "notify_pool_low": ("*/15 * * * *", pool_low),
    "notify_offer_expiring": ("10 * * * *", offer_expiring),
    "notify_requests_due": ("20 * * * *", requests_due),
}
