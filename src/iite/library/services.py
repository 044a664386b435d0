"""Writes to the library: resources, editions, collections and usage counts, and the helpers the
library's other write modules share — ``workflow`` (submission, review, publication, withdrawal,
harvested records) and ``file_services`` (files, links, cover, text extraction).

Every write, here and in those modules, checks the library's permission table, writes inside one
transaction, refreshes the resource's search index row in that same transaction, sends email only
once it has committed, and raises ``ApplicationError`` (already translated) when it refuses —
changing nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.library import metadata, selectors
from iite.library.models import (
    CaseStudy,
    Collection,
    CollectionItem,
    Creator,
    Resource,
    Transition,
    UsageMonth,
    UsageVisit,
)
from iite.library.permissions import can
from iite.library.search.index import index_resource
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
