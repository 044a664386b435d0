"""Credential pages: verify any credential, each credential's public page and its downloads."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from iite.core import pdf
from iite.core.errors import ApplicationError, NotFound
from iite.learning import credential_selectors
from iite.learning.credentials import baking
from iite.learning.credentials.verification import MAX_BYTES, Verdict
from iite.learning.models import Credential

# A page POST holds at most a pasted credential or an uploaded badge image, with some margin.
MAX_POST = baking.MAX_PNG + 2 * MAX_BYTES


def _credential(public_id: str) -> Credential:
    try:
        return credential_selectors.credential_by_public_id(public_id)
    except NotFound as error:
        raise Http404(error.message) from None


def _submitted(request: HttpRequest) -> tuple[bytes | str | None, str]:
    """The credential a verify form sent (pasted, a JSON file or a baked PNG), or an error."""
    declared = request.META.get("CONTENT_LENGTH", "")
    if declared.isdigit() and int(declared) > MAX_POST:
        return None, _("The upload is too large: a credential is at most %(max)d KB.") % {
            "max": MAX_BYTES // 1024
        }
    upload = request.FILES.get("file")
    if upload is not None:
        if (upload.size or 0) > baking.MAX_PNG:
            return None, _("The file is too large to be a credential or a badge image.")
        data = upload.read()
        if data.startswith(baking.PNG_SIGNATURE):
            try:
                baked = baking.unbake(data)
            except baking.NotAPng:
                return None, _("The image is a broken PNG file.")
            if baked is None:
                return None, _("The image holds no credential (it is not a baked badge).")
            return baked, ""
        return data, ""
    text = request.POST.get("credential", "")
    if not text.strip():
        return None, _("Paste a credential or choose a file.")
    return text, ""


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    verdict: Verdict | None = None
    error = ""
    pasted = ""
    if request.method == "POST":
        try:
            raw, error = _submitted(request)
        except RequestDataTooBig:
            raw, error = (
                None,
                _("The upload is too large: a credential is at most %(max)d KB.")
                % {"max": MAX_BYTES // 1024},
            )
        if raw is not None:
            verdict = credential_selectors.credential_verify(raw)
            pasted = raw if isinstance(raw, str) and len(raw) <= MAX_BYTES else ""
    context = {"verdict": verdict, "error": error, "pasted": pasted, "max_kb": MAX_BYTES // 1024}
    return render(request, "learning/verify.html", context, status=400 if error else 200)


@require_GET
def credential_page(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    verdict = credential_selectors.credential_verify(credential.document)
    context = {
        "credential": credential,
        "document": json.loads(credential.document),
        "verdict": verdict,
        "mine": credential.enrolment.learner_id == getattr(request.user, "pk", None),
    }
    return render(request, "learning/credential.html", context)


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    reply = HttpResponse(body, content_type=content_type)
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply


@require_GET
def credential_json(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    return _attachment(
        credential.document.encode("utf-8"), "application/ld+json", f"badge-{public_id}.json"
    )


@require_GET
def credential_png(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    aspect = credential_selectors.badge_colour_of(credential)
    png = baking.bake(baking.badge_image(aspect), credential.document)
    return _attachment(png, "image/png", f"badge-{public_id}.png")


@require_GET
def credential_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = _credential(public_id)
    html = render_to_string(
        "learning/certificate_pdf.html",
        {
            "credential": credential,
            "document": json.loads(credential.document),
            "font_families": pdf.FONT_FAMILIES,
            "page_url": request.build_absolute_uri(
                reverse("learning:credential", args=[credential.public_id])
            ),
        },
        request=request,
    )
    try:
        document = pdf.html_to_pdf(html)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("learning:credential", credential.public_id)
    return _attachment(document, "application/pdf", f"certificate-{public_id}.pdf")
