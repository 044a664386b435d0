from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def _get(client, name, *args, language="en", query=""):
    with translation.override(language):
        url = reverse(f"reference:{name}", args=args)
    return client.get(url + query)


PAGES = [
    ("index", (), "Learning resource type"),
    ("country-list", (), "Kenya"),
    ("country-detail", ("ke",), "Eastern Africa"),
    ("region-list", (), "Latin America and the Caribbean"),
    ("language-list", (), "Yiddish"),
    ("isced-list", (), "Short-cycle tertiary education"),
    ("sdg-list", (), "4.a.1"),
    ("institute", (), "Partnerships and networking"),
    ("topic-list", (), "Media and information literacy"),
    ("licence-list", (), "CC-BY-NC-SA-3.0-IGO"),
    ("vocabulary-detail", ("accessibility-feature",), "alternativeText"),
    ("framework-list", (), "UNESCO ICT Competency Framework for Teachers"),
    ("framework-detail", ("ict-cft", "3"), "Teacher as Innovator"),
]


@pytest.mark.parametrize(("name", "args", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_pages_render_in_english(client, name, args, expected):
    response = _get(client, name, *args)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert html.count("<h1") == 1
    if "<table" in html:
        assert "<caption>" in html


def test_pages_render_in_arabic_right_to_left(client):
    response = _get(client, "framework-detail", "ict-cft", "3", language="ar")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html
    assert "المعلم مبتكرًا" in html
    assert "إطار اليونسكو لكفاءات المعلمين" in html  # attribution in Arabic
    countries = _get(client, "country-list", language="ar", query="?unesco_region=arab-states")
    assert "مصر" in countries.content.decode()


def test_framework_page_shows_matrix_licence_and_attribution(client):
    html = _get(client, "framework-detail", "ict-cft", "3").content.decode()
    assert '<th scope="col">Knowledge Creation</th>' in html
    assert html.count('<th scope="row">') == 6
    assert "3.KD" in html
    assert "UNESCO ICT Competency Framework for Teachers, version 3. © UNESCO 2018." in html
    assert "https://creativecommons.org/licenses/by-sa/3.0/igo/" in html
    assert "https://unesdoc.unesco.org/ark:/48223/pf0000265721" in html


def test_country_filters_work_without_javascript(client):
    html = _get(client, "country-list", query="?unesco_region=africa&region=014").content.decode()
    assert "Kenya" in html
    assert "Egypt" not in html
    assert "France" not in html
    assert '<option value="africa" selected>' in html
    searched = _get(client, "country-list", query="?q=kenya").content.decode()
    assert "Kenya" in searched
    assert "France" not in searched


def test_unknown_codes_are_404(client):
    assert _get(client, "country-detail", "XX").status_code == 404
    assert _get(client, "framework-detail", "ict-cft", "9").status_code == 404
    assert _get(client, "vocabulary-detail", "nope").status_code == 404


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("index", 8),
        ("country-list", 10),
        ("language-list", 8),
        ("framework-detail", 10),
        ("institute", 8),
        ("sdg-list", 8),
    ],
)
def test_list_pages_query_count(client, django_assert_max_num_queries, name, limit):
    args = ("ict-cft", "3") if name == "framework-detail" else ()
    with django_assert_max_num_queries(limit):
        assert _get(client, name, *args).status_code == 200
