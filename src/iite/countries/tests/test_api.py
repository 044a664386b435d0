"""The countries API: profile, comparison, map, releases, policy; the one error shape."""

from __future__ import annotations

import pytest

from iite.countries import services
from iite.countries.tests.conftest import UN_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture
def teachers(db):
    services.indicators_import(path=UN_DIR / "t4c1.csv")


def test_profile_and_series(client, teachers):
    body = client.get("/api/v1/countries/KEN").json()
    assert body["alpha3"] == "KEN"
    series = {block["series"]["code"]: block for block in body["series"]}
    primary = next(b for b in series["SE_TRA_GRDL"]["breakdowns"] if b["key"] == "PRIMAR:BOTHSEX:")
    assert primary["points"][0]["year"] >= 2000
    assert "UIS" in body["attribution"] or "UNESCO" in body["attribution"]
    codes = [s["code"] for s in client.get("/api/v1/countries/series").json()]
    assert "SE_ACS_INTNT" in codes


def test_compare_and_its_errors(client, teachers):
    url = "/api/v1/countries/KEN/compare?series=SE_TRA_GRDL&breakdown=PRIMAR:BOTHSEX:&peers=UGA"
    body = client.get(url).json()
    assert [line["kind"] for line in body["lines"]] == ["country", "region", "income", "peer"]
    bad = client.get("/api/v1/countries/KEN/compare?series=SE_TRA_GRDL&peers=XXX")
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "validation"
    missing = client.get("/api/v1/countries/ZZZ")
    assert missing.status_code == 404
    assert set(missing.json()["error"]) == {"code", "message", "details"}


def test_map_and_releases(client, teachers):
    body = client.get("/api/v1/countries/map?series=SE_TRA_GRDL&breakdown=PRIMAR:BOTHSEX:").json()
    assert any(row["alpha3"] == "KEN" for row in body["rows"])
    releases = client.get("/api/v1/countries/releases").json()
    assert releases[0]["status"] == "done"


def test_policy_rounds_are_public_only_when_published(client, kenya, focal_point):
    round = services.policy_round_start(country=kenya, by=focal_point)
    assert client.get("/api/v1/countries/KEN/policy").json() == []
    client.force_login(focal_point)
    rounds = client.get("/api/v1/countries/KEN/policy").json()
    assert [r["id"] for r in rounds] == [round.pk]
