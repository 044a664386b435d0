"""Writes to the library: resources and their workflow, reviews, editions, collections, files,
harvested records and usage counts.

Every function checks the library's permission table, writes inside one transaction, refreshes
the resource's search index row in that same transaction, sends email only once it has committed,
and raises ``ApplicationError`` (already translated) when it refuses — changing nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.library import dublin_core, metadata, selectors
from iite.library import files as library_files
from iite.library.models import (
    CaseStudy,
    Collection,
    CollectionItem,
    Creator,
    HarvestSource,
    Resource,
    ResourceFile,
    ReviewAssignment,
    Transition,
    UsageMonth,
    UsageVisit,
)
from iite.library.permissions import can
from iite.library.search.index import index_resource
from iite.library.selectors import CRITERIA, SCORE_MAX, SCORE_MIN
from iite.reference.models import Country

Status = Resource.Status
EDITABLE_BY_OWNER = (Status.DRAFT, Status.RETURNED)


# --- Helpers -------------------------------------------------------------------------------------
def _require(user: User | None, action: str) -> None:
    if user is None or not can(user, action):
        raise PermissionDenied(_("You may not do this in the library."))


def _index(resource: Resource) -> None:
    """Refresh the resource's search index row, in the caller's transaction."""
    index_resource(resource)


def _field_error(field: str, message: str, code: str = "validation") -> ApplicationError:
    return ApplicationError(message, code=code, details=[{"field": field, "message": message}])


def _locked(resource: Resource) -> Resource:
    """The resource's row, locked for this transaction (so two decisions cannot cross)."""
    return Resource.objects.select_for_update().get(pk=resource.pk)


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


def _write(resource: Resource, cleaned: metadata.Cleaned) -> None:
    for name, value in cleaned.scalars.items():
        setattr(resource, name, value)
    resource.save()
    for name, rows in cleaned.related.items():
        getattr(resource, name).set(rows)
    if cleaned.creators is not None:
        resource.creators.all().delete()
        Creator.objects.bulk_create(
            [
                Creator(resource=resource, order=order, **creator)
                for order, creator in enumerate(cleaned.creators)
            ]
        )
    if cleaned.case_study is not None:
        CaseStudy.objects.update_or_create(resource=resource, defaults=cleaned.case_study)


# --- Resources ------------------------------------------------------------------------------------
def resource_create(*, by: User, **fields: Any) -> Resource:
    """A new draft. Editors create any kind; any signed-in member a case study of their own."""
    kind = fields.get("kind")
    member_case_study = kind == Resource.Kind.CASE_STUDY and can(by, "case_study.submit")
    if not (can(by, "resource.create") or member_case_study):
        raise PermissionDenied(
            _("Only editors add this kind of resource; members may submit case studies.")
        )
    if kind == Resource.Kind.CASE_STUDY:
        fields.setdefault("case_study", {})
    elif "case_study" in fields:
        raise _field_error("case_study", _("Only a case study has these parts."))
    cleaned = metadata.clean(fields, creating=True)
    with transaction.atomic():
        resource = Resource(submitted_by=by, status=Status.DRAFT)
        _write(resource, cleaned)
        Transition.objects.create(
            resource=resource,
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            by=by,
            comment=_("Created"),
        )
        _index(resource)
    return resource


def resource_update(*, resource: Resource, by: User, **fields: Any) -> Resource:
    """Change metadata. Editors change any resource but a withdrawn one; submitters their own
    while it is a draft or returned. Editing a published resource moves its datestamp."""
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not change this resource now."))
    if resource.status == Status.WITHDRAWN:
        raise ApplicationError(_("A withdrawn resource cannot be changed."), code="withdrawn")
    kind_changes = "kind" in fields and fields["kind"] != resource.kind
    if kind_changes and Resource.Kind.CASE_STUDY in (fields["kind"], resource.kind):
        raise _field_error("kind", _("A case study cannot become another kind, nor the reverse."))
    if "case_study" in fields and resource.kind != Resource.Kind.CASE_STUDY:
        raise _field_error("case_study", _("Only a case study has these parts."))
    cleaned = metadata.clean(fields, creating=False)
    with transaction.atomic():
        current = _locked(resource)
        if current.status == Status.PUBLISHED:
            cleaned.scalars["datestamp"] = timezone.now()
        _write(current, cleaned)
        _index(current)
    resource.refresh_from_db()
    return resource


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


# --- Editions and collections --------------------------------------------------------------------
def edition_link(*, resource: Resource, to: Resource, by: User) -> Resource:
    """Make ``resource`` an edition of the work ``to`` belongs to (another language)."""
    _require(by, "resource.edit")
    if resource.pk == to.pk:
        raise _field_error("edition", _("A resource is not an edition of itself."))
    with transaction.atomic():
        current = _locked(resource)
        clash = Resource.objects.filter(work=to.work, language_id=current.language_id).exclude(
            pk=current.pk
        )
        if clash.exists():
            raise _field_error("edition", _("That work already has an edition in this language."))
        current.work = to.work
        fields = ["work", "updated_at"]
        if current.status == Status.PUBLISHED:
            current.datestamp = timezone.now()
            fields.append("datestamp")
        current.save(update_fields=fields)
        _index(current)
    resource.refresh_from_db()
    return resource


def collection_save(
    *,
    by: User,
    code: str,
    names: Mapping[str, str],
    descriptions: Mapping[str, str] | None = None,
    kind: str = Collection.Kind.COLLECTION,
) -> Collection:
    """Create a collection or series, or change the one with this code."""
    _require(by, "collection.manage")
    from django.core.validators import validate_slug

    try:
        validate_slug(code)
    except Exception as exc:
        raise _field_error("code", _("A code has letters, digits and hyphens only.")) from exc
    if kind not in Collection.Kind.values:
        raise _field_error("kind", _("A collection is a collection or a series."))
    clean_names = {k: v.strip() for k, v in metadata.without_nul(dict(names)).items() if v.strip()}
    if not clean_names.get("en"):
        raise _field_error("names", _("Give at least the English name."))
    with transaction.atomic():
        collection, _created = Collection.objects.update_or_create(
            code=code,
            defaults={
                "names": clean_names,
                "descriptions": metadata.without_nul(dict(descriptions or {})),
                "kind": kind,
            },
        )
    return collection


def collection_add(*, collection: Collection, resource: Resource, by: User) -> CollectionItem:
    _require(by, "collection.manage")
    with transaction.atomic():
        last = CollectionItem.objects.filter(collection=collection).order_by("-order").first()
        item, _created = CollectionItem.objects.get_or_create(
            collection=collection,
            resource=resource,
            defaults={"order": (last.order + 1) if last else 0},
        )
        _index(resource)
    return item


def collection_remove(*, collection: Collection, resource: Resource, by: User) -> None:
    _require(by, "collection.manage")
    with transaction.atomic():
        CollectionItem.objects.filter(collection=collection, resource=resource).delete()
        _index(resource)


# --- Files ---------------------------------------------------------------------------------------
def file_upload(
    *, resource: Resource, by: User, upload: Any, label: str = "", language: Any = None
) -> ResourceFile:
    """Store a file after checking its content and size; its text is extracted in the background.
    A refused file leaves nothing behind, in the database or in storage."""
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not add files to this resource now."))
    name = metadata.without_nul(str(getattr(upload, "name", "") or "")) or "file"
    inspected = library_files.inspect(upload, name=name)
    needs_text = inspected.format != ResourceFile.Format.IMAGE
    row = ResourceFile(
        resource=resource,
        format=inspected.format,
        label=metadata.without_nul(label or "").strip()[:200],
        original_name=name.rsplit("/", 1)[-1][:255],
        media_type=inspected.media_type,
        size=inspected.size,
        sha256=inspected.sha256,
        language=language,
        extraction=ResourceFile.Extraction.PENDING
        if needs_text
        else ResourceFile.Extraction.NOT_NEEDED,
    )
    stored = ""
    try:
        with transaction.atomic():
            last = ResourceFile.objects.filter(resource=resource).order_by("-order").first()
            row.order = (last.order + 1) if last else 0
            row.file.save(row.original_name, ContentFile(inspected.data), save=False)
            stored = row.file.name or ""
            row.save()
            if resource.status == Status.PUBLISHED:
                Resource.objects.filter(pk=resource.pk).update(datestamp=timezone.now())
            if needs_text:
                file_id = row.pk
                transaction.on_commit(lambda: _schedule_extraction(file_id), robust=True)
    except BaseException:
        if stored:
            row.file.storage.delete(stored)
        raise
    return row


def _schedule_extraction(file_id: int) -> None:
    from iite.library.tasks import extract_file_text

    extract_file_text.enqueue(file_id)


def file_link_add(*, resource: Resource, by: User, url: str, label: str = "") -> ResourceFile:
    """A link (for example to a video) instead of a file."""
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not add links to this resource now."))
    cleaned = metadata.clean({"url": url}, creating=False)
    if not cleaned.scalars["url"]:
        raise _field_error("url", _("Give the web address."))
    with transaction.atomic():
        last = ResourceFile.objects.filter(resource=resource).order_by("-order").first()
        return ResourceFile.objects.create(
            resource=resource,
            format=ResourceFile.Format.LINK,
            url=cleaned.scalars["url"],
            label=metadata.without_nul(label or "").strip()[:200],
            order=(last.order + 1) if last else 0,
        )


def file_remove(*, file: ResourceFile, by: User) -> None:
    resource = file.resource
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not remove files of this resource now."))
    name = file.file.name if file.file else ""
    storage = file.file.storage if file.file else None
    with transaction.atomic():
        file.delete()
        _index(resource)
        if name and storage is not None:
            transaction.on_commit(lambda: storage.delete(name), robust=True)


def cover_set(*, resource: Resource, by: User, upload: Any) -> Resource:
    """Set the cover image (PNG, JPEG or WebP, checked by content)."""
    if not selectors.may_edit(resource, by):
        raise PermissionDenied(_("You may not change this resource now."))
    inspected = library_files.inspect(upload, name=str(getattr(upload, "name", "")))
    if inspected.format != "image":
        raise _field_error("cover", _("A cover is a PNG, JPEG or WebP image."))
    extension = inspected.media_type.split("/")[1].replace("jpeg", "jpg")
    old = resource.cover.name if resource.cover else ""
    with transaction.atomic():
        current = _locked(resource)
        current.cover.save(f"{current.uuid}.{extension}", ContentFile(inspected.data), save=False)
        current.save(update_fields=["cover", "updated_at"])
    if old:
        current.cover.storage.delete(old)
    resource.refresh_from_db()
    return resource


def file_text_extract(*, file_id: int) -> ResourceFile | None:
    """Extract the text of one stored file for search; a failure is recorded for editors and
    never blocks publication."""
    row = ResourceFile.objects.select_related("resource").filter(pk=file_id).first()
    if row is None or not row.file:
        return None
    try:
        with row.file.open("rb") as handle:
            data = handle.read()
        text = library_files.extract_text(row.format, data)
    except Exception as exc:  # any parser error is a failed extraction, shown to editors
        message = str(exc) or exc.__class__.__name__
        ResourceFile.objects.filter(pk=row.pk).update(
            extraction=ResourceFile.Extraction.FAILED,
            extraction_error=message[:2000],
            extracted_text="",
        )
        row.refresh_from_db()
        return row
    with transaction.atomic():
        ResourceFile.objects.filter(pk=row.pk).update(
            extraction=ResourceFile.Extraction.DONE, extraction_error="", extracted_text=text
        )
        _index(row.resource)
    row.refresh_from_db()
    return row


def file_extraction_retry(*, file: ResourceFile, by: User) -> ResourceFile:
    _require(by, "resource.edit")
    if file.format in (ResourceFile.Format.IMAGE, ResourceFile.Format.LINK):
        raise ApplicationError(_("This file has no text to extract."), code="bad_state")
    ResourceFile.objects.filter(pk=file.pk).update(
        extraction=ResourceFile.Extraction.PENDING, extraction_error=""
    )
    transaction.on_commit(lambda: _schedule_extraction(file.pk), robust=True)
    file.refresh_from_db()
    return file


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


# --- Usage ---------------------------------------------------------------------------------------
USAGE_ACTIONS = ("view", "download")


def visitor_key(*, user: Any, session_key: str | None) -> str | None:
    """A visitor as the statistics know them: a keyed hash of the account or browser session,
    never an IP address. None when there is neither (the visit is not counted)."""
    if getattr(user, "is_authenticated", False):
        raw = f"user:{user.pk}"
    elif session_key:
        raw = f"session:{session_key}"
    else:
        return None
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


def usage_record(
    *,
    resource: Resource,
    action: str,
    visitor: str | None,
    country: Country | None,
    today: date | None = None,
) -> bool:
    """Count a view or download once per visitor, resource and day; True if it was counted."""
    if action not in USAGE_ACTIONS:
        raise ApplicationError(_("Unknown kind of use."), code="invalid")
    if not visitor or resource.status != Status.PUBLISHED:
        return False
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            UsageVisit.objects.create(resource=resource, day=today, action=action, visitor=visitor)
            month = today.replace(day=1)
            row, _created = UsageMonth.objects.get_or_create(
                resource=resource, month=month, country=country
            )
            field = "views" if action == "view" else "downloads"
            UsageMonth.objects.filter(pk=row.pk).update(**{field: F(field) + 1})
    except IntegrityError:
        return False  # counted already today
    UsageVisit.objects.filter(resource=resource, day__lt=today - timedelta(days=1)).delete()
    return True


def require_found(value: Any, message: str | None = None) -> Any:
    if value is None:
        raise NotFound(message or _("Not found."))
    return value
