"""Bodies of the catalog: categories, offers as partners write them and as employees read them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal
from uuid import UUID

import msgspec
from litestar.openapi.spec import OpenAPIType, Reference, Schema
from msgspec import Meta

from loyalty.core.schemas import LocalizedText, RequestBody, ResponseBody
from loyalty.partners.schemas import LocationOut, TimeZoneName

Slug = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
HrValue = Annotated[str, Meta(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")]
HrValues = Annotated[list[HrValue], Meta(max_length=100)]
LimitValue = Annotated[int, Meta(ge=1, le=1_000_000_000)]
DiscountValue = Annotated[float, Meta(gt=0, le=1_000_000_000)]
OfferStatusIn = Literal["draft", "published", "archived"]
CodeMode = Literal["generated", "pool"]
Sort = Literal["relevance", "newest", "distance", "ending_soon"]


class CategoryIn(RequestBody):
    slug: Slug
    name: LocalizedText
    position: Annotated[int, Meta(ge=0, le=1_000_000)] = 0


class CategoryPatch(RequestBody):
    name: LocalizedText | msgspec.UnsetType = msgspec.UNSET
    position: Annotated[int, Meta(ge=0, le=1_000_000)] | msgspec.UnsetType = msgspec.UNSET


class CategoryAdminOut(ResponseBody):
    id: UUID
    slug: str
    name: dict[str, str]
    position: int


class CategoryOut(ResponseBody):
    id: UUID
    slug: str
    name: str
    offer_count: int


class Discount(RequestBody, omit_defaults=True):
    kind: Literal["percent", "fixed", "special"]
    value: DiscountValue | None = None
    text: LocalizedText | None = None

    # What __post_init__ checks, said in the OpenAPI document (core.contract.StrictStructSchemaPlugin).
    __schema_extra__: ClassVar[dict[str, Any]] = {
        "any_of": [
            Schema(
                properties={
                    "kind": Schema(const="percent"),
                    "value": Schema(type=OpenAPIType.NUMBER, minimum=1, maximum=100),
                },
                required=["kind", "value"],
            ),
            Schema(
                properties={
                    "kind": Schema(const="fixed"),
                    "value": Schema(type=OpenAPIType.NUMBER, exclusive_minimum=0),
                },
                required=["kind", "value"],
            ),
            Schema(
                properties={
                    "kind": Schema(const="special"),
                    "text": Reference(ref="#/components/schemas/LocalizedText"),
                },
                required=["kind", "text"],
            ),
        ]
    }

    def __post_init__(self) -> None:
        if self.kind == "percent" and (self.value is None or not 1 <= self.value <= 100):
            raise ValueError("a percent discount needs a value from 1 to 100")
        if self.kind == "fixed" and self.value is None:
            raise ValueError("a fixed discount needs a value")
        if self.kind == "special" and self.text is None:
            raise ValueError("a special discount needs a text")


class Eligibility(RequestBody):
    companies: HrValues = msgspec.field(default_factory=list)
    departments: HrValues = msgspec.field(default_factory=list)
    cities: HrValues = msgspec.field(default_factory=list)


class Limits(RequestBody, omit_defaults=True):
    total: LimitValue | None = None
    per_employee: LimitValue | None = None
    per_employee_per_day: LimitValue | None = None
    per_employee_per_week: LimitValue | None = None
    per_employee_per_month: LimitValue | None = None


class OfferIn(RequestBody):
    category: Slug
    title: LocalizedText
    discount: Discount
    valid_from: date
    valid_until: date
    description: LocalizedText | None = None
    terms: LocalizedText | None = None
    visible_from: date | None = None
    visible_until: date | None = None
    timezone: TimeZoneName | None = None
    status: Literal["draft", "published"] = "draft"
    location_ids: Annotated[list[UUID], Meta(max_length=500)] = msgspec.field(default_factory=list)
    eligibility: Eligibility | None = None
    limits: Limits | None = None
    code_mode: CodeMode = "generated"


class OfferPatch(RequestBody):
    category: Slug | msgspec.UnsetType = msgspec.UNSET
    title: LocalizedText | msgspec.UnsetType = msgspec.UNSET
    discount: Discount | msgspec.UnsetType = msgspec.UNSET
    valid_from: date | msgspec.UnsetType = msgspec.UNSET
    valid_until: date | msgspec.UnsetType = msgspec.UNSET
    description: LocalizedText | msgspec.UnsetType | None = msgspec.UNSET
    terms: LocalizedText | msgspec.UnsetType | None = msgspec.UNSET
    visible_from: date | msgspec.UnsetType | None = msgspec.UNSET
    visible_until: date | msgspec.UnsetType | None = msgspec.UNSET
    timezone: TimeZoneName | msgspec.UnsetType = msgspec.UNSET
    status: OfferStatusIn | msgspec.UnsetType = msgspec.UNSET
    location_ids: Annotated[list[UUID], Meta(max_length=500)] | msgspec.UnsetType = msgspec.UNSET
    eligibility: Eligibility | msgspec.UnsetType = msgspec.UNSET
    limits: Limits | msgspec.UnsetType = msgspec.UNSET
    code_mode: CodeMode | msgspec.UnsetType = msgspec.UNSET


class OfferFeaturePatch(RequestBody):
    featured: bool


class DiscountOut(ResponseBody, omit_defaults=True):
    kind: str
    value: float | None = None
    text: dict[str, str] | str | None = None


class PartnerOfferOut(ResponseBody):
    """An offer as its partner wrote it: every language, every rule."""

    id: UUID
    partner_id: UUID
    category: str
    title: dict[str, str]
    description: dict[str, str] | None
    terms: dict[str, str] | None
    discount: DiscountOut
    valid_from: date
    valid_until: date
    visible_from: date
    visible_until: date
    timezone: str
    status: str
    featured: bool
    location_ids: list[UUID]
    eligibility: Eligibility
    limits: Limits
    code_mode: str
    created_at: datetime
    updated_at: datetime


class OfferSummary(ResponseBody):
    """An offer in an employee's list, its texts in the asked language."""

    id: UUID
    partner_id: UUID
    partner_name: str
    # What a list screen shows beside the name; from the same query (partners joined), no extra read.
    partner_logo_url: str | None
    category: str
    title: str
    discount: DiscountOut
    valid_from: date
    valid_until: date
    timezone: str
    featured: bool
    language: str
    distance_km: float | None = None


class PartnerBrief(ResponseBody):
    id: UUID
    name: str
    logo_url: str | None
    website: str | None


class OfferDetail(ResponseBody):
    id: UUID
    partner: PartnerBrief
    category: str
    title: str
    description: str | None
    terms: str | None
    discount: DiscountOut
    valid_from: date
    valid_until: date
    valid_from_at: datetime
    valid_until_at: datetime
    visible_until: date
    timezone: str
    featured: bool
    language: str
    locations: list[LocationOut]
    favorite: bool
    eligible: bool
    reason: str | None
    remaining_for_me: int | None
    limits: Limits


class PartnerProfile(ResponseBody):
    id: UUID
    name: str
    description: str | None
    website: str | None
    logo_url: str | None
    contacts: dict[str, str]
    language: str
    locations: list[LocationOut]
    offers: list[OfferSummary]
