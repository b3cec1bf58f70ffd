"""Load benchmark for the employee catalog: 100 000 offers, 32 concurrent requests, one app worker.

    uv run python bench/catalog_load.py [--offers 100000] [--partners 5000] [--duration 15]
                                        [--concurrency 32] [--skip-fill] [--no-explain] ...

1. Fill: drops and recreates the scratch database (default ``loyalty_bench`` on the PostgreSQL at
   127.0.0.1:5432, user postgres, trust auth; an embedded PostgreSQL in a temp folder if nothing answers
   there), runs ``loyalty database upgrade`` and ``loyalty seed-demo`` (policy, staff, the registered
   demo employee), then bulk-loads categories, partners, locations and offers with COPY, keeping every
   column the service derives itself consistent (``shown_*``/``valid_*_at`` instants, ``listed_at``,
   ``cities``, ``partner_names``, ``search_terms``), and runs ``VACUUM ANALYZE``. ``--skip-fill`` reuses
   the database as it is.
2. Load: starts ``python -m loyalty up`` (one uvicorn worker) on a free 127.0.0.1 port, logs in as the
   demo employee (again before each case: access tokens live 15 minutes), checks one response per case
   (200, and how many items), then drives each case with ``--concurrency`` connections for a warm-up
   and ``--duration`` seconds with ``wrk`` (a Lua script; the Python httpx client if wrk is missing),
   and, unless ``--serial-duration 0``, again with ONE connection to show the latency without queueing.
   It prints requests/s, p50/p90/p99/max and the CPU per request of the app and of PostgreSQL.
3. Explain (unless ``--no-explain``): builds the app in this process, sends one request per case and
   records every SQL statement the request executed (an SQLAlchemy ``before_cursor_execute`` hook), then
   PREPAREs each with its real parameters and runs it five times (the service's driver keeps statements
   prepared, and PostgreSQL may then switch to a generic plan), times it alone (median of
   ``--sql-runs`` runs) and prints ``EXPLAIN (ANALYZE, BUFFERS)`` of that steady state, plus the plan
   for the actual values when the steady state is the generic plan. ``--dump-sql`` writes the
   statements with their parameters filled in, for psql.

Only 127.0.0.1 (or the embedded server's socket) is contacted; every load loop ends by itself
(deadline plus a request cap), and the server is stopped whatever happens, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import math
import os
import random
import re
import shutil
import statistics
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import asyncpg
import harness
import httpx

DEFAULT_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/loyalty_bench"
TARGET_P99_MS = 50.0
DETAIL_IDS = 2000


# --------------------------------------------------------------------------- the cases


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    path: str | None  # None: detail of a random live offer
    expect_items: bool = True

    def url_path(self) -> str:
        return self.path or f"{harness.API}/offers/{{id}}"


def _offers(**params: str) -> str:
    return f"{harness.API}/offers" + (f"?{urlencode(params)}" if params else "")


CASES = [
    Case("first_page", "GET /offers, first page, no filter (newest)", _offers()),
    Case("q_ru", "q=кофе (Russian)", _offers(q="кофе")),
    Case("q_kk", "q=кітаптар (Kazakh, inflected)", _offers(q="кітаптар")),
    Case("q_en", "q=pizza (English)", _offers(q="pizza")),
    Case("q_typo", "q=пица (one typo of пицца)", _offers(q="пица")),
    Case("city_category", "city=Almaty&category=food", _offers(city="Almaty", category="food")),
    Case(
        "near",
        "near=43.238,76.889&radius_km=10 (Almaty centre)",
        _offers(near="43.238,76.889", radius_km="10"),
    ),
    Case("detail", "GET /offers/{id}, random live offers", None, expect_items=False),
]
CASE_NAMES = [case.name for case in CASES]


# --------------------------------------------------------------------------- the data

# (city, lat, lon, IANA zone, weight): weights roughly follow the cities' populations.
CITIES = [
    ("Astana", 51.128, 71.43, "Asia/Almaty", 25),
    ("Almaty", 43.238, 76.889, "Asia/Almaty", 30),
    ("Shymkent", 42.317, 69.59, "Asia/Almaty", 13),
    ("Atyrau", 47.094, 51.92, "Asia/Atyrau", 6),
    ("Aktau", 43.65, 51.16, "Asia/Aqtau", 6),
    ("Karaganda", 49.80, 73.10, "Asia/Almaty", 11),
    ("Aktobe", 50.28, 57.17, "Asia/Aqtobe", 9),
]
CITY_RADIUS_KM = 15.0
STREETS = [
    "Abay Ave", "Dostyk Ave", "Tole Bi St", "Kabanbay Batyr Ave", "Respublika Ave", "Satpayev St",
    "Al-Farabi Ave", "Zheltoksan St", "Bogenbay Batyr St", "Kunaev St", "Turan Ave", "Mangilik El Ave",
    "Nazarbayev Ave", "Seifullin St", "Gogol St", "Baitursynov St", "Auezov St", "Tauelsizdik Ave",
]  # fmt: skip

# Brand syllables (Latin, Cyrillic): partner names are two or three of them plus a trade word.
SYLLABLES = [
    ("Ak", "Ақ"), ("Aru", "Ару"), ("Bai", "Бай"), ("Dala", "Дала"), ("Kok", "Көк"), ("Nur", "Нұр"),
    ("Sam", "Сам"), ("Tau", "Тау"), ("Zhan", "Жан"), ("Altyn", "Алтын"), ("Ken", "Кен"), ("Tal", "Тал"),
    ("Kum", "Құм"), ("Kun", "Күн"), ("Er", "Ер"), ("Bes", "Бес"), ("Sary", "Сары"), ("Ulan", "Ұлан"),
    ("Asyl", "Асыл"), ("Mar", "Мар"), ("Ber", "Бер"), ("Kara", "Қара"), ("Tol", "Тол"), ("Sar", "Сар"),
    ("Ay", "Ай"), ("Ly", "Лы"), ("Sun", "Сұң"), ("Ara", "Ара"), ("Zher", "Жер"), ("Mol", "Мол"),
]  # fmt: skip

# Content groups: (category slug, its names kk/ru/en if it has to be created, partners' trade words
# (en, ru, kk), items (ru, kk, en)). The slugs are the demo seed's categories (loyalty.demo.catalog_data);
# one the seed did not create is created here.
CATEGORIES: dict[
    str, tuple[str, tuple[str, str, str], list[tuple[str, str, str]], list[tuple[str, str, str]]]
] = {
    "food": (
        "food",
        ("Мейрамханалар", "Рестораны", "Restaurants"),
        [("Restaurant", "Ресторан", "Мейрамханасы"), ("Grill", "Гриль", "Гриль"), ("Pizza", "Пицца", "Пицца")],
        [("пицца", "пицца", "pizza"), ("суши и роллы", "суши мен роллдар", "sushi and rolls"),
         ("бургеры", "бургерлер", "burgers"), ("бизнес-ланч", "бизнес-ланч", "business lunch"),
         ("ужин в ресторане", "мейрамханада кешкі ас", "dinner at the restaurant"), ("плов", "палау", "pilaf"),
         ("шашлык", "шашлық", "barbecue"), ("доставка еды", "тамақ жеткізу", "food delivery"),
         ("бешбармак", "бесбармақ", "beshbarmak")],
    ),
    "cafe": (
        "coffee",
        ("Кофеханалар", "Кофейни", "Cafes"),
        [("Coffee", "Кофе", "Кофе"), ("Bakery", "Пекарня", "Наубайханасы")],
        [("кофе", "кофе", "coffee"), ("капучино", "капучино", "cappuccino"), ("десерты", "десерттер", "desserts"),
         ("выпечка", "тоқаштар", "pastries"), ("завтраки", "таңғы ас", "breakfast"), ("чай", "шай", "tea")],
    ),
    "fitness": (
        "fitness",
        ("Спорт", "Фитнес", "Fitness"),
        [("Fitness", "Фитнес", "Фитнес"), ("Gym", "Спортзал", "Спортзалы")],
        [("абонемент в фитнес-клуб", "фитнес-клубқа абонемент", "gym membership"), ("йога", "йога", "yoga"),
         ("бассейн", "бассейн", "swimming pool"), ("персональные тренировки", "жеке жаттығулар", "personal training"),
         ("теннис", "теннис", "tennis"), ("единоборства", "жекпе-жек", "martial arts")],
    ),
    "health": (
        "health",
        ("Денсаулық", "Здоровье", "Health"),
        [("Clinic", "Клиника", "Клиникасы"), ("Dental", "Стоматология", "Стоматологиясы")],
        [("стоматология", "стоматология", "dentistry"), ("чистка зубов", "тіс тазалау", "teeth cleaning"),
         ("анализы", "талдаулар", "lab tests"), ("массаж", "массаж", "massage"),
         ("приём терапевта", "терапевт қабылдауы", "GP appointment"), ("оптика", "оптика", "glasses and lenses")],
    ),
    "pharmacy": (
        "health",
        ("Дәріханалар", "Аптеки", "Pharmacies"),
        [("Pharmacy", "Аптека", "Дәріханасы")],
        [("лекарства", "дәрі-дәрмек", "medicines"), ("витамины", "дәрумендер", "vitamins"),
         ("аптечные товары", "дәріхана тауарлары", "pharmacy goods"), ("детское питание", "балалар тағамы", "baby food")],
    ),
    "beauty": (
        "beauty",
        ("Сұлулық", "Красота", "Beauty"),
        [("Beauty", "Салон", "Салоны"), ("Spa", "Спа", "Спа")],
        [("маникюр", "маникюр", "manicure"), ("стрижка", "шаш қию", "haircut"), ("спа", "спа", "spa"),
         ("косметика", "косметика", "cosmetics"), ("салон красоты", "сұлулық салоны", "beauty salon")],
    ),
    "books": (
        "shopping",
        ("Кітаптар", "Книги", "Books"),
        [("Books", "Книги", "Кітаптары")],
        [("книги", "кітаптар", "books"), ("книжный магазин", "кітап дүкені", "bookstore"),
         ("детские книги", "балалар кітаптары", "children's books"), ("канцтовары", "кеңсе тауарлары", "stationery"),
         ("электронные книги", "электронды кітаптар", "e-books")],
    ),
    "education": (
        "education",
        ("Білім", "Образование", "Education"),
        [("Academy", "Академия", "Академиясы"), ("School", "Школа", "Мектебі")],
        [("курсы английского", "ағылшын тілі курстары", "English courses"), ("онлайн-курсы", "онлайн курстар", "online courses"),
         ("курсы казахского", "қазақ тілі курстары", "Kazakh courses"), ("программирование", "бағдарламалау", "programming"),
         ("подготовка к IELTS", "IELTS-ке дайындық", "IELTS preparation")],
    ),
    "travel": (
        "travel",
        ("Саяхат", "Путешествия", "Travel"),
        [("Travel", "Тревел", "Саяхат"), ("Hotel", "Отель", "Қонақ үйі")],
        [("авиабилеты", "әуе билеттері", "flights"), ("гостиница", "қонақ үй", "hotel"), ("туры", "турлар", "tours"),
         ("такси", "такси", "taxi"), ("аренда авто", "көлік жалға алу", "car rental")],
    ),
    "entertainment": (
        "entertainment",
        ("Ойын-сауық", "Развлечения", "Entertainment"),
        [("Cinema", "Кинотеатр", "Кинотеатры"), ("Park", "Парк", "Саябағы")],
        [("кино", "кино", "cinema"), ("театр", "театр", "theatre"), ("боулинг", "боулинг", "bowling"),
         ("концерты", "концерттер", "concerts"), ("квесты", "квесттер", "escape rooms")],
    ),
    "shopping": (
        "shopping",
        ("Сауда", "Покупки", "Shopping"),
        [("Store", "Магазин", "Дүкені"), ("Market", "Маркет", "Маркеті")],
        [("одежда", "киім", "clothes"), ("обувь", "аяқ киім", "shoes"), ("электроника", "электроника", "electronics"),
         ("подарки", "сыйлықтар", "gifts"), ("цветы", "гүлдер", "flowers")],
    ),
    "auto": (
        "auto",
        ("Көлік", "Авто", "Car"),
        [("Auto", "Авто", "Авто")],
        [("автомойка", "көлік жуу", "car wash"), ("шиномонтаж", "шина жөндеу", "tyre service"),
         ("техобслуживание", "техникалық қызмет көрсету", "car service"), ("топливо", "жанармай", "fuel")],
    ),
    "kids": (
        "kids",
        ("Балалар", "Дети", "Kids"),
        [("Kids", "Детский мир", "Балалар әлемі"), ("Toys", "Игрушки", "Ойыншықтар")],
        [("игрушки", "ойыншықтар", "toys"), ("детская одежда", "балалар киімі", "children's clothes"),
         ("детский праздник", "балалар мерекесі", "kids' party"), ("развивающие занятия", "дамыту сабақтары", "early learning classes")],
    ),
}  # fmt: skip

SPECIALS = [  # (ru, kk, en)
    ("Второй в подарок", "Екіншісі сыйлыққа", "Second one free"),
    ("Бесплатная доставка", "Тегін жеткізу", "Free delivery"),
    ("Подарок к заказу", "Тапсырысқа сыйлық", "A gift with every order"),
    ("Первое посещение бесплатно", "Алғашқы келу тегін", "First visit free"),
]
EXTRAS = [  # (ru, kk, en)
    ("Действует во всех филиалах.", "Барлық филиалдарда жарамды.", "Valid at all branches."),
    ("Покажите код на кассе.", "Кодты кассада көрсетіңіз.", "Show the code at the till."),
    ("Не суммируется с другими акциями.", "Басқа акциялармен қосылмайды.", "Cannot be combined with other promotions."),
    ("Для сотрудников и их семей.", "Қызметкерлер мен олардың отбасыларына арналған.", "For employees and their families."),
    ("Только по будням.", "Тек жұмыс күндері.", "Weekdays only."),
]  # fmt: skip
TERMS = (
    "Одна скидка на чек. Код действует 15 минут.",
    "Бір чекке бір жеңілдік. Код 15 минут жарамды.",
    "One discount per receipt. The code is valid for 15 minutes.",
)


def _uuid7() -> uuid.UUID:
    import uuid_utils

    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)


@functools.cache
def _day_start(day: date, zone: str) -> datetime:
    from loyalty.catalog.services import start_of_day

    return start_of_day(day, zone)


def _day_after(day: date, zone: str) -> datetime:
    return _day_start(day + timedelta(days=1), zone)


def _in_disc(rng: random.Random, lat: float, lon: float, radius_km: float) -> tuple[float, float]:
    r = radius_km * math.sqrt(rng.random())
    theta = rng.random() * 2 * math.pi
    dlat = r * math.cos(theta) / 111.32
    dlon = r * math.sin(theta) / (111.32 * math.cos(math.radians(lat)))
    return round(lat + dlat, 6), round(lon + dlon, 6)


@dataclass
class FillStats:
    categories: int = 0
    partners: int = 0
    locations: int = 0
    offers: int = 0
    statuses: Counter[str] = field(default_factory=Counter)
    terms: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _texts(rng: random.Random, ru: str, kk: str, en: str) -> dict[str, str]:
    """Most offers are written in all three languages; some lack Kazakh or English."""
    r = rng.random()
    if r < 0.85:
        return {"kk": kk, "ru": ru, "en": en}
    if r < 0.95:
        return {"kk": kk, "ru": ru}
    return {"ru": ru, "en": en}


def generate(
    rng: random.Random, n_partners: int, n_offers: int, per_partner: int, category_ids: dict[str, uuid.UUID]
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]], set[str], FillStats]:
    from loyalty.catalog.search import vocabulary
    from loyalty.demo.seed import CITIES as ROSTER_CITIES
    from loyalty.demo.seed import COMPANIES, DEPARTMENTS

    stats = FillStats()
    now = datetime.now(UTC)
    today = now.date()
    groups = list(CATEGORIES)
    city_weights = [c[4] for c in CITIES]
    partners: list[tuple[Any, ...]] = []
    locations: list[tuple[Any, ...]] = []
    offers: list[tuple[Any, ...]] = []
    terms: set[str] = set()
    texts: set[str] = set()
    offers_left = n_offers
    for p_index in range(n_partners):
        partner_id = _uuid7()
        main_group = rng.choice(groups)
        _, names, trades, _ = CATEGORIES[main_group]
        syllables = rng.sample(SYLLABLES, 3 if rng.random() < 0.3 else 2)
        brand_lat = syllables[0][0] + "".join(s[0].lower() for s in syllables[1:])
        brand_cyr = syllables[0][1] + "".join(s[1].lower() for s in syllables[1:])
        trade_en, trade_ru, trade_kk = rng.choice(trades)
        name = {
            "kk": f"{brand_cyr} {trade_kk}",
            "ru": f"{brand_cyr} {trade_ru}",
            "en": f"{brand_lat} {trade_en}",
        }
        joined_names = " ".join(dict.fromkeys(name.values()))  # what partners.services.partner_names gives
        suspended = rng.random() < 0.01
        created = now - timedelta(days=rng.uniform(100, 400))
        partners.append(
            (
                partner_id,
                json.dumps(name, ensure_ascii=False),
                json.dumps(
                    {
                        "ru": f"{name['ru']}: {names[1].lower()}",
                        "kk": f"{name['kk']}: {names[0].lower()}",
                        "en": f"{name['en']}: {names[2].lower()}",
                    },
                    ensure_ascii=False,
                ),
                f"https://{brand_lat.lower()}-{p_index}.example.kz",
                None,
                f"+7 70{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                f"info@{brand_lat.lower()}-{p_index}.example.kz",
                "suspended" if suspended else "active",
                now - timedelta(days=rng.uniform(1, 30)) if suspended else None,
                created,
                created,
            )
        )
        terms |= vocabulary(joined_names)
        # Four locations: one home city, a chain (one partner in five) spreads to one or two more.
        home = rng.choices(range(len(CITIES)), weights=city_weights)[0]
        cities_of = [home] * 4
        if rng.random() < 0.2:
            others = rng.sample([i for i in range(len(CITIES)) if i != home], rng.randint(1, 2))
            for slot, other in zip((3, 2), others, strict=False):
                cities_of[slot] = other
        partner_locations: list[tuple[uuid.UUID, str, str]] = []  # id, city, zone
        for city_index in cities_of:
            city, lat, lon, zone, _ = CITIES[city_index]
            location_id = _uuid7()
            at = _in_disc(rng, lat, lon, CITY_RADIUS_KM)
            locations.append(
                (
                    location_id,
                    partner_id,
                    city,
                    f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
                    at[0],
                    at[1],
                    zone,
                    created,
                    created,
                )
            )
            partner_locations.append((location_id, city, zone))
        stats.partners += 1
        stats.locations += len(partner_locations)

        count = min(per_partner + (1 if p_index < n_offers - per_partner * n_partners else 0), offers_left)
        offers_left -= count
        for _ in range(count):
            row, kind = _offer_row(
                rng,
                now,
                today,
                partner_id,
                name,
                joined_names,
                main_group,
                groups,
                category_ids,
                partner_locations,
                COMPANIES,
                DEPARTMENTS,
                ROSTER_CITIES,
            )
            offers.append(row)
            stats.statuses[kind] += 1
            # title, description, terms, discount_text are columns 3..5 and 8 (JSON text)
            for column in (3, 4, 5, 8):
                if row[column] is not None:
                    texts.add(row[column])
    # Every distinct word of the texts, as OfferService._save() puts them in search_terms.
    for text in texts:
        terms |= vocabulary(*json.loads(text).values())
    stats.offers = len(offers)
    stats.terms = len(terms)
    return partners, locations, offers, terms, stats


OFFER_COLUMNS = [
    "id", "partner_id", "category_id", "title", "description", "terms", "discount_kind", "discount_value",
    "discount_text", "valid_from", "valid_until", "visible_from", "visible_until", "timezone", "shown_from",
    "shown_until", "valid_from_at", "valid_until_at", "status", "listed_at", "featured", "eligible_companies",
    "eligible_departments", "eligible_cities", "location_ids", "cities", "limit_total", "limit_per_employee",
    "limit_per_employee_per_day", "limit_per_employee_per_week", "limit_per_employee_per_month", "code_mode",
    "partner_names", "created_at", "updated_at",
]  # fmt: skip
PARTNER_COLUMNS = [
    "id", "name", "description", "website", "logo_url", "contact_phone", "contact_email", "status",
    "suspended_at", "created_at", "updated_at",
]  # fmt: skip
LOCATION_COLUMNS = [
    "id",
    "partner_id",
    "city",
    "address",
    "lat",
    "lon",
    "timezone",
    "created_at",
    "updated_at",
]


def _offer_row(
    rng: random.Random,
    now: datetime,
    today: date,
    partner_id: uuid.UUID,
    partner_name: dict[str, str],
    joined_names: str,
    main_group: str,
    groups: list[str],
    category_ids: dict[str, uuid.UUID],
    partner_locations: list[tuple[uuid.UUID, str, str]],
    companies: list[str],
    departments: list[str],
    roster_cities: list[str],
) -> tuple[tuple[Any, ...], str]:
    group = main_group if rng.random() < 0.8 else rng.choice(groups)
    items = CATEGORIES[group][3]
    item_ru, item_kk, item_en = rng.choice(items)
    other_ru, other_kk, other_en = rng.choice(items)
    # The discount and the texts that name it.
    r = rng.random()
    discount_text = None
    if r < 0.7:
        kind, value = "percent", rng.choice([5, 10, 10, 15, 15, 20, 20, 25, 30, 40, 50])
        title = _texts(
            rng, f"Скидка {value}% — {item_ru}", f"{item_kk}: {value}% жеңілдік", f"{value}% off {item_en}"
        )
    elif r < 0.85:
        kind, value = "fixed", rng.choice([500, 1000, 2000, 3000, 5000])
        title = _texts(
            rng,
            f"{item_ru.capitalize()}: скидка {value} тенге",
            f"{item_kk}: {value} теңге жеңілдік",
            f"{value} KZT off {item_en}",
        )
    else:
        kind, value = "special", None
        s_ru, s_kk, s_en = rng.choice(SPECIALS)
        discount_text = {"ru": s_ru, "kk": s_kk, "en": s_en}
        title = _texts(
            rng,
            f"{item_ru.capitalize()}: {s_ru.lower()}",
            f"{item_kk}: {s_kk.lower()}",
            f"{item_en.capitalize()}: {s_en.lower()}",
        )
    x_ru, x_kk, x_en = rng.choice(EXTRAS)
    description = {
        "ru": f"{partner_name['ru']} — {item_ru} для сотрудников группы со скидкой. Также: {other_ru}. {x_ru}",
        "kk": f"{partner_name['kk']}: топ қызметкерлеріне {item_kk} жеңілдікпен. Сондай-ақ: {other_kk}. {x_kk}",
        "en": f"{partner_name['en']}: {item_en} for group employees at a discount. Also: {other_en}. {x_en}",
    }
    description = {k: v for k, v in description.items() if k in title} if rng.random() < 0.9 else None  # type: ignore[assignment]
    terms = {"ru": TERMS[0], "kk": TERMS[1], "en": TERMS[2]} if rng.random() < 0.6 else None

    # Windows: mostly live now; a few drafts, archived, expired, scheduled and shown-before-valid.
    r = rng.random()
    visible_from = visible_until = None
    if r < 0.02:
        state, status = "draft", "draft"
    elif r < 0.03:
        state, status = "archived", "archived"
    elif r < 0.06:
        state, status = "expired", "published"
    elif r < 0.09:
        state, status = "scheduled", "published"
    elif r < 0.11:
        state, status = "shown_not_started", "published"
    else:
        state, status = "live", "published"
    if state == "expired":
        valid_until = today - timedelta(days=rng.randint(1, 60))
        valid_from = valid_until - timedelta(days=rng.randint(7, 90))
    elif state == "scheduled":
        valid_from = today + timedelta(days=rng.randint(1, 30))
        valid_until = valid_from + timedelta(days=rng.randint(7, 90))
    elif state == "shown_not_started":
        valid_from = today + timedelta(days=rng.randint(1, 14))
        valid_until = valid_from + timedelta(days=rng.randint(7, 90))
        visible_from = today - timedelta(days=rng.randint(0, 7))
    else:
        valid_from = today - timedelta(days=rng.randint(0, 90))
        valid_until = today + timedelta(days=rng.randint(0, 180))
        if state == "live" and rng.random() < 0.05:
            visible_until = valid_until - timedelta(days=rng.randint(0, (valid_until - today).days))

    # Where: every location of the partner, or (one offer in five) one or two of them.
    chosen = partner_locations
    location_ids: list[uuid.UUID] = []
    if len(partner_locations) > 1 and rng.random() < 0.2:
        chosen = rng.sample(partner_locations, rng.randint(1, 2))
        location_ids = [x[0] for x in chosen]
    cities = sorted({x[1] for x in chosen})
    zones = {x[2] for x in chosen}
    zone = zones.pop() if len(zones) == 1 else "Asia/Almaty"

    shown_from = _day_start(visible_from or valid_from, zone)
    shown_until = _day_after(visible_until or valid_until, zone)
    valid_from_at = _day_start(valid_from, zone)
    valid_until_at = _day_after(valid_until, zone)
    listed_at = None
    if status != "draft":
        if state == "scheduled" or rng.random() < 0.4:
            listed_at = shown_from  # published ahead of its first day
        else:
            latest = min(now, shown_until)
            listed_at = shown_from + (latest - shown_from) * rng.random()
    created = min(listed_at or now, now) - timedelta(hours=rng.uniform(1, 240))

    companies_rule: list[str] = []
    departments_rule: list[str] = []
    cities_rule: list[str] = []
    if rng.random() < 0.1:
        which = rng.random()
        if which < 0.4:
            companies_rule = rng.sample(companies, rng.randint(1, 2))
        elif which < 0.7:
            departments_rule = rng.sample(departments, rng.randint(1, 3))
        else:
            cities_rule = rng.sample(roster_cities, rng.randint(1, 2))
    limit_total = 1000 if rng.random() < 0.05 else None
    per_employee = rng.randint(1, 5) if rng.random() < 0.3 else None
    per_month = rng.randint(1, 4) if rng.random() < 0.1 else None
    row = (
        _uuid7(),
        partner_id,
        category_ids[CATEGORIES[group][0]],
        json.dumps(title, ensure_ascii=False),
        json.dumps(description, ensure_ascii=False) if description else None,
        json.dumps({k: v for k, v in terms.items() if k in title}, ensure_ascii=False) if terms else None,
        kind,
        value,
        json.dumps(discount_text, ensure_ascii=False) if discount_text else None,
        valid_from,
        valid_until,
        visible_from,
        visible_until,
        zone,
        shown_from,
        shown_until,
        valid_from_at,
        valid_until_at,
        status,
        listed_at,
        rng.random() < 0.02,
        companies_rule,
        departments_rule,
        cities_rule,
        location_ids,
        cities,
        limit_total,
        per_employee,
        None,
        None,
        per_month,
        "generated",
        joined_names,
        created,
        created,
    )
    return row, state


async def fill(
    url: str, env: dict[str, str], n_offers: int, n_partners: int, seed: int, *, recreate: bool = True
) -> FillStats:
    started = time.perf_counter()
    # An embedded server is new, and so is its database: it is only recreated on a given server.
    await harness.prepare_database(url, env, recreate=recreate, hint="(or use --skip-fill)")
    migrated = time.perf_counter()

    conn = await asyncpg.connect(harness.asyncpg_dsn(url))
    try:
        now = datetime.now(UTC)
        for position, (slug, names, _, _) in enumerate(CATEGORIES.values()):
            await conn.execute(
                "INSERT INTO categories (id, slug, name, position, created_at, updated_at)"
                " VALUES ($1, $2, $3::jsonb, $4, $5, $5) ON CONFLICT (slug) DO NOTHING",
                _uuid7(),
                slug,
                json.dumps({"kk": names[0], "ru": names[1], "en": names[2]}, ensure_ascii=False),
                1000 + 10 * position,
                now,
            )
        category_ids = {r["slug"]: r["id"] for r in await conn.fetch("SELECT id, slug FROM categories")}
        per_partner = n_offers // n_partners
        partners, locations, offers, terms, stats = generate(
            random.Random(seed), n_partners, n_offers, per_partner, category_ids
        )
        stats.categories = len(category_ids)
        generated = time.perf_counter()
        async with conn.transaction():
            await conn.copy_records_to_table("partners", records=partners, columns=PARTNER_COLUMNS)
            await conn.copy_records_to_table("partner_locations", records=locations, columns=LOCATION_COLUMNS)
            await conn.copy_records_to_table("offers", records=offers, columns=OFFER_COLUMNS)
            await conn.execute("CREATE TEMP TABLE new_terms (term varchar(64)) ON COMMIT DROP")
            await conn.copy_records_to_table("new_terms", records=[(t,) for t in sorted(terms)])
            await conn.execute(
                "INSERT INTO search_terms (term) SELECT term FROM new_terms ON CONFLICT DO NOTHING"
            )
        copied = time.perf_counter()
        await conn.execute("VACUUM (ANALYZE)")
        analysed = time.perf_counter()
    finally:
        await conn.close()
    stats.seconds = {
        "migrate+seed": migrated - started,
        "generate": generated - migrated,
        "copy": copied - generated,
        "vacuum analyze": analysed - copied,
    }
    return stats


async def detail_paths(url: str, company: str | None, limit: int = DETAIL_IDS) -> list[str]:
    """Random offers the demo employee may open: live now, partner active, not meant for another company."""
    conn = await asyncpg.connect(harness.asyncpg_dsn(url))
    try:
        rows = await conn.fetch(
            """SELECT o.id FROM offers o JOIN partners p ON p.id = o.partner_id
               WHERE o.status = 'published' AND o.shown_from <= now() AND o.shown_until > now()
                 AND p.status = 'active'
                 AND (cardinality(o.eligible_companies) = 0 OR $1::text = ANY(o.eligible_companies))
               ORDER BY random() LIMIT $2""",
            company,
            limit,
        )
    finally:
        await conn.close()
    return [f"{harness.API}/offers/{row['id']}" for row in rows]


async def database_summary(url: str) -> dict[str, Any]:
    conn = await asyncpg.connect(harness.asyncpg_dsn(url))
    try:
        row = await conn.fetchrow(
            """SELECT (SELECT count(*) FROM partners) AS partners,
                      (SELECT count(*) FROM partner_locations) AS locations,
                      (SELECT count(*) FROM offers) AS offers,
                      (SELECT count(*) FROM offers o JOIN partners p ON p.id = o.partner_id
                        WHERE o.status = 'published' AND o.shown_from <= now() AND o.shown_until > now()
                          AND p.status = 'active') AS live,
                      (SELECT count(*) FROM search_terms) AS terms,
                      pg_size_pretty(pg_total_relation_size('offers')) AS offers_size,
                      version() AS version"""
        )
    finally:
        await conn.close()
    return dict(row)


async def sessions_opened(connection: asyncpg.Connection) -> int:
    """How many sessions PostgreSQL has opened for this database so far (``pg_stat_database.sessions``)."""
    await connection.execute("SELECT pg_stat_clear_snapshot()")
    value = await connection.fetchval(
        "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
    )
    return int(value or 0)


async def wait_idle(url: str, limit_s: float = 180.0) -> float:
    """Wait until no other session of the database runs a query: when a run ends, the server still
    finishes the requests in flight, and the next run must not pay for them. Answers the seconds waited."""
    started = time.perf_counter()
    conn = await asyncpg.connect(harness.asyncpg_dsn(url))
    try:
        while time.perf_counter() - started < limit_s and not harness.STOP.is_set():
            busy = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state = 'active'"
            )
            if not busy:
                break
            await asyncio.sleep(0.25)
    finally:
        await conn.close()
    await asyncio.sleep(0.5)  # and the app, the responses nobody waits for any more
    return time.perf_counter() - started


# --------------------------------------------------------------------------- load generation


# --------------------------------------------------------------------------- load generation


@dataclass
class Result:
    case: str
    connections: int
    requests: int = 0
    seconds: float = 0.0
    p50: float = math.nan  # ms
    p90: float = math.nan
    p99: float = math.nan
    max: float = math.nan
    errors: int = 0
    error_kinds: Counter[str] = field(default_factory=Counter)
    cpu: dict[str, float] = field(default_factory=dict)  # seconds used during the run
    items: int | None = None
    drain_s: float = 0.0  # after the run, until PostgreSQL had finished the queries still in flight
    new_connections: int | None = None  # sessions PostgreSQL opened for the database during the run

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def cpu_ms_per_request(self, key: str) -> float:
        return 1000 * self.cpu[key] / self.requests if key in self.cpu and self.requests else math.nan


WRK_SCRIPT = """
local paths = {%(paths)s}
local n = #paths
local i = 0
wrk.headers["Authorization"] = "Bearer %(token)s"
wrk.headers["Accept-Language"] = "ru"
%(encoding)s
math.randomseed(%(seed)d)
request = function()
  i = i + 1
  return wrk.format("GET", paths[math.random(n)])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%%d duration_us=%%d p50=%%d p90=%%d p99=%%d max=%%d status=%%d connect=%%d read=%%d write=%%d timeout=%%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout))
end
"""


async def wrk_run(
    base_url: str,
    paths: list[str],
    token: str,
    connections: int,
    seconds: float,
    workdir: Path,
    name: str,
    accept_encoding: str | None = None,
) -> Result:
    script = workdir / f"{name}.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(json.dumps(p) for p in paths),
            "token": token,
            "encoding": f'wrk.headers["Accept-Encoding"] = {json.dumps(accept_encoding)}'
            if accept_encoding
            else "",
            "seed": random.randint(1, 1_000_000),
        }
    )
    text = await harness.run_wrk(
        base_url, connections, seconds, f"--timeout={int(harness.REQUEST_TIMEOUT)}s", "-s", str(script)
    )
    match = re.search(r"BENCH_RESULT (.*)", text)
    if not match:
        raise RuntimeError(f"wrk printed no result:\n{text[:500]}")
    values = {k: int(v) for k, v in (pair.split("=") for pair in match.group(1).split())}
    result = Result(name, connections)
    result.requests = values["requests"]
    result.seconds = values["duration_us"] / 1e6
    result.p50, result.p90, result.p99, result.max = (values[k] / 1000 for k in ("p50", "p90", "p99", "max"))
    for kind in ("status", "connect", "read", "write", "timeout"):
        if values[kind]:
            result.error_kinds["non-2xx" if kind == "status" else kind] += values[kind]
    result.errors = sum(result.error_kinds.values())
    return result


async def python_run(
    base_url: str,
    paths: list[str],
    token: str,
    connections: int,
    seconds: float,
    name: str,
    accept_encoding: str | None = None,
) -> Result:
    """Fallback without wrk: ``connections`` tasks looping GETs; its own CPU competes with the server."""
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    limits = httpx.Limits(
        max_connections=connections, max_keepalive_connections=connections, keepalive_expiry=2.0
    )
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "ru"}
    if accept_encoding:
        headers["Accept-Encoding"] = accept_encoding
    rng = random.Random()
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=harness.REQUEST_TIMEOUT, headers=headers
    ) as client:
        started, finished = await harness.http_load(
            connections, seconds, lambda: client.get(rng.choice(paths)), latencies, statuses
        )
    result = Result(name, connections, requests=len(latencies), seconds=finished - started)
    if len(latencies) > 1:
        result.p50, result.p90, result.p99 = (harness.percentile(latencies, p) * 1000 for p in (50, 90, 99))
        result.max = max(latencies) * 1000
    result.error_kinds = Counter({k: v for k, v in statuses.items() if k != "200"})
    result.errors = sum(result.error_kinds.values())
    return result


async def login(client: httpx.AsyncClient, email: str, password: str) -> str:
    response = await client.post(f"{harness.API}/auth/login", json={"email": email, "password": password})
    if response.status_code != 200:
        raise RuntimeError(f"demo login failed: {response.status_code} {response.text[:300]}")
    return str(response.json()["access_token"])


async def check_case(client: httpx.AsyncClient, token: str, case: Case, paths: list[str]) -> int | None:
    """One request: it must answer 200, and a list case must return items, or the numbers mean nothing."""
    response = await client.get(
        paths[0], headers={"Authorization": f"Bearer {token}", "Accept-Language": "ru"}
    )
    if response.status_code != 200:
        raise RuntimeError(f"{case.name}: {paths[0]} answered {response.status_code}: {response.text[:300]}")
    if not case.expect_items:
        return None
    items = response.json()["items"]
    if not items:
        raise RuntimeError(f"{case.name}: {paths[0]} returned no items; the data does not fit the case")
    return len(items)


async def drive(
    base_url: str,
    cases: list[Case],
    detail: list[str],
    email: str,
    password: str,
    args: argparse.Namespace,
    meter: harness.CpuMeter,
    workdir: Path,
    url: str,
    fixed_token: str | None = None,
) -> tuple[list[Result], list[Result]]:
    """Each case under load, then with one connection. ``fixed_token``: send this instead of logging in
    (the yardstick has no login; it replays the captured session check)."""
    loaded: list[Result] = []
    serial: list[Result] = []
    harness.stop_on_signals()
    use_wrk = not args.python_client
    probe = await asyncpg.connect(harness.asyncpg_dsn(url))
    async with httpx.AsyncClient(base_url=base_url, timeout=harness.REQUEST_TIMEOUT) as client:
        for case in cases:
            if harness.STOP.is_set():
                raise KeyboardInterrupt
            paths = [case.path] if case.path else detail
            # Fresh: a case must not outlive the 15-minute token.
            token = fixed_token or await login(client, email, password)
            items = await check_case(client, token, case, paths)

            async def run(
                connections: int, seconds: float, label: str, paths: list[str] = paths, token: str = token
            ) -> Result:
                if use_wrk:
                    return await wrk_run(
                        base_url, paths, token, connections, seconds, workdir, label, args.accept_encoding
                    )
                return await python_run(
                    base_url, paths, token, connections, seconds, label, args.accept_encoding
                )

            shown = f"{items} items" if items is not None else f"{len(paths)} ids"
            print(
                f"  {case.name:<14} check 200, {shown}; warm-up {args.warmup:g} s, load {args.duration:g} s x "
                f"{args.concurrency} ...",
                flush=True,
            )
            await wait_idle(url)
            await run(args.concurrency, args.warmup, f"{case.name}-warmup")
            await wait_idle(url)
            sessions = await sessions_opened(probe)
            before = meter.snapshot()
            result = await run(args.concurrency, args.duration, case.name)
            after = meter.snapshot()
            result.cpu = harness.CpuMeter.used(before, after)
            result.new_connections = await sessions_opened(probe) - sessions
            result.items = items
            loaded.append(result)
            if args.serial_duration > 0:
                result.drain_s = await wait_idle(url)
                before = meter.snapshot()
                one = await run(1, args.serial_duration, f"{case.name}-serial")
                after = meter.snapshot()
                one.cpu = harness.CpuMeter.used(before, after)
                serial.append(one)
    await probe.close()
    return loaded, serial


# --------------------------------------------------------------------------- EXPLAIN


@dataclass
class Statement:
    sql: str
    params: tuple[Any, ...]
    median_ms: float = math.nan  # steady state: the prepared statement after its first five runs
    plan: list[str] = field(default_factory=list)  # EXPLAIN ANALYZE in that steady state
    generic: bool = False  # PostgreSQL switched the prepared statement to its generic plan
    custom_plan: list[str] = field(default_factory=list)  # EXPLAIN ANALYZE with a plan for these values
    custom_ms: float = math.nan

    @property
    def label(self) -> str:
        flat = " ".join(self.sql.split())
        if "FROM users JOIN auth_sessions" in flat or "JOIN auth_sessions" in flat:
            return "auth: user + session + roster + policy"
        if flat.startswith("SELECT categories.id FROM categories WHERE categories.slug"):
            return "category slug -> id"
        if "FROM unnest(" in flat and "search_terms" in flat:
            return "spelling corrections (pg_trgm)"
        if "FROM partner_locations" in flat and "close_locations" not in flat:
            return "offer's locations"
        if "FROM offers" in flat:
            return "offers (the main query)"
        return flat[:60]


async def capture_statements(
    env: dict[str, str], cases: list[Case], detail: list[str], email: str, password: str
) -> dict[str, list[Statement]]:
    """Every SQL statement one request of each case executes, with its parameters, in this process."""
    from litestar.testing import AsyncTestClient
    from sqlalchemy import event

    from loyalty.app import create_app
    from loyalty.settings import Settings

    app = create_app(Settings.from_env(env))
    captured: list[Statement] = []

    def hook(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        captured.append(Statement(statement, tuple(parameters or ())))

    # The hot path runs prepared statements on the asyncpg connection itself (loyalty/core/prepared.py),
    # which SQLAlchemy's event does not see: record those calls too.
    originals = {name: getattr(asyncpg.Connection, name) for name in ("fetch", "fetchrow", "fetchval")}

    def recording(name: str) -> Any:
        original = originals[name]

        async def call(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
            captured.append(Statement(query, tuple(args)))
            return await original(self, query, *args, **kwargs)

        return call

    found: dict[str, list[Statement]] = {}
    async with AsyncTestClient(app=app, base_url=f"http://{harness.HOST}") as client:
        response = await client.post(f"{harness.API}/auth/login", json={"email": email, "password": password})
        assert response.status_code == 200, response.text
        headers = {"Authorization": f"Bearer {response.json()['access_token']}", "Accept-Language": "ru"}
        engine = app.state.runtime.db_config.get_engine()
        event.listen(engine.sync_engine, "before_cursor_execute", hook)
        for name in originals:
            setattr(asyncpg.Connection, name, recording(name))
        try:
            for case in cases:
                captured.clear()
                response = await client.get(case.path or detail[0], headers=headers)
                assert response.status_code == 200, response.text
                found[case.name] = list(captured)
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", hook)
            for name, original in originals.items():
                setattr(asyncpg.Connection, name, original)
    return found


def yardstick_statements(
    statements: dict[str, list[Statement]], cases: list[Case], detail: list[str]
) -> bytes:
    """The captured statements in the form ``bench/yardstick.py`` replays."""
    import yardstick

    def encoded(found: list[Statement]) -> list[dict[str, Any]]:
        return [{"sql": s.sql, "params": yardstick.encode_params(s.params)} for s in found]

    document: dict[str, Any] = {"cases": {}}
    for case in cases:
        if case.path is None:
            offer_id = detail[0].rsplit("/", 1)[-1]
            document["detail"] = {"offer_id": offer_id, "statements": encoded(statements[case.name])}
        else:
            document["cases"][case.path] = encoded(statements[case.name])
    return json.dumps(document, ensure_ascii=False).encode()


class YardstickServer(harness.Server):
    """``bench/yardstick.py`` on ``HOST:port``: the bare service replaying the captured statements."""

    def __init__(
        self, workdir: Path, port: int, env: dict[str, str], url: str, statements: Path, pool: int
    ) -> None:
        super().__init__(workdir, port, env, log_name="yardstick.log")
        self.url, self.statements, self.pool = url, statements, pool

    def command(self) -> list[str]:
        return [
            sys.executable,
            str(Path(__file__).with_name("yardstick.py")),
            "--port",
            str(self.port),
            "--database-url",
            harness.asyncpg_dsn(self.url),
            "--statements",
            str(self.statements),
            "--pool",
            str(self.pool),
        ]


async def explain(url: str, statements: dict[str, list[Statement]], runs: int) -> None:
    """EXPLAIN ANALYZE each statement as the service runs it. SQLAlchemy's asyncpg driver keeps each
    connection's statements prepared, and PostgreSQL may switch a prepared statement to a generic plan
    (one for any parameter values) after five runs; so the statement is PREPAREd, run five times, then
    timed and explained in that steady state. When the steady state is the generic plan, the plan for
    the actual values (what a one-off query or a fresh connection gets) is explained too."""
    conn = await asyncpg.connect(harness.asyncpg_dsn(url), server_settings={"timezone": "UTC"})
    try:
        for case_statements in statements.values():
            for st in case_statements:
                args = f"({', '.join(_literal(p) for p in st.params)})" if st.params else ""
                execute = f"EXECUTE bench_statement{args}"
                await conn.execute("DEALLOCATE ALL")
                await conn.execute(f"PREPARE bench_statement AS {st.sql}")
                for _ in range(5):
                    await conn.execute(execute)
                st.median_ms = await _median_ms(conn, execute, runs)
                st.plan = [r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {execute}")]
                st.generic = any(re.search(r"\$\d+", line) for line in st.plan)
                if st.generic:
                    await conn.execute("SET plan_cache_mode = force_custom_plan")
                    try:
                        st.custom_ms = await _median_ms(conn, execute, runs)
                        st.custom_plan = [
                            r[0] for r in await conn.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {execute}")
                        ]
                    finally:
                        await conn.execute("RESET plan_cache_mode")
                await conn.execute("DEALLOCATE ALL")
    finally:
        await conn.close()


async def _median_ms(conn: asyncpg.Connection, statement: str, runs: int) -> float:
    times = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        await conn.execute(statement)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime | date):
        return f"'{value.isoformat()}'"
    if isinstance(value, list | tuple):
        inner = ",".join('"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"' for v in value)
        return "'{" + inner.replace("'", "''") + "}'"
    text = str(value.value if hasattr(value, "value") else value)
    return "'" + text.replace("'", "''") + "'"


def with_literals(st: Statement) -> str:
    """The statement with its parameters written in, to paste into psql."""
    return re.sub(r"\$(\d+)", lambda m: _literal(st.params[int(m.group(1)) - 1]), st.sql)


def dump_sql(statements: dict[str, list[Statement]], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for case, sts in statements.items():
        text = "\n\n".join(f"-- {st.label}\n{with_literals(st)};" for st in sts)
        (folder / f"{case}.sql").write_text(text + "\n")


def index_reading(plan: list[str]) -> str:
    names = []
    for line in plan:
        for match in re.finditer(
            r"(?:Index Scan|Index Only Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\w+)", line
        ):
            if match.group(1) not in names:
                names.append(match.group(1))
    seq = sorted({m.group(1) for line in plan for m in re.finditer(r"Seq Scan on (\w+)", line)})
    text = "indexes: " + (", ".join(names) if names else "none")
    if seq:
        text += "; seq scans: " + ", ".join(seq)
    return text


def print_explain(statements: dict[str, list[Statement]], cases: list[Case]) -> None:
    width = 100
    print()
    print("=" * width)
    print("EXPLAIN (ANALYZE, BUFFERS) of every statement one request of each case executes")
    print("=" * width)
    print("Each statement is PREPAREd and run 5 times first, like the service's cached prepared statements;")
    print("'generic' = PostgreSQL then uses its generic plan ($n in the plan), and the plan for the actual")
    print("values follows. Times are medians of runs alone over one connection, round trip included.")
    for case in cases:
        sts = statements.get(case.name, [])
        total = sum(st.median_ms for st in sts)
        print(f"\n### {case.name}: {case.what}")
        print(f"{len(sts)} statements, {total:.2f} ms of SQL per request in the steady state")
        for st in sts:
            kind = "GENERIC plan" if st.generic else "custom plan"
            extra = f" (custom plan for these values: {st.custom_ms:.2f} ms)" if st.generic else ""
            print(f"\n-- {st.label}: {st.median_ms:.2f} ms, {kind}{extra}; {index_reading(st.plan)}")
            print("-- SQL: " + " ".join(st.sql.split()))
            print("-- params: " + repr(st.params)[:400])
            for line in st.plan:
                print(line)
            if st.generic:
                print(f"-- the custom plan for these values ({index_reading(st.custom_plan)}):")
                for line in st.custom_plan:
                    print(line)


# --------------------------------------------------------------------------- report


def print_yardstick(
    loaded: list[Result], serial: list[Result], yardstick: tuple[list[Result], list[Result]], width: int
) -> None:
    """loyalty beside the yardstick (the same SQL from a bare asyncpg + msgspec service), case by case."""
    bare, bare_serial = yardstick
    print("-" * width)
    print("beside the yardstick (bench/yardstick.py: the same statements, no framework, no ORM), same load")
    print(
        f"{'case':<14}{'loyalty req/s':>14}{'yardstick':>11}{'ratio':>7}{'app ms/req':>11}{'yardstick':>11}"
        f"{'pg ms/req':>10}{'yardstick':>11}{'new conns':>10}{'p50 1 conn':>11}{'yardstick':>11}"
    )
    by_case = {r.case: r for r in bare}
    serial_by_case = {r.case.removesuffix("-serial"): r for r in serial}
    bare_serial_by_case = {r.case.removesuffix("-serial"): r for r in bare_serial}
    for r in loaded:
        y = by_case.get(r.case)
        if y is None:
            continue
        one, y_one = serial_by_case.get(r.case), bare_serial_by_case.get(r.case)
        print(
            f"{r.case:<14}{r.rps:>14.1f}{y.rps:>11.1f}{(r.rps / y.rps if y.rps else math.nan):>7.2f}"
            f"{r.cpu_ms_per_request('server'):>11.2f}{y.cpu_ms_per_request('server'):>11.2f}"
            f"{r.cpu_ms_per_request('postgres'):>10.2f}{y.cpu_ms_per_request('postgres'):>11.2f}"
            f"{(r.new_connections if r.new_connections is not None else '-'):>10}"
            f"{(one.p50 if one else math.nan):>11.1f}{(y_one.p50 if y_one else math.nan):>11.1f}"
        )


def report(
    loaded: list[Result],
    serial: list[Result],
    cases: list[Case],
    args: argparse.Namespace,
    info: dict[str, Any],
    yardstick: tuple[list[Result], list[Result]] | None = None,
) -> None:
    width = 118
    harness.banner("loyalty catalog benchmark (bench/catalog_load.py)", width)
    load = os.getloadavg()
    print(
        f"machine   : {harness.machine()}; load average before the run {info['loadavg'][0]:.2f}, now {load[0]:.2f}"
    )
    print(f"python    : {harness.python_version()}")
    print(f"database  : {info['database']}; {info['summary']['version'].split(',')[0]}")
    s = info["summary"]
    print(
        f"data      : {s['offers']:,} offers ({s['live']:,} live now), {s['partners']:,} partners, "
        f"{s['locations']:,} locations, {s['terms']:,} search terms; offers table {s['offers_size']}"
    )
    print(f"server    : loyalty up, 1 uvicorn worker; live after {info['startup_s']:.1f} s")
    print(
        f"load      : {'wrk -t1 (C, Lua script)' if not args.python_client else 'Python httpx client'}, "
        f"{args.concurrency} connections, {args.warmup:g} s warm-up + {args.duration:g} s per case"
    )
    print("-" * width)
    head = (
        f"{'case':<14}{'conns':>6}{'items':>6}{'requests':>9}{'req/s':>9}{'p50 ms':>8}{'p90 ms':>8}"
        f"{'p99 ms':>8}{'max ms':>8}{'errors':>7}{'app ms/req':>11}{'pg ms/req':>10}{'drain s':>8}  p99 target"
    )
    print(head)
    for r in loaded:
        verdict = "ok" if r.requests and r.p99 < TARGET_P99_MS and not r.errors else "MISS"
        if not r.requests:
            verdict += ": no request finished within the run"
        print(
            f"{r.case:<14}{r.connections:>6}{(r.items if r.items is not None else '-'):>6}{r.requests:>9}"
            f"{r.rps:>9.1f}{r.p50:>8.1f}{r.p90:>8.1f}{r.p99:>8.1f}{r.max:>8.1f}{r.errors:>7}"
            f"{r.cpu_ms_per_request('server'):>11.2f}{r.cpu_ms_per_request('postgres'):>10.2f}{r.drain_s:>8.1f}  "
            f"{verdict} (< {TARGET_P99_MS:g} ms)" + (f"  {dict(r.error_kinds)}" if r.errors else "")
        )
    if serial:
        print("-" * width)
        print("one connection (no queueing: the service time of one request)")
        for r in serial:
            print(
                f"{r.case.removesuffix('-serial'):<14}{r.connections:>6}{'':>6}{r.requests:>9}{r.rps:>9.1f}"
                f"{r.p50:>8.1f}{r.p90:>8.1f}{r.p99:>8.1f}{r.max:>8.1f}{r.errors:>7}"
                f"{r.cpu_ms_per_request('server'):>11.2f}{r.cpu_ms_per_request('postgres'):>10.2f}"
            )
    if yardstick is not None:
        print_yardstick(loaded, serial, yardstick, width)
    print("-" * width)
    print(
        "app ms/req, pg ms/req: CPU time of the app server process and of all PostgreSQL processes during the"
    )
    print("run divided by the requests served (100 % of one core = 1000 ms per second). drain s: how long")
    print("PostgreSQL still worked on requests in flight when the run ended (wrk does not count those).")
    print("=" * width)


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = harness.argument_parser(__doc__)
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"scratch database, DROPPED and refilled unless --skip-fill (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--embedded", action="store_true", help="use an embedded PostgreSQL in a temp folder")
    parser.add_argument("--offers", type=int, default=100_000, help="offers to create (default 100000)")
    parser.add_argument(
        "--partners", type=int, default=5_000, help="partners, 4 locations each (default 5000)"
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the data (default 2026)")
    parser.add_argument("--skip-fill", action="store_true", help="use the database as it is")
    parser.add_argument("--duration", type=float, default=15.0, help="measured seconds per case (default 15)")
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="unmeasured seconds before each case (default 3)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument(
        "--serial-duration",
        type=float,
        default=5.0,
        help="seconds of each case with ONE connection afterwards, 0 to skip (default 5)",
    )
    parser.add_argument(
        "--cases", default=",".join(CASE_NAMES), help=f"comma-separated subset of {','.join(CASE_NAMES)}"
    )
    parser.add_argument("--no-load", action="store_true", help="do not start the server or drive load")
    parser.add_argument(
        "--no-yardstick", action="store_true", help="skip the bare asyncpg service replaying the same SQL"
    )
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE of the cases' SQL")
    parser.add_argument(
        "--sql-runs", type=int, default=10, help="runs per statement for its SQL time (default 10)"
    )
    parser.add_argument(
        "--dump-sql", type=Path, help="write each case's SQL with its parameters to FOLDER/<case>.sql"
    )
    parser.add_argument(
        "--python-client", action="store_true", help="drive load with httpx even if wrk is installed"
    )
    parser.add_argument(
        "--accept-encoding",
        help="Accept-Encoding of the load's requests (e.g. br, gzip); default: wrk sends none, httpx its own",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (server log, Lua scripts)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 600 or not 0 <= args.warmup <= 60 or not 0 <= args.serial_duration <= 600:
        parser.error("--duration must be 1..600 s, --warmup 0..60 s, --serial-duration 0..600 s")
    if not 1 <= args.concurrency <= 256:
        parser.error("--concurrency must be between 1 and 256")
    if not 1 <= args.partners <= args.offers or args.offers > 2_000_000:
        parser.error("need 1 <= --partners <= --offers <= 2000000")
    wanted = [name.strip() for name in args.cases.split(",") if name.strip()]
    if unknown := [name for name in wanted if name not in CASE_NAMES]:
        parser.error(f"unknown case(s) {', '.join(unknown)}; known: {', '.join(CASE_NAMES)}")
    cases = [case for case in CASES if case.name in wanted]
    if not args.python_client and shutil.which("wrk") is None:
        print(
            "wrk not found (apt-get install wrk); using the Python client, whose CPU competes with the server",
            file=sys.stderr,
        )
        args.python_client = True
    harness.sigterm_interrupts()
    email, password, roster = harness.demo_employee()
    workdir = harness.make_workdir("loyalty-catalog-bench-")
    loadavg = os.getloadavg()
    url = args.database_url
    embedded_server = None
    if args.embedded or not harness.tcp_answers(url):
        if not args.embedded:
            print(f"nothing answers at {urlsplit(url).netloc}; using an embedded PostgreSQL", file=sys.stderr)
        url, embedded_server = harness.start_embedded(workdir, "loyalty_bench")
        database = "embedded PostgreSQL in a temp folder"
    else:
        database = harness.database_label(url)
    env = harness.server_env(workdir, url, keep=harness.TUNING_PREFIXES, settings=harness.LOAD_SETTINGS)
    server: harness.Server | None = None
    exit_code = 0
    try:
        if not args.skip_fill:
            print(f"filling {database}: {args.offers:,} offers, {args.partners:,} partners ...", flush=True)
            stats = asyncio.run(
                fill(url, env, args.offers, args.partners, args.seed, recreate=embedded_server is None)
            )
            print(
                f"  {stats.categories} categories, {stats.partners:,} partners, {stats.locations:,} locations, "
                f"{stats.offers:,} offers {dict(stats.statuses)}, {stats.terms:,} search terms"
            )
            print("  " + ", ".join(f"{k} {v:.1f} s" for k, v in stats.seconds.items()), flush=True)
        summary = asyncio.run(database_summary(url))
        detail = asyncio.run(detail_paths(url, roster["company"]))
        if not detail:
            raise RuntimeError("no live offer for the demo employee; fill the database first")
        info: dict[str, Any] = {"database": database, "summary": summary, "loadavg": loadavg}
        print(
            f"data: {summary['offers']:,} offers ({summary['live']:,} live), {summary['partners']:,} partners, "
            f"{summary['locations']:,} locations; demo employee {email} "
            f"({roster['company']}, {roster['department']}, {roster['city']})",
            flush=True,
        )
        statements: dict[str, list[Statement]] | None = None
        if not args.no_load:
            # What one request of each case sends to PostgreSQL: the yardstick replays it, EXPLAIN reads it.
            statements = asyncio.run(capture_statements(env, cases, detail, email, password))
            # The app configured logging while capturing; a log line per load request would cost this
            # process CPU the servers need.
            logging.getLogger("httpx").setLevel(logging.WARNING)
            server = harness.Server(workdir, harness.free_port(), env)
            print(f"starting loyalty up on {server.base_url} (work folder {workdir}) ...", flush=True)
            server.start()
            info["startup_s"] = server.wait_live()
            if embedded_server is not None:
                pm = harness.pidfile_pid(workdir / "pg" / "postmaster.pid")
            else:
                pm = asyncio.run(harness.postmaster_pid(url))
            meter = harness.CpuMeter(server.pid, pm)
            try:
                loaded, serial = asyncio.run(
                    drive(server.base_url, cases, detail, email, password, args, meter, workdir, url)
                )
            finally:
                harness.restore_signals()
            server.stop()
            yardstick: tuple[list[Result], list[Result]] | None = None
            if not args.no_yardstick:
                replay = workdir / "statements.json"
                replay.write_bytes(yardstick_statements(statements, cases, detail))
                server = YardstickServer(workdir, harness.free_port(), env, url, replay, args.concurrency)
                print(f"starting the yardstick on {server.base_url} ...", flush=True)
                server.start()
                server.wait_live()
                try:
                    yardstick = asyncio.run(
                        drive(
                            server.base_url,
                            cases,
                            detail,
                            email,
                            password,
                            args,
                            harness.CpuMeter(server.pid, pm),
                            workdir,
                            url,
                            fixed_token="yardstick",
                        )
                    )
                finally:
                    harness.restore_signals()
                server.stop()
            report(loaded, serial, cases, args, info, yardstick)
        if not args.no_explain:
            if statements is None:
                statements = asyncio.run(capture_statements(env, cases, detail, email, password))
            if args.dump_sql:
                dump_sql(statements, args.dump_sql)
            asyncio.run(wait_idle(url))
            asyncio.run(explain(url, statements, args.sql_runs))
            print_explain(statements, cases)
    except (KeyboardInterrupt, asyncio.CancelledError):
        print("\ninterrupted; stopping the server ...", file=sys.stderr)
        exit_code = 130
    except Exception as exc:
        print(f"\nbenchmark failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        if server is not None and server.proc is not None:
            print(server.log_tail(), file=sys.stderr)
        exit_code = 1
    finally:
        with harness.sigint_ignored():
            if server is not None:
                server.stop()
        if embedded_server is not None:  # before its folder goes; its atexit hook would be too late
            with contextlib.suppress(Exception):
                embedded_server.cleanup()
        harness.remove_workdir(workdir, args.keep)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
