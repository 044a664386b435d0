"""Group summaries: no figure from fewer than 5 respondents, ever; versions never mixed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from iite.assessments import services, summaries
from iite.assessments.models import Campaign, Response
from iite.assessments.summaries import ALL, MIN_GROUP, group_summary
from iite.assessments.tests.conftest import SCHOOL_FILE
from iite.core.errors import ApplicationError


def respond(campaign: Campaign, group: str, l1: object = 4, i1: object = 1, l2: object = None):
    response, _code = services.response_start(campaign=campaign, group=group)
    answers = {"L1": l1} if group == "student" else {"L1": l1, "L2": l2}
    services.response_answers_save(response=response, section_code="leadership", answers=answers)
    if group != "leader":
        services.response_answers_save(
            response=response, section_code="infrastructure", answers={"I1": i1}
        )
    return services.response_submit(response=response, submission_key=uuid.uuid4())


def summarise(source: Any, *, by_group: bool = True) -> Any:
    summary = group_summary(source, by_group=by_group)
    assert summary is not None
    return summary


def assert_withheld(part, reason_part="fewer than 5"):
    assert part.respondents is None
    assert reason_part in part.withheld
    for figure in [*part.targets.values(), *part.items.values()]:
        assert (figure.n, figure.mean, figure.distribution) == (None, None, None)
        assert figure.withheld


@pytest.mark.django_db
def test_four_respondents_are_withheld_with_a_reason_five_are_shown(school_campaign):
    assert MIN_GROUP == 5
    assert group_summary(school_campaign) is None  # nothing submitted yet
    for _ in range(4):
        respond(school_campaign, "teacher")
    # An unfinished response does not count.
    services.response_start(campaign=school_campaign, group="teacher")
    summary = summarise(school_campaign, by_group=False)
    assert [part.group for part in summary.parts] == [ALL]
    assert_withheld(summary.part(ALL))
    respond(school_campaign, "teacher", l1=2)
    summary = summarise(school_campaign, by_group=False)
    everyone = summary.part(ALL)
    assert everyone.respondents == 5
    assert everyone.withheld == ""
    assert everyone.items["L1"].n == 5
    assert everyone.items["L1"].mean == pytest.approx((4 * 4 + 2) / 5)
    assert everyone.items["L1"].distribution == {"4": 4, "2": 1}
    assert everyone.targets["leadership"].n == 5
    assert everyone.targets["infrastructure"].mean == 1.0
    assert everyone.targets["infrastructure"].distribution == {"leading": 5}
    # L2 was answered by nobody: its figure is withheld, not shown as 0.
    assert everyone.items["L2"].n is None
    assert everyone.items["L2"].withheld
    assert "C1" not in everyone.items  # free text is never summarised


@pytest.mark.django_db
def test_an_item_answered_by_fewer_than_five_is_withheld_even_in_a_large_group(school_campaign):
    for number in range(6):
        respond(
            school_campaign, "teacher", l1="na" if number < 2 else 3, l2=5 if number < 4 else None
        )
    everyone = summarise(school_campaign).part(ALL)
    assert everyone.respondents == 6
    assert everyone.items["L1"].n is None
    assert "fewer than 5" in everyone.items["L1"].withheld
    assert everyone.items["L2"].n is None
    assert everyone.items["I1"].n == 6


@pytest.mark.django_db
def test_per_group_small_groups_are_withheld_and_cannot_be_derived(school_campaign):
    for _ in range(5):
        respond(school_campaign, "teacher", l1=4)
    for _ in range(5):
        respond(school_campaign, "student", l1=2)
    respond(school_campaign, "leader", l1=1)
    summary = summarise(school_campaign)
    assert [part.group for part in summary.parts] == [ALL, "leader", "teacher", "student"]
    assert summary.part(ALL).respondents == 11
    assert_withheld(summary.part("leader"))
    # With the total shown, one group of 1 could be worked out from the total minus the others:
    # so one more group (the smallest shown) is withheld too.
    hidden = [group for group in ("teacher", "student") if summary.part(group).respondents is None]
    assert len(hidden) == 1
    assert "would reveal" in summary.part(hidden[0]).withheld
    shown = next(g for g in ("teacher", "student") if g not in hidden)
    assert summary.part(shown).respondents == 5
    # Whatever is shown, nothing lets one compute the leader's L1 answer.
    everyone = summary.part(ALL).items["L1"]
    shown_item = summary.part(shown).items["L1"]
    assert everyone.n - shown_item.n >= MIN_GROUP


@pytest.mark.django_db
def test_five_in_every_group_shows_every_group(school_campaign):
    for group in ("leader", "teacher", "student"):
        for _ in range(5):
            respond(school_campaign, group, l1=5 if group == "leader" else 3)
    summary = summarise(school_campaign)
    assert [part.respondents for part in summary.parts] == [15, 5, 5, 5]
    assert summary.part("leader").items["L1"].mean == 5
    assert summary.part("teacher").targets["leadership"].mean == 0.5
    # I1 is not asked of leaders: their figure is withheld, and so no other group's is needed.
    assert summary.part("leader").items["I1"].n is None
    assert summary.part("teacher").items["I1"].n == 5
    assert summary.part(ALL).items["I1"].n == 10
    data = summaries.summary_as_data(summary)
    assert data["parts"][1]["items"]["L1"]["mean"] == 5


@pytest.mark.django_db
def test_versions_are_never_mixed(school_campaign, school, coordinator, tmp_path):
    from iite.assessments.tests.conftest import open_window

    for _ in range(5):
        respond(school_campaign, "teacher")
    v2_file = tmp_path / "v2.toml"
    v2_file.write_text(
        SCHOOL_FILE.read_text(encoding="utf-8").replace("version = 1", "version = 2")
    )
    v2 = services.instrument_load(path=v2_file)
    campaign_v2 = services.campaign_open(
        instrument=v2, scope="organisation", organisation=school, by=coordinator, **open_window()
    )
    for _ in range(5):
        respond(campaign_v2, "teacher", l1=1)
    assert summarise(school_campaign).part(ALL).items["L1"].mean == 4
    assert summarise(campaign_v2).part(ALL).items["L1"].mean == 1
    with pytest.raises(ApplicationError) as caught:
        summarise(Response.objects.all())
    assert caught.value.code == "versions_mixed"
    same_version = Response.objects.filter(instrument=v2)
    assert summarise(same_version).part(ALL).respondents == 5
