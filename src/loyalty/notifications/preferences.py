"""Who may be told what, and through which channel: the rules of ``topics.py`` as SQL over the person's
choices, quiet hours, restriction and marketing consent, so the fan-out decides for 100,000 people in
one statement and the delivery job decides again, for one delivery, when it runs ("at once").

- ``REQUIRED``: always, on the topic's channels, even while processing is restricted; nobody can opt out.
- everything else: nothing while processing is restricted; per channel opt-out (no row = the topic's
  default); ``SERVICE`` and ``MARKETING`` push and email wait for the end of the quiet hours (the inbox
  item shows at once); ``MARKETING`` only while the ``marketing`` consent purpose is given.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from msgspec import UNSET
from sqlalchemy import (
    ColumnElement,
    DateTime,
    Select,
    and_,
    case,
    cast,
    delete,
    false,
    func,
    literal,
    null,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from loyalty.core.errors import AppError, ErrorCode, invalid_field, not_found
from loyalty.core.runtime import Runtime
from loyalty.core.signing import LinkSigner
from loyalty.identity.models import User
from loyalty.notifications.models import (
    Channel,
    DigestChoice,
    DigestFrequency,
    NotificationPreference,
    PushDevice,
    QuietHours,
)
from loyalty.notifications.schemas import (
    PreferenceCell,
    PreferencesOut,
    PreferencesUpdate,
    QuietHoursOut,
    TopicPreferences,
    Unsubscribed,
)
from loyalty.notifications.topics import ALL, TOPICS, Audience, Topic, TopicKind, TopicRule

AUDIENCE_OF_ROLE = {
    "employee": Audience.EMPLOYEE,
    "partner_admin": Audience.PARTNER_ADMIN,
    "hr_admin": Audience.HR_ADMIN,
}
DEFERRED_KINDS = frozenset({TopicKind.SERVICE, TopicKind.MARKETING})


def topics_for(role: str) -> list[Topic]:
    audience = AUDIENCE_OF_ROLE.get(role)
    return [t for t, rule in TOPICS.items() if rule.audience in {Audience.ANYONE, audience}]


def cells_of(rule: TopicRule) -> tuple[Channel, ...]:
    """The channels a person sees for a topic: a required topic's own (locked), otherwise all."""
    return rule.channels if rule.kind is TopicKind.REQUIRED else ALL


def may_receive(rule: TopicRule, user: Any = User) -> list[ColumnElement[bool]]:
    """Conditions on the person (``users``) for the topic to reach them at all."""
    if rule.kind is TopicKind.REQUIRED:
        return []
    conditions: list[ColumnElement[bool]] = [user.restricted_at.is_(None)]
    if rule.kind is TopicKind.MARKETING:
        conditions.append(user.marketing_consent.is_(True))
    return conditions


def choice(user_id: Any, topic: str | Any, channel: str | Any) -> Any:
    """The person's stored choice for (topic, channel), NULL when they made none."""
    return (
        select(NotificationPreference.enabled)
        .where(
            NotificationPreference.user_id == user_id,
            NotificationPreference.topic == topic,
            NotificationPreference.channel == channel,
        )
        .scalar_subquery()
    )


def channel_on(
    rule: TopicRule, topic: Topic, channel: Channel, explicit: frozenset[Channel] | None, user_id: Any
) -> ColumnElement[bool]:
    """Whether ``channel`` is used for the person: the caller's channels (else the topic's), changed by the
    person's choice unless the topic is required."""
    if explicit is not None and channel not in explicit:
        return false()
    default = explicit is not None or channel in rule.channels
    if rule.kind is TopicKind.REQUIRED:
        return true() if default else false()
    return func.coalesce(choice(user_id, topic.value, channel.value), literal(default))


def quiet_until(user_id: Any, at: datetime | Any) -> Any:
    """When the person's quiet hours around ``at`` end; NULL when ``at`` is not in them."""
    return (
        select(func.notification_quiet_until(QuietHours.starts, QuietHours.ends, QuietHours.time_zone, at))
        .where(QuietHours.user_id == user_id)
        .scalar_subquery()
    )


def has_device(user_id: Any) -> ColumnElement[bool]:
    return (
        select(PushDevice.id).where(PushDevice.user_id == user_id, PushDevice.retired_at.is_(None)).exists()
    )


def waits_for_quiet_hours(rule: TopicRule) -> bool:
    return rule.kind in DEFERRED_KINDS


def fan_out_plan(
    rule: TopicRule, topic: Topic, explicit: frozenset[Channel] | None, now: datetime
) -> tuple[Select[Any], dict[Channel, bool]]:
    """The rules above for a whole audience as one SELECT over ``users`` (the caller adds who): the person's
    id, one boolean column per channel and ``quiet_until``. Choices and quiet hours come in by outer joins
    (a hash join each over 100,000 people) rather than a sub-query per person and channel; the second
    value says which channels can be on at all (the others need no delivery rows)."""
    source: Any = User.__table__
    columns: list[Any] = [User.id.label("user_id")]
    possible: dict[Channel, bool] = {}
    for channel in ALL:
        default = explicit is not None or channel in rule.channels
        if explicit is not None and channel not in explicit:
            possible[channel] = False
        elif rule.kind is TopicKind.REQUIRED:
            possible[channel] = default
        else:
            possible[channel] = True
        on: ColumnElement[bool] = false()
        if possible[channel] and rule.kind is TopicKind.REQUIRED:
            on = true()
        elif possible[channel]:
            chosen = aliased(NotificationPreference, name=f"chosen_{channel.value}")
            source = source.outerjoin(
                chosen,
                and_(chosen.user_id == User.id, chosen.topic == topic.value, chosen.channel == channel.value),
            )
            on = func.coalesce(chosen.enabled, literal(default))
        if channel is Channel.PUSH and possible[channel]:
            # A push needs a live device: nobody without one gets a delivery (and a job) to skip.
            live = select(PushDevice.user_id).where(PushDevice.retired_at.is_(None))
            on = and_(on, User.id.in_(live))
        columns.append(on.label(channel.value))
    if waits_for_quiet_hours(rule):
        source = source.outerjoin(QuietHours, QuietHours.user_id == User.id)
        # Only for those who have quiet hours: the function costs more than the join.
        wait: Any = case(
            (
                QuietHours.user_id.is_not(None),
                func.notification_quiet_until(QuietHours.starts, QuietHours.ends, QuietHours.time_zone, now),
            )
        )
    else:
        wait = cast(null(), DateTime(timezone=True))
    columns.append(wait.label("quiet_until"))
    return select(*columns).select_from(source).where(*may_receive(rule)), possible


class PreferenceService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def show(self, user_id: UUID, role: str) -> PreferencesOut:
        """Every topic meant for me × its channels, with my choice (or the default) and the quiet hours."""
        stored = {
            (row.topic, row.channel): row.enabled
            for row in await self.session.execute(
                select(
                    NotificationPreference.topic,
                    NotificationPreference.channel,
                    NotificationPreference.enabled,
                ).where(NotificationPreference.user_id == user_id)
            )
        }
        topics = []
        for topic in topics_for(role):
            rule = TOPICS[topic]
            locked = rule.kind is TopicKind.REQUIRED
            cells = [
                PreferenceCell(
                    channel=channel,
                    enabled=True if locked else stored.get((topic, channel), channel in rule.channels),
                    locked=locked,
                )
                for channel in cells_of(rule)
            ]
            topics.append(TopicPreferences(topic=topic, kind=rule.kind, channels=cells))
        quiet = await self.session.get(QuietHours, user_id)
        digest = await self.session.scalar(
            select(DigestChoice.frequency).where(DigestChoice.user_id == user_id)
        )
        return PreferencesOut(
            topics=topics,
            quiet_hours=None
            if quiet is None
            else QuietHoursOut(starts=quiet.starts, ends=quiet.ends, time_zone=quiet.time_zone),
            digest=DigestFrequency(digest or DigestFrequency.DAILY),
        )

    async def change(self, user_id: UUID, role: str, data: PreferencesUpdate) -> PreferencesOut:
        """Set the given cells and, when given, the quiet hours (null removes them); answers the matrix."""
        mine = set(topics_for(role))
        for index, change in enumerate(data.preferences):
            rule = TOPICS[change.topic]
            if change.topic not in mine or change.channel not in cells_of(rule):
                raise invalid_field(f"preferences[{index}]", "no such topic and channel for you")
            if rule.kind is TopicKind.REQUIRED and not change.enabled:
                raise AppError(
                    422, ErrorCode.TOPIC_LOCKED, f"{change.topic} is required by law and cannot be turned off"
                )
        now = self.runtime.clock.now()
        await self.set_choices(
            user_id,
            ((c.topic, c.channel, c.enabled) for c in data.preferences if TOPICS[c.topic].kind != "required"),
            now,
        )
        if data.quiet_hours is None:
            await self.session.execute(delete(QuietHours).where(QuietHours.user_id == user_id))
        elif data.quiet_hours is not UNSET:
            hours = data.quiet_hours
            try:
                ZoneInfo(hours.time_zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise invalid_field("quiet_hours.time_zone", "not a known IANA time zone") from None
            values = {
                "starts": hours.starts,
                "ends": hours.ends,
                "time_zone": hours.time_zone,
                "updated_at": now,
            }
            await self.session.execute(
                insert(QuietHours)
                .values(user_id=user_id, **values)
                .on_conflict_do_update(index_elements=[QuietHours.user_id], set_=values)
            )
        if data.digest is not UNSET:
            if Topic.OFFER_DIGEST not in mine:
                raise invalid_field("digest", "no offer digest for you")
            chosen = {"frequency": str(data.digest), "updated_at": now}
            await self.session.execute(
                insert(DigestChoice)
                .values(user_id=user_id, **chosen)
                .on_conflict_do_update(index_elements=[DigestChoice.user_id], set_=chosen)
            )
        return await self.show(user_id, role)

    async def unsubscribe(self, token: str) -> Unsubscribed:
        """One-click unsubscribe from a mail (RFC 8058): the signed link names the person, topic and channel."""
        claims = LinkSigner(self.runtime.settings.secret_key).read_unsubscribe(token)
        if claims is None or claims[1] not in TOPICS or claims[2] not in {c.value for c in ALL}:
            raise invalid_field("token", "not a valid unsubscribe link")
        user_id, topic, channel = claims
        if TOPICS[Topic(topic)].kind is TopicKind.REQUIRED:
            raise AppError(
                422, ErrorCode.TOPIC_LOCKED, f"{topic} is required by law and cannot be turned off"
            )
        if await self.session.get(User, user_id) is None:
            raise not_found("account")
        await self.set_choices(user_id, [(topic, channel, False)], self.runtime.clock.now())
        return Unsubscribed(topic=Topic(topic), channel=Channel(channel), enabled=False)

    async def set_choices(
        self, user_id: UUID, choices: Iterable[tuple[str, str, bool]], now: datetime
    ) -> None:
        latest = {(topic, channel): enabled for topic, channel, enabled in choices}  # the last one wins
        rows = [
            {"user_id": user_id, "topic": topic, "channel": channel, "enabled": enabled, "updated_at": now}
            for (topic, channel), enabled in latest.items()
        ]
        if not rows:
            return
        statement = insert(NotificationPreference).values(rows)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[
                    NotificationPreference.user_id,
                    NotificationPreference.topic,
                    NotificationPreference.channel,
                ],
                set_={"enabled": statement.excluded.enabled, "updated_at": statement.excluded.updated_at},
            )
        )


def opted_out(user_id: Any, topic: Any, channel: Any) -> ColumnElement[bool]:
    """The person turned (topic, channel) off: the delivery job's check when it runs."""
    return and_(func.coalesce(choice(user_id, topic, channel), true()).is_(False))
