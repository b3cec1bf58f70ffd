"""What we notify people about: each topic's kind (which decides what may silence it), who it is for and
the channels it uses unless the person chose otherwise.

- ``REQUIRED``: messages the law or the person's own request calls for (data-request decisions, policy
  changes, sign-in codes): sent even while processing is restricted; cannot be turned off.
- ``SECURITY``: new sign-in, password changed: never held back by quiet hours.
- ``SERVICE``: useful news about what the person already uses; per channel opt-out, deferred in quiet hours,
  stopped while processing is restricted.
- ``MARKETING``: partners' offers promoted to the person; as ``SERVICE``, and only with the ``marketing``
  consent purpose given (withdrawing it stops them at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from loyalty.notifications.models import Channel


class TopicKind(StrEnum):
    REQUIRED = "required"
    SECURITY = "security"
    SERVICE = "service"
    MARKETING = "marketing"


class Audience(StrEnum):
    EMPLOYEE = "employee"
    PARTNER_ADMIN = "partner_admin"
    HR_ADMIN = "hr_admin"
    ANYONE = "anyone"


class Topic(StrEnum):
    ACCOUNT = "account"
    SECURITY = "security"
    DATA_REQUESTS = "data_requests"
    POLICY_CHANGES = "policy_changes"
    ANNOUNCEMENTS = "announcements"
    OFFER_DIGEST = "offer_digest"
    FAVORITE_ENDING = "favorite_ending"
    CODE_EXPIRING = "code_expiring"
    POOL_LOW = "pool_low"
    OFFER_EXPIRING = "offer_expiring"
    REQUESTS_DUE = "requests_due"


@dataclass(frozen=True, slots=True)
class TopicRule:
    kind: TopicKind
    audience: Audience
    channels: tuple[Channel, ...]


ALL = (Channel.INBOX, Channel.PUSH, Channel.EMAIL)
TOPICS: dict[Topic, TopicRule] = {
    Topic.ACCOUNT: TopicRule(TopicKind.REQUIRED, Audience.ANYONE, (Channel.EMAIL,)),
    Topic.SECURITY: TopicRule(TopicKind.SECURITY, Audience.ANYONE, ALL),
    Topic.DATA_REQUESTS: TopicRule(TopicKind.REQUIRED, Audience.EMPLOYEE, (Channel.INBOX, Channel.EMAIL)),
    Topic.POLICY_CHANGES: TopicRule(TopicKind.REQUIRED, Audience.EMPLOYEE, ALL),
    Topic.ANNOUNCEMENTS: TopicRule(TopicKind.SERVICE, Audience.EMPLOYEE, (Channel.INBOX, Channel.PUSH)),
    Topic.OFFER_DIGEST: TopicRule(TopicKind.MARKETING, Audience.EMPLOYEE, (Channel.INBOX, Channel.PUSH)),
    Topic.FAVORITE_ENDING: TopicRule(TopicKind.MARKETING, Audience.EMPLOYEE, (Channel.INBOX, Channel.PUSH)),
    Topic.CODE_EXPIRING: TopicRule(TopicKind.SERVICE, Audience.EMPLOYEE, (Channel.INBOX, Channel.PUSH)),
    Topic.POOL_LOW: TopicRule(TopicKind.SERVICE, Audience.PARTNER_ADMIN, (Channel.INBOX, Channel.EMAIL)),
    Topic.OFFER_EXPIRING: TopicRule(
        TopicKind.SERVICE, Audience.PARTNER_ADMIN, (Channel.INBOX, Channel.EMAIL)
    ),
    Topic.REQUESTS_DUE: TopicRule(TopicKind.SERVICE, Audience.HR_ADMIN, (Channel.INBOX, Channel.EMAIL)),
}
