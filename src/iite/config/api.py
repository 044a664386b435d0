"""The REST API under /api/v1/: one NinjaAPI, a router per app, one error shape for failures."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from iite.accounts.api import router as accounts_router
from iite.accounts.api_auth import SessionAuth, TokenAuth
from iite.assessments.api import router as assessments_router
from iite.core.errors import ApplicationError, error_body
from iite.countries.api import router as countries_router
from iite.learning.api import credentials_router
from iite.learning.api import router as learning_router
from iite.library.api import router as library_router
from iite.reference.api import router as reference_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="IITE Platform API",
    version="1",
    description=(
        "Reference data, accounts and the institute's services. Authenticate with a personal "
        "token (`Authorization: Bearer <token>`, created on your profile page) or with the "
        "session cookie and an `X-CSRFToken` header. Every failure has the shape "
        '`{"error": {"code", "message", "details"}}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)
api.add_router("/reference/", reference_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/assessments/", assessments_router)
api.add_router("/library/", library_router)
api.add_router("/learning/", learning_router)
api.add_router("/credentials/", credentials_router)
api.add_router("/countries/", countries_router)


def _respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    body = error_body(code=exc.code, message=exc.message, details=exc.details)
    return _respond(request, exc.status, body)


def _field_name(location: Any) -> str:
    """``(body, payload, country)`` is the field ``country``; ``(query, page)`` is ``page``."""
    parts = [str(part) for part in location]
    if parts[:1] == ["body"]:
        parts = parts[2:] or parts[1:]
    elif parts[:1] in (["query"], ["path"], ["header"], ["cookie"], ["form"]):
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [
        {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    message = _("The request is not valid; see details for each field.")
    return _respond(request, 422, error_body(code="validation", message=message, details=details))


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = _("Sign in, or send a valid API token, to use this endpoint.")
    return _respond(request, 401, error_body(code="unauthenticated", message=message))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _respond(request, 404, error_body(code="not_found", message=_("Not found.")))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = "bad_request" if exc.status_code < 500 else "server_error"
    return _respond(request, exc.status_code, error_body(code=code, message=str(exc)))


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected API error", exc_info=exc)
    message = _("Something went wrong on our side. The request changed nothing; try again later.")
    return _respond(request, 500, error_body(code="server_error", message=message))
