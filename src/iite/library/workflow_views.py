"""The review workflow's pages: what waits for me, and a resource's review page, where editors
assign reviewers and decide, and reviewers score and comment. Thin, like every view."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import forms, selectors, services
from iite.library import workflow as library_workflow
from iite.library.models import Resource
from iite.library.permissions import can
from iite.library.views import page_resource


@login_required
@require_GET
def workflow(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/workflow.html",
        {
            "queue": selectors.workflow_queue(request.user),
            "failures": selectors.extraction_failures()[:50]
            if can(request.user, "resource.edit")
            else [],
        },
    )


def _review_context(request: HttpRequest, found: Resource, **forms_given: Any) -> dict[str, Any]:
    user = request.user
    mine = selectors.review_for(found, user)
    is_editor = can(user, "resource.view_any")
    if not is_editor and mine is None:
        raise Http404
    review_form = forms_given.get("review_form")
    if review_form is None and mine is not None:
        initial = {
            "comment": mine.comment,
            "recommendation": mine.recommendation,
            **{f"score_{k}": str(v) for k, v in (mine.scores or {}).items()},
        }
        review_form = forms.ReviewForm(
            initial=initial, with_scores=found.kind == Resource.Kind.CASE_STUDY
        )
    return {
        "resource": found,
        "case_study": getattr(found, "case_study", None),
        "creators": found.creators.all(),
        "files": found.files.all(),
        "transitions": selectors.transitions_of(found),
        "reviews": selectors.reviews_of(found) if is_editor else [],
        "summary": selectors.review_summary(found) if is_editor else None,
        "criteria": [(c, forms.CRITERIA_LABELS[c]) for c in selectors.CRITERIA],
        "is_editor": is_editor,
        "mine": mine,
        "review_form": review_form,
        "assign_form": forms_given.get("assign_form")
        or forms.AssignForm(reviewers=selectors.reviewers()),
        "feedback_form": forms_given.get("feedback_form") or forms.FeedbackForm(),
        "withdraw_form": forms_given.get("withdraw_form") or forms.WithdrawForm(),
        "reinstate_form": forms_given.get("reinstate_form") or forms.ReinstateForm(),
        "edition_form": forms_given.get("edition_form") or forms.EditionForm(),
    }


@login_required
@require_GET
def review_page(request: HttpRequest, uuid: UUID) -> HttpResponse:
    found = page_resource(request, uuid)
    return render(request, "library/review.html", _review_context(request, found))


@login_required
@require_POST
def review_act(request: HttpRequest, uuid: UUID, action: str) -> HttpResponse:
    found = page_resource(request, uuid)
    user: Any = request.user
    form: Any = None
    forms_given: dict[str, Any] = {}
    try:
        if action == "assign":
            form = forms_given["assign_form"] = forms.AssignForm(
                request.POST, reviewers=selectors.reviewers()
            )
            if form.is_valid():
                reviewer = selectors.reviewers().filter(pk=form.cleaned_data["reviewer"]).first()
                if reviewer is None:
                    form.add_error("reviewer", _("Choose a reviewer from the list."))
                else:
                    library_workflow.review_assign(resource=found, reviewer=reviewer, by=user)
                    messages.success(request, _("The reviewer is assigned and informed by email."))
        elif action == "review":
            mine = selectors.review_for(found, user)
            if mine is None:
                raise Http404
            form = forms_given["review_form"] = forms.ReviewForm(
                request.POST, with_scores=found.kind == Resource.Kind.CASE_STUDY
            )
            if form.is_valid():
                library_workflow.review_save(
                    assignment=mine,
                    by=user,
                    scores=form.scores() or None,
                    comment=form.cleaned_data["comment"],
                    recommendation=form.cleaned_data["recommendation"],
                )
                messages.success(request, _("Your review is saved. Thank you."))
        elif action == "publish":
            library_workflow.resource_publish(resource=found, by=user)
            messages.success(request, _("Published."))
        elif action == "return":
            form = forms_given["feedback_form"] = forms.FeedbackForm(request.POST)
            if form.is_valid():
                library_workflow.resource_return(
                    resource=found, by=user, feedback=form.cleaned_data["feedback"]
                )
                messages.success(request, _("Returned to the submitter with your feedback."))
        elif action == "withdraw":
            form = forms_given["withdraw_form"] = forms.WithdrawForm(request.POST)
            if form.is_valid():
                library_workflow.resource_withdraw(
                    resource=found, by=user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Withdrawn. Its page now says so and why."))
        elif action == "reinstate":
            form = forms_given["reinstate_form"] = forms.ReinstateForm(request.POST)
            if form.is_valid():
                library_workflow.resource_reinstate(
                    resource=found, by=user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("Published again. Its page is back."))
        elif action == "edition":
            form = forms_given["edition_form"] = forms.EditionForm(request.POST)
            if form.is_valid():
                other = selectors.resource_by_uuid(form.cleaned_data["other"])
                if other is None:
                    form.add_error("other", _("There is no resource with this identifier."))
                else:
                    services.edition_link(resource=found, to=other, by=user)
                    messages.success(request, _("Linked as an edition of the same work."))
        else:
            raise Http404
    except PermissionDenied as error:
        messages.error(request, error.message)
    except ApplicationError as error:
        if form is not None:
            forms.add_problems(form, error.details, error.message)
        else:
            messages.error(request, error.message)
    if form is not None and form.errors:
        found.refresh_from_db()
        return render(
            request,
            "library/review.html",
            _review_context(request, found, **forms_given),
            status=400,
        )
    return redirect("library:review", uuid=found.uuid)
