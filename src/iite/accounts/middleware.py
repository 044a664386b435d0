"""Serve a signed-in user in the language they chose, wherever they sign in from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

SameSite = Literal["Lax", "Strict", "None"]


def language_cookie_set(response: HttpResponseBase, language: str) -> None:
    """Make ``language`` the one ``/`` and unprefixed links lead to in this browser."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )


class UserLanguageMiddleware:
    """Keep the language cookie in step with the signed-in user's saved language.

    Runs after LocaleMiddleware and AuthenticationMiddleware. A URL's language prefix still wins
    for that page (so links in any language work); the cookie decides where ``/`` leads next.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if (
            language
            and translation.check_for_language(language)
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            language_cookie_set(response, language)
        return response
