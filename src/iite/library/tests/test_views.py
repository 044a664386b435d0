"""The library's pages without a browser: resource page, exports, forms, workflow, feeds,
sitemap, CSV import and export, usage."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from lxml import etree

from iite.library import file_services, jsonld, services, workflow
from iite.library.models import Collection, Resource, UsageMonth
from iite.library.selectors import CRITERIA
from iite.library.tests.conftest import case_study, publication, published

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_jsonld(html: str) -> Any:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_the_resource_page_shows_metadata_citation_editions_and_valid_json_ld(client, editor):
    english = published(
        editor,
        title="Guidelines for ICT in education policies & masterplans",
        creators=["Kozma, Robert", "UNESCO"],
        issued="2021-03-01",
        publisher="UNESCO IITE",
        licence="CC-BY-SA-3.0-IGO",
        countries=["KE"],
        topics=["digital-skills"],
        competencies=["1.KA"],
        accessibility_features=["alternativeText"],
        audiences=["policyMaker"],
    )
    french = published(editor, title="Lignes directrices", language="fr", topics=["digital-skills"])
    services.edition_link(resource=french, to=english, by=editor)
    response = client.get(f"/en/library/r/{english.uuid}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Kozma, R., &amp; UNESCO (2021). "
        "Guidelines for ICT in education policies &amp; masterplans." in html
    )
    assert f'href="/en/library/r/{french.uuid}/" hreflang="fr"' in html
    data = page_jsonld(html)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["license"] == "https://creativecommons.org/licenses/by-sa/3.0/igo/"
    assert data["accessibilityFeature"] == ["alternativeText"]
    assert data["workTranslation"][0]["inLanguage"] == "fr"

    def keys(node):
        if isinstance(node, dict):
            for key, value in node.items():
                yield key
                yield from keys(value)
        elif isinstance(node, list):
            for value in node:
                yield from keys(value)

    assert set(keys(data)) <= jsonld.PROPERTIES
    # The Arabic page is right to left and shows the same resource.
    arabic = client.get(f"/ar/library/r/{english.uuid}/")
    assert arabic.status_code == 200
    assert 'dir="rtl"' in arabic.content.decode()


def test_citation_exports(client, editor):
    resource = published(
        editor,
        title="Media {literacy} & AI",
        creators=["Grizzle, Alton"],
        issued="2021",
        doi="10.54675/XYZ",
    )
    bib = client.get(f"/en/library/r/{resource.uuid}/cite.bib")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    text = bib.content.decode()
    assert text.startswith("@techreport{grizzle2021_")
    assert r"Media \{literacy\} \& AI" in text
    assert "doi = {10.54675/XYZ}" in text
    ris = client.get(f"/en/library/r/{resource.uuid}/cite.ris").content.decode()
    assert ris.splitlines()[0] == "TY  - RPRT"
    assert "AU  - Grizzle, Alton" in ris
    assert ris.rstrip().endswith("ER  -")
    csl = json.loads(client.get(f"/en/library/r/{resource.uuid}/cite.json").content)
    assert csl[0]["author"] == [{"family": "Grizzle", "given": "Alton"}]
    assert csl[0]["issued"] == {"date-parts": [[2021, 1, 1]]}
    assert client.get(f"/en/library/r/{resource.uuid}/cite.doc").status_code == 404


def test_a_draft_is_hidden_and_a_withdrawn_resource_leaves_a_tombstone(client, editor):
    draft = publication(editor)
    assert client.get(f"/en/library/r/{draft.uuid}/").status_code == 404
    assert signed_in(editor).get(f"/en/library/r/{draft.uuid}/").status_code == 200
    resource = published(editor, abstract="Secret details")
    workflow.resource_withdraw(resource=resource, by=editor, reason="Replaced by the 2025 edition.")
    response = client.get(f"/en/library/r/{resource.uuid}/")
    assert response.status_code == 410
    html = response.content.decode()
    assert "This resource has been withdrawn" in html
    assert "Replaced by the 2025 edition." in html
    assert "Secret details" not in html
    assert client.get(f"/en/library/r/{resource.uuid}/cite.bib").status_code == 404


def test_a_member_writes_a_case_study_through_the_form_and_submits_it(member, editor, reviewer):
    client = signed_in(member)
    assert client.get("/en/library/case-study/new/").status_code == 200
    refused = client.post("/en/library/case-study/new/", {"title": "", "language": "en"})
    assert refused.status_code == 200
    assert "There is a problem" in refused.content.decode()
    assert Resource.objects.count() == 0
    response = client.post(
        "/en/library/case-study/new/",
        {
            "title": "Teachers' WhatsApp circles",
            "language": "en",
            "creators": "Okoro, Ada",
            "countries": ["NG"],
            "context": "Isolated rural teachers.",
            "solution": "Weekly peer circles on a messaging app.",
            "results": "Lesson observations improved in 30 of 42 schools.",
        },
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/library/r/{resource.uuid}/files/"
    assert resource.kind == "case-study"
    assert resource.submitted_by == member
    client.post(f"/en/library/r/{resource.uuid}/submit/")
    resource.refresh_from_db()
    assert resource.status == "submitted"
    # An editor may not see the review page's forms as a member does, and a member none of it.
    assert client.get(f"/en/library/r/{resource.uuid}/review/").status_code == 404
    editor_client = signed_in(editor)
    assign = editor_client.post(
        f"/en/library/r/{resource.uuid}/review/assign/", {"reviewer": str(reviewer.pk)}
    )
    assert assign.status_code == 302
    reviewer_client = signed_in(reviewer)
    page = reviewer_client.get(f"/en/library/r/{resource.uuid}/review/").content.decode()
    assert "Evidence of impact" in page
    incomplete = reviewer_client.post(
        f"/en/library/r/{resource.uuid}/review/review/", {"comment": "Good"}
    )
    assert incomplete.status_code == 400
    done = reviewer_client.post(
        f"/en/library/r/{resource.uuid}/review/review/",
        {**{f"score_{c}": "4" for c in CRITERIA}, "comment": "Good", "recommendation": "publish"},
    )
    assert done.status_code == 302
    editor_client.post(f"/en/library/r/{resource.uuid}/review/publish/")
    resource.refresh_from_db()
    assert resource.status == "published"
    history = editor_client.get(f"/en/library/r/{resource.uuid}/review/").content.decode()
    assert history.count("<tr><td>") >= 5


def test_upload_page_refuses_a_corrupt_pdf_with_a_message(editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resource = publication(editor)
    client = signed_in(editor)
    response = client.post(
        f"/en/library/r/{resource.uuid}/files/",
        {"file": SimpleUploadedFile("report.pdf", b"%PDF-1.4 broken"), "label": "Report"},
    )
    assert response.status_code == 200
    assert "The PDF is damaged" in response.content.decode()
    assert resource.files.count() == 0


def test_criteria_page_lists_the_five_criteria(client):
    html = client.get("/fr/library/criteria/").content.decode()
    assert html.count("<dt>") == 5


def test_usage_is_counted_once_per_visitor_and_day(client, editor):
    resource = published(editor)
    for _ in range(3):
        client.get(f"/en/library/r/{resource.uuid}/")
    Client().get(f"/en/library/r/{resource.uuid}/")
    row = UsageMonth.objects.get(resource=resource)
    assert row.views == 2
    assert row.country is None


def test_feeds_and_sitemap(client, editor):
    resource = published(
        editor, title="Open educational resources in Asia", topics=["open-educational-resources"]
    )
    publication(editor, title="A draft nobody sees")
    collection = Collection.objects.create(code="oer", names={"en": "OER"})
    services.collection_add(collection=collection, resource=resource, by=editor)
    atom = etree.fromstring(client.get("/en/library/feeds/new.atom").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [t.text for t in atom.findall("a:entry/a:title", ns)] == [resource.title]
    topic = etree.fromstring(
        client.get("/en/library/feeds/topics/open-educational-resources.atom").content
    )
    assert len(topic.findall("a:entry", ns)) == 1
    coll = etree.fromstring(client.get("/en/library/feeds/collections/oer.atom").content)
    assert len(coll.findall("a:entry", ns)) == 1
    assert client.get("/en/library/feeds/topics/nothing.atom").status_code == 404
    index = etree.fromstring(client.get("/sitemap.xml").content)
    pages = [e.text for e in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert [page.rsplit("/", 1)[1] for page in pages] == ["sitemap-1.xml"]
    sitemap = etree.fromstring(client.get("/sitemap-1.xml").getvalue())
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == 6
    assert all(str(resource.uuid) in loc for loc in locs)


CSV_HEADER = "kind,title,language,creators,countries,licence,issued,status\n"


def test_csv_import_is_all_or_nothing_with_a_report_per_row(editor):
    client = signed_in(editor)
    bad = CSV_HEADER + (
        'publication,Good row,en,"Smith, Jane",KE,CC-BY-4.0,2020,published\n'
        "poem,Bad kind,en,,,,,\n"
        "oer,Bad codes,xx,,ZZ,NOPE,soon,later\n"
    )
    response = client.post(
        "/en/library/import/", {"file": SimpleUploadedFile("a.csv", bad.encode())}
    )
    assert response.status_code == 400
    report = response.context["report"]
    problems = {(p.row, p.column, p.rule) for p in report.problems}
    assert (3, "kind", "choice") in problems
    assert {
        (4, "language", "choice"),
        (4, "countries", "choice"),
        (4, "licence", "choice"),
        (4, "issued", "format"),
        (4, "status", "choice"),
    } <= problems
    assert Resource.objects.count() == 0
    good = (
        CSV_HEADER
        + 'publication,Good row,en,"Smith, Jane",KE,CC-BY-4.0,2020,published\n'
        + "oer,Second,fr,,,,,draft\n"
    )
    response = client.post(
        "/en/library/import/", {"file": SimpleUploadedFile("a.csv", good.encode())}
    )
    assert response.status_code == 200
    assert sorted(Resource.objects.values_list("title", "status")) == [
        ("Good row", "published"),
        ("Second", "draft"),
    ]
    export = client.get("/en/library/export.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(export)))
    assert [r["title"] for r in rows] == ["Good row"]
    assert rows[0]["creators"] == "Smith, Jane"
    assert rows[0]["countries"] == "KE"


def test_members_cannot_reach_editor_pages(member):
    client = signed_in(member)
    for path in ("/en/library/new/", "/en/library/import/"):
        assert client.get(path).status_code == 404
    mine = case_study(member)
    assert client.get(f"/en/library/r/{mine.uuid}/edit/").status_code == 200


def test_editors_curate_collections_and_the_page_queries_do_not_grow(editor, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(editor)
    response = client.post(
        "/en/library/collections/",
        {"code": "health-well-being", "kind": "collection", "name_en": "Health and well-being"},
    )
    assert response.status_code == 302
    collection = Collection.objects.get(code="health-well-being")
    assert collection.names["en"] == "Health and well-being"
    assert signed_in(member).post("/en/library/collections/", {"code": "x"}).status_code == 404

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get("/en/library/collections/health-well-being/").status_code == 200
        return len(captured)

    for number in range(2):
        resource = published(editor, title=f"Well-being {number}")
        client.post("/en/library/collections/health-well-being/", {"resource": str(resource.uuid)})
    few = page_queries()
    for number in range(2, 8):
        resource = published(editor, title=f"Well-being {number}")
        client.post("/en/library/collections/health-well-being/", {"resource": str(resource.uuid)})
    assert collection.items.count() == 8
    assert page_queries() == few
    first = collection.items.order_by("order").first()
    assert first is not None
    removed = client.post(
        "/en/library/collections/health-well-being/", {"remove": str(first.resource.uuid)}
    )
    assert removed.status_code == 302
    assert collection.items.count() == 7


def test_the_resource_page_queries_do_not_grow_with_creators_editions_or_related(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(resource: Resource) -> int:
        client = Client()
        client.get(f"/en/library/r/{resource.uuid}/")  # the first visit also starts a session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/en/library/r/{resource.uuid}/").status_code == 200
        return len(captured)

    small = published(editor, creators=["One, A"], topics=["stem"], countries=["KE"])
    big = published(
        editor,
        title="Big",
        creators=[f"Person{n}, B" for n in range(8)],
        topics=["stem", "digital-skills"],
        countries=["KE", "FR", "BR"],
        accessibility_features=["alternativeText", "captions"],
    )
    for language in ("fr", "es", "ru"):
        edition = published(editor, title=f"Big {language}", language=language)
        services.edition_link(resource=edition, to=big, by=editor)
    for number in range(4):
        published(editor, title=f"Related {number}", topics=["stem"])
    assert queries(big) == queries(small)


def test_downloads_are_counted_and_uploaded_html_is_sandboxed(editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resource = published(editor)
    html = b"<!doctype html><html><body><script>alert(1)</script><p>Guide</p></body></html>"
    row = file_services.file_upload(
        resource=resource, by=editor, upload=SimpleUploadedFile("guide.html", html)
    )
    link = file_services.file_link_add(
        resource=resource, by=editor, url="https://example.org/video"
    )
    client = Client()
    response = client.get(f"/en/library/r/{resource.uuid}/files/{row.pk}/")
    assert response.status_code == 200
    assert response.getvalue() == html
    assert response["Content-Security-Policy"].startswith("sandbox")
    client.get(f"/en/library/r/{resource.uuid}/files/{row.pk}/")
    redirect = client.get(f"/en/library/r/{resource.uuid}/files/{link.pk}/")
    assert redirect.status_code == 302
    assert redirect["Location"] == "https://example.org/video"
    assert UsageMonth.objects.get(resource=resource).downloads == 1
    assert client.get(f"/en/library/r/{resource.uuid}/files/999999/").status_code == 404


def test_an_editor_adds_a_resource_with_every_kind_of_field_through_the_form(editor):
    client = signed_in(editor)
    assert client.get("/ar/library/new/").status_code == 200
    response = client.post(
        "/en/library/new/",
        {
            "kind": "oer",
            "title": "Lesson plans on digital citizenship",
            "language": "fr",
            "creators": "Dupont, Marie\nRéseau Canopé",
            "issued": "2022-09",
            "licence": "CC-BY-4.0",
            "keywords": "citizenship; safety",
            "countries": ["FR"],
            "topics": ["digital-safety"],
            "isced_levels": ["2"],
            "competencies": ["5.KA"],
            "audiences": ["teacher"],
            "learning_resource_types": ["lessonPlan"],
            "accessibility_features": ["alternativeText"],
            "access_modes": ["textual"],
            "accessibility_hazards": ["none"],
            "accessibility_summary": "Text with described images.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get()
    assert [c.display_name for c in resource.creators.all()] == ["Marie Dupont", "Réseau Canopé"]
    assert resource.learning_resource_types.get().code == "lessonPlan"
    assert resource.isced_levels.get().code == "2"
    edit = client.get(f"/en/library/r/{resource.uuid}/edit/").content.decode()
    assert 'value="lessonPlan" selected' in edit
    bad = client.post(
        f"/en/library/r/{resource.uuid}/edit/",
        {"kind": "oer", "title": "T", "language": "fr", "doi": "x"},
    )
    assert bad.status_code == 200
    assert "A DOI looks like" in bad.content.decode()


def test_a_cover_image_is_checked_and_shown(editor, settings, tmp_path):
    from iite.library.tests.test_files import png_bytes

    settings.MEDIA_ROOT = tmp_path
    resource = published(editor)
    client = signed_in(editor)
    bad = client.post(
        f"/en/library/r/{resource.uuid}/files/",
        {"cover": SimpleUploadedFile("cover.png", b"%PDF-1.4 not an image")},
    )
    assert "damaged" in bad.content.decode()
    good = client.post(
        f"/en/library/r/{resource.uuid}/files/",
        {"cover": SimpleUploadedFile("cover.png", png_bytes())},
    )
    assert good.status_code == 302
    response = Client().get(f"/en/library/r/{resource.uuid}/cover")
    assert response.getvalue() == png_bytes()
    assert (
        f"/en/library/r/{resource.uuid}/cover"
        in Client().get(f"/en/library/r/{resource.uuid}/").content.decode()
    )
