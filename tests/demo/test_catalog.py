"""The demo catalog file: the shipped one decodes, and a mistake in a copy is refused with its path."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loyalty.demo.catalog import (
    CATALOG_FILE,
    DemoCatalogError,
    DemoText,
    FixedOff,
    PercentOff,
    SpecialOffer,
    load_catalog,
)


def test_the_shipped_catalog_decodes() -> None:
    catalog = load_catalog()
    assert len(catalog.categories) == 11
    assert list(catalog.cities) == ["Astana", "Almaty", "Shymkent", "Atyrau", "Aktau", "Karaganda", "Aktobe"]
    assert len(catalog.partners) == 34
    assert sum(len(partner.locations) for partner in catalog.partners) == 107
    offers = [offer for partner in catalog.partners for offer in partner.offers]
    assert len(offers) == 164
    assert sum(offer.featured for offer in offers) == 12
    kinds = [type(offer.discount) for offer in offers]
    assert (kinds.count(PercentOff), kinds.count(FixedOff), kinds.count(SpecialOffer)) == (80, 31, 53)


def test_texts_keep_their_three_languages() -> None:
    first = load_catalog().partners[0]
    assert first.name == DemoText(kk="Bean & Steppe", ru="Bean & Steppe", en="Bean & Steppe")
    offer = first.offers[0]
    assert offer.title == DemoText(
        kk="Кез келген кофеге 20% жеңілдік", ru="Скидка 20% на любой кофе", en="20% off any coffee"
    )
    assert offer.discount == PercentOff(value=20)
    assert (offer.days.start, offer.days.until) == (-30, 120)
    assert first.locations[0].address == "ул. Панфилова, 98"


def _offer(data: dict[str, Any]) -> dict[str, Any]:
    offer: dict[str, Any] = data["partners"][0]["offers"][0]
    return offer


BROKEN: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    (
        "unknown field",
        lambda data: _offer(data).update(colour="red"),
        "Object contains unknown field `colour` - at `$.partners[0].offers[0]`",
    ),
    (
        "percent 0",
        lambda data: _offer(data)["discount"].update(value=0),
        "Expected `float` >= 1.0 - at `$.partners[0].offers[0].discount.value`",
    ),
    (
        "percent over 100",
        lambda data: _offer(data)["discount"].update(value=120),
        "Expected `float` <= 100.0 - at `$.partners[0].offers[0].discount.value`",
    ),
    (
        "unknown discount kind",
        lambda data: _offer(data)["discount"].update(kind="percentage"),
        "Invalid value 'percentage' - at `$.partners[0].offers[0].discount.kind`",
    ),
    (
        "unknown category",
        lambda data: _offer(data).update(category="caffe"),
        "unknown category 'caffe' (known: food, coffee, fitness, health, beauty, education, travel, auto, "
        "shopping, kids, entertainment) - at `$.partners[0].offers[0].category`",
    ),
    (
        "from after until",
        lambda data: _offer(data)["days"].update({"from": 10, "until": 5}),
        "`from` (10) is after `until` (5) - at `$.partners[0].offers[0].days`",
    ),
    (
        "unknown location city",
        lambda data: data["partners"][0]["locations"][1].update(city="Astanna"),
        "unknown city 'Astanna' (known: Astana, Almaty, Shymkent, Atyrau, Aktau, Karaganda, Aktobe)"
        " - at `$.partners[0].locations[1].city`",
    ),
    (
        "unknown eligibility city",
        lambda data: _offer(data).update(eligibility={"cities": ["Atyrau", "Oral"]}),
        "unknown city 'Oral' (known: Astana, Almaty, Shymkent, Atyrau, Aktau, Karaganda, Aktobe)"
        " - at `$.partners[0].offers[0].eligibility.cities[1]`",
    ),
    (
        "missing translation",
        lambda data: _offer(data)["title"].pop("kk"),
        "Object missing required field `kk` - at `$.partners[0].offers[0].title`",
    ),
    (
        "blank translation",
        lambda data: _offer(data)["title"].update(en=" "),
        r"Expected `str` matching regex '^[^\\x00]*[^\\x00\\s][^\\x00]*$' - at `$.partners[0].offers[0].title.en`",
    ),
    (
        "duplicate category",
        lambda data: data["categories"].append(data["categories"][1]),
        "category slug 'coffee' appears 2 times in `$.categories`",
    ),
    (
        "city without time zone",
        lambda data: data["cities"]["Aktobe"].pop("timezone"),
        "Object missing required field `timezone` - at `$.cities[...]`",
    ),
]


@pytest.mark.parametrize(("mistake", "breaks", "message"), BROKEN, ids=[case[0] for case in BROKEN])
def test_a_broken_copy_is_refused_naming_the_field(
    tmp_path: Path, mistake: str, breaks: Callable[[dict[str, Any]], None], message: str
) -> None:
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    breaks(data)
    copy = tmp_path / "catalog.json"
    copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(DemoCatalogError) as refused:
        load_catalog(copy)
    assert str(refused.value) == f"demo catalog {copy}: {message}"


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "catalog.json"
    copy.write_text('{"categories": [', encoding="utf-8")
    with pytest.raises(DemoCatalogError) as refused:
        load_catalog(copy)
    assert str(refused.value) == f"demo catalog {copy}: Input data was truncated"
