"""How API callers prove who they are: a personal token, or the browser session with CSRF."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from iite.accounts import selectors, services
from iite.accounts.models import User


class TokenAuth(HttpBearer):
    """``Authorization: Bearer iite_…`` with a personal token that is not revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = selectors.api_token_for_key(token)
        if api_token is None:
            return None
        services.api_token_touch(token=api_token)
        request.user = api_token.user
        return api_token.user


class SessionAuth(NinjaSessionAuth):
    """The signed-in browser session; unsafe methods need the ``X-CSRFToken`` header."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if isinstance(user, User) and user.is_authenticated and user.is_active:
            return user
        return None
