"""Pages: profile with charts and tables, comparison, map, CSV, PDF, staff imports, query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from iite.countries import services
from iite.countries.models import Observation, Release
from iite.countries.tests.conftest import UIS_HEADER, UN_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(db):
    for name in ("t4a1.csv", "t4c1.csv"):
        release = services.indicators_import(path=UN_DIR / name, label=name)
        assert release.status == Release.Status.DONE


def test_the_country_list_links_to_profiles(client, indicators):
    response = client.get("/en/countries/")
    assert response.status_code == 200
    assert b'href="/en/countries/KEN/"' in response.content


def test_a_profile_shows_charts_tables_and_the_attribution(client, indicators):
    response = client.get("/fr/countries/KEN/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert "<polyline" in html
    assert "UNESCO Institute for Statistics" in html or "Institut" in html
    # The latest value of the primary teachers series is in a table.
    latest = (
        Observation.objects.filter(
            country__alpha3="KEN", series__code="SE_TRA_GRDL", level="PRIMAR", sex="BOTHSEX"
        )
        .order_by("-year")
        .first()
    )
    assert latest is not None
    assert f"{latest.value:.1f}".replace(".", ",") in html or f"{latest.value:.1f}" in html


def test_a_profile_needs_a_fixed_number_of_queries(client, indicators):
    with CaptureQueriesContext(connection) as small:
        client.get("/en/countries/ALB/")
    with CaptureQueriesContext(connection) as large:
        client.get("/en/countries/IND/?peers=FRA&peers=KEN&peers=BRA")
    # country, series, observations, comparison, releases, country codes, library documents,
    # ICT CFT instrument, published rounds; peers add one lookup, however many there are.
    assert len(small) <= 9
    assert len(large) == len(small) + 1


def test_comparison_with_region_income_group_and_peers(client, indicators):
    response = client.get(
        "/en/countries/KEN/?series=SE_TRA_GRDL&breakdown=PRIMAR:BOTHSEX:&peers=UGA&peers=tza"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Africa (mean of countries with data)" in html
    assert "Lower middle income (mean of countries with data)" in html
    assert "Uganda" in html
    assert "Tanzania" in html


def test_unknown_peers_are_named_and_the_page_still_works(client, indicators):
    response = client.get("/en/countries/KEN/?peers=XXX")
    assert response.status_code == 400
    assert "XXX" in response.content.decode()


def test_unknown_country_is_404(client):
    assert client.get("/en/countries/ZZZ/").status_code == 404


def test_profile_csv_has_observations_and_comparison(client, indicators):
    response = client.get("/en/countries/KEN/profile.csv?series=SE_TRA_GRDL&peers=UGA")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    parts = {row[0] for row in rows[1:]}
    assert {"observation", "comparison:country", "comparison:region", "comparison:peer"} <= parts
    count = Observation.objects.filter(country__alpha3="KEN").count()
    assert sum(1 for row in rows if row[0] == "observation") == count


def test_the_world_map_colours_countries_and_has_a_table(client, indicators):
    response = client.get("/en/countries/map/?series=SE_ACS_ELECT&breakdown=PRIMAR::")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<path") > 150
    assert 'fill="#d9d9d9"' in html  # countries without data
    assert "Kenya" in html
    csv_response = client.get("/en/countries/map.csv?series=SE_ACS_ELECT&breakdown=PRIMAR::")
    assert b"KEN" in csv_response.content


def test_the_map_refuses_an_unknown_series_politely(client, indicators):
    assert client.get("/en/countries/map/?series=NOPE").status_code == 400


def test_changes_between_releases_are_listed(client, tmp_path, indicators):
    first = Release.objects.filter(status="done").order_by("pk").last()
    assert first is not None
    path = tmp_path / "next.csv"
    path.write_text(UIS_HEADER + "TRTP.1,KEN,2030,99.5,,UIS_EST\n", encoding="utf-8")
    services.indicators_import(path=path)
    html = client.get(f"/en/countries/KEN/?since={first.pk}").content.decode()
    assert "99.5" in html
    assert "Added" in html


def test_the_pdf_brief(client, indicators):
    response = client.get("/en/countries/KEN/brief.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_staff_upload_runs_the_import_and_shows_the_summary(
    client, editor, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    content = (UIS_HEADER + "TRTP.1,KEN,2019,90,,\nTRTP.1,KEN,2019,oops,,\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/countries/imports/",
            {"file": SimpleUploadedFile("bad.csv", content), "label": "Test"},
        )
    assert response.status_code == 302
    release = Release.objects.get()
    assert release.status == Release.Status.REFUSED
    page = client.get(response["Location"]).content.decode()
    assert "oops" in page
    assert "is not a number" in page
    assert Observation.objects.count() == 0
    good = (UIS_HEADER + "TRTP.1,KEN,2019,90,,\n").encode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/countries/imports/", {"file": SimpleUploadedFile("good.csv", good)})
    assert Observation.objects.count() == 1


def test_only_staff_may_import(client, focal_point):
    client.force_login(focal_point)
    assert client.get("/en/countries/imports/").status_code == 403
    assert client.get("/en/countries/").status_code == 200


def test_an_empty_upload_is_refused_with_a_message(client, editor):
    client.force_login(editor)
    response = client.post("/en/countries/imports/", {"file": SimpleUploadedFile("e.csv", b"")})
    assert response.status_code == 400
    assert not Release.objects.exists()


def test_region_and_income_means_are_those_of_the_countries_with_a_value(client, indicators):
    """The comparison's means (computed from one query's rows) equal the database's averages."""
    from django.db.models import Avg, Count

    from iite.countries import selectors
    from iite.reference.models import Country

    kenya = Country.objects.select_related("unesco_region").get(alpha3="KEN")
    series = selectors.series_by_code("SE_TRA_GRDL")
    assert series is not None
    result = selectors.comparison(country=kenya, series=series, key="PRIMAR:BOTHSEX:", peers=[])
    assert result is not None
    lines = {line.kind: line for line in result.lines}
    base = Observation.objects.filter(
        series=series, level="PRIMAR", sex="BOTHSEX", skill="", value__isnull=False
    )
    for kind, group in (
        ("region", base.filter(country__unesco_region=kenya.unesco_region)),
        ("income", base.filter(country__income_group=kenya.income_group)),
    ):
        expected = {
            row["year"]: (round(row["mean"], 2), row["n"])
            for row in group.values("year").annotate(mean=Avg("value"), n=Count("country"))
        }
        assert expected, kind
        found = {
            year: (mean, lines[kind].counts[year]) for year, mean in lines[kind].points.items()
        }
        assert found == expected, kind


def test_chart_and_map_coordinates_are_not_written_with_a_decimal_comma(client, indicators):
    """French writes 12,5 for numbers; inside SVG that would break every chart and the map."""
    import re

    html = client.get("/fr/countries/RWA/").content.decode()
    coordinates = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', html)
    assert len(coordinates) > 20
    assert all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in coordinates), coordinates[:5]
    assert re.search(r"\d,\d", html)  # the tables do use the decimal comma
    map_html = client.get("/fr/countries/map/").content.decode()
    box = re.search(r'<svg viewBox="([^"]*)" class="world-map"', map_html)
    assert box is not None
    assert "," not in box.group(1)
