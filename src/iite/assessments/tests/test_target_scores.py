"""The narrow table of target scores: a faithful copy of the results, written at submission."""

from __future__ import annotations

import importlib
import random
from collections import defaultdict

import pytest
from django.apps import apps

from iite.assessments import summaries
from iite.assessments.models import Response, Result, TargetScore
from iite.assessments.tests.test_api import answer_school
from iite.assessments.tests.test_open_data import self_assess

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("iite.assessments.migrations.0003_targetscore").backfill


def rows() -> set[tuple[object, ...]]:
    return set(
        TargetScore.objects.values_list(
            "response_id",
            "campaign_id",
            "group",
            "target",
            "score",
            "level",
            "country_id",
            "counted",
        )
    )


def test_each_submission_copies_its_result_target_by_target(school_campaign):
    for value in (1, 3, 5):
        answer_school(school_campaign, value=value)
    for result in Result.objects.select_related("response"):
        copied = {
            row.target: (row.score, row.level, row.group)
            for row in TargetScore.objects.filter(response=result.response)
        }
        expected = {
            target: (score, result.levels[target], result.response.group)
            for target, score in result.scores.items()
        }
        assert copied == expected
        assert expected  # the school instrument scores every area


def test_a_person_counts_once_with_their_latest_round(teacher_instrument, kenya):
    user = self_assess(teacher_instrument, kenya, value=1)
    self_assess(teacher_instrument, kenya, value=3, user=user)
    counted = TargetScore.objects.filter(response__respondent=user, counted=True)
    assert counted.exists()
    latest = user.assessment_responses.order_by("-submitted_at").first()
    assert set(counted.values_list("response_id", flat=True)) == {latest.pk}
    assert set(counted.values_list("country_id", flat=True)) == {kenya.pk}


def test_the_migration_rebuilds_the_same_rows(school_campaign, teacher_instrument, kenya):
    for value in (2, 4):
        answer_school(school_campaign, value=value)
    user = self_assess(teacher_instrument, kenya, value=2)
    self_assess(teacher_instrument, kenya, value=3, user=user)
    written = rows()
    TargetScore.objects.all().delete()
    backfill(apps, None)
    assert rows() == written


def test_a_country_report_of_several_campaigns(school_campaign, school_instrument, kenya, admin):
    from iite.accounts.tests.factories import make_organisation
    from iite.assessments import services
    from iite.assessments.models import Campaign
    from iite.assessments.tests.conftest import open_window

    schools = [make_organisation(name=f"School {n}", country=kenya) for n in range(3)]
    campaigns = [
        services.campaign_open(
            instrument=school_instrument,
            scope="organisation",
            organisation=school,
            by=admin,
            **open_window(),
        )
        for school in schools
    ]
    for number, campaign in enumerate(campaigns):
        for value in (2, 5):
            answer_school(campaign, value=value - number % 2)
    answer_school(school_campaign, value=3)  # in France: not part of Kenya's report
    in_kenya = Campaign.objects.filter(organisation__country=kenya)
    summary = summaries.group_summary(in_kenya)
    assert summary is not None
    everyone = summary.part(summaries.ALL)
    assert everyone is not None
    assert everyone.respondents == 6
    direct = summaries.group_summary(Response.objects.filter(campaign__organisation__country=kenya))
    assert direct == summary


def test_a_group_summary_gives_the_means_of_the_results(school_campaign):
    chooser = random.Random(7)  # noqa: S311  (test data, not secrets)
    for _number in range(12):
        answer_school(school_campaign, value=chooser.randint(1, 5))
    expected: dict[str, list[float]] = defaultdict(list)
    for result in Result.objects.filter(response__campaign=school_campaign):
        for target, score in result.scores.items():
            expected[target].append(score)
    summary = summaries.group_summary(school_campaign)
    assert summary is not None
    everyone = summary.part(summaries.ALL)
    assert everyone is not None
    assert everyone.targets.keys() == expected.keys()
    for target, scores in expected.items():
        figure = everyone.targets[target]
        assert figure.n == len(scores)
        assert figure.mean == pytest.approx(sum(scores) / len(scores), abs=1e-6)
