from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/reference"


def test_country_list_is_paginated_and_filtered(client):
    body = client.get(f"{API}/countries", {"page_size": 10}).json()
    assert body["count"] >= 249
    assert body["page"] == 1
    assert len(body["items"]) == 10
    assert body["pages"] == -(-body["count"] // 10)
    africa = client.get(f"{API}/countries", {"unesco_region": "africa", "region": "014"}).json()
    assert "KE" in {item["alpha2"] for item in africa["items"]}
    assert all(item["unesco_region"]["code"] == "africa" for item in africa["items"])
    found = client.get(f"{API}/countries", {"q": "Франция"}).json()
    assert [item["alpha3"] for item in found["items"]] == ["FRA"]


def test_country_detail_by_either_code_with_names_and_name(client):
    body = client.get(f"{API}/countries/fra").json()
    assert body["alpha2"] == "FR"
    assert body["m49"] == "250"
    assert body["name"] == "France"
    assert set(body["names"]) == {"ar", "en", "es", "fr", "ru", "zh"}
    assert body["un_subregion"]["code"] == "155"
    assert client.get(f"{API}/countries/FR", {"lang": "zh"}).json()["name"] == "法国"
    arabic = client.get(f"{API}/countries/FR", HTTP_ACCEPT_LANGUAGE="ar").json()
    assert arabic["name"] == "فرنسا"
    assert arabic["unesco_region"]["name"] == "أوروبا وأمريكا الشمالية"


def test_unknown_code_is_a_404_in_the_error_shape(client):
    response = client.get(f"{API}/countries/XX")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "not_found"
    assert "XX" in error["message"]
    assert error["details"] == []
    assert client.get(f"{API}/frameworks/ict-cft/9").status_code == 404
    assert client.get(f"{API}/frameworks/ict-cft/3/competencies/9.KA").status_code == 404
    assert client.get(f"{API}/vocabularies/nope").status_code == 404


@pytest.mark.parametrize(
    "query", [{"page": 0}, {"page_size": 100000}, {"lang": "de"}, {"page": "x"}]
)
def test_invalid_query_parameters_are_422(client, query):
    response = client.get(f"{API}/countries", query)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation"


def test_framework_detail_and_competency(client):
    body = client.get(f"{API}/frameworks/ict-cft/3", {"lang": "fr"}).json()
    assert body["licence"]["spdx_id"] == "CC-BY-SA-3.0-IGO"
    assert body["attribution"].startswith("Référentiel UNESCO")
    assert len(body["dimensions"]) == 6
    assert len(body["levels"]) == 3
    assert len(body["competencies"]) == 18
    first = body["competencies"][0]
    assert (first["code"], first["dimension"], first["level"]) == ("1.KA", "1", "KA")
    competency = client.get(f"{API}/frameworks/ict-cft/3/competencies/3.KD").json()
    assert competency["name"] == "Complex Problem Solving"
    assert competency["framework"]["code"] == "ict-cft"
    assert set(competency["descriptions"]) == {"ar", "en", "es", "fr", "ru", "zh"}


LISTS = [
    ("regions", 5),
    ("languages", 1),
    ("isced-levels", 9),
    ("sdg-targets", 10),
    ("sdg-indicators", 4),
    ("strategic-priorities", 3),
    ("action-areas", 6),
    ("topics", 12),
    ("licences", 11),
    ("vocabularies", 8),
    ("frameworks", 1),
]


@pytest.mark.parametrize(("path", "minimum"), LISTS, ids=[p for p, _ in LISTS])
def test_lists_are_public_and_bounded_in_queries(
    client, django_assert_max_num_queries, path, minimum
):
    with django_assert_max_num_queries(5):
        response = client.get(f"{API}/{path}")
    assert response.status_code == 200
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    assert len(items) >= minimum
    assert all(set(item["names"]) == {"ar", "en", "es", "fr", "ru", "zh"} for item in items)


def test_country_list_query_count(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        assert client.get(f"{API}/countries", {"page_size": 200}).status_code == 200


def test_action_areas_list_their_priorities(client):
    areas = client.get(f"{API}/action-areas").json()
    assert [area["number"] for area in areas] == [1, 2, 3, 4, 5, 6]
    assert areas[5]["priorities"] == [1, 2, 3]
