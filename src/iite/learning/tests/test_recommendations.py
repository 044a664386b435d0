"""Recommendations from a self-assessment, and the selector the countries app reads."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from iite.assessments import services as assessment_services
from iite.assessments.tests.conftest import TEACHER_FILE
from iite.learning import recommendations, services
from iite.learning.models import Step
from iite.learning.tests.conftest import make_path
from iite.reference.models import Competency

pytestmark = pytest.mark.django_db


@pytest.fixture
def result(learner):
    instrument = assessment_services.instrument_load(path=TEACHER_FILE)
    campaign = assessment_services.campaign_self_for(user=learner, instrument=instrument)
    response, _code = assessment_services.response_start(
        campaign=campaign, group="teacher", user=learner
    )
    assessment_services.response_answers_save(
        response=response,
        section_code="policy",
        answers={"1.KA.1": 3, "1.KA.2": 3},
    )
    assessment_services.response_answers_save(
        response=response, section_code="policy", answers={"1.KD.1": 3, "1.KC.1": 2}
    )
    assessment_services.response_answers_save(
        response=response, section_code="pedagogy", answers={"3.KA.1": 0, "3.KD.1": 1}
    )
    submitted = assessment_services.response_submit(response=response, submission_key=uuid.uuid4())
    return submitted.result


@pytest.fixture
def paths(editor):
    english = make_path(editor, slug="pedagogy-en", title="Pedagogy basics", competencies=["3.KA"])
    french = make_path(
        editor,
        slug="pedagogie-fr",
        title="Approfondir la pédagogie",
        language="fr",
        competencies=[],
    )
    # Aligned through a step only.
    Step.objects.get(path=french, order=1).competencies.set(
        Competency.objects.filter(code="3.KD", framework__code="ict-cft")
    )
    return english, french


def test_recommendations_explain_and_fall_back_to_other_languages(result, paths):
    english, french = paths
    suggestions = recommendations.recommendations_for(result, language="en")
    assert [s.code for s in suggestions] == ["3.KA", "3.KD", "1.KA"]
    first, second, third = suggestions
    assert first.paths == [english]
    assert "Pedagogy" in first.reason
    assert "Knowledge Acquisition" in first.reason
    assert "Beginning (en)" in first.reason
    assert second.empty
    assert second.elsewhere == [french]
    assert third.empty
    assert third.elsewhere == []
    # In French, the French path fits 3.KD directly.
    in_french = recommendations.recommendations_for(result, language="fr")
    assert in_french[1].paths == [french]


def test_recommendations_page_and_api(client, learner, result, paths):
    client.force_login(learner)
    page = client.get(reverse("learning:recommendations")).content.decode()
    assert "Pedagogy basics" in page
    assert "Nothing in your language fits this competency yet." in page
    assert "Approfondir la pédagogie" in page
    data = client.get("/api/v1/learning/recommendations?lang=en").json()
    assert data["assessed"] is True
    assert data["suggestions"][1]["elsewhere"][0]["slug"] == "pedagogie-fr"


def test_paths_for_competencies_for_other_apps(paths, editor):
    english, french = paths
    assert list(recommendations.paths_for_competencies(["3.KA"])) == [english]
    assert set(recommendations.paths_for_competencies(["3.KA", "3.KD"])) == {english, french}
    assert list(recommendations.paths_for_competencies(["3.KD"], language="en")) == []
    draft = services.path_create(
        slug="draft", title="Draft", summary="x", language="en", competencies=["3.KA"], by=editor
    )
    assert draft not in recommendations.paths_for_competencies(["3.KA"])
