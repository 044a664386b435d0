"""The learning API, mounted at /api/v1/learning/, and the credentials API at /api/v1/credentials/.

Paths are public. Enrolment, progress, recommendations and one's own credentials need a token or
the session; so does authoring (create and change paths, add, move and remove steps), which
needs ``path.manage`` too. Everything under /credentials/ is public: the issuer profile and its
keys, status lists, each credential's JSON (by its unguessable id), and verification of any
credential.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Query

from iite.accounts.models import User
from iite.core.errors import ApplicationError, NotFound, PermissionDenied
from iite.core.pagination import PageNumberPagination
from iite.core.translation import data_key
from iite.learning import authoring, authoring_selectors, credential_selectors, selectors, services
from iite.learning.credentials import document as documents
from iite.learning.credentials.verification import MAX_BYTES, Verdict
from iite.learning.models import Path, Step
from iite.learning.recommendations import latest_result_of, recommendations_for
from iite.learning.schemas import (
    CredentialListOut,
    EnrolmentOut,
    MoveIn,
    PathCreateIn,
    PathDetailOut,
    PathFieldsIn,
    PathOut,
    RecommendationsOut,
    StepIn,
    VerdictOut,
)

router = Router(tags=["learning"])
credentials_router = Router(tags=["credentials"])
JSON_LD = "application/ld+json"


def _actor(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    if not isinstance(user, User):
        raise PermissionDenied(_("You may not do this."))
    return user


def _path_out(path: Path) -> dict[str, Any]:
    return {
        "slug": path.slug,
        "kind": path.kind,
        "title": path.title,
        "summary": path.summary,
        "language": path.language,
        "estimated_minutes": path.estimated_minutes,
        "competencies": [{"code": c.code, "name": c.name} for c in path.competencies.all()],
        "url": reverse("learning:path", args=[path.slug]),
    }


# --- Paths ---------------------------------------------------------------------------------------
@router.get(
    "/paths",
    response=list[PathOut],
    auth=None,
    summary="Published paths and courses",
)
@paginate(PageNumberPagination)
def paths(
    request: HttpRequest,
    language: str | None = Query(None, description="Only paths in ar, en, es, fr, ru or zh."),
) -> list[dict[str, Any]]:
    return [_path_out(path) for path in selectors.paths_published(language=language)]


@router.get("/paths/{slug}", response=PathDetailOut, auth=None, summary="One path with its steps")
def path_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _path_detail_out(selectors.path_by_slug(slug))


def _path_detail_out(path: Path) -> dict[str, Any]:
    return {
        **_path_out(path),
        "status": path.status,
        "completion": path.completion,
        "pass_percent": path.pass_percent,
        "prerequisites": [prerequisite.slug for prerequisite in path.prerequisites.all()],
        "steps": [
            {
                "order": step.order,
                "kind": step.kind,
                "title": step.title,
                "instructions": step.instructions,
                "url": step.url,
                "estimated_minutes": step.estimated_minutes,
                "competencies": [c.code for c in step.competencies.all()],
            }
            for step in path.steps.order_by("order").prefetch_related("competencies")
        ],
    }


# --- Authoring (editors and administrators) ------------------------------------------------------
def _authored(request: HttpRequest, slug: str) -> Path:
    return authoring_selectors.path_for_authoring(slug, user=_actor(request))


def _path_fields(payload: PathFieldsIn, path: Path | None = None) -> dict[str, Any]:
    """The service's fields: those sent, else the path's own (a new path: the defaults)."""
    sent = payload.dict(exclude_unset=True)
    fields: dict[str, Any] = {}
    if path is not None:
        fields = {
            "title": path.title,
            "summary": path.summary,
            "language": path.language,
            "kind": path.kind,
            "estimated_minutes": path.estimated_minutes,
            "completion": path.completion,
            "pass_percent": path.pass_percent,
            "competencies": [c.code for c in path.competencies.all()],
            "prerequisites": list(path.prerequisites.all()),
            "facilitators": list(path.facilitators.all()),
        }
    errors: list[dict[str, Any]] = []
    for name, value in sent.items():
        if value is None:
            continue
        if name == "prerequisites":
            found = {p.slug: p for p in authoring_selectors.prerequisites_to_choose(path)}
            unknown = [slug for slug in value if slug not in found]
            if unknown:
                message = _("There is no such path: %(slugs)s.") % {"slugs": ", ".join(unknown)}
                errors.append({"field": name, "message": message})
            value = [found[slug] for slug in value if slug in found]
        elif name == "facilitators":
            value, unknown = authoring_selectors.users_by_email(value)
            if unknown:
                message = _("Nobody has signed up with: %(emails)s.") % {
                    "emails": ", ".join(unknown)
                }
                errors.append({"field": name, "message": message})
        fields[name] = value
    if errors:
        raise ApplicationError(
            _("The path was not saved; see details for each field."),
            code="validation",
            details=errors,
        )
    return fields


@router.post("/paths", response={201: PathDetailOut}, summary="Create a path (authors)")
def path_create(request: HttpRequest, payload: PathCreateIn) -> Status[dict[str, Any]]:
    """A new draft path; add its steps, then publish it."""
    path = services.path_create(by=_actor(request), **_path_fields(payload))
    return Status(201, _path_detail_out(path))


@router.patch("/paths/{slug}", response=PathDetailOut, summary="Change a path (authors)")
def path_update(request: HttpRequest, slug: str, payload: PathFieldsIn) -> dict[str, Any]:
    """Only the fields sent change; lists replace the whole list. The slug never changes."""
    path = _authored(request, slug)
    authoring.path_update(path=path, by=_actor(request), **_path_fields(payload, path))
    return _path_detail_out(authoring_selectors.path_for_authoring(slug, user=_actor(request)))


@router.post("/paths/{slug}/publish", response=PathDetailOut, summary="Publish a path (authors)")
def path_publish(request: HttpRequest, slug: str) -> dict[str, Any]:
    path = services.path_publish(path=_authored(request, slug), by=_actor(request))
    return _path_detail_out(path)


@router.post(
    "/paths/{slug}/steps", response={201: PathDetailOut}, summary="Add a step at the end (authors)"
)
def step_add(request: HttpRequest, slug: str, payload: StepIn) -> Status[dict[str, Any]]:
    path = _authored(request, slug)
    fields = payload.dict()
    fields["resource"] = authoring_selectors.resource_to_choose(payload.resource or "")
    services.step_add(path=path, by=_actor(request), **fields)
    return Status(201, _path_detail_out(path))


def _step(path: Path, order: int) -> Step:
    step = path.steps.filter(order=order).first()
    if step is None:
        raise NotFound(_("This path has no such step."))
    return step


@router.delete(
    "/paths/{slug}/steps/{order}",
    response=PathDetailOut,
    summary="Remove a step nobody has started (authors)",
)
def step_remove(request: HttpRequest, slug: str, order: int) -> dict[str, Any]:
    """The later steps move up one place. A step some learner has started is refused."""
    path = _authored(request, slug)
    authoring.step_remove(step=_step(path, order), by=_actor(request))
    return _path_detail_out(path)


@router.post(
    "/paths/{slug}/steps/{order}/move",
    response=PathDetailOut,
    summary="Move a step up or down (authors)",
)
def step_move(request: HttpRequest, slug: str, order: int, payload: MoveIn) -> dict[str, Any]:
    path = _authored(request, slug)
    authoring.step_move(step=_step(path, order), direction=payload.direction, by=_actor(request))
    return _path_detail_out(path)


@router.post("/paths/{slug}/enrol", response=EnrolmentOut, summary="Enrol in a path")
def path_enrol(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = _actor(request)
    enrolment = services.enrol(path=selectors.path_by_slug(slug), user=user)
    return _enrolment_out(selectors.progress_of(enrolment))


def _enrolment_out(progress: selectors.Progress) -> dict[str, Any]:
    enrolment = progress.enrolment
    credential = getattr(enrolment, "credential", None)
    resume = progress.resume
    return {
        "path": enrolment.path.slug,
        "title": enrolment.path.title,
        "status": enrolment.status,
        "done": progress.done,
        "total": len(progress.steps),
        "percent": progress.percent,
        "resume_step": resume.order if resume else None,
        "credential": str(credential.public_id) if credential else None,
    }


@router.get("/enrolments", response=list[EnrolmentOut], summary="My paths and my progress")
def enrolments(request: HttpRequest) -> list[dict[str, Any]]:
    return [_enrolment_out(progress) for progress in selectors.dashboard_of(_actor(request))]


@router.get(
    "/recommendations",
    response=RecommendationsOut,
    summary="What to learn next, from my latest ICT CFT self-assessment",
)
def recommendations(
    request: HttpRequest,
    lang: str | None = Query(None, description="ar, en, es, fr, ru or zh (default: yours)."),
) -> dict[str, Any]:
    user = _actor(request)
    language = data_key(lang or translation.get_language() or "en")
    result = latest_result_of(user)
    suggestions = recommendations_for(result, language=language) if result is not None else []
    return {
        "language": language,
        "assessed": result is not None,
        "suggestions": [
            {
                "competency": suggestion.code,
                "name": suggestion.competency,
                "reason": suggestion.reason,
                "paths": [_path_out(path) for path in suggestion.paths],
                "resources": [
                    {"uuid": str(resource.uuid), "title": resource.title}
                    for resource in suggestion.resources
                ],
                "elsewhere": [_path_out(path) for path in suggestion.elsewhere],
            }
            for suggestion in suggestions
        ],
    }


@router.get("/credentials", response=list[CredentialListOut], summary="My credentials")
def my_credentials(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": str(credential.public_id),
            "path": credential.enrolment.path.slug,
            "title": credential.enrolment.path.title,
            "issued_at": credential.issued_at,
            "revoked": credential.is_revoked,
            "url": documents.credential_url(str(credential.public_id)),
        }
        for credential in credential_selectors.credentials_of(_actor(request))
    ]


# --- Credentials (public) ------------------------------------------------------------------------
def _json_ld(data: dict[str, Any]) -> HttpResponse:
    return JsonResponse(data, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False})


@credentials_router.post(
    "/verify",
    response=VerdictOut,
    auth=None,
    summary="Verify any credential",
    description=(
        "Send the credential's JSON as the request body. The answer says whether it is valid "
        "and why, check by check: format, context, signature, issuer, expiry and revocation. "
        f"Bodies over {MAX_BYTES // 1024} KB, JSON that is not a credential, unknown contexts "
        "and keys that cannot be resolved offline get a verdict with the reason, never an "
        "error. Nothing is fetched from the network."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
def verify(request: HttpRequest) -> dict[str, Any]:
    declared = request.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raw: bytes = b" " * (MAX_BYTES + 1)  # judged too large without being read
    else:
        raw = request.read(MAX_BYTES + 1)
    verdict: Verdict = credential_selectors.credential_verify(raw)
    return verdict.as_data()


@credentials_router.get(
    "/issuer", auth=None, summary="The issuer profile, with its keys", response={200: dict}
)
def issuer(request: HttpRequest) -> HttpResponse:
    return _json_ld(credential_selectors.issuer_profile())


@credentials_router.get(
    "/keys/{multibase}",
    auth=None,
    summary="The DID document of a signing key",
    response={200: dict},
)
def key(request: HttpRequest, multibase: str) -> HttpResponse:
    return _json_ld(credential_selectors.did_document(multibase))


@credentials_router.get(
    "/status/{number}", auth=None, summary="A revocation status list", response={200: dict}
)
def status(request: HttpRequest, number: int) -> HttpResponse:
    return _json_ld(credential_selectors.status_list_credential(number))


@credentials_router.get(
    "/{public_id}", auth=None, summary="One credential, as issued", response={200: dict}
)
def credential(request: HttpRequest, public_id: str) -> HttpResponse:
    found = credential_selectors.credential_by_public_id(public_id)
    return HttpResponse(found.document.encode("utf-8"), content_type=JSON_LD)
