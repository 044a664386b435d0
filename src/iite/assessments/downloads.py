"""Reports as downloads: one way to render a print template to a PDF attachment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string

from iite.core import pdf
from iite.core.errors import ApplicationError


def pdf_download(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    filename: str,
    fallback: str,
) -> HttpResponse:
    """The template as a PDF attachment, or back to ``fallback`` with a message if it can't be."""
    html = render_to_string(
        template, {**context, "font_families": pdf.FONT_FAMILIES}, request=request
    )
    try:
        document = pdf.html_to_pdf(html)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(fallback)
    reply = HttpResponse(document, content_type="application/pdf")
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
