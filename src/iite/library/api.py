"""The library API, mounted at /api/v1/library/: a resource's detail, create and update for
editors (and members' own case studies), submit for members, review actions for reviewers and
decisions for editors. Search and harvesting have their own routers, added below."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from iite.accounts.models import User
from iite.core.errors import NotFound, PermissionDenied
from iite.library import metadata, selectors, services, workflow
from iite.library.citations import page_url
from iite.library.models import Resource
from iite.library.oai.api import router as oai_router
from iite.library.schemas import (
    FeedbackIn,
    ReinstateIn,
    ResourceCreateIn,
    ResourceFieldsIn,
    ResourceOut,
    ReviewerIn,
    ReviewIn,
    ReviewOut,
    WithdrawIn,
)
from iite.library.search.api import router as search_router

router = Router(tags=["library"])
router.add_router("/", search_router)
router.add_router("/harvest/", oai_router)


def _actor(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise PermissionDenied(_("You may not do this."))
    return user


def _resource(request: HttpRequest, uuid: str) -> Resource:
    user = getattr(request, "auth", None) or request.user
    found = selectors.resource_for_page(uuid, user=user)
    if found is None:
        raise NotFound(_("There is no such resource."))
    return found


def _out(resource: Resource) -> dict[str, Any]:
    resource = selectors.resource_for_page(resource.uuid, user=None) or _reload(resource)
    data = metadata.record(resource)
    data["url"] = page_url(resource)
    data["editions"] = [str(e.uuid) for e in selectors.resource_editions(resource)]
    case = getattr(resource, "case_study", None)
    data["case_study"] = (
        {part: getattr(case, part) for part in metadata.CASE_STUDY_FIELDS} if case else None
    )
    return data


def _reload(resource: Resource) -> Resource:
    return Resource.objects.prefetch_related(*selectors.PAGE_PREFETCH).get(pk=resource.pk)


def _fields(payload: ResourceFieldsIn) -> dict[str, Any]:
    fields = payload.dict(exclude_unset=True)
    if "creators" in fields and fields["creators"] is not None:
        fields["creators"] = [dict(c) for c in fields["creators"]]
    return {k: v for k, v in fields.items() if v is not None or k in ("licence",)}


@router.get("/resources/{uuid}", response=ResourceOut, auth=None, summary="A resource")
def resource_detail(request: HttpRequest, uuid: str) -> dict[str, Any]:
    """A published or withdrawn resource (anyone), or one the caller may see (their own, or
    any for editors, with a token or session)."""
    from iite.accounts.api_auth import TokenAuth

    if request.headers.get("Authorization"):
        request.auth = TokenAuth()(request)  # type: ignore[attr-defined]
    return _out(_resource(request, uuid))


@router.post("/resources", response={201: ResourceOut}, summary="Create a resource")
def resource_create(request: HttpRequest, payload: ResourceCreateIn) -> Status[dict[str, Any]]:
    """A new draft: editors create any kind, members a case study of their own."""
    resource = services.resource_create(by=_actor(request), **_fields(payload))
    return Status(201, _out(resource))


@router.patch("/resources/{uuid}", response=ResourceOut, summary="Change a resource")
def resource_update(request: HttpRequest, uuid: str, payload: ResourceFieldsIn) -> dict[str, Any]:
    """Only the fields sent change. Lists replace the whole list."""
    resource = services.resource_update(
        resource=_resource(request, uuid), by=_actor(request), **_fields(payload)
    )
    return _out(resource)


@router.post("/resources/{uuid}/submit", response=ResourceOut, summary="Submit for review")
def resource_submit(request: HttpRequest, uuid: str) -> dict[str, Any]:
    return _out(workflow.resource_submit(resource=_resource(request, uuid), by=_actor(request)))


@router.post("/resources/{uuid}/reviewers", response={201: ReviewOut}, summary="Assign a reviewer")
def review_assign(request: HttpRequest, uuid: str, payload: ReviewerIn) -> Status[dict[str, Any]]:
    reviewer = selectors.reviewers().filter(pk=payload.reviewer_id).first()
    if reviewer is None:
        raise NotFound(_("There is no reviewer with this id."))
    assignment = workflow.review_assign(
        resource=_resource(request, uuid), reviewer=reviewer, by=_actor(request)
    )
    return Status(201, _review_out(assignment))


@router.put("/resources/{uuid}/review", response=ReviewOut, summary="Write one's review")
def review_save(request: HttpRequest, uuid: str, payload: ReviewIn) -> dict[str, Any]:
    """The assigned reviewer's scores (case studies), comment and recommendation."""
    user = _actor(request)
    resource = _resource(request, uuid)
    assignment = selectors.review_for(resource, user)
    if assignment is None:
        raise PermissionDenied(_("You are not a reviewer of this resource."))
    saved = workflow.review_save(
        assignment=assignment,
        by=user,
        scores=payload.scores,
        comment=payload.comment,
        recommendation=payload.recommendation,
    )
    return _review_out(saved)


def _review_out(assignment: Any) -> dict[str, Any]:
    return {
        "id": assignment.pk,
        "resource": str(assignment.resource.uuid),
        "reviewer_id": assignment.reviewer_id,
        "scores": assignment.scores or {},
        "comment": assignment.comment,
        "recommendation": assignment.recommendation,
        "completed_at": assignment.completed_at.isoformat() if assignment.completed_at else None,
    }


@router.post("/resources/{uuid}/publish", response=ResourceOut, summary="Publish (editors)")
def resource_publish(request: HttpRequest, uuid: str) -> dict[str, Any]:
    return _out(workflow.resource_publish(resource=_resource(request, uuid), by=_actor(request)))


@router.post("/resources/{uuid}/return", response=ResourceOut, summary="Return with feedback")
def resource_return(request: HttpRequest, uuid: str, payload: FeedbackIn) -> dict[str, Any]:
    resource = workflow.resource_return(
        resource=_resource(request, uuid), by=_actor(request), feedback=payload.feedback
    )
    return _out(resource)


@router.post("/resources/{uuid}/withdraw", response=ResourceOut, summary="Withdraw (editors)")
def resource_withdraw(request: HttpRequest, uuid: str, payload: WithdrawIn) -> dict[str, Any]:
    resource = workflow.resource_withdraw(
        resource=_resource(request, uuid), by=_actor(request), reason=payload.reason
    )
    return _out(resource)


@router.post("/resources/{uuid}/reinstate", response=ResourceOut, summary="Publish again (editors)")
def resource_reinstate(request: HttpRequest, uuid: str, payload: ReinstateIn) -> dict[str, Any]:
    """A withdrawn resource is published again; the note is kept in its history."""
    resource = workflow.resource_reinstate(
        resource=_resource(request, uuid), by=_actor(request), note=payload.note
    )
    return _out(resource)
