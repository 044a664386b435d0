"""The library's workflow: a resource submitted, reviewed, returned, published, withdrawn and
published again, each step recorded as a ``Transition`` and emailed to whom it concerns; and
harvested records, which skip review and are published (or withdrawn) directly.

The rules of ``library.services`` hold here, with its helpers: permission table, one transaction
with the resource's row locked, index row refreshed in it, email only after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import dublin_core, metadata
from iite.library.models import CaseStudy, HarvestSource, Resource, ReviewAssignment, Transition
from iite.library.permissions import can
from iite.library.selectors import CRITERIA, SCORE_MAX, SCORE_MIN
from iite.library.services import (
    EDITABLE_BY_OWNER,
    Status,
    _field_error,
    _index,
    _locked,
    _require,
    _write,
)


# --- Steps and their emails ----------------------------------------------------------------------
def _notify(resource: Resource, transition: Transition, recipient: User | None) -> None:
    """Email ``recipient`` about a step of the workflow once the transaction has committed."""
    if recipient is None or not recipient.email or not recipient.is_active:
        return
    resource_id, transition_id, user_id = resource.pk, transition.pk, recipient.pk

    def send() -> None:
        transition_send(resource_id=resource_id, transition_id=transition_id, user_id=user_id)

    # robust: a mail server that is down is logged; the step itself is already saved.
    transaction.on_commit(send, robust=True)


def transition_send(*, resource_id: int, transition_id: int, user_id: int) -> None:
    """Send the email about one transition, in the recipient's language."""
    resource = Resource.objects.get(pk=resource_id)
    transition = Transition.objects.select_related("by").get(pk=transition_id)
    user = User.objects.get(pk=user_id)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        path = reverse("library:resource", kwargs={"uuid": resource.uuid})
        context = {
            "user": user,
            "resource": resource,
            "transition": transition,
            "status": Status(transition.to_status).label,
            "url": f"{settings.SITE_URL}{path}",
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string("library/email/transition_subject.txt", context)
        body = render_to_string("library/email/transition_body.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def _move(
    resource: Resource, to: str, *, by: User | None, comment: str = "", notify: bool = True
) -> Transition:
    transition = Transition.objects.create(
        resource=resource, from_status=resource.status, to_status=to, by=by, comment=comment
    )
    resource.status = to
    if notify:
        _notify(resource, transition, resource.submitted_by)
    return transition


# --- Submission, review and decisions ----------------------------------------------------------
def resource_submit(*, resource: Resource, by: User) -> Resource:
    """The submitter (or an editor) sends a draft or returned resource to the editors."""
    _require(by, "resource.submit")
    if resource.submitted_by_id != by.pk and not can(by, "resource.edit"):
        raise PermissionDenied(_("Only the person who wrote it may submit this resource."))
    with transaction.atomic():
        current = _locked(resource)
        if current.status not in EDITABLE_BY_OWNER:
            raise ApplicationError(
                _("Only a draft or a returned resource can be submitted."), code="bad_state"
            )
        if current.kind == Resource.Kind.CASE_STUDY:
            case = (
                CaseStudy.objects.filter(resource=current)
                .values(*metadata.CASE_STUDY_FIELDS)
                .first()
            )
            missing = metadata.case_study_missing(case)
            if missing:
                raise ApplicationError(
                    _("Fill in every required part of the case study before submitting it."),
                    code="incomplete",
                    details=[
                        {"field": f"case_study.{part}", "message": _("Required.")}
                        for part in missing
                    ],
                )
        _move(current, Status.SUBMITTED, by=by)
        current.save(update_fields=["status", "updated_at"])
        _index(current)
    resource.refresh_from_db()
    return resource


def review_assign(*, resource: Resource, reviewer: User, by: User) -> ReviewAssignment:
    """An editor asks a reviewer to review a submitted resource; it moves into review."""
    _require(by, "review.assign")
    if not (reviewer.is_active and can(reviewer, "review.write")):
        raise _field_error("reviewer", _("Only someone with the reviewer role can be assigned."))
    if reviewer.pk == resource.submitted_by_id:
        raise _field_error("reviewer", _("Nobody reviews their own submission."))
    with transaction.atomic():
        current = _locked(resource)
        if current.status not in (Status.SUBMITTED, Status.IN_REVIEW):
            raise ApplicationError(
                _("Reviewers are assigned to submitted resources only."), code="bad_state"
            )
        if ReviewAssignment.objects.filter(resource=current, reviewer=reviewer).exists():
            raise _field_error("reviewer", _("This reviewer is already assigned."))
        assignment = ReviewAssignment.objects.create(
            resource=current, reviewer=reviewer, assigned_by=by
        )
        transition = _move(
            current,
            Status.IN_REVIEW,
            by=by,
            comment=_("Reviewer assigned: %(name)s") % {"name": reviewer.name or reviewer.email},
            notify=current.status != Status.IN_REVIEW,
        )
        current.save(update_fields=["status", "updated_at"])
        _notify(current, transition, reviewer)
        _index(current)
    resource.refresh_from_db()
    return assignment


def review_save(
    *,
    assignment: ReviewAssignment,
    by: User,
    scores: Mapping[str, Any] | None,
    comment: str,
    recommendation: str,
) -> ReviewAssignment:
    """The assigned reviewer scores (case studies, 1 to 5 on each criterion) and comments; they may
    change their review until the editors decide."""
    _require(by, "review.write")
    if assignment.reviewer_id != by.pk:
        raise PermissionDenied(_("Only the assigned reviewer may write this review."))
    resource = assignment.resource
    details = []
    clean_scores: dict[str, int] = {}
    if resource.kind == Resource.Kind.CASE_STUDY:
        scores = scores or {}
        for criterion in CRITERIA:
            raw = scores.get(criterion)
            try:
                value = int(str(raw))
            except (TypeError, ValueError):
                value = 0
            if not SCORE_MIN <= value <= SCORE_MAX:
                details.append(
                    {"field": f"scores.{criterion}", "message": _("Give a score from 1 to 5.")}
                )
            clean_scores[criterion] = value
        for extra in sorted(set(scores) - set(CRITERIA)):
            details.append(
                {"field": f"scores.{extra}", "message": _("There is no such criterion.")}
            )
    comment = metadata.without_nul(comment or "").strip()
    if not comment:
        details.append({"field": "comment", "message": _("Write a comment for the editors.")})
    if recommendation not in ReviewAssignment.Recommendation.values:
        details.append({"field": "recommendation", "message": _("Choose a recommendation.")})
    if details:
        raise ApplicationError(
            _("The review was not saved; see what to correct."), code="validation", details=details
        )
    with transaction.atomic():
        current = _locked(resource)
        if current.status != Status.IN_REVIEW:
            raise ApplicationError(_("This resource is no longer in review."), code="bad_state")
        assignment.scores = clean_scores
        assignment.comment = comment
        assignment.recommendation = recommendation
        assignment.completed_at = timezone.now()
        assignment.save()
        Transition.objects.create(
            resource=current,
            from_status=current.status,
            to_status=current.status,
            by=by,
            comment=_("Review completed: %(recommendation)s")
            % {"recommendation": assignment.get_recommendation_display()},
        )
    return assignment


def resource_return(*, resource: Resource, by: User, feedback: str) -> Resource:
    """An editor returns a submitted resource to its submitter with feedback."""
    _require(by, "resource.decide")
    feedback = metadata.without_nul(feedback or "").strip()
    if not feedback:
        raise _field_error("feedback", _("Say what the submitter should change."))
    with transaction.atomic():
        current = _locked(resource)
        if current.status not in (Status.SUBMITTED, Status.IN_REVIEW):
            raise ApplicationError(
                _("Only a submitted resource can be returned."), code="bad_state"
            )
        _move(current, Status.RETURNED, by=by, comment=feedback)
        current.save(update_fields=["status", "updated_at"])
        _index(current)
    resource.refresh_from_db()
    return resource


def _publish(current: Resource, *, by: User | None, comment: str = "") -> None:
    now = timezone.now()
    _move(current, Status.PUBLISHED, by=by, comment=comment)
    current.published_at = current.published_at or now
    current.datestamp = now
    current.withdrawn_at = None
    current.withdrawal_reason = ""
    current.save(
        update_fields=[
            "status",
            "published_at",
            "datestamp",
            "withdrawn_at",
            "withdrawal_reason",
            "updated_at",
        ]
    )
    _index(current)


def resource_publish(*, resource: Resource, by: User, comment: str = "") -> Resource:
    """An editor publishes a resource. A submitted case study needs a completed review first."""
    _require(by, "resource.decide")
    with transaction.atomic():
        current = _locked(resource)
        if current.status not in (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW):
            raise ApplicationError(
                _("Only a draft or submitted resource can be published."), code="bad_state"
            )
        reviewed = ReviewAssignment.objects.filter(resource=current, completed_at__isnull=False)
        if (
            current.status != Status.DRAFT
            and current.kind == Resource.Kind.CASE_STUDY
            and not reviewed.exists()
        ):
            raise ApplicationError(
                _("A case study is published only after at least one review is complete."),
                code="review_missing",
            )
        if current.status == Status.DRAFT and current.submitted_by_id not in (None, by.pk):
            raise ApplicationError(
                _("Someone else's draft is published only once they submit it."), code="bad_state"
            )
        _publish(current, by=by, comment=comment)
    resource.refresh_from_db()
    return resource


def resource_withdraw(*, resource: Resource, by: User, reason: str) -> Resource:
    """An editor withdraws a published resource; its page stays as a tombstone saying why."""
    _require(by, "resource.withdraw")
    reason = metadata.without_nul(reason or "").strip()
    if not reason:
        raise _field_error("reason", _("Say why the resource is withdrawn; the page will show it."))
    with transaction.atomic():
        current = _locked(resource)
        if current.status != Status.PUBLISHED:
            raise ApplicationError(
                _("Only a published resource can be withdrawn."), code="bad_state"
            )
        _withdraw(current, by=by, reason=reason)
    resource.refresh_from_db()
    return resource


def resource_reinstate(*, resource: Resource, by: User, note: str) -> Resource:
    """An editor publishes a withdrawn resource again: the tombstone goes, the first publication
    date stays, and the new datestamp makes harvesters fetch it as a record, no longer deleted."""
    _require(by, "resource.reinstate")
    note = metadata.without_nul(note or "").strip()
    if not note:
        raise _field_error("note", _("Say why the resource comes back; its history keeps it."))
    with transaction.atomic():
        current = _locked(resource)
        if current.status != Status.WITHDRAWN:
            raise ApplicationError(
                _("Only a withdrawn resource can be published again."), code="bad_state"
            )
        _publish(current, by=by, comment=note)
    resource.refresh_from_db()
    return resource


def _withdraw(current: Resource, *, by: User | None, reason: str) -> None:
    now = timezone.now()
    _move(current, Status.WITHDRAWN, by=by, comment=reason)
    current.withdrawn_at = now
    current.withdrawal_reason = reason
    current.datestamp = now
    current.save(
        update_fields=["status", "withdrawn_at", "withdrawal_reason", "datestamp", "updated_at"]
    )
    _index(current)


# --- Harvested records ---------------------------------------------------------------------------
def harvested_resource_upsert(
    *,
    source: HarvestSource,
    identifier: str,
    datestamp: Any,
    metadata: dict[str, Any],
    deleted: bool,
) -> Resource | None:
    """Write one harvested Dublin Core record: published directly, deduplicated by (source,
    identifier); a deleted record withdraws it. Returns None for the deletion of a record never
    harvested. Refuses (``ApplicationError``) a record without a title."""
    identifier = (identifier or "").strip()[:500]
    if not identifier:
        raise _field_error("identifier", _("The record has no identifier."))
    with transaction.atomic():
        existing = (
            Resource.objects.select_for_update()
            .filter(harvest_source=source, external_identifier=identifier)
            .first()
        )
        if deleted:
            if existing is not None and existing.status == Status.PUBLISHED:
                _withdraw(existing, by=None, reason=_("Deleted at the source repository."))
            return existing
        fields = dublin_core.fields_from(source, metadata)
        cleaned = dublin_core.clean_lenient(fields)
        resource = existing or Resource(
            harvest_source=source, external_identifier=identifier, status=Status.DRAFT
        )
        _write(resource, cleaned)
        if resource.status == Status.PUBLISHED:
            resource.datestamp = timezone.now()
            resource.save(update_fields=["datestamp"])
            _index(resource)
        else:
            _publish(
                resource, by=None, comment=_("Harvested from %(source)s") % {"source": source.name}
            )
    return resource
