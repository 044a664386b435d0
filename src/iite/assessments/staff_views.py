"""Pages for the people who run campaigns: their campaigns, opening and closing one, the group
report and its CSV and PDF, the school's action plan; and the CSV of a person's own result.

Thin: each view parses the request, checks ``permissions.can`` (through
``group_reports.Permissions``) for the campaign's scope, calls one read or service, and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iite.assessments import (
    answering,
    downloads,
    group_reports,
    own_questions,
    reports,
    selectors,
    services,
)
from iite.assessments.forms import (
    CAMPAIGN_FIELDS,
    ActionItemFormSet,
    CampaignForm,
    OwnQuestionForm,
    goals_kept,
)
from iite.assessments.models import Campaign, Instrument, OwnQuestion
from iite.assessments.permissions import OPEN_ACTIONS
from iite.assessments.views import SESSION_KEY
from iite.core.errors import ApplicationError, NotFound, PermissionDenied

BLANK_GOAL_ROWS = 2


def _campaign(campaign_id: int) -> Campaign:
    found = group_reports.campaign_managed(campaign_id)
    if found is None:
        raise Http404
    return found


def _csv_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- My campaigns --------------------------------------------------------------------------------
@require_GET
@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    allowed = group_reports.Permissions(user)
    managed = group_reports.campaigns_managed_by(user, allowed)
    may_open = bool(group_reports.campaign_choices(user, allowed).scopes)
    context = {"managed": managed, "may_open": may_open}
    return render(request, "assessments/staff/campaigns.html", context)


def _latest_instruments() -> list[Instrument]:
    latest: dict[str, Instrument] = {}
    for instrument in selectors.instruments():
        latest.setdefault(instrument.code, instrument)
    return list(latest.values())


@require_http_methods(["GET", "POST"])
@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    choices = group_reports.campaign_choices(request.user)  # type: ignore[arg-type]
    if not choices.scopes:
        raise Forbidden(_("You may not open a campaign."))
    instruments = _latest_instruments()
    code = request.GET.get("instrument", "")
    instrument = next((item for item in instruments if item.code == code), None)
    if instrument is None:
        context = {"instruments": instruments, "unknown": bool(code)}
        status = 400 if code else 200
        return render(request, "assessments/staff/campaign_choose.html", context, status=status)
    definition = selectors.definition_of(instrument)
    data = request.POST if request.method == "POST" else None
    form = CampaignForm(data, choices=choices, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.campaign_open(
                instrument=instrument,
                by=request.user,  # type: ignore[arg-type]
                **form.service_arguments(),
            )
        except PermissionDenied as error:
            raise Forbidden(error.message) from None
        except ApplicationError as error:
            for detail in error.details:
                form.add_error(
                    CAMPAIGN_FIELDS.get(str(detail.get("field")), None), detail["message"]
                )
            if not error.details:
                form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The campaign is open. Share its link or code with the respondents.")
            )
            return redirect("assessments:campaign-detail", created.pk)
    context = {"form": form, "instrument": instrument, "definition": definition}
    status = 400 if form.is_bound else 200
    return render(request, "assessments/staff/campaign_new.html", context, status=status)


@require_GET
@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    return _detail(request, _campaign(campaign_id))


def _detail(
    request: HttpRequest, campaign: Campaign, own_form: OwnQuestionForm | None = None
) -> HttpResponse:
    """The campaign page; with ``own_form``, again after an own question was refused."""
    allowed = group_reports.Permissions(request.user)
    if not (allowed.manage(campaign) or allowed.report(campaign)):
        raise Forbidden
    join_url = request.build_absolute_uri(
        reverse("assessments:campaign", args=[campaign.join_code])
    )
    may_own = _may_own(allowed, campaign)
    context = {
        "campaign": campaign,
        "join_url": join_url,
        "counts": group_reports.respondent_counts(campaign),
        "may_manage": allowed.manage(campaign),
        "may_report": allowed.report(campaign),
        "may_plan": allowed.plan(campaign),
        "may_own": may_own,
    }
    if may_own:
        questions = own_questions.questions_of(campaign)
        answered = own_questions.answered_ids(campaign)
        context |= {
            "own_questions": [(question, question.pk in answered) for question in questions],
            "own_max": own_questions.MAX_OWN_QUESTIONS,
            "own_form": own_form or OwnQuestionForm(groups=_group_choices(campaign)),
            "own_open": campaign.status != Campaign.Status.CLOSED,
        }
    status = 400 if own_form is not None else 200
    return render(request, "assessments/staff/campaign_detail.html", context, status=status)


# --- Own questions -------------------------------------------------------------------------------
def _may_own(allowed: group_reports.Permissions, campaign: Campaign) -> bool:
    return own_questions.allowed_for(campaign) and allowed(
        OPEN_ACTIONS[Campaign.Scope.ORGANISATION], organisation=campaign.organisation_id
    )


def _group_choices(campaign: Campaign) -> list[tuple[str, str]]:
    names = group_reports.group_names(selectors.definition_of(campaign.instrument))
    return [(group, names.get(group, group)) for group in campaign.groups]


def _own_campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = _campaign(campaign_id)
    if not _may_own(group_reports.Permissions(request.user), campaign):
        raise Forbidden
    return campaign


def _own_question(campaign: Campaign, question_id: int) -> OwnQuestion:
    question = own_questions.question_of(campaign, question_id)
    if question is None:
        raise Http404
    return question


def _service_errors(form: OwnQuestionForm, error: ApplicationError) -> None:
    for detail in error.details:
        field = str(detail.get("field"))
        form.add_error(field if field in form.fields else None, detail["message"])
    if not error.details:
        form.add_error(None, error.message)


@require_http_methods(["POST"])
@login_required
def own_question_add(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _own_campaign(request, campaign_id)
    form = OwnQuestionForm(request.POST, groups=_group_choices(campaign))
    if form.is_valid():
        try:
            services.own_question_add(
                campaign=campaign,
                text=form.cleaned_data["text"],
                groups=form.cleaned_data["groups"],
                by=request.user,  # type: ignore[arg-type]
                language=translation.get_language() or "",
            )
        except PermissionDenied as error:
            raise Forbidden(error.message) from None
        except ApplicationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect(reverse("assessments:campaign-detail", args=[campaign.pk]) + "#own")
    return _detail(request, campaign, own_form=form)


@require_http_methods(["GET", "POST"])
@login_required
def own_question_edit(request: HttpRequest, campaign_id: int, question_id: int) -> HttpResponse:
    campaign = _own_campaign(request, campaign_id)
    question = _own_question(campaign, question_id)
    groups = _group_choices(campaign)
    initial = {"text": question.text, "groups": list(question.groups)}
    if request.method == "POST":
        form = OwnQuestionForm(request.POST, groups=groups, initial=initial)
        if form.is_valid():
            try:
                services.own_question_update(
                    question=question,
                    text=form.cleaned_data["text"],
                    groups=form.cleaned_data["groups"],
                    by=request.user,  # type: ignore[arg-type]
                )
            except PermissionDenied as error:
                raise Forbidden(error.message) from None
            except ApplicationError as error:
                _service_errors(form, error)
            else:
                messages.success(request, _("The question is saved."))
                return redirect(reverse("assessments:campaign-detail", args=[campaign.pk]) + "#own")
    else:
        form = OwnQuestionForm(groups=groups, initial=initial)
    context = {"campaign": campaign, "question": question, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "assessments/staff/own_question_edit.html", context, status=status)


@require_http_methods(["POST"])
@login_required
def own_question_remove(request: HttpRequest, campaign_id: int, question_id: int) -> HttpResponse:
    campaign = _own_campaign(request, campaign_id)
    question = _own_question(campaign, question_id)
    try:
        services.own_question_remove(question=question, by=request.user)  # type: ignore[arg-type]
    except PermissionDenied as error:
        raise Forbidden(error.message) from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question is removed."))
    return redirect(reverse("assessments:campaign-detail", args=[campaign.pk]) + "#own")


@require_http_methods(["GET", "POST"])
@login_required
def campaign_close(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(campaign_id)
    if not group_reports.Permissions(request.user).manage(campaign):
        raise Forbidden
    if request.method == "POST":
        try:
            services.campaign_close(campaign=campaign, by=request.user)  # type: ignore[arg-type]
        except ApplicationError as error:
            raise Forbidden(error.message) from None
        messages.success(request, _("The campaign is closed: it takes no more answers."))
        return redirect("assessments:campaign-detail", campaign.pk)
    return render(request, "assessments/staff/campaign_close.html", {"campaign": campaign})


# --- Reports -------------------------------------------------------------------------------------
def _reported(request: HttpRequest, campaign_id: int) -> Campaign:
    campaign = _campaign(campaign_id)
    if not group_reports.Permissions(request.user).report(campaign):
        raise Forbidden
    return campaign


@require_GET
@login_required
def campaign_report(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _reported(request, campaign_id)
    report = group_reports.group_report(campaign)
    own = own_questions.own_report(campaign, report.columns)
    may_plan = group_reports.Permissions(request.user).plan(campaign)
    context = {"report": report, "own": own, "campaign": campaign, "may_plan": may_plan}
    return render(request, "assessments/staff/report.html", context)


@require_GET
@login_required
def campaign_report_csv(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _reported(request, campaign_id)
    report = group_reports.group_report(campaign)
    own = own_questions.own_report(campaign, report.columns)
    content = group_reports.group_report_csv(report, own=own)
    return _csv_response(content, f"campaign-{campaign.join_code}-report.csv")


@require_GET
@login_required
def campaign_report_pdf(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """The group report as a print document: the same figures, withheld in the same places."""
    campaign = _reported(request, campaign_id)
    report = group_reports.group_report(campaign)
    own = own_questions.own_report(campaign, report.columns)
    return downloads.pdf_download(
        request,
        "assessments/staff/report_pdf.html",
        {"report": report, "own": own, "campaign": campaign},
        filename=f"campaign-{campaign.join_code}-report.pdf",
        fallback=reverse("assessments:campaign-report", args=[campaign.pk]),
    )


@require_GET
def result_csv(request: HttpRequest, response_id: int) -> HttpResponse:
    try:
        response = answering.response_for(
            response_id, user=request.user, session_ids=request.session.get(SESSION_KEY, [])
        )
    except NotFound as error:
        raise Http404(error.message) from None
    report = reports.individual_report(response)
    if report is None:
        raise Http404
    own_answers = [
        (question.text, answer) for question, answer in own_questions.own_answers_of(response)
    ]
    content = group_reports.individual_report_csv(report, own_answers)
    return _csv_response(content, f"result-{response.campaign.join_code}-{response.pk}.csv")


# --- Action plan ---------------------------------------------------------------------------------
def _goal_rows(campaign: Campaign, weakest: list[group_reports.Row]) -> list[dict[str, Any]]:
    plan = group_reports.action_plan_of(campaign)
    if plan is not None:
        rows = [
            {
                "area": item.area,
                "goal": item.goal,
                "owner_name": item.owner_name,
                "due_on": item.due_on,
                "status": item.status,
            }
            for item in plan.items.all()
        ]
    else:
        rows = [{"area": row.code} for row in weakest]
    return rows + [{} for _row in range(BLANK_GOAL_ROWS)]


@require_http_methods(["GET", "POST"])
@login_required
def action_plan(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(campaign_id)
    allowed = group_reports.Permissions(request.user)
    if not allowed.plan(campaign):
        raise Forbidden
    may_edit = allowed.plan(campaign, edit=True)
    report = group_reports.group_report(campaign, with_previous=False)
    weakest = group_reports.weakest_areas(report)
    areas = group_reports.area_choices(campaign)
    error = ""
    if request.method == "POST":
        if not may_edit:
            raise Forbidden
        formset = ActionItemFormSet(request.POST, form_kwargs={"areas": areas}, prefix="goals")
        if formset.is_valid():
            kept = goals_kept(formset)
            organisation = campaign.organisation
            if organisation is None:  # plan() admits organisation campaigns only
                raise Http404
            try:
                services.action_plan_save(
                    organisation=organisation,
                    campaign=campaign,
                    items=[goal for _form, goal in kept],
                    by=request.user,  # type: ignore[arg-type]
                )
            except PermissionDenied as failure:
                raise Forbidden(failure.message) from None
            except ApplicationError as failure:
                error = failure.message
                for detail in failure.details:
                    parts = str(detail.get("field", "")).split(".")
                    if len(parts) == 3 and parts[1].isdigit() and 0 < int(parts[1]) <= len(kept):
                        kept[int(parts[1]) - 1][0].add_error(parts[2], detail["message"])
            else:
                messages.success(request, _("The action plan is saved."))
                return redirect("assessments:action-plan", campaign.pk)
        else:
            error = _("The action plan was not saved; see each goal.")
    else:
        formset = ActionItemFormSet(
            initial=_goal_rows(campaign, weakest), form_kwargs={"areas": areas}, prefix="goals"
        )
    context = {
        "campaign": campaign,
        "report": report,
        "weakest": weakest,
        "formset": formset,
        "may_edit": may_edit,
        "error": error,
        "plan": group_reports.action_plan_of(campaign),
    }
    return render(
        request, "assessments/staff/action_plan.html", context, status=400 if error else 200
    )
