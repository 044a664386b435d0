"""sitemap.xml: every published resource page, in each of the six interface languages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from iite.library import selectors

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000 // 6  # a sitemap holds at most 50,000 addresses, one per language here


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    """The resource pages with their language alternates (hreflang), newest change first."""
    from xml.sax.saxutils import escape

    languages = [code for code, _name in settings.LANGUAGES]
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<urlset xmlns="{NS}" xmlns:xhtml="{XHTML}">',
    ]
    for resource in selectors.sitemap_resources()[:MAX_URLS]:
        urls = {}
        for language in languages:
            with translation.override(language):
                urls[language] = settings.SITE_URL + reverse(
                    "library:resource", kwargs={"uuid": resource.uuid}
                )
        changed = (resource.datestamp or resource.updated_at).date().isoformat()
        alternates = "".join(
            '<xhtml:link rel="alternate" hreflang="{}" href="{}"/>'.format(
                "zh-Hans" if lang == "zh-hans" else lang, escape(url)
            )
            for lang, url in urls.items()
        )
        for language in languages:
            lines.append(
                f"<url><loc>{escape(urls[language])}</loc><lastmod>{changed}</lastmod>{alternates}</url>"
            )
    lines.append("</urlset>")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")


# Mounted at /sitemap.xml, outside the language prefix, by one line in config/urls.py.
urlpatterns = [path("", sitemap, name="sitemap")]
