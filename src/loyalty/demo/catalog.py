"""The demo catalog as data: ``catalog.json`` beside this module (categories, the cities partners work in,
and about three dozen partners with their locations and offers, in Kazakh, Russian and English), decoded
into strict Structs.

Offer windows are relative to the day the seed runs: ``"days": {"from": -30, "until": 120}`` means valid
from today - 30 to today + 120, so the demo always has live, expired and scheduled offers.

Decoding checks what the API would check (the request bodies' own types), a little more (every text in
all three languages, a percent from 1 to 100, windows ordered) and what ties the file together (every
city is one of ``cities``, every category one of ``categories``). A mistake in the file stops
``loyalty seed-demo`` before it writes anything, with the path of the bad field
(``... - at `$.partners[3].offers[1].discount.value```), instead of a KeyError or a half-seeded catalog.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import msgspec
from msgspec import Meta, Struct

from loyalty.catalog.schemas import DiscountValue, Eligibility, Limits, Slug
from loyalty.core.schemas import LocalizedText, ShortText
from loyalty.partners.schemas import Contacts, Latitude, Longitude, TimeZoneName, Url

CATALOG_FILE: Traversable = files("loyalty.demo") / "catalog.json"


class DemoCatalogError(ValueError):
    """The demo catalog file is not valid; the message names the file and the bad field."""


class DemoData(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of the demo catalog's Structs: a misspelt or unknown field is an error."""


# Text people read in the demo: not blank, no NUL (PostgreSQL refuses it), line breaks allowed.
FilledText = Annotated[str, Meta(min_length=1, max_length=20_000, pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")]


class DemoText(LocalizedText):
    """A text in all three languages: the demo shows every one of them."""

    kk: FilledText
    ru: FilledText
    en: FilledText


class DemoCategory(DemoData):
    slug: Slug
    name: DemoText
    position: Annotated[int, Meta(ge=0, le=1_000_000)]


class DemoCity(DemoData):
    """A city partners work in: its IANA time zone and the coordinates of its centre."""

    timezone: TimeZoneName
    lat: Latitude
    lon: Longitude


class DemoLocation(DemoData):
    city: ShortText
    address: ShortText
    lat: Latitude
    lon: Longitude


class PercentOff(DemoData, tag_field="kind", tag="percent"):
    value: Annotated[float, Meta(ge=1, le=100)]


class FixedOff(DemoData, tag_field="kind", tag="fixed"):
    value: DiscountValue


class SpecialOffer(DemoData, tag_field="kind", tag="special"):
    text: DemoText


DemoDiscount = PercentOff | FixedOff | SpecialOffer


class DayWindow(DemoData):
    """Days relative to the day the seed runs, both inclusive."""

    start: int = msgspec.field(name="from")
    until: int

    def __post_init__(self) -> None:
        if self.start > self.until:
            raise ValueError(f"`from` ({self.start}) is after `until` ({self.until})")


class DemoOffer(DemoData):
    category: Slug
    title: DemoText
    discount: DemoDiscount
    days: DayWindow
    description: DemoText | None = None
    terms: DemoText | None = None
    featured: bool = False
    limits: Limits | None = None
    eligibility: Eligibility | None = None


class DemoPartner(DemoData):
    name: DemoText
    locations: Annotated[list[DemoLocation], Meta(min_length=1)]
    offers: Annotated[list[DemoOffer], Meta(min_length=1)]
    description: DemoText | None = None
    website: Url | None = None
    logo_url: Url | None = None
    contacts: Contacts | None = None


class DemoCatalog(DemoData):
    categories: Annotated[list[DemoCategory], Meta(min_length=1)]
    cities: Annotated[dict[ShortText, DemoCity], Meta(min_length=1)]
    partners: Annotated[list[DemoPartner], Meta(min_length=1)]

    def __post_init__(self) -> None:
        problems = list(self._unknown_references())
        if problems:
            raise ValueError("; ".join(problems))

    def _unknown_references(self) -> Iterator[str]:
        slugs = [category.slug for category in self.categories]
        for slug, count in Counter(slugs).items():
            if count > 1:
                yield f"category slug {slug!r} appears {count} times in `$.categories`"
        known_slugs = ", ".join(slugs)
        known_cities = ", ".join(self.cities)
        for p, partner in enumerate(self.partners):
            for n, location in enumerate(partner.locations):
                if location.city not in self.cities:
                    yield (
                        f"unknown city {location.city!r} (known: {known_cities})"
                        f" - at `$.partners[{p}].locations[{n}].city`"
                    )
            for n, offer in enumerate(partner.offers):
                at = f"$.partners[{p}].offers[{n}]"
                if offer.category not in slugs:
                    yield f"unknown category {offer.category!r} (known: {known_slugs}) - at `{at}.category`"
                for c, city in enumerate(offer.eligibility.cities if offer.eligibility else []):
                    if city not in self.cities:
                        yield (
                            f"unknown city {city!r} (known: {known_cities})"
                            f" - at `{at}.eligibility.cities[{c}]`"
                        )


def load_catalog(source: Traversable | Path = CATALOG_FILE) -> DemoCatalog:
    """The demo catalog in ``source`` (the shipped ``catalog.json`` unless told), checked throughout."""
    try:
        return msgspec.json.decode(source.read_bytes(), type=DemoCatalog)
    except msgspec.MsgspecError as error:
        raise DemoCatalogError(f"demo catalog {source}: {error}") from error
