"""Turning what an employee typed into a PostgreSQL full-text query over three languages.

Russian and English words go through PostgreSQL's stemmers. Kazakh has none, so offers' Kazakh texts are
indexed word by word ('simple') and each query word is cut back to its stem with a small suffix stripper
below, then matched as a prefix: ``кітаптарға`` → ``кітап:*`` finds ``кітап``, ``кітаптар``,
``кітапханада``. Misspelt words are mapped onto the catalog's own vocabulary with pg_trgm first.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Text, func, literal, select, true
from sqlalchemy.dialects.postgresql import ARRAY, REGCONFIG, TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.models import SearchTerm

MAX_QUERY_WORDS = 8
MAX_WORD_LENGTH = 40
MIN_PREFIX_LENGTH = 3
SPELLING_CANDIDATES = 2
SPELLING_SIMILARITY = 0.35

WORD = re.compile(r"[^\W_]+", re.UNICODE)

# Kazakh inflectional endings: plural, possessive, case and personal endings. Longest first, so that
# ``-ларға`` is tried as ``-ға`` after ``-лар`` only when the whole does not match.
KAZAKH_SUFFIXES = sorted(
    {
        # plural
        "лар", "лер", "дар", "дер", "тар", "тер",
        # possessive
        "ымыз", "іміз", "ыңыз", "іңіз", "мыз", "міз", "ңыз", "ңіз", "сы", "сі", "ым", "ім", "ың", "ің",
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
            if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_KAZAKH_STEM:
                stem = stem[: -len(suffix)]
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


def _word_query(word: str) -> ColumnElement[str]:
    russian = func.plainto_tsquery(literal("russian", REGCONFIG), word)
    english = func.plainto_tsquery(literal("english", REGCONFIG), word)
    simple = func.to_tsquery(literal("simple", REGCONFIG), _prefix_query(word))
    return russian.op("||", return_type=TSQUERY)(english).op("||", return_type=TSQUERY)(simple)


def build_tsquery(words: list[str], corrections: dict[str, list[str]]) -> ColumnElement[str]:
    """All words must match; each word may match as itself in any language or as a likely correction."""
    combined: ColumnElement[str] | None = None
    for word in words:
        alternatives = _word_query(word)
        for correction in corrections.get(word, []):
            alternatives = alternatives.op("||", return_type=TSQUERY)(_word_query(correction))
        combined = alternatives if combined is None else combined.op("&&", return_type=TSQUERY)(alternatives)
    assert combined is not None
    return combined


async def spelling_corrections(session: AsyncSession, words: list[str]) -> dict[str, list[str]]:
    """For each word the catalog does not contain, the closest words it does contain (pg_trgm)."""
    unknown = [word for word in words if len(word) >= MIN_PREFIX_LENGTH]
    if not unknown:
        return {}
    query_words = func.unnest(literal(unknown, ARRAY(Text))).table_valued("word").render_derived(name="typed")
    similar = (
        select(SearchTerm.term)
        .where(SearchTerm.term.op("%")(query_words.c.word))
        .order_by(func.similarity(SearchTerm.term, query_words.c.word).desc())
        .limit(SPELLING_CANDIDATES)
        .lateral("similar")
    )
    known = select(SearchTerm.term).where(SearchTerm.term == query_words.c.word).exists()
    rows = await session.execute(
        select(query_words.c.word, similar.c.term)
        .select_from(query_words)
        .join(similar, true())
        .where(~known)
    )
    corrections: dict[str, list[str]] = {}
    for word, term in rows:
        corrections.setdefault(word, []).append(term)
    return corrections


def vocabulary(*texts: str | None) -> set[str]:
    """Words worth remembering for spelling correction."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(word for word in WORD.findall(text.lower()) if 3 <= len(word) <= 64)
    return found
