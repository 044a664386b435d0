from __future__ import annotations

import pytest

from iite.reference import selectors

pytestmark = pytest.mark.django_db


def test_countries_filter_by_region_unesco_region_and_search():
    africa = selectors.countries(unesco_region="africa")
    assert africa.filter(alpha2="KE").exists()
    assert not africa.filter(alpha2="EG").exists()  # Egypt is in the Arab States
    eastern_africa = selectors.countries(region="014")
    assert set(eastern_africa.values_list("alpha2", flat=True)) >= {"KE", "ET", "TZ"}
    assert set(selectors.countries(region="002").values_list("alpha2", flat=True)) >= {"KE", "EG"}
    assert list(selectors.countries(q="Франция").values_list("alpha2", flat=True)) == ["FR"]
    assert selectors.countries(q="fra").filter(alpha2="FR").exists()


def test_country_by_code_accepts_either_code_in_any_case():
    kenya = selectors.country_by_code("ke")
    assert kenya is not None
    assert kenya.alpha3 == "KEN"
    assert selectors.country_by_code("Ken") == kenya
    assert selectors.country_by_code("XX") is None
    assert selectors.country_by_code("KENY") is None


def test_country_list_joins_its_regions(django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [(c.un_region, c.un_subregion, c.unesco_region) for c in selectors.countries()]
    assert len(rows) >= 249


def test_framework_matrix_is_six_by_three_in_four_queries(django_assert_num_queries):
    with django_assert_num_queries(4):
        matrix = selectors.framework_matrix(code="ict-cft", version="3")
        assert matrix is not None
        names = [[cell.names["en"] for cell in row.cells if cell] for row in matrix.rows]
    assert [level.code for level in matrix.levels] == ["KA", "KD", "KC"]
    assert names[0] == ["Policy Understanding", "Policy Application", "Policy Innovation"]
    assert names[3] == ["Application", "Infusion", "Transformation"]
    assert len(names) == 6
    assert all(len(row) == 3 for row in names)
    assert selectors.framework_matrix(code="ict-cft", version="99") is None


def test_action_areas_prefetch_their_priorities(django_assert_num_queries):
    with django_assert_num_queries(2):
        areas = {a.number: [p.number for p in a.priorities.all()] for a in selectors.action_areas()}
    assert areas[1] == [1]
    assert areas[5] == [3]
    assert len(areas) == 6
