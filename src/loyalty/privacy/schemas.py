"""Bodies of the privacy-policy and consent endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from loyalty.core.schemas import NO_NUL, Language, LocalizedText, RequestBody, ResponseBody

PurposeCode = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
VersionName = Annotated[str, Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
CORE_PURPOSE = "core"
MARKETING_PURPOSE = "marketing"  # marketing-type notification topics need it
NOT_BLANK = r"^[^\x00]*[^\x00\s][^\x00]*$"


class PurposeIn(RequestBody):
    code: PurposeCode
    required: bool
    title: LocalizedText
    description: LocalizedText | None = None


class PolicyTexts(RequestBody):
    kk: Annotated[str, Meta(min_length=1, max_length=200_000, pattern=NO_NUL)]
    ru: Annotated[str, Meta(min_length=1, max_length=200_000, pattern=NO_NUL)]
    en: Annotated[str, Meta(min_length=1, max_length=200_000, pattern=NO_NUL)]


SummaryText = Annotated[str, Meta(min_length=1, max_length=2000, pattern=NOT_BLANK)]


class PolicySummary(RequestBody):
    """What changed, in all three languages: it is announced to everyone the version will affect."""

    kk: SummaryText
    ru: SummaryText
    en: SummaryText


class PolicyCreate(RequestBody):
    version: VersionName
    texts: PolicyTexts
    purposes: Annotated[list[PurposeIn], Meta(min_length=1, max_length=20)]
    effective_at: datetime
    summary: PolicySummary | None = None


class PurposeOut(ResponseBody):
    code: str
    required: bool
    title: str
    description: str | None = None


class CurrentPolicy(ResponseBody):
    version: str
    effective_at: datetime
    language: Language
    text: str
    sha256: str
    purposes: list[PurposeOut]


class UpcomingPolicy(CurrentPolicy):
    """A published version that takes effect later, with what changed (``summary``) in the same language."""

    summary: str | None = None


class PolicyAdminView(ResponseBody):
    id: UUID
    version: str
    effective_at: datetime
    published_at: datetime | None
    sha256: dict[str, str]
    purposes: list[dict[str, object]]
    created_at: datetime
    summary: dict[str, str] | None = None
    # People told of the version when it was published ahead of its effective date.
    announced_to: int | None = None


class ConsentCreate(RequestBody):
    policy_version: VersionName
    purposes: Annotated[dict[PurposeCode, bool], Meta(max_length=20)]
    language: Language | None = None


class ConsentEvent(ResponseBody):
    id: UUID
    policy_version: str
    event: str
    purposes: dict[str, bool]
    method: str
    language: str
    text_sha256: str
    created_at: datetime
    ip: str | None
    user_agent: str | None


DataRequestKindName = Literal["access", "rectification", "objection", "erasure"]


class DataRequestIn(RequestBody):
    kind: DataRequestKindName
    details: Annotated[str, Meta(max_length=4000, pattern=NO_NUL)] | None = None


class HrDataRequestIn(RequestBody):
    """A request the person made outside the app (on paper, by email, in person), filed by HR for them."""

    roster_entry_id: UUID
    kind: DataRequestKindName
    channel: Literal["paper", "email", "in_person"]
    identity_verification: Annotated[str, Meta(min_length=1, max_length=2000, pattern=NOT_BLANK)]
    details: Annotated[str, Meta(max_length=4000, pattern=NO_NUL)] | None = None


class DataRequestDecision(RequestBody):
    note: Annotated[str, Meta(min_length=1, max_length=4000, pattern=NO_NUL)] | None = None


class DataRequestRejection(RequestBody):
    reason: Annotated[str, Meta(min_length=1, max_length=4000, pattern=NO_NUL)]


class DataRequestOut(ResponseBody):
    id: UUID
    kind: str
    channel: str
    details: str | None
    identity_verification: str | None
    roster_entry_id: UUID | None
    status: str
    due_on: date
    overdue: bool
    subject_ref: str
    created_at: datetime
    decided_at: datetime | None
    decision_note: str | None


class ErasureIn(RequestBody):
    password: Annotated[str, Meta(min_length=1, max_length=1024)]
