"""Text held as data in the six UN languages: a JSON object keyed by language code."""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation

FALLBACK_LANGUAGE = "en"
# Keys of translated data: the interface language codes without script ("zh-hans" is "zh").
DATA_LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def language_codes() -> list[str]:
    """The interface languages, in the order of settings.LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def data_key(language: str) -> str:
    """The key under which translated data holds text for an interface language."""
    return language.split("-")[0].lower()


def pick(texts: Mapping[str, str] | None, language: str | None = None) -> str:
    """The text in ``language`` (the active one by default), falling back to English, then any."""
    if not texts:
        return ""
    language = language or translation.get_language() or FALLBACK_LANGUAGE
    for candidate in (language, data_key(language), FALLBACK_LANGUAGE):
        text = texts.get(candidate)
        if text:
            return text
    return next((text for text in texts.values() if text), "")


def missing_languages(texts: Mapping[str, str] | None) -> list[str]:
    """The interface languages that ``texts`` has no text for."""
    texts = texts or {}
    return [code for code in DATA_LANGUAGES if not (texts.get(code) or "").strip()]
