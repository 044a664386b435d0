"""Template context every page needs: direction, alternate-language links, the language list."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation


def site(request: HttpRequest) -> dict[str, Any]:
    """Alternate URLs of this page in every language (for hreflang and the switcher)."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    alternates = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        alternates.append(
            {
                "code": code,
                "hreflang": "zh-Hans" if code == "zh-hans" else code,
                "name_local": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return {
        "language_alternates": alternates,
        "site_url": settings.SITE_URL,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
    }
