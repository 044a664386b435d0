"""The policy self-assessment: rounds on the assessment engine, evidence, gaps, who may see it."""

from __future__ import annotations

import pytest

from iite.core.errors import ApplicationError, PermissionDenied
from iite.countries import selectors, services
from iite.countries.models import Evidence, PolicyRound
from iite.countries.tests.conftest import person

pytestmark = pytest.mark.django_db
THEMES = (
    "vision-planning",
    "ict-infrastructure",
    "teachers",
    "skills-competencies",
    "digital-resources",
    "emis",
    "monitoring-innovation",
    "equity-inclusion-safety",
)


def answer_all(round, by, level=1, target="established"):
    themes = {
        theme: services.ThemeInput(level=level, target=target, note=f"Note on {theme}")
        for theme in THEMES
    }
    return services.policy_round_save(round=round, themes=themes, by=by)


def test_a_focal_point_answers_submits_and_sees_the_gaps(kenya, focal_point):
    round = services.policy_round_start(country=kenya, by=focal_point)
    assert round.campaign.instrument.code == "ict-education-policy"
    answer_all(round, focal_point)
    services.policy_round_save(
        round=round,
        themes={
            "teachers": services.ThemeInput(level=3, target="advanced", link="https://x.org/p")
        },
        by=focal_point,
    )
    round = services.policy_round_submit(round=round, by=focal_point)
    assert round.response is not None
    assert round.response.is_submitted
    assert round.response.result.levels["teachers"] == "advanced"
    assert round.response.result.levels["emis"] == "emerging"
    view = selectors.round_view(round, user=focal_point)
    by_code = {theme.code: theme for theme in view.themes}
    assert by_code["emis"].gap == 1  # emerging -> established
    assert by_code["teachers"].gap == 0
    teachers, emis = by_code["teachers"].evidence, by_code["emis"].evidence
    assert teachers is not None
    assert emis is not None
    assert teachers.link == "https://x.org/p"
    assert emis.note == "Note on emis"


def test_submitting_with_a_theme_missing_is_refused(kenya, focal_point):
    round = services.policy_round_start(country=kenya, by=focal_point)
    services.policy_round_save(
        round=round, themes={"emis": services.ThemeInput(level=2)}, by=focal_point
    )
    with pytest.raises(ApplicationError) as error:
        services.policy_round_submit(round=round, by=focal_point)
    assert error.value.code == "answers_missing"
    round.refresh_from_db()
    assert round.response is not None
    assert not round.response.is_submitted


@pytest.mark.parametrize(
    "entry",
    [
        services.ThemeInput(level=7),
        services.ThemeInput(level=1, target="perfect"),
        services.ThemeInput(level=1, link="javascript:alert(1)"),
        services.ThemeInput(level=1, note="x" * 2001),
        services.ThemeInput(level=1, resource_id=999_999),
    ],
)
def test_bad_input_saves_nothing(kenya, focal_point, entry):
    round = services.policy_round_start(country=kenya, by=focal_point)
    themes = {"vision-planning": services.ThemeInput(level=2), "teachers": entry}
    with pytest.raises(ApplicationError):
        services.policy_round_save(round=round, themes=themes, by=focal_point)
    round.refresh_from_db()
    assert round.response is None
    assert not Evidence.objects.filter(round=round).exists()


def test_only_the_countrys_focal_points_may_answer(kenya, france):
    other = person("focal-point", country=france)
    with pytest.raises(PermissionDenied):
        services.policy_round_start(country=kenya, by=other)
    with pytest.raises(PermissionDenied):
        services.policy_round_start(country=kenya, by=person("editor"))


def test_unpublished_rounds_are_seen_only_by_focal_points_and_shared_ones_by_staff(
    kenya, france, focal_point
):
    round = services.policy_round_start(country=kenya, by=focal_point)
    answer_all(round, focal_point)
    services.policy_round_submit(round=round, by=focal_point)
    editor, stranger = person("editor"), person("focal-point", country=france)
    assert selectors.rounds_visible_to(focal_point, kenya) == [round]
    assert selectors.rounds_visible_to(editor, kenya) == []
    assert selectors.rounds_visible_to(stranger, kenya) == []
    services.policy_round_visibility(round=round, visibility="shared", by=focal_point)
    assert selectors.rounds_visible_to(editor, kenya) == [round]
    assert selectors.rounds_visible_to(stranger, kenya) == []
    services.policy_round_visibility(round=round, visibility="published", by=focal_point)
    assert selectors.rounds_visible_to(stranger, kenya) == [round]
    assert selectors.rounds_published(kenya) == [round]


def test_an_unsubmitted_round_cannot_be_published(kenya, focal_point):
    round = services.policy_round_start(country=kenya, by=focal_point)
    with pytest.raises(ApplicationError):
        services.policy_round_visibility(round=round, visibility="published", by=focal_point)
    round.refresh_from_db()
    assert round.visibility == PolicyRound.Visibility.PRIVATE


def test_earlier_rounds_are_listed(kenya, focal_point):
    first = services.policy_round_start(country=kenya, by=focal_point)
    answer_all(first, focal_point)
    services.policy_round_submit(round=first, by=focal_point)
    second = services.policy_round_start(country=kenya, by=focal_point)
    view = selectors.round_view(second, user=focal_point)
    assert view.earlier == [first]


def test_the_round_pages(client, kenya, focal_point):
    client.force_login(focal_point)
    response = client.post("/en/countries/KEN/policy/")
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url)
    assert page.status_code == 200
    assert b"Level we aim for" in page.content
    data = {"themes": list(THEMES), "submit": "1"}
    for theme in THEMES:
        data[f"{theme}-level"] = "2"
        data[f"{theme}-target"] = "advanced"
    bad = dict(data, **{"emis-link": "not a link"})
    response = client.post(url, bad)
    assert response.status_code == 400
    assert b"Enter a web address" in response.content
    response = client.post(url, data)
    assert response.status_code == 302
    result = client.get(url)
    assert b"Maturity profile" in result.content
    # Another visitor may not see the private round.
    client.logout()
    assert client.get(url).status_code == 404
    assert client.post("/en/countries/KEN/policy/").status_code == 403
