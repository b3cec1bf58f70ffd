"""Query understanding without the database: the words of a query, Kazakh stems, and the tsquery texts
built from them (see the docstring of loyalty.catalog.search)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy.dialects import postgresql

from loyalty.catalog.search import (
    MAX_QUERY_WORDS,
    MAX_WORD_LENGTH,
    _prefix_query,
    bound_tsquery,
    kazakh_stems,
    tsquery_params,
    tsquery_shape,
    vocabulary,
    words_of,
)

LETTERS_AND_DIGITS = re.compile(r"[^\W_]+")
# What _prefix_query may give: a bare word, or prefixes of stems joined by " | ".
PREFIX_QUERY = re.compile(r"[^\W_]+|[^\W_]+:\*( \| [^\W_]+:\*)*")
TSQUERY_SYNTAX = ("%", "_", "\\", "'", ":", "*", "&", "|", "!", "<", ">", "-", "(", ")", " ", '"', ";")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        pytest.param("кофе", ["кофе"], id="one-word"),
        pytest.param("Кофе  ДЕСЕРТ", ["кофе", "десерт"], id="lowercased-whitespace-collapsed"),
        pytest.param("кофе, десерт!", ["кофе", "десерт"], id="punctuation-splits"),
        pytest.param("кофе кофе Кофе", ["кофе"], id="repeats-dropped"),
        pytest.param("15% off", ["15", "off"], id="digits-kept-percent-dropped"),
        pytest.param("wi-fi", ["wi", "fi"], id="hyphen-splits"),
        pytest.param("snake_case", ["snake", "case"], id="underscore-splits"),
        pytest.param("жеңілдік Öl café", ["жеңілдік", "öl", "café"], id="any-alphabet"),
        pytest.param("", [], id="empty"),
        pytest.param("   ", [], id="blank"),
        pytest.param("%_\\':*&|<->!()", [], id="only-syntax"),
        pytest.param(
            "a b c d e f g h i j", ["a", "b", "c", "d", "e", "f", "g", "h"], id="at-most-eight-words"
        ),
        pytest.param(
            "a a b b c d e f g h i", ["a", "b", "c", "d", "e", "f", "g", "h"], id="eight-distinct-words"
        ),
        pytest.param("ж" * 100, ["ж" * MAX_WORD_LENGTH], id="long-word-cut"),
        pytest.param("ж" * 50 + " " + "ж" * 60, ["ж" * MAX_WORD_LENGTH], id="words-equal-once-cut"),
    ],
)
def test_words_of(query: str, words: list[str]) -> None:
    assert words_of(query) == words


def test_the_word_limit_is_eight() -> None:
    assert MAX_QUERY_WORDS == 8


@pytest.mark.parametrize(
    ("word", "stems"),
    [
        # Plural and case endings stacked on a stem.
        pytest.param("кітап", ["кітап"], id="bare-stem"),
        pytest.param("кітаптар", ["кітап"], id="plural"),
        pytest.param("кітаптарға", ["кітап"], id="plural-dative"),
        pytest.param("кітаптың", ["кітап"], id="genitive"),
        pytest.param("кітаптарымыздан", ["кітап"], id="plural-possessive-ablative"),
        pytest.param("кітаптарымызбен", ["кітап"], id="plural-possessive-instrumental"),
        pytest.param("балаларымызға", ["бала"], id="plural-possessive-dative"),
        pytest.param("балалардың", ["бала"], id="plural-genitive"),
        pytest.param("қаласы", ["қала"], id="possessive-3rd-after-vowel"),
        pytest.param("қаладағы", ["қала"], id="locative-attributive"),
        pytest.param("мектепте", ["мектеп"], id="locative-t"),
        pytest.param("мектептің", ["мектеп"], id="genitive-t"),
        pytest.param("дәрігерге", ["дәрігер"], id="dative-front-vowel"),
        pytest.param("қызметкерлерге", ["қызметкер"], id="plural-dative-front-vowel"),
        pytest.param("телефонға", ["телефон"], id="loanword-dative"),
        pytest.param("достарыммен", ["дос"], id="plural-possessive-instrumental-short-stem"),
        pytest.param("ойындарымызды", ["ойын"], id="plural-possessive-accusative"),
        pytest.param("дүкеннен", ["дүкен"], id="ablative-n"),
        # The longest ending is tried first, so -нда/-нде can take a stem's own н; the prefix still matches.
        pytest.param("ресторанда", ["рестора"], id="nda-takes-the-stems-n"),
        pytest.param("дүкенде", ["дүке"], id="nde-takes-the-stems-n"),
        # A voiced final consonant before a vowel ending is also tried voiceless.
        pytest.param("кітабым", ["кітаб", "кітап"], id="b-to-p"),
        pytest.param("кітабымызға", ["кітаб", "кітап"], id="b-to-p-after-stacked-endings"),
        pytest.param("жүрегім", ["жүрег", "жүрек"], id="g-to-k"),
        pytest.param("тарағымыз", ["тарағ", "тарақ"], id="gh-to-q"),
        pytest.param("сабағым", ["сабағ", "сабақ"], id="gh-to-q-sabaq"),
        # Never cut below three letters.
        pytest.param("үйлер", ["үйлер"], id="stem-would-be-too-short"),
        pytest.param("үйге", ["үйге"], id="dative-on-a-two-letter-stem"),
        pytest.param("мен", ["мен"], id="an-ending-on-its-own"),
        pytest.param("менен", ["менен"], id="ending-with-nothing-before-it"),
        # Words without endings, and words of other alphabets and digits, are left alone.
        pytest.param("кофе", ["кофе"], id="no-ending"),
        pytest.param("фитнес", ["фитнес"], id="no-ending-front"),
        pytest.param("coffee", ["coffee"], id="latin"),
        pytest.param("2026", ["2026"], id="digits"),
        pytest.param("аб", ["аб", "ап"], id="two-letters-still-devoiced"),
    ],
)
def test_kazakh_stems(word: str, stems: list[str]) -> None:
    assert kazakh_stems(word) == stems


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        pytest.param("кітабы", "кітап", id="kitaby"),
        pytest.param("жүрегі", "жүрек", id="zhuregi"),
        pytest.param("тарағы", "тарақ", id="taraghy"),
    ],
)
def test_the_3rd_person_possessive_after_a_consonant_is_stripped_and_devoiced(word: str, stem: str) -> None:
    assert stem in kazakh_stems(word)


@pytest.mark.parametrize(
    ("word", "query"),
    [
        pytest.param("кітаптарға", "кітап:*", id="stem-prefix"),
        pytest.param("кітабым", "кітаб:* | кітап:*", id="both-spellings-of-the-stem"),
        pytest.param("кофе", "кофе:*", id="word-prefix"),
        pytest.param("абв", "абв:*", id="three-letters-is-a-prefix"),
        pytest.param("аб", "аб", id="two-letters-is-exact"),
        pytest.param("ал", "ал", id="two-letter-word-exact"),
        pytest.param("5", "5", id="one-digit-exact"),
        pytest.param("2026", "2026:*", id="number-prefix"),
    ],
)
def test_prefix_query(word: str, query: str) -> None:
    assert _prefix_query(word) == query


INJECTIONS = [
    pytest.param("100%", id="percent"),
    pytest.param("a_b", id="underscore"),
    pytest.param("кофе\\", id="backslash"),
    pytest.param("o'reilly", id="quote"),
    pytest.param("кофе:*", id="prefix-operator"),
    pytest.param("кофе:* & !десерт", id="and-not"),
    pytest.param("кофе | десерт", id="or"),
    pytest.param("кофе <-> десерт", id="followed-by"),
    pytest.param("кофе <2> десерт", id="distance"),
    pytest.param("кофе:A", id="weight"),
    pytest.param("(кофе", id="unbalanced-parenthesis"),
    pytest.param("'; DROP TABLE offers; --", id="sql"),
    pytest.param('"кофе"', id="double-quotes"),
    pytest.param("\x00кофе\x00", id="nul"),
]


@pytest.mark.parametrize("query", INJECTIONS)
def test_no_tsquery_syntax_passes_through_words_of(query: str) -> None:
    for word in words_of(query):
        assert LETTERS_AND_DIGITS.fullmatch(word), word
        assert not any(character in word for character in TSQUERY_SYNTAX), word


@pytest.mark.parametrize("query", INJECTIONS)
def test_no_tsquery_syntax_passes_through_the_prefix_query(query: str) -> None:
    for word in words_of(query):
        assert PREFIX_QUERY.fullmatch(_prefix_query(word)), _prefix_query(word)


def build_tsquery(words: list[str], corrections: dict[str, list[str]]) -> Any:
    """The tsquery the service runs for these words: its shape's statement with their texts bound."""
    return bound_tsquery(tsquery_shape(words, corrections)).params(tsquery_params(words, corrections))


@pytest.mark.parametrize("query", INJECTIONS)
def test_the_built_tsquery_binds_every_text_as_a_parameter(query: str) -> None:
    words = words_of(query)
    compiled = build_tsquery(words, {words[0]: ["кофейня"]}).compile(dialect=postgresql.dialect())
    # The SQL text is the same whatever was typed: only the number of words shapes it.
    stand_ins = [f"w{number}" for number in range(len(words))]
    assert str(compiled) == str(build_tsquery(stand_ins, {"w0": ["c"]}).compile(dialect=postgresql.dialect()))
    texts = {name: value for name, value in compiled.params.items() if name.endswith("_prefix")}
    assert sorted(texts.values()) == sorted(_prefix_query(word) for word in [*words, "кофейня"])
    # Each word is one parameter, used by the Russian and the English stemmer alike.
    plain = [value for name, value in compiled.params.items() if re.fullmatch(r"q\d+_\d+", name)]
    assert sorted(plain) == sorted([*words, "кофейня"])
    assert str(compiled).count("plainto_tsquery") == 2 * (len(words) + 1)


@pytest.mark.parametrize(
    ("texts", "words"),
    [
        pytest.param(("Кофе и десерты",), {"кофе", "десерты"}, id="short-words-left-out"),
        pytest.param(("15% off all books", None, ""), {"off", "all", "books"}, id="none-and-empty-skipped"),
        pytest.param(("Кітаптарға 15% жеңілдік!",), {"кітаптарға", "жеңілдік"}, id="punctuation-and-numbers"),
        pytest.param(("abc", "ABC", "Abc"), {"abc"}, id="lowercased-once"),
        pytest.param(("x" * 64, "y" * 65), {"x" * 64}, id="at-most-64-letters"),
    ],
)
def test_vocabulary(texts: tuple[str | None, ...], words: set[str]) -> None:
    assert vocabulary(*texts) == words
