"""Turning what an employee typed into a PostgreSQL full-text query over three languages.

Russian and English words go through PostgreSQL's stemmers. Kazakh has none, so offers' Kazakh texts are
indexed word by word ('simple') and each query word is cut back to its stem with a small suffix stripper
below, then matched as a prefix: ``кітаптарға`` → ``кітап:*`` finds ``кітап``, ``кітаптар``,
``кітапханада``. Misspelt words are mapped onto the catalog's own vocabulary with pg_trgm first.
"""

from __future__ import annotations

import re

import asyncpg
from sqlalchemy import ColumnElement, Text, bindparam, func, literal, or_, select, true
from sqlalchemy.dialects.postgresql import ARRAY, REGCONFIG, TSQUERY
from sqlalchemy.orm import aliased

from loyalty.catalog.models import SearchTerm
from loyalty.core.prepared import Prepared

MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40
MIN_PREFIX_LENGTH = 3
SPELLING_CANDIDATES = 2
SPELLING_SIMILARITY = 0.35

STEMMED = ("russian", "english")
# PostgreSQL ships no Kazakh stop-word list; these carry no meaning in an offer search.
KAZAKH_STOP_WORDS = frozenset(
    {"мен", "бен", "пен", "және", "үшін", "да", "де", "та", "те", "бұл", "сол", "ал", "не"}
)

WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Kazakh inflectional endings: plural, possessive, case and personal endings. Longest first, so that
# ``-ларға`` is tried as ``-ға`` after ``-лар`` only when the whole does not match.
KAZAKH_SUFFIXES = sorted(
    {
        # plural
        "лар", "лер", "дар", "дер", "тар", "тер",
        # possessive
        "ымыз", "іміз", "ыңыз", "іңіз", "мыз", "міз", "ңыз", "ңіз", "сы", "сі", "ым", "ім", "ың", "ің",
        "ы", "і",  # 3rd person after a consonant only (see AFTER_A_CONSONANT)
        # genitive, dative, accusative, locative, ablative, instrumental
        "ның", "нің", "дың", "дің", "тың", "тің",
        "ға", "ге", "қа", "ке", "на", "не",
        "ны", "ні", "ды", "ді", "ты", "ті",
        "нда", "нде", "да", "де", "та", "те", "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі",
        "нан", "нен", "дан", "ден", "тан", "тен",
        "мен", "бен", "пен", "менен",
    },
    key=len,
    reverse=True,
)  # fmt: skip
# A stem that ends in a voiced consonant before a vowel suffix is written voiceless on its own:
# кітабы → кітап, жүрегі → жүрек, тарағы → тарақ.
KAZAKH_DEVOICING = {"б": "п", "г": "к", "ғ": "қ"}
# Endings that are a suffix only after a consonant (after a vowel the possessive is -сы/-сі).
AFTER_A_CONSONANT = {"ы", "і"}
KAZAKH_VOWELS = set("аәеёиоөуұүыіэюя")
MIN_KAZAKH_STEM = 3


def words_of(query: str) -> list[str]:
    """The searchable words of a query: letters and digits only, lowercased, at most a few of them."""
    words: list[str] = []
    for word in WORD.findall(query.lower()):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
        if len(words) == MAX_QUERY_WORDS:
            break
    return words


def kazakh_stems(word: str) -> list[str]:
    """The word with its Kazakh endings stripped (and the voiceless spelling of the stem), longest first."""
    stem = word
    for _ in range(4):
        for suffix in KAZAKH_SUFFIXES:
            rest = stem[: -len(suffix)]
            if (
                stem.endswith(suffix)
                and len(rest) >= MIN_KAZAKH_STEM
                and (suffix not in AFTER_A_CONSONANT or rest[-1] not in KAZAKH_VOWELS)
            ):
                stem = rest
                break
        else:
            break
    stems = [stem]
    if stem[-1] in KAZAKH_DEVOICING:
        stems.append(stem[:-1] + KAZAKH_DEVOICING[stem[-1]])
    return stems


def _prefix_query(word: str) -> str:
    """A 'simple' tsquery text: the word itself, or prefixes of its stems. Words are letters and digits
    only (see :data:`WORD`), so nothing here can inject tsquery syntax."""
    variants = [word] if len(word) < MIN_PREFIX_LENGTH else [f"{stem}:*" for stem in kazakh_stems(word)]
    return " | ".join(dict.fromkeys(variants))


def _word_query(number: int, variant: int) -> ColumnElement[str]:
    """One word as itself in every language: its Kazakh stems' prefixes ('simple') or its Russian and
    English stems. The texts are bound parameters (see :func:`tsquery_params`)."""
    name = f"q{number}_{variant}"
    prefixes = bindparam(f"{name}_prefix", type_=Text)
    query: ColumnElement[str] = func.to_tsquery(literal("simple", REGCONFIG), prefixes)
    for config in STEMMED:
        word = bindparam(name, type_=Text)
        query = query.op("||", return_type=TSQUERY)(func.plainto_tsquery(literal(config, REGCONFIG), word))
    return query


def tsquery_shape(words: list[str], corrections: dict[str, list[str]]) -> tuple[int, ...]:
    """What the tsquery's SQL depends on: how many corrections each word has (one entry per word)."""
    return tuple(len(corrections.get(word, [])) for word in words)


def bound_tsquery(shape: tuple[int, ...]) -> ColumnElement[str]:
    """All words must match; each word may match as itself in any language or as a likely correction."""
    combined: ColumnElement[str] | None = None
    for number, corrected in enumerate(shape):
        alternatives = _word_query(number, 0)
        for variant in range(1, corrected + 1):
            alternatives = alternatives.op("||", return_type=TSQUERY)(_word_query(number, variant))
        combined = alternatives if combined is None else combined.op("&&", return_type=TSQUERY)(alternatives)
    assert combined is not None
    return combined


def tsquery_params(words: list[str], corrections: dict[str, list[str]]) -> dict[str, str]:
    """The texts :func:`bound_tsquery` binds: every word and correction, and its prefix query."""
    params: dict[str, str] = {}
    for number, word in enumerate(words):
        for variant, text in enumerate([word, *corrections.get(word, [])]):
            params[f"q{number}_{variant}"] = text
            params[f"q{number}_{variant}_prefix"] = _prefix_query(text)
    return params


def _understanding() -> Prepared:
    """Each typed word, whether it is a stop word in any language, and (for a word the catalog does not
    contain) the closest words it does contain (pg_trgm)."""
    typed = (
        func.unnest(bindparam("words", type_=ARRAY(Text))).table_valued("word").render_derived(name="typed")
    )
    exact = aliased(SearchTerm)
    known = select(exact.term).where(exact.term == typed.c.word).correlate(typed).exists()
    similar = (
        select(SearchTerm.term)
        .where(
            func.length(typed.c.word) >= MIN_PREFIX_LENGTH,
            SearchTerm.term.op("%")(typed.c.word),
            ~known,
        )
        .order_by(func.similarity(SearchTerm.term, typed.c.word).desc())
        .limit(SPELLING_CANDIDATES)
        .lateral("similar")
    )
    stop_word = or_(
        *(
            func.numnode(func.plainto_tsquery(literal(config, REGCONFIG), typed.c.word)) == 0
            for config in STEMMED
        )
    )
    return Prepared(
        select(typed.c.word, stop_word.label("stop_word"), similar.c.term)
        .select_from(typed)
        .outerjoin(similar, true())
    )


UNDERSTANDING = _understanding()


async def understand(
    connection: asyncpg.Connection, words: list[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """The words worth matching (stop words of any language dropped, unless nothing else is left) and,
    for each word the catalog does not contain, the closest words it does contain."""
    stop_words = set(KAZAKH_STOP_WORDS)
    corrections: dict[str, list[str]] = {}
    for word, is_stop_word, term in await UNDERSTANDING.fetch(connection, words=words):
        if is_stop_word:
            stop_words.add(word)
        if term is not None:
            corrections.setdefault(word, []).append(term)
    kept = [word for word in words if word not in stop_words] or words
    return kept, corrections


def vocabulary(*texts: str | None) -> set[str]:
    """Words worth remembering for spelling correction."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(word for word in WORD.findall(text.lower()) if 3 <= len(word) <= 64)
    return found
