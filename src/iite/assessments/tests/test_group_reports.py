"""Group reports as their readers meet them: figures shown from five respondents, withheld below,
compared across groups and rounds, exported as CSV; and who manages which campaigns."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from iite.accounts.models import Organisation
from iite.accounts.tests.factories import make_organisation
from iite.assessments import group_reports, selectors, services
from iite.assessments.models import Campaign, Instrument
from iite.assessments.tests.conftest import person
from iite.reference.models import Country

pytestmark = pytest.mark.django_db

SCHOOL = "school-digital-readiness"
WITHHELD = "Withheld: fewer than 5 respondents"


@pytest.fixture
def packaged(db) -> dict[str, Instrument]:
    return {instrument.code: instrument for instrument in services.instruments_load_packaged()}


@pytest.fixture
def lycee(db) -> Organisation:
    return make_organisation(
        name="Lycée des tests", kind="school", country=Country.objects.get(alpha2="FR")
    )


def open_campaign(
    instrument: Instrument,
    *,
    organisation: Organisation | None = None,
    country: Country | None = None,
    cohort_name: str = "",
    days_ago: int = 1,
    by: Any = None,
) -> Campaign:
    scope = "organisation" if organisation else "country" if country else "cohort"
    return services.campaign_open(
        instrument=instrument,
        scope=scope,
        organisation=organisation,
        country=country,
        cohort_name=cohort_name,
        opens_at=timezone.now() - timedelta(days=days_ago),
        closes_at=timezone.now() + timedelta(days=30),
        by=by or person("admin"),
    )


def answer(
    campaign: Campaign, group: str, n: int, value: int | Callable[[Any], int] = 4
) -> list[Any]:
    """Submit ``n`` real responses of ``group``, each answering every scored item with ``value``
    (or ``value(item)``)."""
    definition = selectors.definition_of(campaign.instrument)
    submitted = []
    for _number in range(n):
        response, _code = services.response_start(campaign=campaign, group=group)
        for section in definition.sections:
            answers = {
                item.code: value(item) if callable(value) else value
                for item in section.items
                if group in item.groups and item.scored
            }
            if answers:
                services.response_answers_save(
                    response=response, section_code=section.code, answers=answers
                )
        submitted.append(services.response_submit(response=response, submission_key=uuid.uuid4()))
    return submitted


def answer_everyone(campaign: Campaign, n: int, value: int | Callable[[Any], int] = 4) -> None:
    for group in ("leader", "teacher", "student"):
        answer(campaign, group, n, value)


def test_groups_of_four_are_withheld_but_the_whole_school_is_shown(packaged, lycee) -> None:
    campaign = open_campaign(packaged[SCHOOL], organisation=lycee)
    answer_everyone(campaign, 4)
    report = group_reports.group_report(campaign)
    everyone, *groups = report.columns
    assert everyone.respondents == 12
    assert [column.respondents for column in groups] == [None, None, None]
    assert all(WITHHELD in column.withheld for column in groups)
    for row in report.areas:
        assert row.all.shown
        assert row.all.percent == 75  # agreement 4 of 1..5
        assert all(not cell.shown and WITHHELD in cell.withheld for cell in row.cells[1:])
        assert all(cell.band == 0 for cell in row.cells[1:])


def test_fewer_than_five_in_all_withholds_everything(packaged, lycee) -> None:
    campaign = open_campaign(packaged[SCHOOL], organisation=lycee)
    answer(campaign, "teacher", 4)
    report = group_reports.group_report(campaign)
    assert report.columns[0].respondents is None
    assert not any(cell.shown for row in report.areas for cell in row.cells)
    assert not any(cell.shown for s in report.sections for row in s.rows for cell in row.cells)


def test_groups_of_five_are_compared_side_by_side(packaged, lycee) -> None:
    campaign = open_campaign(packaged[SCHOOL], organisation=lycee)
    answer(campaign, "leader", 5, 5)
    answer(campaign, "teacher", 5, 3)
    answer(campaign, "student", 6, 1)
    report = group_reports.group_report(campaign)
    assert [column.respondents for column in report.columns] == [16, 5, 5, 6]
    leadership = next(row for row in report.areas if row.code == "leadership-strategy")
    assert [cell.percent for cell in leadership.cells[1:]] == [100, 50, 0]
    assert [cell.band for cell in leadership.cells[1:]] == [5, 3, 1]
    assert leadership.cells[1].level  # the level of the mean is named
    # Per item: mean on the scale, distribution, and "not asked" for groups it is not asked of.
    item = next(
        row for s in report.sections for row in s.rows if row.code == "leadership-strategy.5"
    )
    everyone, leaders, teachers, students = item.cells
    assert leaders.mean == 5.0
    assert leaders.distribution == (("Strongly agree", 5),)
    assert teachers.not_asked
    assert students.not_asked
    assert everyone.n == 5


def test_progress_compares_with_the_previous_round_of_the_same_school(packaged, lycee) -> None:
    first = open_campaign(packaged[SCHOOL], organisation=lycee, days_ago=20)
    answer(first, "teacher", 5, 2)
    other_school = make_organisation(name="Autre école", kind="school")
    answer(open_campaign(packaged[SCHOOL], organisation=other_school, days_ago=10), "teacher", 5, 5)
    second = open_campaign(packaged[SCHOOL], organisation=lycee, days_ago=1)
    answer(second, "teacher", 5, 4)
    report = group_reports.group_report(second)
    assert report.previous == first
    changes = {change.code: change for change in report.changes}
    assert changes["leadership-strategy"].before.percent == 25
    assert changes["leadership-strategy"].now.percent == 75
    assert changes["leadership-strategy"].points == 50
    assert group_reports.group_report(first).previous is None


def test_progress_is_withheld_when_a_round_had_fewer_than_five(packaged, lycee) -> None:
    first = open_campaign(packaged[SCHOOL], organisation=lycee, days_ago=20)
    answer(first, "teacher", 4, 2)
    second = open_campaign(packaged[SCHOOL], organisation=lycee, days_ago=1)
    answer(second, "teacher", 5, 4)
    change = group_reports.group_report(second).changes[0]
    assert change.points is None
    assert WITHHELD in change.withheld


def test_weakest_areas_are_the_lowest_means_shown(packaged, lycee) -> None:
    campaign = open_campaign(packaged[SCHOOL], organisation=lycee)

    def value(item: Any) -> int:
        return {"infrastructure-equipment": 1, "assessment": 2}.get(item.target, 5)

    answer(campaign, "teacher", 5, value)
    weakest = group_reports.weakest_areas(group_reports.group_report(campaign))
    assert [row.code for row in weakest][:2] == ["infrastructure-equipment", "assessment"]
    assert weakest[0].all.percent == 0


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_has_the_same_figures_and_the_same_withholding(packaged, lycee) -> None:
    campaign = open_campaign(packaged[SCHOOL], organisation=lycee)
    answer(campaign, "leader", 7, 5)
    answer(campaign, "teacher", 2, 3)
    answer(campaign, "student", 6, 1)
    rows = read_csv(group_reports.group_report_csv(group_reports.group_report(campaign)))
    header, *body = rows
    assert header[:6] == ["part", "code", "name", "respondent group", "respondents", "mean (%)"]
    leadership = {row[3]: row for row in body if row[:2] == ["area", "leadership-strategy"]}
    assert leadership["School leaders"][4:6] == ["7", "100"]
    # Teachers are too few; students are withheld too, or teachers = all - leaders - students.
    for group in ("Teachers", "Students"):
        assert leadership[group][4:8] == ["", "", "", ""]
        assert leadership[group][9].startswith("Withheld")
    assert any(row[0] == "item" for row in body)


def test_a_coordinator_manages_only_their_school(packaged, lycee) -> None:
    coordinator = person("school-coordinator", organisation=lycee)
    mine = open_campaign(packaged[SCHOOL], organisation=lycee, by=coordinator)
    open_campaign(packaged[SCHOOL], organisation=make_organisation(name="Ailleurs", kind="school"))
    open_campaign(packaged[SCHOOL], country=Country.objects.get(alpha2="FR"))
    answer(mine, "student", 3)
    managed = group_reports.campaigns_managed_by(coordinator)
    assert [row.campaign for row in managed] == [mine]
    assert managed[0].may_report
    assert managed[0].may_plan
    assert managed[0].may_manage
    assert ("Students", 3) in managed[0].counts
    choices = group_reports.campaign_choices(coordinator)
    assert choices.scopes == ("organisation",)
    assert list(choices.organisations) == [lycee]


def test_a_focal_point_sees_their_country_and_an_admin_everything(packaged, lycee) -> None:
    france = Country.objects.get(alpha2="FR")
    kenya = Country.objects.get(alpha2="KE")
    french = open_campaign(packaged[SCHOOL], country=france)
    kenyan = open_campaign(packaged[SCHOOL], country=kenya)
    cohort = open_campaign(packaged[SCHOOL], cohort_name="Spring")
    focal_point = person("focal-point", country=france)
    assert [row.campaign for row in group_reports.campaigns_managed_by(focal_point)] == [french]
    choices = group_reports.campaign_choices(focal_point)
    assert choices.scopes == ("country",)
    assert list(choices.countries) == [france]
    everything = {row.campaign for row in group_reports.campaigns_managed_by(person("admin"))}
    assert {french, kenyan, cohort} <= everything
    editor = person("editor")
    assert [row.campaign for row in group_reports.campaigns_managed_by(editor)] == [cohort]
    assert group_reports.campaign_choices(person()).scopes == ()
