"""Pages of the learning app: paths, steps, the learner's dashboard, facilitators' cohorts.

Thin: each view parses the request, calls one selector or service, and renders. Credential
pages (verify, public page, downloads) are in ``credential_views``.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iite.accounts.models import User
from iite.core.errors import ApplicationError, NotFound
from iite.core.translation import data_key
from iite.learning import credential_selectors, selectors, services
from iite.learning.models import LANGUAGE_CHOICES, Cohort, Enrolment, Path, Step, StepProgress
from iite.learning.permissions import can
from iite.learning.recommendations import latest_result_of, recommendations_for


def _path(request: HttpRequest, slug: str) -> Path:
    try:
        return selectors.path_by_slug(slug, user=request.user)
    except NotFound as error:
        raise Http404(error.message) from None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("language", "")
    if language not in dict(LANGUAGE_CHOICES):
        language = ""
    context = {
        "paths": selectors.paths_published(language=language or None),
        "languages": LANGUAGE_CHOICES,
        "language": language,
        "may_manage": can(request.user, "path.manage"),
    }
    return render(request, "learning/index.html", context)


@require_GET
def path_detail(request: HttpRequest, slug: str) -> HttpResponse:
    path = _path(request, slug)
    enrolment = selectors.enrolment_of(path, request.user)
    context = {
        "path": path,
        "progress": selectors.progress_of(enrolment) if enrolment else None,
        "missing": selectors.missing_prerequisites(path, request.user)
        if request.user.is_authenticated
        else [],
        "may_manage": can(request.user, "path.manage"),
    }
    return render(request, "learning/path.html", context)


@require_POST
@login_required
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    path = _path(request, slug)
    try:
        enrolment = services.enrol(path=path, user=_user(request))
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("learning:path", path.slug)
    progress = selectors.progress_of(enrolment)
    resume = progress.resume or path.steps.order_by("order").first()
    if resume is None:
        return redirect("learning:path", path.slug)
    return redirect("learning:step", path.slug, resume.order)


@require_http_methods(["GET", "POST"])
@login_required
def step(request: HttpRequest, slug: str, order: int) -> HttpResponse:
    path = _path(request, slug)
    found = get_object_or_404(Step.objects.select_related("resource"), path=path, order=order)
    enrolment = selectors.enrolment_of(path, request.user)
    if enrolment is None:
        messages.info(request, _("Enrol first to work through the steps."))
        return redirect("learning:path", path.slug)
    error, errors = "", {}
    if request.method == "POST":
        try:
            _act(request, enrolment, found)
        except ApplicationError as failure:
            error = failure.message
            errors = {detail["field"]: detail["message"] for detail in failure.details}
        else:
            enrolment.refresh_from_db()
            if enrolment.status == enrolment.Status.COMPLETED:
                messages.success(request, _("Path completed: your badge is ready."))
                return redirect("learning:dashboard")
            following = path.steps.filter(order__gt=found.order).order_by("order").first()
            target = following.order if following else found.order
            return redirect("learning:step", path.slug, target)
    progress = selectors.progress_of(enrolment)
    state = next(s for s in progress.steps if s.step.pk == found.pk)
    context = {
        "path": path,
        "step": found,
        "state": state,
        "progress": progress,
        "error": error,
        "errors": errors,
        "posted": request.POST,
        "questions": [
            {"number": n, "field": f"q{n}", **question}
            for n, question in enumerate(found.questions)
        ],
    }
    return render(request, "learning/step.html", context, status=400 if error else 200)


def _user(request: HttpRequest) -> User:
    """The signed-in person (views that call this are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _act(request: HttpRequest, enrolment: Enrolment, step: Step) -> None:
    user = _user(request)
    if step.kind == Step.Kind.ACTIVITY:
        services.activity_submit(
            enrolment=enrolment,
            step=step,
            user=user,
            text=request.POST.get("text", ""),
            file=request.FILES.get("file"),
        )
    elif step.kind == Step.Kind.QUIZ:
        answers: dict[int, int | None] = {}
        for number in range(len(step.questions)):
            value = request.POST.get(f"q{number}", "")
            answers[number] = int(value) if value.isdigit() else None
        services.quiz_submit(enrolment=enrolment, step=step, user=user, answers=answers)
    else:
        services.step_complete(enrolment=enrolment, step=step, user=user)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "enrolments": selectors.dashboard_of(_user(request)),
        "credentials": credential_selectors.credentials_of(_user(request)),
        "facilitating": selectors.cohorts_facilitated_by(_user(request)).exists(),
    }
    return render(request, "learning/dashboard.html", context)


@require_GET
@login_required
def recommendations(request: HttpRequest) -> HttpResponse:
    language = data_key(translation.get_language() or "en")
    result = latest_result_of(_user(request))
    suggestions = recommendations_for(result, language=language) if result is not None else []
    context = {"result": result, "suggestions": suggestions, "language": language}
    return render(request, "learning/recommendations.html", context)


# --- Facilitators --------------------------------------------------------------------------------
def _cohort(request: HttpRequest, cohort_id: int) -> Cohort:
    cohort = get_object_or_404(Cohort.objects.select_related("path"), pk=cohort_id)
    if not selectors.may_facilitate(request.user, cohort.path, cohort):
        raise Http404
    return cohort


@require_GET
@login_required
def cohorts(request: HttpRequest) -> HttpResponse:
    found = selectors.cohorts_facilitated_by(_user(request))
    return render(request, "learning/cohorts.html", {"cohorts": found})


@require_GET
@login_required
def cohort_detail(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    context = {
        "cohort": cohort,
        "rows": selectors.cohort_progress(cohort),
        "waiting": selectors.submissions_waiting(cohort.path).filter(enrolment__cohort=cohort),
    }
    return render(request, "learning/cohort.html", context)


@require_GET
@login_required
def cohort_csv(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = _cohort(request, cohort_id)
    reply = HttpResponse(content_type="text/csv; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="cohort-{cohort.pk}.csv"'
    reply.write("\ufeff")  # spreadsheets then read the file as UTF-8
    writer = csv.writer(reply)
    writer.writerow(
        [
            "learner",
            "email",
            "status",
            "steps_done",
            "steps_total",
            "percent",
            "waiting_for_review",
            "completed_at",
            "credential",
        ]
    )
    for row in selectors.cohort_progress(cohort):
        writer.writerow(
            [
                _safe(row.learner),
                _safe(row.email),
                row.status,
                row.done,
                row.total,
                row.percent,
                row.waiting,
                row.completed_at.isoformat() if row.completed_at else "",
                row.credential,
            ]
        )
    return reply


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_POST
@login_required
def review(request: HttpRequest, progress_id: int) -> HttpResponse:
    progress = get_object_or_404(
        StepProgress.objects.select_related("enrolment__path", "enrolment__cohort"),
        pk=progress_id,
    )
    enrolment = progress.enrolment
    if not selectors.may_facilitate(request.user, enrolment.path, enrolment.cohort):
        raise Http404
    try:
        services.submission_review(
            progress=progress,
            accept=request.POST.get("decision") == "accept",
            feedback=request.POST.get("feedback", ""),
            by=_user(request),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Review saved."))
    if enrolment.cohort_id:
        return redirect("learning:cohort", enrolment.cohort_id)
    return redirect("learning:cohorts")
