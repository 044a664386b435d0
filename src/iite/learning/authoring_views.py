"""Authoring pages, under /<lang>/learning/manage/: paths, their steps, quizzes and cohorts.

For those whose role allows ``path.manage`` (editors, administrators); others signed in get 403.
Thin, like every view: parse the form, call one service of ``services`` or ``authoring``, and
render again with the problems beside their fields, or redirect. Every control is a plain form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iite.accounts.models import User
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.learning import authoring, authoring_selectors, services
from iite.learning.forms import CohortForm, PathForm, QuestionForm, StepForm, add_problems
from iite.learning.models import Path, Step
from iite.learning.permissions import can


def _author(request: HttpRequest) -> User:
    """The signed-in author (views that call this are behind ``login_required``)."""
    user = request.user
    if not isinstance(user, User) or not can(user, "path.manage"):
        raise Forbidden(_("Only editors and administrators write learning paths."))
    return user


def _path(request: HttpRequest, slug: str) -> Path:
    try:
        return authoring_selectors.path_for_authoring(slug, user=request.user)
    except PermissionDenied as error:
        raise Forbidden(error.message) from None
    except NotFound as error:
        raise Http404(error.message) from None


def _step(path: Path, step_id: int) -> Step:
    try:
        return authoring_selectors.step_for_authoring(path, step_id)
    except NotFound as error:
        raise Http404(error.message) from None


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any, *others: Any
) -> HttpResponse:
    """A form page: empty, or again with the problems beside their fields and summed up above
    (status 200, as the library's form pages)."""
    error_forms = [f for f in (form, *others) if f is not None and f.errors]
    return render(request, template, {**context, "form": form, "error_forms": error_forms})


# --- Paths ---------------------------------------------------------------------------------------
@login_required
@require_GET
def paths(request: HttpRequest) -> HttpResponse:
    user = _author(request)
    status = request.GET.get("status", "")
    mine = request.GET.get("mine") == "1"
    context = {
        "paths": authoring_selectors.paths_managed(user, status=status, mine=mine),
        "statuses": Path.Status.choices,
        "status": status if status in Path.Status.values else "",
        "mine": mine,
    }
    return render(request, "learning/manage/paths.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def path_new(request: HttpRequest) -> HttpResponse:
    user = _author(request)
    form = PathForm(request.POST or None, initial={"kind": Path.Kind.PATH})
    if request.method == "POST" and form.is_valid():
        try:
            path = services.path_create(by=user, **form.service_fields())
        except ApplicationError as error:
            add_problems(form, error.details, error.message)
        else:
            messages.success(request, _("The path is saved as a draft. Now add its steps."))
            return redirect("learning:manage-path", path.slug)
    return _form_page(request, "learning/manage/path_form.html", {"path": None}, form)


@login_required
@require_http_methods(["GET", "POST"])
def path_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    if request.method == "POST":
        form = PathForm(request.POST, path=path)
        if form.is_valid():
            try:
                authoring.path_update(path=path, by=user, **form.service_fields())
            except ApplicationError as error:
                add_problems(form, error.details, error.message)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("learning:manage-path", path.slug)
    else:
        form = PathForm(initial=PathForm.initial_for(path), path=path)
    return _form_page(request, "learning/manage/path_form.html", {"path": path}, form)


@login_required
@require_GET
def path_manage(request: HttpRequest, slug: str) -> HttpResponse:
    _author(request)
    path = _path(request, slug)
    context = {
        "path": path,
        "steps": authoring_selectors.steps_for_authoring(path),
        "cohorts": authoring_selectors.cohorts_of(path),
        "kinds": Step.Kind.choices,
    }
    return render(request, "learning/manage/path.html", context)


@login_required
@require_POST
def path_status(request: HttpRequest, slug: str) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    action = request.POST.get("action", "")
    try:
        if action == "publish":
            services.path_publish(path=path, by=user)
            messages.success(request, _("Published: learners can find it and enrol."))
        elif action == "unpublish":
            authoring.path_unpublish(path=path, by=user)
            messages.success(request, _("Back to draft: only authors see it."))
        elif action == "archive":
            authoring.path_archive(path=path, by=user)
            messages.success(
                request, _("Archived: closed to new learners; those enrolled can finish it.")
            )
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("learning:manage-path", path.slug)


# --- Steps ---------------------------------------------------------------------------------------
def _step_context(request: HttpRequest, path: Path, kind: str, step: Step | None) -> dict[str, Any]:
    query = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    resources: list[Any] = []
    if kind == Step.Kind.RESOURCE:
        resources = authoring_selectors.resources_to_choose(query)
        chosen = request.POST.get("resource") or (
            str(step.resource.uuid) if step and step.resource else ""
        )
        current = authoring_selectors.resource_to_choose(chosen)
        if current is not None and current not in resources:
            resources.insert(0, current)
    return {
        "path": path,
        "step": step,
        "kind": kind,
        "kind_label": Step.Kind(kind).label,
        "query": query,
        "resources": resources,
    }


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    if kind not in Step.Kind.values:
        raise Http404
    context = _step_context(request, path, kind, None)
    posted = request.POST if request.method == "POST" else None
    form = StepForm(posted, kind=kind, resources=context["resources"])
    # A quiz starts with its first question; the others are added on its questions page.
    question = QuestionForm(posted, prefix="q1") if kind == Step.Kind.QUIZ else None
    if request.method == "POST":
        valid = form.is_valid()
        valid = (question is None or question.is_valid()) and valid
        if valid:
            fields = form.service_fields()
            if question is not None:
                fields["questions"] = [question.question_fields()]
            try:
                step = services.step_add(path=path, kind=kind, by=user, **fields)
            except ApplicationError as error:
                quiz = [d for d in error.details if str(d["field"]).startswith("questions")]
                rest = [d for d in error.details if d not in quiz]
                add_problems(form, rest, "" if error.details else error.message)
                if question is not None:
                    add_problems(question, quiz)
            else:
                messages.success(request, _("The step is added at the end of the path."))
                if step.kind == Step.Kind.QUIZ:
                    return redirect("learning:manage-questions", path.slug, step.pk)
                return redirect("learning:manage-path", path.slug)
    context["question"] = question
    return _form_page(request, "learning/manage/step_form.html", context, form, question)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    step = _step(path, step_id)
    context = _step_context(request, path, step.kind, step)
    if request.method == "POST":
        form = StepForm(request.POST, kind=step.kind, resources=context["resources"])
        if form.is_valid():
            try:
                authoring.step_update(step=step, by=user, **form.service_fields())
            except ApplicationError as error:
                add_problems(form, error.details, error.message)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("learning:manage-path", path.slug)
    else:
        form = StepForm(
            initial=StepForm.initial_for(step), kind=step.kind, resources=context["resources"]
        )
    return _form_page(request, "learning/manage/step_form.html", context, form)


@login_required
@require_POST
def step_remove(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    step = _step(path, step_id)
    try:
        authoring.step_remove(step=step, by=user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The step “%(title)s” is removed.") % {"title": step.title})
    return redirect("learning:manage-path", path.slug)


@login_required
@require_POST
def step_move(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    step = _step(path, step_id)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        raise Http404
    try:
        authoring.step_move(step=step, direction="up" if direction == "up" else "down", by=user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The step “%(title)s” is moved.") % {"title": step.title})
    return redirect(f"{reverse('learning:manage-path', args=[path.slug])}#step-{step.pk}")


# --- Quiz questions ------------------------------------------------------------------------------
def _quiz(path: Path, step_id: int) -> Step:
    step = _step(path, step_id)
    if step.kind != Step.Kind.QUIZ:
        raise Http404
    return step


@login_required
@require_http_methods(["GET", "POST"])
def questions(request: HttpRequest, slug: str, step_id: int) -> HttpResponse:
    """A quiz's questions, and the form that adds one."""
    user = _author(request)
    path = _path(request, slug)
    step = _quiz(path, step_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authoring.quiz_question_save(step=step, number=None, by=user, **form.question_fields())
        except ApplicationError as error:
            add_problems(form, error.details, error.message)
        else:
            messages.success(request, _("The question is added."))
            return redirect("learning:manage-questions", path.slug, step.pk)
    context = {"path": path, "step": step, "questions": _numbered(step)}
    return _form_page(request, "learning/manage/questions.html", context, form)


def _numbered(step: Step) -> list[dict[str, Any]]:
    return [
        {
            "number": number,
            "question": question.get("question", ""),
            "choices": [
                {"text": text, "right": index == question.get("answer")}
                for index, text in enumerate(question.get("choices", []))
            ],
        }
        for number, question in enumerate(step.questions, 1)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, slug: str, step_id: int, number: int) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    step = _quiz(path, step_id)
    if not 1 <= number <= len(step.questions):
        raise Http404
    current = step.questions[number - 1]
    slots = len(current.get("choices", [])) + 1
    if request.method == "POST":
        form = QuestionForm(request.POST, slots=slots)
        if form.is_valid():
            try:
                authoring.quiz_question_save(
                    step=step, number=number - 1, by=user, **form.question_fields()
                )
            except ApplicationError as error:
                add_problems(form, error.details, error.message)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("learning:manage-questions", path.slug, step.pk)
    else:
        form = QuestionForm(initial=QuestionForm.initial_for(current), slots=slots)
    context = {"path": path, "step": step, "number": number}
    return _form_page(request, "learning/manage/question_form.html", context, form)


@login_required
@require_POST
def question_remove(request: HttpRequest, slug: str, step_id: int, number: int) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    step = _quiz(path, step_id)
    try:
        authoring.quiz_question_remove(step=step, number=number - 1, by=user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question is removed."))
    return redirect("learning:manage-questions", path.slug, step.pk)


# --- Cohorts -------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def cohort_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cohort_create(path=path, by=user, **form.cleaned_data)
        except ApplicationError as error:
            add_problems(form, error.details, error.message)
        else:
            messages.success(request, _("The cohort is saved."))
            return redirect("learning:manage-path", path.slug)
    context = {"path": path, "cohort": None}
    return _form_page(request, "learning/manage/cohort_form.html", context, form)


@login_required
@require_http_methods(["GET", "POST"])
def cohort_edit(request: HttpRequest, slug: str, cohort_id: int) -> HttpResponse:
    user = _author(request)
    path = _path(request, slug)
    try:
        cohort = authoring_selectors.cohort_for_authoring(path, cohort_id)
    except NotFound as error:
        raise Http404(error.message) from None
    if request.method == "POST":
        form = CohortForm(request.POST)
        if form.is_valid():
            try:
                authoring.cohort_update(cohort=cohort, by=user, **form.cleaned_data)
            except ApplicationError as error:
                add_problems(form, error.details, error.message)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect("learning:manage-path", path.slug)
    else:
        form = CohortForm(initial=CohortForm.initial_for(cohort))
    context = {"path": path, "cohort": cohort}
    return _form_page(request, "learning/manage/cohort_form.html", context, form)
