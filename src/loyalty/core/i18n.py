"""Which language a request reads: ``?lang=``, else ``Accept-Language``, else Russian."""

from __future__ import annotations

from typing import Any, cast

from litestar import Request

from loyalty.core.schemas import DEFAULT_LANGUAGE, LANGUAGES, Language


def resolve_language(request: Request[Any, Any, Any]) -> Language:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return cast(Language, asked)
    header = request.headers.get("accept-language", "")
    ranked: list[tuple[float, str]] = []
    for part in header.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((quality, tag.split("-")[0].lower()))
    for _, tag in sorted(ranked, key=lambda pair: -pair[0]):
        for language in LANGUAGES:
            if tag == language:
                return language
    return DEFAULT_LANGUAGE


def pick_text(texts: dict[str, str] | None, language: Language) -> tuple[str | None, Language]:
    """A stored localized text in ``language``, else Russian, else any; with the language used."""
    if texts:
        for candidate in (language, DEFAULT_LANGUAGE, *LANGUAGES):
            if texts.get(candidate):
                return texts[candidate], candidate
    return None, language
