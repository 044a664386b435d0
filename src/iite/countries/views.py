"""Pages of the countries app: the country list, a country's profile (charts, comparison, what
changed), its CSV and PDF brief, the world map, and the staff's indicator imports.

Thin: parse the request, call one selector or service, render.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iite.core.errors import ApplicationError, PermissionDenied
from iite.core.pdf import FONT_FAMILIES, html_to_pdf
from iite.countries import evidence_sources, selectors, services
from iite.countries.formats import SKIP_REASONS
from iite.countries.forms import ImportForm
from iite.countries.models import PolicyRound
from iite.countries.permissions import can
from iite.reference.models import Country

ATTRIBUTION_NOTE = "countries/_attribution.html"


def _country(code: str) -> Country:
    country = selectors.country_by_code(code)
    if country is None:
        raise Http404
    return country


def _csv_response(rows: list[list[Any]], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(rows)
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    entries = selectors.countries_with_counts(q)
    context = {
        "entries": entries,
        "q": q,
        "with_data": sum(1 for entry in entries if entry.observations),
        "may_import": can(request.user, "indicators.import"),
    }
    return render(request, "countries/index.html", context)


def _profile_context(request: HttpRequest, country: Country) -> dict[str, Any]:
    profile = selectors.country_profile(country)
    series_choices = [block.series for block in profile.blocks]
    chosen_code = request.GET.get("series", "")
    chosen = next((s for s in series_choices if s.code == chosen_code), None)
    block = next((b for b in profile.blocks if b.series == chosen), None)
    if block is None and profile.blocks:
        block = profile.blocks[0]
    peer_codes = request.GET.getlist("peers")
    peers, unknown = selectors.peers_from_codes(peer_codes, exclude=country)
    comparison = None
    if block is not None:
        key = request.GET.get("breakdown", "")
        keys = [b.key for b in block.breakdowns]
        if key not in keys:
            key = next((b.key for b in block.charted), keys[0])
        comparison = selectors.comparison(
            country=country, series=block.series, key=key, peers=peers
        )
    since = None
    since_id = request.GET.get("since", "")
    if since_id.isdigit():
        since = selectors.release_by_id(int(since_id))
    applied = list(selectors.releases_applied()[:20])
    changes = selectors.changes_for(country=country, since=since) if since else []
    return {
        "country": country,
        "profile": profile,
        "comparison": comparison,
        "comparison_block": block,
        "peer_codes": [peer.alpha3 for peer in peers],
        "peer_slots": range(selectors.MAX_PEERS),
        "unknown_peers": unknown,
        "too_many_peers": len({c.strip().upper() for c in peer_codes if c.strip()})
        > selectors.MAX_PEERS,
        "all_countries": selectors.country_codes(),
        "releases": applied,
        "since": since,
        "changes": changes,
        "documents": evidence_sources.country_documents(country),
        "ict_cft": evidence_sources.ict_cft_summary(country),
        "policy_rounds": selectors.rounds_published(country),
    }


@require_GET
def profile(request: HttpRequest, code: str) -> HttpResponse:
    country = _country(code)
    context = _profile_context(request, country)
    status = 400 if context["unknown_peers"] else 200
    return render(request, "countries/profile.html", context, status=status)


@require_GET
def profile_csv(request: HttpRequest, code: str) -> HttpResponse:
    country = _country(code)
    context = _profile_context(request, country)
    header = [
        "part",
        "country",
        "series",
        "indicator",
        "level",
        "sex",
        "skill",
        "year",
        "value",
        "magnitude",
        "qualifier",
        "countries_in_mean",
    ]
    rows: list[list[Any]] = [header]
    for row in selectors.as_rows(context["profile"]):
        rows.append(
            [
                "observation",
                country.alpha3,
                row["series"],
                row["indicator"],
                row["level"],
                row["sex"],
                row["skill"],
                row["year"],
                row["value"],
                row["magnitude"],
                row["qualifier"],
                "",
            ]
        )
    comparison = context["comparison"]
    if comparison is not None:
        parts = selectors.breakdown_parts(comparison.key) or ("", "", "")
        for line in comparison.lines:
            for year in comparison.years:
                if year in line.points:
                    rows.append(
                        [
                            f"comparison:{line.kind}",
                            line.label,
                            comparison.series.code,
                            comparison.series.indicator.code,
                            *parts,
                            year,
                            line.points[year],
                            "",
                            "",
                            line.counts.get(year, ""),
                        ]
                    )
    summary = context["ict_cft"]
    if summary is not None:
        for row in summary.rows:
            rows.append(
                [
                    "ict-cft",
                    country.alpha3,
                    row.code,
                    "",
                    "",
                    "",
                    "",
                    "",
                    row.mean,
                    "",
                    "",
                    summary.respondents,
                ]
            )
    for document in context["documents"]:
        rows.append(
            [
                "document",
                country.alpha3,
                document.title,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                document.url,
            ]
        )
    return _csv_response(rows, f"country-profile-{country.alpha3}.csv")


@require_GET
def profile_pdf(request: HttpRequest, code: str) -> HttpResponse:
    country = _country(code)
    context = _profile_context(request, country)
    context["font_families"] = FONT_FAMILIES
    html = render_to_string("countries/brief_pdf.html", context, request=request)
    pdf = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="country-brief-{country.alpha3}.pdf"'
    return response


def _map_context(request: HttpRequest) -> dict[str, Any]:
    all_series = list(selectors.series_all())
    code = request.GET.get("series", "SE_ACS_INTNT")
    series = next((s for s in all_series if s.code == code), None)
    unknown = series is None and bool(request.GET.get("series"))
    if series is None:
        series = next((s for s in all_series if s.code == "SE_ACS_INTNT"), None) or (
            all_series[0] if all_series else None
        )
    view = (
        selectors.world_map(series=series, key=request.GET.get("breakdown", "")) if series else None
    )
    return {"all_series": all_series, "series": series, "view": view, "unknown": unknown}


@require_GET
def world_map(request: HttpRequest) -> HttpResponse:
    context = _map_context(request)
    return render(request, "countries/map.html", context, status=400 if context["unknown"] else 200)


@require_GET
def world_map_csv(request: HttpRequest) -> HttpResponse:
    context = _map_context(request)
    view = context["view"]
    rows: list[list[Any]] = [["country", "m49", "series", "breakdown", "year", "value", "flags"]]
    if view is not None:
        for row in view.rows:
            rows.append(
                [
                    row.country.alpha3,
                    row.country.m49,
                    view.series.code,
                    view.key,
                    row.year,
                    row.value,
                    row.flags,
                ]
            )
    return _csv_response(rows, "indicator-map.csv")


# --- Staff: imports ------------------------------------------------------------------------------
def _require_import(request: HttpRequest) -> None:
    if not can(request.user, "indicators.import"):
        raise Forbidden(_("Only the institute's staff may import indicators."))


@require_http_methods(["GET", "POST"])
@login_required
def imports(request: HttpRequest) -> HttpResponse:
    _require_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            release = services.indicator_upload_queue(
                upload=form.cleaned_data["file"],
                label=form.cleaned_data["label"],
                by=request.user,  # type: ignore[arg-type]
            )
        except PermissionDenied as error:
            raise Forbidden(error.message) from None
        except ApplicationError as error:
            form.add_error("file" if error.details else None, error.message)
        else:
            messages.success(request, _("The file was received; its import has started."))
            return redirect("countries:import-detail", release.pk)
    context = {"form": form, "releases": selectors.releases()[:50]}
    return render(request, "countries/imports.html", context, status=400 if form.is_bound else 200)


@require_GET
@login_required
def import_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    _require_import(request)
    release = selectors.release_by_id(release_id)
    if release is None:
        raise Http404
    skipped = [(SKIP_REASONS.get(reason, reason), n) for reason, n in release.skipped.items()]
    context = {
        "release": release,
        "rejections": selectors.rejections_of(release),
        "skipped": skipped,
        "refresh": not release.is_finished,
        "list_url": reverse("countries:imports"),
    }
    return render(request, "countries/import_detail.html", context)


# --- Policy self-assessment ----------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def policy_index(request: HttpRequest, code: str) -> HttpResponse:
    country = _country(code)
    may_answer = can(request.user, "policy.answer", country=country)
    if request.method == "POST":
        if not may_answer:
            raise Forbidden(_("Only the country's focal points may start a round."))
        try:
            round = services.policy_round_start(country=country, by=request.user)  # type: ignore[arg-type]
        except PermissionDenied as error:
            raise Forbidden(error.message) from None
        messages.success(request, _("A new round has started. Choose a level for every theme."))
        return redirect("countries:policy-round", country.alpha3, round.pk)
    context = {
        "country": country,
        "rounds": selectors.rounds_visible_to(request.user, country),
        "may_answer": may_answer,
    }
    return render(request, "countries/policy_index.html", context)


def _round(request: HttpRequest, country: Country, round_id: int) -> PolicyRound:
    round = selectors.round_by_id(country, round_id)
    if round is None or not selectors.may_see_round(request.user, round):
        raise Http404
    return round


@require_http_methods(["GET", "POST"])
def policy_round(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    country = _country(code)
    round = _round(request, country, round_id)
    may_answer = can(request.user, "policy.answer", country=country)
    errors: dict[str, str] = {}
    message = ""
    status = 200
    if request.method == "POST":
        if not may_answer:
            raise Forbidden(_("Only the country's focal points may answer."))
        themes = policy_themes_from_post(request.POST)
        try:
            services.policy_round_save(round=round, themes=themes, by=request.user)  # type: ignore[arg-type]
            if "submit" in request.POST:
                services.policy_round_submit(round=round, by=request.user)  # type: ignore[arg-type]
                messages.success(
                    request, _("The round was submitted. Here is your maturity profile.")
                )
            else:
                messages.success(request, _("Your answers were saved."))
            return redirect("countries:policy-round", country.alpha3, round.pk)
        except PermissionDenied as error:
            raise Forbidden(error.message) from None
        except ApplicationError as error:
            message = error.message
            errors = {str(d.get("field", "")): str(d["message"]) for d in error.details}
            status = 400
    view = selectors.round_view(round, user=request.user, recommend=request.method == "GET")
    context = {
        "rows": _form_rows(view, request.POST if status == 400 else None, errors),
        "country": country,
        "view": view,
        "may_answer": may_answer and not view.submitted,
        "may_publish": can(request.user, "policy.publish", country=country) and view.submitted,
        "errors": errors,
        "error_message": message,
        "posted": request.POST if request.method == "POST" else None,
        "documents": evidence_sources.document_choices(country) if may_answer else [],
        "visibilities": PolicyRound.Visibility.choices,
    }
    return render(request, "countries/policy_round.html", context, status=status)


def _form_rows(
    view: selectors.RoundView, posted: Any, errors: dict[str, str]
) -> list[dict[str, Any]]:
    """Per theme, the values the form shows: as posted after an error, else as stored."""
    rows = []
    for theme in view.themes:
        code = theme.code
        if posted is not None:
            level = posted.get(f"{code}-level", "")
            resource = posted.get(f"{code}-resource", "")
            values = {
                "level": int(level) if level.isdigit() else None,
                "target": posted.get(f"{code}-target", ""),
                "note": posted.get(f"{code}-note", ""),
                "link": posted.get(f"{code}-link", ""),
                "resource": int(resource) if resource.isdigit() else None,
            }
        else:
            evidence = theme.evidence
            values = {
                "level": theme.level_index,
                "target": theme.target,
                "note": evidence.note if evidence else "",
                "link": evidence.link if evidence else "",
                "resource": evidence.resource_id_value if evidence else None,
            }
        for part in ("level", "target", "note", "link", "resource"):
            values[f"{part}_error"] = errors.get(f"{code}-{part}", "")
        if not values["level_error"] and code in errors:
            values["level_error"] = errors[code]
        rows.append({"theme": theme, **values})
    return rows


def policy_themes_from_post(data: Any) -> dict[str, services.ThemeInput]:
    """The themes posted by the round form: ``<theme>-level``, ``-target``, ``-note``…"""
    themes: dict[str, services.ThemeInput] = {}
    for theme in data.getlist("themes"):
        level = data.get(f"{theme}-level", "")
        resource = data.get(f"{theme}-resource", "")
        themes[theme] = services.ThemeInput(
            level=int(level) if level.isdigit() else (-1 if level else None),
            target=data.get(f"{theme}-target", ""),
            note=data.get(f"{theme}-note", ""),
            link=data.get(f"{theme}-link", "").strip(),
            resource_id=int(resource) if resource.isdigit() else None,
        )
    return themes


@require_http_methods(["POST"])
def policy_visibility(request: HttpRequest, code: str, round_id: int) -> HttpResponse:
    country = _country(code)
    round = _round(request, country, round_id)
    try:
        services.policy_round_visibility(
            round=round,
            visibility=request.POST.get("visibility", ""),
            by=request.user,  # type: ignore[arg-type]
        )
    except PermissionDenied as error:
        raise Forbidden(error.message) from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Who may see this round was updated."))
    return redirect("countries:policy-round", country.alpha3, round.pk)
