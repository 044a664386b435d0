"""Answering pages: start or join, one page per section, review and submit, the report.

Thin: each view parses the request, calls one service or read, and renders. Anonymous
respondents are recognised by the responses started in their browser session (and by their
resume code from another browser); signed-in ones by their account.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iite.assessments import answering, downloads, own_questions, reports, selectors, services
from iite.assessments.models import Campaign, Response
from iite.core.errors import ApplicationError, NotFound
from iite.core.translation import pick

SESSION_KEY = "assessment_responses"


def _remember(request: HttpRequest, response: Response) -> None:
    ids = list(request.session.get(SESSION_KEY, []))
    if response.pk not in ids:
        request.session[SESSION_KEY] = [*ids[-49:], response.pk]


def _response(request: HttpRequest, response_id: int) -> Response:
    try:
        return answering.response_for(
            response_id, user=request.user, session_ids=request.session.get(SESSION_KEY, [])
        )
    except NotFound as error:
        raise Http404(error.message) from None


def _first_section(response: Response) -> str:
    definition = selectors.definition_of(response.instrument)
    return answering.sections_for(definition, response.group)[0].code


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    latest: dict[str, object] = {}
    for instrument in selectors.instruments():
        latest.setdefault(instrument.code, instrument)
    return render(request, "assessments/index.html", {"instruments": list(latest.values())})


@require_POST
@login_required
def self_start(request: HttpRequest, code: str) -> HttpResponse:
    instrument = selectors.instrument_latest(code)
    if instrument is None or instrument.anonymous:
        raise Http404
    try:
        campaign = services.campaign_self_for(user=request.user, instrument=instrument)
        group = campaign.groups[0]
        response, _code = services.response_start(
            campaign=campaign,
            group=group,
            user=request.user,
            language=translation.get_language() or "",
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("assessments:index")
    return redirect("assessments:answer", response.pk, _first_section(response))


@require_GET
def join(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()
    if not code:
        return render(request, "assessments/join.html", {"error": ""})
    try:
        campaign = selectors.campaign_by_join_code(code)
    except NotFound as error:
        return render(request, "assessments/join.html", {"error": error.message, "code": code})
    return redirect("assessments:campaign", campaign.join_code)


def _campaign(join_code: str) -> Campaign:
    try:
        return selectors.campaign_by_join_code(join_code)
    except NotFound as error:
        raise Http404(error.message) from None


def _groups(found: Campaign) -> list[dict[str, str]]:
    definition = selectors.definition_of(found.instrument)
    return [
        {"code": group.code, "name": pick(group.names)}
        for group in definition.groups
        if group.code in found.groups
    ]


@require_http_methods(["GET", "POST"])
def campaign(request: HttpRequest, join_code: str) -> HttpResponse:
    found = _campaign(join_code)
    groups = _groups(found)
    error = ""
    if request.method == "POST":
        try:
            response, resume_code = services.response_start(
                campaign=found,
                group=request.POST.get("group", ""),
                user=request.user,
                language=translation.get_language() or "",
            )
        except ApplicationError as failure:
            error = failure.message
        else:
            _remember(request, response)
            if resume_code:
                return render(
                    request,
                    "assessments/resume_code.html",
                    {
                        "response": response,
                        "resume_code": resume_code,
                        "campaign": found,
                        "first": _first_section(response),
                    },
                )
            return redirect("assessments:answer", response.pk, _first_section(response))
    context = {"campaign": found, "groups": groups, "error": error}
    return render(request, "assessments/campaign.html", context, status=400 if error else 200)


@require_POST
def resume(request: HttpRequest, join_code: str) -> HttpResponse:
    found = _campaign(join_code)
    try:
        response = services.response_resume(
            campaign=found, resume_code=request.POST.get("resume_code", "")
        )
    except ApplicationError as error:
        context = {
            "campaign": found,
            "groups": _groups(found),
            "resume_error": error.message,
        }
        return render(request, "assessments/campaign.html", context, status=400)
    _remember(request, response)
    return redirect("assessments:answer", response.pk, _first_section(response))


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, response_id: int, section: str) -> HttpResponse:
    response = _response(request, response_id)
    if response.is_submitted:
        return redirect("assessments:result", response.pk)
    if own_questions.is_own_section(response, section):
        return _answer_own(request, response)
    page = answering.answer_page(response, section)
    if page is None:
        raise Http404
    page = own_questions.with_own_page(page)
    if request.method == "POST":
        raw = answering.answers_from_post(page, request.POST)
        try:
            services.response_answers_save(response=response, section_code=section, answers=raw)
        except ApplicationError as error:
            errors = {detail["field"]: detail["message"] for detail in error.details}
            page = answering.answer_page(response, section, posted=request.POST, errors=errors)
            page = own_questions.with_own_page(page) if page else None
            context = {"page": page, "error": error.message}
            return render(request, "assessments/answer.html", context, status=400)
        target = page.previous if "back" in request.POST else page.next
        if target:
            return redirect("assessments:answer", response.pk, target)
        return redirect("assessments:review", response.pk)
    return render(request, "assessments/answer.html", {"page": page, "error": ""})


def _answer_own(request: HttpRequest, response: Response) -> HttpResponse:
    """The extra last page: the campaign's own questions asked of the respondent's group."""
    page = own_questions.own_page(response)
    if page is None:
        raise Http404
    if request.method == "POST":
        raw = answering.answers_from_post(page, request.POST)
        try:
            services.own_answers_save(
                response=response, answers={int(code): value for code, value in raw.items()}
            )
        except ApplicationError as error:
            errors = {detail["field"]: detail["message"] for detail in error.details}
            page = own_questions.own_page(response, posted=request.POST, errors=errors)
            context = {"page": page, "error": error.message}
            return render(request, "assessments/answer.html", context, status=400)
        if "back" in request.POST and page.previous:
            return redirect("assessments:answer", response.pk, page.previous)
        return redirect("assessments:review", response.pk)
    return render(request, "assessments/answer.html", {"page": page, "error": ""})


@require_GET
def review(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _response(request, response_id)
    if response.is_submitted:
        return redirect("assessments:result", response.pk)
    rows = answering.progress(response) + own_questions.own_progress(response)
    context = {
        "response": response,
        "rows": rows,
        "missing": sum(row.missing_required for row in rows),
        "submission_key": uuid.uuid4(),
    }
    return render(request, "assessments/review.html", context)


@require_POST
def submit(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _response(request, response_id)
    try:
        services.response_submit(
            response=response, submission_key=request.POST.get("submission_key", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("assessments:review", response.pk)
    return redirect("assessments:result", response.pk)


@require_GET
def result_pdf(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _response(request, response_id)
    report = reports.individual_report(response)
    if report is None:
        return redirect("assessments:review", response.pk)
    own_answers = own_questions.own_answers_of(response)
    return downloads.pdf_download(
        request,
        "assessments/result_pdf.html",
        {"report": report, "response": response, "own_answers": own_answers},
        filename=f"{response.instrument.code}-{response.submitted_at:%Y-%m-%d}.pdf",
        fallback=reverse("assessments:result", args=[response.pk]),
    )


@require_GET
def result(request: HttpRequest, response_id: int) -> HttpResponse:
    response = _response(request, response_id)
    if not response.is_submitted:
        return redirect("assessments:review", response.pk)
    report = reports.individual_report(response)
    context = {
        "report": report,
        "response": response,
        "own_answers": own_questions.own_answers_of(response),
    }
    return render(request, "assessments/result.html", context)
