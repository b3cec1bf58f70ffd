"""Base Structs shared by every domain: strict request bodies, localized texts, pages."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

import msgspec
from litestar.openapi.spec import OpenAPIType, Schema
from msgspec import Meta, Struct

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = ("kk", "ru", "en")
DEFAULT_LANGUAGE: Language = "ru"

# One line of text people typed: no control characters (PostgreSQL refuses NUL outright), and not blank.
SINGLE_LINE = r"^[^\x00-\x1f\x7f]*$"
NOT_BLANK_SINGLE_LINE = r"^[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$"
NO_NUL = r"^[^\x00]*$"

ShortText = Annotated[str, Meta(min_length=1, max_length=200, pattern=NOT_BLANK_SINGLE_LINE)]
OptionalShortText = Annotated[str, Meta(max_length=200, pattern=SINGLE_LINE)]
Email = Annotated[str, Meta(min_length=3, max_length=254, pattern=NOT_BLANK_SINGLE_LINE)]
LongText = Annotated[str, Meta(max_length=20_000, pattern=NO_NUL)]

T = TypeVar("T")


class RequestBody(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every request body: unknown fields are an error, not silently dropped."""


class ResponseBody(Struct, kw_only=True):
    """Base of every response body."""


class LocalizedText(Struct, forbid_unknown_fields=True, kw_only=True, omit_defaults=True):
    """A text people read, by language; at least one language must be present."""

    kk: LongText | None = None
    ru: LongText | None = None
    en: LongText | None = None

    # What __post_init__ checks, said in the OpenAPI document (core.contract.StrictStructSchemaPlugin).
    __schema_extra__: ClassVar[dict[str, Any]] = {
        "any_of": [
            Schema(required=[language], properties={language: Schema(type=OpenAPIType.STRING, min_length=1)})
            for language in LANGUAGES
        ]
    }

    def __post_init__(self) -> None:
        if not any((self.kk, self.ru, self.en)):
            raise ValueError("at least one of kk, ru, en is required")

    def pick(self, language: Language) -> tuple[str, Language]:
        """The text in ``language``, else Russian, else any; with the language actually used."""
        for candidate in (language, DEFAULT_LANGUAGE, *LANGUAGES):
            text = getattr(self, candidate)
            if text:
                return text, candidate
        raise AssertionError("LocalizedText without any text")

    def as_dict(self) -> dict[str, str]:
        return {lang: text for lang in LANGUAGES if (text := getattr(self, lang))}


class Page(ResponseBody, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def to_builtins(value: object) -> object:
    return msgspec.to_builtins(value)
