"""Anonymised open data: per instrument version, country and target, never from fewer than 5."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.test import Client

from iite.accounts.tests.factories import make_organisation
from iite.assessments import services
from iite.assessments.models import Campaign, Instrument
from iite.assessments.open_data import COLUMNS, open_data
from iite.assessments.tests.conftest import open_window, person
from iite.assessments.tests.test_api import answer_school
from iite.reference.models import Country

pytestmark = pytest.mark.django_db

API = "/api/v1/assessments/open-data"


@pytest.fixture
def kenyan_campaign(school_instrument, kenya, admin) -> Campaign:
    return services.campaign_open(
        instrument=school_instrument,
        scope="organisation",
        organisation=make_organisation(name="Nairobi school", country=kenya),
        by=admin,
        **open_window(),
    )


def self_assess(instrument: Instrument, country: Country | None, value: int = 3, user=None):
    """A submitted self-assessment of the test teacher instrument."""
    user = user or person()
    if user.country_id is None and country is not None:
        user.country = country
        user.save(update_fields=["country"])
    campaign = services.campaign_self_for(user=user, instrument=instrument)
    response, _code = services.response_start(campaign=campaign, group="teacher", user=user)
    services.response_answers_save(
        response=response,
        section_code="policy",
        answers={"1.KA.1": value, "1.KA.2": value, "1.KD.1": value, "1.KC.1": min(value, 2)},
    )
    services.response_answers_save(
        response=response, section_code="pedagogy", answers={"3.KA.1": value}
    )
    services.response_submit(response=response, submission_key=uuid.uuid4())
    return user


def test_four_respondents_are_withheld_five_are_published(school_campaign, kenyan_campaign):
    for _number in range(4):
        answer_school(school_campaign, value=5)  # France: 4 respondents
    for value in (1, 2, 3, 4, 5):
        answer_school(kenyan_campaign, value=value)  # Kenya: 5 respondents
    answer_school(kenyan_campaign, value=5, group="leader")  # leaders answer no infrastructure

    data = open_data()
    assert [(row.country, row.target, row.respondents, row.mean_score) for row in data.rows] == [
        ("KEN", "infrastructure", 5, 1.0),
        ("KEN", "leadership", 6, round((0 + 0.25 + 0.5 + 0.75 + 1 + 1) / 6, 4)),
    ]
    assert all(row.instrument == "test-school" and row.version == 1 for row in data.rows)
    assert data.withheld_rows == 2  # France's two targets
    assert "5" in data.note


def test_self_assessments_count_by_profile_country_and_each_person_once(
    teacher_instrument, france, kenya
):
    # Kenya: five people, one of them in three rounds (only the latest counts).
    kenyans = [self_assess(teacher_instrument, kenya, value=3) for _number in range(5)]
    self_assess(teacher_instrument, kenya, value=0, user=kenyans[0])
    # France: four people, one in three rounds: still four respondents.
    french = [self_assess(teacher_instrument, france) for _number in range(4)]
    self_assess(teacher_instrument, france, user=french[0])
    self_assess(teacher_instrument, france, user=french[0])
    # Without a profile country a self-assessment is left out.
    for _number in range(5):
        self_assess(teacher_instrument, None)

    rows = {(row.country, row.target): row for row in open_data().rows}
    assert {country for country, _target in rows} == {"KEN"}
    assert rows[("KEN", "1.KA")].respondents == 5
    assert rows[("KEN", "1.KA")].mean_score == 0.8  # four at 1.0, the latest round of one at 0


def test_country_campaigns_count_for_their_country(school_instrument, france, admin):
    campaign = services.campaign_open(
        instrument=school_instrument, scope="country", country=france, by=admin, **open_window()
    )
    for _number in range(5):
        answer_school(campaign, value=3)
    rows = open_data().rows
    assert {(row.country, row.target, row.respondents) for row in rows} == {
        ("FRA", "leadership", 5),
        ("FRA", "infrastructure", 5),
    }


def test_api_gives_licence_rows_and_filters_by_instrument(
    kenyan_campaign, teacher_instrument, kenya, django_assert_max_num_queries
):
    for _number in range(5):
        answer_school(kenyan_campaign)
        self_assess(teacher_instrument, kenya)
    client = Client()
    # The instrument versions, one grouped sum per version, and the signed-in people's results.
    with django_assert_max_num_queries(3):
        response = client.get(API)
    assert response.status_code == 200
    body = response.json()
    assert body["licence"] == "CC-BY-4.0"
    assert body["licence_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert body["min_respondents"] == 5
    assert {row["instrument"] for row in body["rows"]} == {"test-school", "test-teacher"}
    assert all(row["respondents"] >= 5 for row in body["rows"])
    assert set(body["rows"][0]) == set(COLUMNS)
    only = client.get(f"{API}?instrument=test-school").json()
    assert {row["instrument"] for row in only["rows"]} == {"test-school"}
    assert client.get(f"{API}?instrument=nothing").json()["rows"] == []
    assert client.get(f"{API}?instrument={'x' * 41}").status_code == 422


def test_query_count_does_not_grow_with_respondents(kenyan_campaign, django_assert_max_num_queries):
    for _number in range(12):
        answer_school(kenyan_campaign)
    with django_assert_max_num_queries(3):
        assert Client().get(API).status_code == 200


def test_csv_download(school_campaign, kenyan_campaign):
    for _number in range(4):
        answer_school(school_campaign)
    for _number in range(5):
        answer_school(kenyan_campaign, value=2)
    response = Client().get("/en/assessments/open-data.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert "creativecommons.org/licenses/by/4.0" in response["Link"]
    text = response.content.decode("utf-8")
    assert not any(line.startswith("#") for line in text.splitlines())
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1:] == [
        ["test-school", "1", "KEN", "infrastructure", "5", "1.0"],
        ["test-school", "1", "KEN", "leadership", "5", "0.25"],
    ]
    filtered = Client().get("/fr/assessments/open-data.csv?instrument=other")
    assert filtered.content.decode().splitlines() == [",".join(COLUMNS)]
    assert Client().post("/en/assessments/open-data.csv").status_code == 405
