"""The sitemap of every published resource page, in each of the six interface languages.

``/sitemap.xml`` is a sitemap index (sitemaps.org protocol) pointing at numbered pages
``/sitemap-1.xml``, ``/sitemap-2.xml``…; page ``n`` holds the published resources after the first
``(n - 1) * size`` in id order, each as one address per language with its ``hreflang``
alternates. ``size`` is ``PAGE_SIZE`` (50,000 addresses, the protocol's limit, over six
languages), smaller if the addresses of this site are so long that a page would pass 50 MiB.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import UUID
from xml.sax.saxutils import escape

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import re_path, reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from iite.library import selectors

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
MAX_URLS = 50_000  # addresses in one sitemap page, and
MAX_BYTES = 50 * 1024 * 1024  # its size uncompressed, as the protocol allows
PAGE_SIZE = MAX_URLS // 6  # resources per page: one address per interface language
PLACEHOLDER = UUID(int=0)
CHUNK = 200  # resources per piece of a streamed page
URLSET_OPEN = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NS}" xmlns:xhtml="{XHTML}">\n'
)
URLSET_CLOSE = "</urlset>\n"


def _hreflang(code: str) -> str:
    return "zh-Hans" if code == "zh-hans" else code


def _templates() -> dict[str, str]:
    """Each language's address of a resource page, escaped, with ``PLACEHOLDER`` for the uuid."""
    templates = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            path = reverse("library:resource", kwargs={"uuid": PLACEHOLDER})
        templates[code] = escape(settings.SITE_URL + path)
    return templates


def _entries(templates: dict[str, str], uuid: UUID, changed: datetime) -> str:
    """The resource's address in each language, each with every language's alternate."""
    urls = {
        code: template.replace(str(PLACEHOLDER), str(uuid)) for code, template in templates.items()
    }
    day = changed.astimezone(UTC).date().isoformat()
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{_hreflang(code)}" href="{url}"/>'
        for code, url in urls.items()
    )
    return "".join(
        f"<url><loc>{url}</loc><lastmod>{day}</lastmod>{alternates}</url>\n"
        for url in urls.values()
    )


def page_size() -> int:
    """Resources per page: ``PAGE_SIZE``, fewer if that many would pass ``MAX_BYTES`` (every
    resource's entries have the same length: only the uuid and the date differ)."""
    one = len(_entries(_templates(), PLACEHOLDER, datetime(2000, 1, 1, tzinfo=UTC)).encode())
    room = MAX_BYTES - len(URLSET_OPEN) - len(URLSET_CLOSE)
    per_language = MAX_URLS // len(settings.LANGUAGES)
    return max(1, min(PAGE_SIZE, per_language, room // one))


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The numbered pages, each with the latest change of its resources. An empty library still
    has page 1 (empty), since an index lists at least one sitemap."""
    changes: list[datetime | None] = list(selectors.sitemap_page_changes(page_size())) or [None]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<sitemapindex xmlns="{NS}">']
    for number, changed in enumerate(changes, start=1):
        loc = escape(settings.SITE_URL + reverse("sitemap-page", kwargs={"number": number}))
        lastmod = (
            f"<lastmod>{changed.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}</lastmod>" if changed else ""
        )
        lines.append(f"<sitemap><loc>{loc}</loc>{lastmod}</sitemap>")
    lines.append("</sitemapindex>\n")
    return HttpResponse("\n".join(lines), content_type="application/xml; charset=utf-8")


@require_GET
def sitemap_page(request: HttpRequest, number: str) -> StreamingHttpResponse:
    """One page of resource addresses; a page past the last is not found. The rows are read
    before the response starts; the XML is streamed (a full page is some 45 MB)."""
    rows = selectors.sitemap_page(int(number), page_size())
    if not rows and number != "1":
        raise Http404
    templates = _templates()

    def body() -> Iterator[str]:
        yield URLSET_OPEN
        for start in range(0, len(rows), CHUNK):
            yield "".join(
                _entries(templates, uuid, changed) for uuid, changed in rows[start : start + CHUNK]
            )
        yield URLSET_CLOSE

    return StreamingHttpResponse(body(), content_type="application/xml; charset=utf-8")


# Mounted outside the language prefix by one line in config/urls.py. Page numbers are written
# without leading zeros, so each page has one address.
urlpatterns = [
    re_path(r"^sitemap\.xml$", sitemap_index, name="sitemap"),
    re_path(r"^sitemap-(?P<number>[1-9][0-9]{0,8})\.xml$", sitemap_page, name="sitemap-page"),
]
