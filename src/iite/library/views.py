"""Pages of the library: the resource page and its exports, contributing (resources, case
studies, files), the review workflow, collections, criteria, usage and CSV import/export.

Thin: each view parses the request, calls selectors or one service, and renders. Refusals
(``ApplicationError``) are shown on the page; nothing is half-saved.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iite.accounts.models import User
from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import (
    citations,
    csv_exchange,
    file_services,
    forms,
    jsonld,
    selectors,
    services,
    workflow,
)
from iite.library.models import Resource
from iite.library.permissions import can


def _me(request: HttpRequest) -> User:
    """The signed-in person (views that call this are behind ``login_required``)."""
    if not isinstance(request.user, User):
        raise Http404
    return request.user


def _found(resource: Resource | None) -> Resource:
    if resource is None:
        raise Http404(_("There is no such resource."))
    return resource


def page_resource(request: HttpRequest, uuid: UUID) -> Resource:
    return _found(selectors.resource_for_page(uuid, user=request.user))


def _country(request: HttpRequest) -> Any:
    return getattr(request.user, "country", None) if request.user.is_authenticated else None


def _count(request: HttpRequest, resource: Resource, action: str) -> None:
    if not request.session.session_key:
        request.session.save()
    visitor = services.visitor_key(user=request.user, session_key=request.session.session_key)
    services.usage_record(
        resource=resource, action=action, visitor=visitor, country=_country(request)
    )


# --- The resource page ---------------------------------------------------------------------------
@require_GET
def resource(request: HttpRequest, uuid: UUID) -> HttpResponse:
    found = page_resource(request, uuid)
    editions = selectors.resource_editions(found)
    if found.is_public:
        _count(request, found, "view")
    context = {
        "resource": found,
        "creators": sorted(found.creators.all(), key=lambda c: (c.order, c.pk)),
        "editions": editions,
        "related": selectors.related_resources(found) if found.is_public else [],
        "collections": found.collections.all() if found.is_public else [],
        "citation": citations.formatted(found),
        "jsonld": jsonld.script_json(jsonld.resource_jsonld(found, editions=editions)),
        "usage": selectors.usage_totals(found),
        "case_study": getattr(found, "case_study", None),
        "may_edit": selectors.may_edit(found, request.user),
        "may_reinstate": found.status == Resource.Status.WITHDRAWN
        and can(request.user, "resource.reinstate"),
        "may_review_page": request.user.is_authenticated
        and (
            can(request.user, "resource.view_any")
            or selectors.review_for(found, request.user) is not None
        ),
    }
    return render(
        request,
        "library/resource.html",
        context,
        status=410 if found.status == Resource.Status.WITHDRAWN else 200,
    )


@require_GET
def resource_cite(request: HttpRequest, uuid: UUID, fmt: str) -> HttpResponse:
    if fmt not in citations.EXPORTS:
        raise Http404
    found = _found(selectors.resource_published(uuid))
    content_type, render_export = citations.EXPORTS[fmt]
    response = HttpResponse(render_export(found), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{citations.citation_key(found)}.{fmt}"'
    )
    return response


@require_GET
def file_download(request: HttpRequest, uuid: UUID, file_id: int) -> HttpResponseBase:
    found = page_resource(request, uuid)
    if found.status == Resource.Status.WITHDRAWN:
        raise Http404
    row = selectors.file_of(found, file_id)
    if row is None:
        raise Http404
    if found.is_public:
        _count(request, found, "download")
    if row.format == row.Format.LINK:
        return HttpResponseRedirect(row.url)
    response = FileResponse(
        row.file.open("rb"),
        content_type=row.media_type,
        as_attachment=row.format != row.Format.HTML,
        filename=row.original_name or "",
    )
    if row.format == row.Format.HTML:
        # Uploaded HTML runs sandboxed: no script, no plugin, no same-origin access.
        response["Content-Security-Policy"] = (
            "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        )
    return response


@require_GET
def cover(request: HttpRequest, uuid: UUID) -> HttpResponseBase:
    found = page_resource(request, uuid)
    if not found.cover or found.status == Resource.Status.WITHDRAWN:
        raise Http404
    response = FileResponse(found.cover.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def criteria(request: HttpRequest) -> HttpResponse:
    rows = [(forms.CRITERIA_LABELS[c], forms.CRITERIA_HELP[c]) for c in selectors.CRITERIA]
    return render(request, "library/criteria.html", {"criteria": rows})


# --- Contributing --------------------------------------------------------------------------------
@require_GET
def contribute(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/contribute.html",
        {
            "may_create": request.user.is_authenticated and can(request.user, "resource.create"),
            "queue": selectors.workflow_queue(request.user),
        },
    )


def _metadata_form_view(
    request: HttpRequest,
    *,
    form_class: type[forms._MetadataBase],
    resource: Resource | None,
    template: str,
    kind: str | None,
) -> HttpResponse:
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            fields = form.service_fields()
            try:
                if resource is None:
                    if kind:
                        fields["kind"] = kind
                    saved = services.resource_create(by=_me(request), **fields)
                    messages.success(request, _("Saved as a draft. Add files, then submit it."))
                else:
                    saved = services.resource_update(resource=resource, by=_me(request), **fields)
                    messages.success(request, _("Your changes are saved."))
            except PermissionDenied as error:
                raise Http404(error.message) from None
            except ApplicationError as error:
                forms.add_problems(form, error.details, error.message)
            else:
                return redirect("library:files", uuid=saved.uuid)
    else:
        form = form_class(initial=form_class.initial_for(resource) if resource else None)
    return render(request, template, {"form": form, "resource": resource})


@login_required
@require_http_methods(["GET", "POST"])
def resource_new(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "resource.create"):
        raise Http404
    return _metadata_form_view(
        request,
        form_class=forms.ResourceForm,
        resource=None,
        template="library/resource_form.html",
        kind=None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_study_new(request: HttpRequest) -> HttpResponse:
    return _metadata_form_view(
        request,
        form_class=forms.CaseStudyForm,
        resource=None,
        template="library/case_study_form.html",
        kind=Resource.Kind.CASE_STUDY,
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    found = page_resource(request, uuid)
    if not selectors.may_edit(found, request.user):
        raise Http404
    if found.kind == Resource.Kind.CASE_STUDY and not can(request.user, "resource.edit"):
        return _metadata_form_view(
            request,
            form_class=forms.CaseStudyForm,
            resource=found,
            template="library/case_study_form.html",
            kind=None,
        )
    form_class: type[forms._MetadataBase] = (
        forms.CaseStudyForm if found.kind == Resource.Kind.CASE_STUDY else forms.ResourceForm
    )
    template = (
        "library/case_study_form.html"
        if found.kind == Resource.Kind.CASE_STUDY
        else "library/resource_form.html"
    )
    return _metadata_form_view(
        request, form_class=form_class, resource=found, template=template, kind=None
    )


@login_required
@require_http_methods(["GET", "POST"])
def resource_files(request: HttpRequest, uuid: UUID) -> HttpResponse:
    found = page_resource(request, uuid)
    if not selectors.may_edit(found, request.user):
        raise Http404
    file_form, link_form, cover_form = forms.FileForm(), forms.LinkForm(), forms.CoverForm()
    if request.method == "POST":
        try:
            if "cover" in request.FILES:
                cover_form = forms.CoverForm(request.POST, request.FILES)
                if cover_form.is_valid():
                    file_services.cover_set(
                        resource=found, by=_me(request), upload=cover_form.cleaned_data["cover"]
                    )
                    messages.success(request, _("The cover image is saved."))
                    return redirect("library:files", uuid=found.uuid)
            if "remove" in request.POST:
                row = selectors.file_of(found, int(request.POST.get("remove") or 0))
                if row is not None:
                    file_services.file_remove(file=row, by=_me(request))
                    messages.success(request, _("The file is removed."))
                return redirect("library:files", uuid=found.uuid)
            if "url" in request.POST:
                link_form = forms.LinkForm(request.POST)
                if link_form.is_valid():
                    file_services.file_link_add(
                        resource=found, by=_me(request), **link_form.cleaned_data
                    )
                    messages.success(request, _("The link is added."))
                    return redirect("library:files", uuid=found.uuid)
            else:
                file_form = forms.FileForm(request.POST, request.FILES)
                if file_form.is_valid():
                    file_services.file_upload(
                        resource=found,
                        by=_me(request),
                        upload=file_form.cleaned_data["file"],
                        label=file_form.cleaned_data["label"],
                    )
                    messages.success(request, _("The file is added."))
                    return redirect("library:files", uuid=found.uuid)
        except ApplicationError as error:
            target = (
                cover_form
                if "cover" in request.FILES
                else link_form
                if "url" in request.POST
                else file_form
            )
            forms.add_problems(target, error.details, error.message)
    return render(
        request,
        "library/files.html",
        {
            "resource": found,
            "files": found.files.all(),
            "file_form": file_form,
            "link_form": link_form,
            "cover_form": cover_form,
            "may_submit": found.status in services.EDITABLE_BY_OWNER
            and found.submitted_by_id == request.user.pk,
        },
    )


@login_required
@require_POST
def resource_submit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    found = page_resource(request, uuid)
    try:
        workflow.resource_submit(resource=found, by=_me(request))
    except ApplicationError as error:
        messages.error(
            request,
            " ".join(
                [
                    error.message,
                    *[str(d["message"]) + " (" + str(d["field"]) + ")" for d in error.details],
                ]
            ),
        )
        return redirect("library:files", uuid=found.uuid)
    messages.success(
        request, _("Submitted. The editors will review it; you will get an email at each step.")
    )
    return redirect("library:resource", uuid=found.uuid)


# --- Collections, usage, import and export -------------------------------------------------------
@require_http_methods(["GET", "POST"])
def collections(request: HttpRequest) -> HttpResponse:
    may_manage = request.user.is_authenticated and can(request.user, "collection.manage")
    form = forms.CollectionForm()
    if request.method == "POST":
        if not may_manage:
            raise Http404
        form = forms.CollectionForm(request.POST)
        if form.is_valid():
            try:
                created = services.collection_save(
                    by=_me(request),
                    code=form.cleaned_data["code"],
                    kind=form.cleaned_data["kind"],
                    names=form.names(),
                    descriptions={"en": form.cleaned_data["description_en"]},
                )
            except ApplicationError as error:
                forms.add_problems(form, error.details, error.message)
            else:
                return redirect("library:collection", code=created.code)
    return render(
        request,
        "library/collections.html",
        {"collections": selectors.collections(), "form": form if may_manage else None},
    )


@require_http_methods(["GET", "POST"])
def collection(request: HttpRequest, code: str) -> HttpResponse:
    found = selectors.collection_by_code(code)
    if found is None:
        raise Http404
    may_manage = request.user.is_authenticated and can(request.user, "collection.manage")
    form = forms.CollectionItemForm()
    if request.method == "POST":
        if not may_manage:
            raise Http404
        if "remove" in request.POST:
            resource = selectors.resource_by_uuid(request.POST.get("remove", ""))
            if resource is not None:
                services.collection_remove(collection=found, resource=resource, by=_me(request))
            return redirect("library:collection", code=found.code)
        form = forms.CollectionItemForm(request.POST)
        if form.is_valid():
            resource = selectors.resource_by_uuid(form.cleaned_data["resource"])
            if resource is None:
                form.add_error("resource", _("There is no resource with this identifier."))
            else:
                services.collection_add(collection=found, resource=resource, by=_me(request))
                return redirect("library:collection", code=found.code)
    return render(
        request,
        "library/collection.html",
        {
            "collection": found,
            "resources": selectors.collection_resources(found),
            "form": form if may_manage else None,
        },
    )


@login_required
@require_GET
def usage(request: HttpRequest, uuid: UUID) -> HttpResponse:
    found = page_resource(request, uuid)
    if not (can(request.user, "usage.view") or found.submitted_by_id == request.user.pk):
        raise Http404
    return render(
        request,
        "library/usage.html",
        {
            "resource": found,
            "totals": selectors.usage_totals(found),
            "months": selectors.usage_by_month(found),
            "countries": selectors.usage_by_country(found),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "resource.import"):
        raise Http404
    form = forms.ImportForm()
    report: csv_exchange.ImportReport | None = None
    created: list[Resource] = []
    if request.method == "POST":
        form = forms.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                created = csv_exchange.resources_import(
                    by=_me(request), upload=form.cleaned_data["file"]
                )
            except csv_exchange.ImportRefused as refused:
                report = refused.report
            except ApplicationError as error:
                form.add_error("file", error.message)
    return render(
        request,
        "library/import.html",
        {
            "form": form,
            "report": report,
            "created": created,
            "columns": csv_exchange.COLUMNS,
        },
        status=400 if report else 200,
    )


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("collection", "")
    found = selectors.collection_by_code(code) if code else None
    if code and found is None:
        raise Http404
    rows = selectors.collection_resources(found) if found else selectors.resources_for_export()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="library-{code or "all"}.csv"'
    csv_exchange.resources_export(rows, response)
    return response
