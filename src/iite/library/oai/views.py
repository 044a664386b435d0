"""The OAI-PMH endpoint at /oai (GET and POST, no CSRF: harvesters hold no session), the schema
of the ``iite_lrmi`` format it points to, and the editors' pages of harvest sources and runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iite.core.errors import ApplicationError
from iite.library.models import HarvestSource
from iite.library.oai import formats, provider, selectors, services
from iite.library.oai.forms import HarvestSourceForm
from iite.library.permissions import can


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    query = request.POST if request.method == "POST" else request.GET
    body = provider.respond(
        list(query.lists()),
        base_url=request.build_absolute_uri(reverse("library-oai")),
        site=_site(request),
    )
    response = HttpResponse(body, content_type="text/xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def schema(request: HttpRequest, filename: str) -> HttpResponse:
    content = formats.shipped_schema(filename)
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400" if not settings.DEBUG else "no-cache"
    return response


# --- Harvest sources, for editors (/<lang>/library/harvest/) --------------------------------------
def _editor(request: HttpRequest) -> Any:
    if not can(request.user, "harvest.manage"):
        raise Forbidden(_("Only editors may configure and run harvests."))
    return request.user


def _source(source_id: int) -> HarvestSource:
    source = selectors.harvest_source(source_id)
    if source is None:
        raise Http404
    return source


@require_GET
@login_required
def sources(request: HttpRequest) -> HttpResponse:
    _editor(request)
    context = {"sources": selectors.harvest_sources()}
    return render(request, "library/oai/sources.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def source_new(request: HttpRequest) -> HttpResponse:
    editor = _editor(request)
    form = HarvestSourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.harvest_source_create(by=editor, **form.cleaned_data)
        except ApplicationError as error:
            form.add_problems(error.details, error.message)
        else:
            messages.success(
                request, _("The source is saved. Harvest it now, or wait for the schedule.")
            )
            return redirect("library:harvest-source", created.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "library/oai/source_form.html", {"form": form, "source": None}, status=status
    )


@require_GET
@login_required
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    _editor(request)
    source = _source(source_id)
    context = {
        "source": source,
        "runs": selectors.harvest_runs(source),
        "schedule": selectors.harvest_schedule(source),
        "resource_count": selectors.harvest_source_resource_count(source),
    }
    return render(request, "library/oai/source.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def source_edit(request: HttpRequest, source_id: int) -> HttpResponse:
    editor = _editor(request)
    source = _source(source_id)
    if request.method == "POST":
        form = HarvestSourceForm(request.POST)
        if form.is_valid():
            try:
                services.harvest_source_update(source=source, by=editor, **form.cleaned_data)
            except ApplicationError as error:
                form.add_problems(error.details, error.message)
            else:
                messages.success(request, _("The source is saved."))
                return redirect("library:harvest-source", source.pk)
        source.refresh_from_db()
    else:
        form = HarvestSourceForm(initial=HarvestSourceForm.initial_for(source))
    status = 400 if form.is_bound else 200
    return render(
        request, "library/oai/source_form.html", {"form": form, "source": source}, status=status
    )


@require_POST
@login_required
def source_run(request: HttpRequest, source_id: int) -> HttpResponse:
    editor = _editor(request)
    source = _source(source_id)
    try:
        services.harvest_run_queue(source=source, by=editor)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The harvest has started. Its outcome appears below when it has finished.")
        )
    return redirect("library:harvest-source", source.pk)


@require_http_methods(["GET", "POST"])
@login_required
def source_delete(request: HttpRequest, source_id: int) -> HttpResponse:
    editor = _editor(request)
    source = _source(source_id)
    if request.method == "POST":
        try:
            services.harvest_source_delete(source=source, by=editor)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("library:harvest-source", source.pk)
        messages.success(request, _("The source is removed."))
        return redirect("library:harvest-sources")
    context = {"source": source, "resource_count": selectors.harvest_source_resource_count(source)}
    return render(request, "library/oai/source_delete.html", context)


@require_GET
@login_required
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    _editor(request)
    run = selectors.harvest_run(run_id)
    if run is None:
        raise Http404
    return render(request, "library/oai/run.html", {"run": run})
