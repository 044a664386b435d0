"""Home page, language choice, health check and the friendly error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from iite.accounts import services as account_services
from iite.accounts.middleware import language_cookie_set
from iite.core.errors import error_body
from iite.portal import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", selectors.home_overview())


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice on every device."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if not translation.check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        account_services.user_language_set(user=request.user, language=language)
    # Resolve the page in the language of its own prefix, whatever this request's language is.
    with translation.override(translation.get_language_from_path(next_url)):
        target = translate_url(next_url, language)
    response = HttpResponseRedirect(target)
    language_cookie_set(response, language)
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    reachable, vendor = selectors.database_status()
    body = {
        "status": "ok" if reachable else "error",
        "database": {"reachable": reachable, "vendor": vendor},
    }
    return JsonResponse(body, status=200 if reachable else 503)


def _error_page(request: HttpRequest, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        messages = {400: "Bad request.", 403: "Forbidden.", 404: "Not found.", 500: "Server error."}
        body = error_body(code=str(status), message=messages.get(status, "Error."))
        return JsonResponse(body, status=status)
    return render(request, "portal/error.html", {"status": status}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(request, 500)
