"""The search page, its CSV export, the search API and the rebuild command."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from iite.library.models import Resource
from iite.library.search.models import Entry
from iite.library.search.tests.factories import make_resource
from iite.reference.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus() -> list[Resource]:
    kenya = Country.objects.get(alpha2="KE")
    return [
        make_resource(
            title="Mobile phones in Kenyan classrooms",
            abstract="How teachers use <b>mobile</b> phones.",
            countries=[kenya],
            issued=date(2022, 3, 1),
        ),
        make_resource(title='=HYPERLINK("http://evil") mobile', issued=date(2021, 1, 1)),
        make_resource(title="Téléphones mobiles à l'école", language="fr", issued=date(2020, 1, 1)),
    ]


def test_the_page_shows_results_facets_and_works_in_arabic(client: Client, corpus) -> None:
    response = client.get("/en/library/", {"q": "mobile"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 resources found (showing 1\u20133)" in page
    assert "<mark>Mobile</mark>" in page
    assert "<b>" not in page  # the abstract's markup is never passed through as HTML
    assert 'name="country" value="KE"' in page
    assert f'href="/en/library/r/{corpus[0].uuid}/"' in page
    arabic = client.get("/ar/library/", {"q": "mobile", "country": "KE"})
    assert arabic.status_code == 200
    assert 'dir="rtl"' in arabic.content.decode()
    assert "Kenyan" in arabic.content.decode()
    assert "Téléphones" not in arabic.content.decode()


def test_bad_filters_and_pages_are_a_400_with_a_message(client: Client, corpus) -> None:
    for params in ({"country": "ZZ"}, {"page": "99"}, {"page": "x"}, {"sort": "price"}):
        response = client.get("/en/library/", params)
        assert response.status_code == 400, params
        assert "This search cannot be run" in response.content.decode()


def test_the_page_without_words_lists_newest_first_in_few_queries(client: Client, corpus) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/en/library/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Mobile phones in Kenyan") < page.index("Téléphones")
    assert len(queries) <= 20


def test_csv_exports_every_result_safe_for_spreadsheets(client: Client, corpus) -> None:
    response = client.get("/en/library/search.csv", {"q": "mobile", "sort": "date"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["issued"] for row in rows] == ["2022-03-01", "2021-01-01", "2020-01-01"]
    assert rows[0]["country"] == "KE"
    assert rows[0]["url"].endswith(f"/library/r/{corpus[0].uuid}/")
    assert rows[1]["title"].startswith("'=HYPERLINK")
    bad = client.get("/en/library/search.csv", {"topic": "nope"})
    assert bad.status_code == 400


def test_api_search_with_facets_and_the_one_error_shape(client: Client, corpus) -> None:
    response = client.get("/api/v1/library/search", {"q": "mobile", "country": "KE", "lang": "fr"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["url"] == f"/fr/library/r/{corpus[0].uuid}/" or body["items"][0][
        "url"
    ].endswith(f"/library/r/{corpus[0].uuid}/")
    assert "<mark>" in body["items"][0]["title_html"]
    countries = next(facet for facet in body["facets"] if facet["name"] == "country")
    assert countries["values"] == [{"value": "KE", "label": "Kenya", "count": 1, "selected": True}]
    assert countries["label"] == "Pays"
    for params, code in (
        ({"country": "ZZ"}, "unknown_facet_value"),
        ({"page": 50}, "page_out_of_range"),
        ({"page": 0}, "page_out_of_range"),
        ({"sort": "random"}, "invalid_sort"),
    ):
        response = client.get("/api/v1/library/search", params)
        assert response.status_code == 400, params
        assert response.json()["error"]["code"] == code
        assert response.json()["error"]["message"]
    response = client.get("/api/v1/library/search", {"q": '" OR (title:'})
    assert response.status_code == 200


def test_reindex_command_rebuilds_the_index(corpus) -> None:
    Entry.objects.all().delete()
    draft = make_resource(title="Draft mobile", status=Resource.Status.DRAFT, index=False)
    out = io.StringIO()
    call_command("reindex_library", stdout=out)
    assert "Indexed 3 published resources" in out.getvalue()
    assert set(Entry.objects.values_list("resource_id", flat=True)) == {r.pk for r in corpus}
    assert not Entry.objects.filter(resource_id=draft.pk).exists()
    from iite.library.search.query import search

    assert search(q="mobile").total == 3


def test_facet_checkboxes_carry_value_count_and_choice(client: Client, corpus) -> None:
    body = client.get("/en/library/", {"country": "KE"}).content.decode()
    kenya = re.search(
        r'<li><input type="checkbox"[^>]*value="KE"[^>]*>\s*<label for="([^"]+)">', body
    )
    assert kenya is not None
    assert " checked" in kenya.group(0)
    assert f'id="{kenya.group(1)}"' in kenya.group(0)
    counts = re.findall(r'<span class="facet-count">\((\d+)\)</span>', body)
    assert counts
    assert all(int(count) > 0 for count in counts)
    # Only the chosen value is checked.
    assert body.count(" checked>") == 1
