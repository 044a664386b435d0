"""The sitemap index at /sitemap.xml and its numbered pages, read back with lxml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.test import Client
from lxml import etree

from iite.library import sitemap
from iite.library.models import Resource
from iite.library.oai.tests.factories import make_resource

pytestmark = pytest.mark.django_db

NS = {"s": sitemap.NS, "x": sitemap.XHTML}
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def page_tree(client: Client, path: str) -> etree._Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return etree.fromstring(response.getvalue())


@pytest.fixture
def library() -> list[Resource]:
    """Seven published resources (the last changed latest), a draft and a withdrawn one between."""
    base = datetime(2025, 5, 1, tzinfo=UTC)
    published = []
    for number in range(7):
        published.append(make_resource(datestamp=base + timedelta(days=number)))
        if number == 2:
            make_resource(status=Resource.Status.DRAFT)
            make_resource(status=Resource.Status.WITHDRAWN)
    return published


def test_the_index_points_at_numbered_pages_that_hold_every_published_resource_once(
    client, library, monkeypatch
):
    monkeypatch.setattr(sitemap, "PAGE_SIZE", 3)
    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == f"{{{sitemap.NS}}}sitemapindex"
    entries = index.findall("s:sitemap", NS)
    locs = [entry.findtext("s:loc", namespaces=NS) for entry in entries]
    assert locs == [f"{settings.SITE_URL}/sitemap-{n}.xml" for n in (1, 2, 3)]  # 3 + 3 + 1
    lastmods = [entry.findtext("s:lastmod", namespaces=NS) for entry in entries]
    assert lastmods == ["2025-05-03T00:00:00Z", "2025-05-06T00:00:00Z", "2025-05-07T00:00:00Z"]

    seen: list[str] = []
    for number in (1, 2, 3):
        tree = page_tree(client, f"/sitemap-{number}.xml")
        assert tree.tag == f"{{{sitemap.NS}}}urlset"
        urls = tree.findall("s:url", NS)
        assert len(urls) == (3 if number < 3 else 1) * len(LANGUAGES)
        for url in urls:
            alternates = url.findall("x:link", NS)
            assert [a.get("hreflang") for a in alternates] == [
                "zh-Hans" if code == "zh-hans" else code for code in LANGUAGES
            ]
            assert url.findtext("s:loc", namespaces=NS) in {a.get("href") for a in alternates}
            assert all(a.get("rel") == "alternate" for a in alternates)
        english = [
            u.findtext("s:loc", namespaces=NS)
            for u in urls
            if "/en/" in u.findtext("s:loc", namespaces=NS)
        ]
        seen += [loc.rstrip("/").rsplit("/", 1)[1] for loc in english]
    assert seen == [str(resource.uuid) for resource in library]  # in id order, each once

    # The same page twice is the same document.
    first = client.get("/sitemap-2.xml").getvalue()
    assert first == client.get("/sitemap-2.xml").getvalue()


def test_unknown_pages_are_not_found(client, library, monkeypatch):
    monkeypatch.setattr(sitemap, "PAGE_SIZE", 3)
    for path in ("/sitemap-4.xml", "/sitemap-0.xml", "/sitemap-01.xml", "/sitemap-x.xml"):
        assert client.get(path).status_code == 404, path
    assert client.post("/sitemap.xml").status_code == 405


def test_an_empty_library_has_one_empty_page(client):
    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert [e.findtext("s:loc", namespaces=NS) for e in index.findall("s:sitemap", NS)] == [
        f"{settings.SITE_URL}/sitemap-1.xml"
    ]
    assert page_tree(client, "/sitemap-1.xml").findall("s:url", NS) == []
    assert client.get("/sitemap-2.xml").status_code == 404


def test_a_page_stays_within_the_protocols_limits(client, library, monkeypatch):
    assert sitemap.page_size() == 8_333  # 49,998 addresses; some 5 kB per resource here
    monkeypatch.setattr(sitemap, "MAX_BYTES", 12_000)  # as if the addresses were very long
    size = sitemap.page_size()
    assert 1 <= size < 3
    index = etree.fromstring(client.get("/sitemap.xml").content)
    assert len(index.findall("s:sitemap", NS)) == -(-len(library) // size)
    body = client.get("/sitemap-1.xml").getvalue()
    assert len(body) <= sitemap.MAX_BYTES
