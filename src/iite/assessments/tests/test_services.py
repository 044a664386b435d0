"""Campaigns, answering, resume codes, submitting exactly once, and action plans."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from iite.assessments import selectors, services
from iite.assessments.models import ActionPlan, Answer, Campaign, Response, Result
from iite.assessments.services import ActionItemInput
from iite.assessments.tests.conftest import open_window, person
from iite.core.errors import ApplicationError, NotFound, PermissionDenied


def result(response: Response) -> Any:
    found = selectors.result_of(response)
    assert found is not None
    return found


def snapshot(response: Response) -> list[tuple[Any, ...]]:
    return sorted(response.answers.values_list("item__code", "value", "not_applicable", "text"))


# --- Campaigns -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_coordinator_opens_a_campaign_for_their_school_only(
    school_instrument, school, coordinator, kenya
):
    campaign = services.campaign_open(
        instrument=school_instrument,
        scope="organisation",
        organisation=school,
        groups=["teacher", "student", "teacher"],
        by=coordinator,
        **open_window(),
    )
    assert campaign.groups == ["teacher", "student"]
    assert campaign.status == Campaign.Status.OPEN
    assert len(campaign.join_code) == 8
    assert set(campaign.join_code) <= set(services.CODE_ALPHABET)
    assert selectors.campaign_by_join_code(campaign.join_code.lower()) == campaign
    other = person()
    with pytest.raises(PermissionDenied):
        services.campaign_open(
            instrument=school_instrument,
            scope="organisation",
            organisation=school,
            by=other,
            **open_window(),
        )
    with pytest.raises(PermissionDenied):
        services.campaign_open(
            instrument=school_instrument,
            scope="country",
            country=kenya,
            by=coordinator,
            **open_window(),
        )
    assert Campaign.objects.count() == 1


@pytest.mark.django_db
def test_bad_campaign_input_is_refused_with_details(school_instrument, school, coordinator):
    now = timezone.now()
    with pytest.raises(ApplicationError) as caught:
        services.campaign_open(
            instrument=school_instrument,
            scope="organisation",
            organisation=school,
            groups=["parents"],
            opens_at=now,
            closes_at=now - timedelta(days=1),
            by=coordinator,
        )
    fields = {detail["field"] for detail in caught.value.details}
    assert fields == {"groups", "closes_at"}
    with pytest.raises(ApplicationError):
        services.campaign_open(
            instrument=school_instrument, scope="organisation", by=coordinator, **open_window()
        )
    with pytest.raises(ApplicationError):
        services.campaign_open(
            instrument=school_instrument, scope="self", by=coordinator, **open_window()
        )
    assert Campaign.objects.count() == 0


@pytest.mark.django_db
def test_cohort_and_country_campaigns(school_instrument, admin, france):
    editor = person("editor")
    cohort = services.campaign_open(
        instrument=school_instrument,
        scope="cohort",
        cohort_name=" Cohort  2025 ",
        by=editor,
        **open_window(),
    )
    assert cohort.cohort_name == "Cohort 2025"
    focal = person("focal-point", country=france)
    country = services.campaign_open(
        instrument=school_instrument, scope="country", country=france, by=focal, **open_window()
    )
    assert country.country == france
    with pytest.raises(PermissionDenied):
        services.campaign_open(
            instrument=school_instrument,
            scope="cohort",
            cohort_name="X",
            by=focal,
            **open_window(),
        )


@pytest.mark.django_db
def test_unknown_join_code():
    with pytest.raises(NotFound) as caught:
        selectors.campaign_by_join_code("NOPE2345")
    assert caught.value.code == "unknown_campaign"


@pytest.mark.django_db
def test_closing_a_campaign_stops_answers_and_submissions(school_campaign, coordinator):
    response, _code = services.response_start(campaign=school_campaign, group="teacher")
    services.response_answers_save(response=response, section_code="leadership", answers={"L1": 4})
    with pytest.raises(PermissionDenied):
        services.campaign_close(campaign=school_campaign, by=person())
    services.campaign_close(campaign=school_campaign, by=coordinator)
    services.campaign_close(campaign=school_campaign, by=coordinator)  # twice: no change
    assert school_campaign.status == Campaign.Status.CLOSED
    for call in (
        lambda: services.response_start(campaign=school_campaign, group="teacher"),
        lambda: services.response_answers_save(
            response=response, section_code="leadership", answers={"L1": 5}
        ),
        lambda: services.response_submit(response=response, submission_key=uuid.uuid4()),
    ):
        with pytest.raises(ApplicationError) as caught:
            call()
        assert caught.value.code == "campaign_closed"
    assert snapshot(response) == [("L1", 4, False, "")]
    assert not Result.objects.exists()


@pytest.mark.django_db
def test_a_campaign_not_open_yet(school_instrument, school, coordinator):
    now = timezone.now()
    campaign = services.campaign_open(
        instrument=school_instrument,
        scope="organisation",
        organisation=school,
        opens_at=now + timedelta(days=2),
        closes_at=now + timedelta(days=9),
        by=coordinator,
    )
    assert campaign.status == Campaign.Status.SCHEDULED
    with pytest.raises(ApplicationError) as caught:
        services.response_start(campaign=campaign, group="teacher")
    assert caught.value.code == "campaign_not_open"


# --- Self-assessments ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_a_teacher_assesses_themselves_alone_any_number_of_times(teacher_instrument, teacher):
    campaign = services.campaign_self_for(user=teacher, instrument=teacher_instrument)
    assert services.campaign_self_for(user=teacher, instrument=teacher_instrument) == campaign
    assert (campaign.scope, campaign.closes_at, campaign.created_by) == ("self", None, teacher)
    first, code = services.response_start(campaign=campaign, group="teacher", user=teacher)
    assert code is None
    assert first.respondent == teacher
    again, _ = services.response_start(campaign=campaign, group="teacher", user=teacher)
    assert again == first  # an unfinished response is resumed, not duplicated
    answers = {"1.KA.1": 3, "1.KA.2": 3, "1.KD.1": 2, "1.KC.1": 2}
    services.response_answers_save(response=first, section_code="policy", answers=answers)
    services.response_answers_save(response=first, section_code="pedagogy", answers={"3.KA.1": 0})
    services.response_submit(response=first, submission_key=uuid.uuid4())
    result = selectors.result_of(first)
    assert result is not None
    assert result.scores["1.KA"] == 1.0
    assert result.levels["3.KA"] == "beginning"
    assert result.rollup["1"] == "KC"
    assert selectors.previous_result(first) is None
    develop = selectors.competencies_to_develop(result, limit=2)
    assert [(d.code, d.level, d.aim) for d in develop] == [
        ("3.KA", "beginning", "developing"),
        ("1.KD", "established", "leading"),
    ]

    second, _ = services.response_start(campaign=campaign, group="teacher", user=teacher)
    assert second != first
    services.response_answers_save(response=second, section_code="policy", answers=answers)
    services.response_answers_save(response=second, section_code="pedagogy", answers={"3.KA.1": 3})
    services.response_submit(response=second, submission_key=uuid.uuid4())
    assert selectors.previous_result(second) == result
    with pytest.raises(PermissionDenied):
        services.response_start(campaign=campaign, group="teacher", user=person())
    with pytest.raises(PermissionDenied):
        services.response_start(campaign=campaign, group="teacher", user=None)


@pytest.mark.django_db
def test_previous_result_follows_the_instrument_code_across_versions(
    teacher_instrument, teacher, tmp_path
):
    from iite.assessments.tests.conftest import TEACHER_FILE

    v2_file = tmp_path / "v2.toml"
    v2_file.write_text(
        TEACHER_FILE.read_text(encoding="utf-8").replace("version = 1", "version = 2")
    )
    v2 = services.instrument_load(path=v2_file)
    results = []
    for instrument in (teacher_instrument, v2):
        campaign = services.campaign_self_for(user=teacher, instrument=instrument)
        response, _ = services.response_start(campaign=campaign, group="teacher", user=teacher)
        services.response_answers_save(
            response=response,
            section_code="policy",
            answers={"1.KA.1": 1, "1.KA.2": 1, "1.KD.1": 1, "1.KC.1": 1},
        )
        services.response_answers_save(
            response=response, section_code="pedagogy", answers={"3.KA.1": 1}
        )
        services.response_submit(response=response, submission_key=uuid.uuid4())
        results.append(selectors.result_of(response))
    assert selectors.previous_result(response) == results[0]


# --- Answering -----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_answers_are_checked_against_each_items_scale_and_nothing_bad_is_saved(school_campaign):
    response, _code = services.response_start(campaign=school_campaign, group="student")
    services.response_answers_save(
        response=response, section_code="leadership", answers={"L1": "3"}
    )
    before = snapshot(response)
    bad = {
        "L1": 6,  # off the scale
        "L2": 3,  # not asked of students
        "I1": 1,  # another section's item
        "ZZ": 1,  # no such item (e.g. of another version)
    }
    with pytest.raises(ApplicationError) as caught:
        services.response_answers_save(response=response, section_code="leadership", answers=bad)
    assert caught.value.code == "invalid_answers"
    assert {detail["field"] for detail in caught.value.details} == {"L1", "L2", "I1", "ZZ"}
    assert snapshot(response) == before
    for raw in (True, "abc", 2.5, "na", ["1"]):
        with pytest.raises(ApplicationError):
            services.response_answers_save(
                response=response, section_code="infrastructure", answers={"I1": raw}
            )
    with pytest.raises(ApplicationError) as unknown:
        services.response_answers_save(response=response, section_code="finance", answers={})
    assert unknown.value.code == "unknown_section"
    with pytest.raises(ApplicationError):
        services.response_answers_save(
            response=response, section_code="infrastructure", answers={"C1": "x" * 1001}
        )
    assert snapshot(response) == before


@pytest.mark.django_db
def test_not_applicable_text_and_clearing(school_campaign):
    response, _code = services.response_start(campaign=school_campaign, group="teacher")
    services.response_answers_save(
        response=response, section_code="leadership", answers={"L1": "na", "L2": 5}
    )
    services.response_answers_save(
        response=response, section_code="infrastructure", answers={"I1": 0, "C1": "  More laptops "}
    )
    assert snapshot(response) == [
        ("C1", None, False, "More laptops"),
        ("I1", 0, False, ""),
        ("L1", None, True, ""),
        ("L2", 5, False, ""),
    ]
    services.response_answers_save(response=response, section_code="leadership", answers={"L2": ""})
    assert [row[0] for row in snapshot(response)] == ["C1", "I1", "L1"]


# --- Anonymous responses and resume codes --------------------------------------------------------
@pytest.mark.django_db
def test_anonymous_responses_never_store_the_person_and_resume_by_code(school_campaign, teacher):
    response, code = services.response_start(campaign=school_campaign, group="leader", user=teacher)
    assert response.respondent is None
    assert code
    assert len(code) == services.RESUME_CODE_LENGTH
    assert code not in (response.resume_code_digest or "")
    typed = " " + code[:4].lower() + "-" + code[4:] + " "
    assert services.response_resume(campaign=school_campaign, resume_code=typed) == response
    for forged in ("", "AAAAAAAAAAAA", code[:-1] + ("A" if code[-1] != "A" else "B")):
        with pytest.raises(ApplicationError) as caught:
            services.response_resume(campaign=school_campaign, resume_code=forged)
        assert caught.value.code == "invalid_resume_code"
    services.response_answers_save(response=response, section_code="leadership", answers={"L1": 2})
    services.response_submit(response=response, submission_key=uuid.uuid4())
    with pytest.raises(ApplicationError) as used:
        services.response_resume(campaign=school_campaign, resume_code=code)
    assert used.value.code == "response_submitted"
    with pytest.raises(ApplicationError) as changed:
        services.response_answers_save(
            response=response, section_code="leadership", answers={"L1": 5}
        )
    assert changed.value.code == "response_submitted"


@pytest.mark.django_db
def test_a_resume_code_works_only_for_its_own_campaign(school_instrument, school_campaign, admin):
    other = services.campaign_open(
        instrument=school_instrument,
        scope="cohort",
        cohort_name="Other",
        by=admin,
        **open_window(),
    )
    _response, code = services.response_start(campaign=school_campaign, group="leader")
    with pytest.raises(ApplicationError):
        services.response_resume(campaign=other, resume_code=code or "")


@pytest.mark.django_db
def test_a_named_instrument_needs_a_signed_in_person_who_answers_once(teacher_instrument, admin):
    campaign = services.campaign_open(
        instrument=teacher_instrument, scope="cohort", cohort_name="C", by=admin, **open_window()
    )
    with pytest.raises(PermissionDenied):
        services.response_start(campaign=campaign, group="teacher")
    user = person()
    response, _ = services.response_start(campaign=campaign, group="teacher", user=user)
    services.response_answers_save(
        response=response,
        section_code="policy",
        answers={"1.KA.1": 1, "1.KA.2": 1, "1.KD.1": 1, "1.KC.1": 1},
    )
    services.response_answers_save(
        response=response, section_code="pedagogy", answers={"3.KA.1": 1}
    )
    services.response_submit(response=response, submission_key=uuid.uuid4())
    with pytest.raises(ApplicationError) as caught:
        services.response_start(campaign=campaign, group="teacher", user=user)
    assert caught.value.code == "already_answered"
    with pytest.raises(ApplicationError):
        services.response_start(campaign=campaign, group="leader", user=person())


# --- Submitting ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_required_answers_of_every_section_for_the_group_are_checked(school_campaign):
    response, _code = services.response_start(campaign=school_campaign, group="leader")
    with pytest.raises(ApplicationError) as caught:
        services.response_submit(response=response, submission_key=uuid.uuid4())
    assert caught.value.code == "answers_missing"
    # Leaders are asked L1 (required), L2 and C1 (optional); I1 is not asked of them.
    assert [detail["field"] for detail in caught.value.details] == ["L1"]
    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS
    assert response.submission_key is None
    student, _ = services.response_start(campaign=school_campaign, group="student")
    with pytest.raises(ApplicationError) as student_missing:
        services.response_submit(response=student, submission_key=uuid.uuid4())
    assert [d["field"] for d in student_missing.value.details] == ["L1", "I1"]
    # "Not applicable" is an answer.
    services.response_answers_save(
        response=response, section_code="leadership", answers={"L1": "na"}
    )
    services.response_submit(response=response, submission_key=uuid.uuid4())
    assert result(response).scores == {}


@pytest.mark.django_db
def test_submitting_twice_counts_once_with_the_same_or_another_key(school_campaign):
    response, _code = services.response_start(campaign=school_campaign, group="teacher")
    services.response_answers_save(response=response, section_code="leadership", answers={"L1": 5})
    services.response_answers_save(
        response=response, section_code="infrastructure", answers={"I1": 1}
    )
    key = uuid.uuid4()
    first = services.response_submit(response=response, submission_key=str(key))
    submitted_at = first.submitted_at
    again = services.response_submit(response=response, submission_key=key)
    other_tab = services.response_submit(
        response=Response.objects.get(pk=response.pk), submission_key=uuid.uuid4()
    )
    for same in (again, other_tab):
        assert same.pk == first.pk
        assert same.submission_key == key
        assert same.submitted_at == submitted_at
    assert Result.objects.filter(response=response).count() == 1
    assert Response.objects.filter(status="submitted").count() == 1
    assert result(response).scores == {"leadership": 1.0, "infrastructure": 1.0}


@pytest.mark.django_db
def test_a_submission_key_cannot_submit_two_responses(school_campaign):
    key = uuid.uuid4()
    responses = []
    for _ in range(2):
        response, _code = services.response_start(campaign=school_campaign, group="leader")
        services.response_answers_save(
            response=response, section_code="leadership", answers={"L1": 3}
        )
        responses.append(response)
    services.response_submit(response=responses[0], submission_key=key)
    with pytest.raises(ApplicationError) as caught:
        services.response_submit(response=responses[1], submission_key=key)
    assert caught.value.code == "submission_key_used"
    with pytest.raises(ApplicationError) as bad_key:
        services.response_submit(response=responses[1], submission_key="not-a-uuid")
    assert bad_key.value.code == "invalid_submission_key"
    responses[1].refresh_from_db()
    assert not responses[1].is_submitted


# --- Action plans --------------------------------------------------------------------------------
@pytest.mark.django_db
def test_action_plans_are_saved_by_the_schools_coordinator(school_campaign, school, coordinator):
    items = [
        ActionItemInput(
            area="infrastructure",
            goal="One laptop per teacher",
            owner_name="Ana",
            due_on=date(2026, 6, 1),
        ),
        ActionItemInput(area="leadership", goal="A digital strategy", status="in_progress"),
    ]
    plan = services.action_plan_save(
        organisation=school, campaign=school_campaign, items=items, by=coordinator
    )
    assert list(plan.items.values_list("area", "goal", "status")) == [
        ("infrastructure", "One laptop per teacher", "planned"),
        ("leadership", "A digital strategy", "in_progress"),
    ]
    again = services.action_plan_save(
        organisation=school, campaign=school_campaign, items=items[:1], by=coordinator
    )
    assert again.pk == plan.pk
    assert again.items.count() == 1
    with pytest.raises(ApplicationError) as caught:
        services.action_plan_save(
            organisation=school,
            campaign=school_campaign,
            by=coordinator,
            items=[
                ActionItemInput(area="finance", goal=""),
                ActionItemInput(area="leadership", goal="x", status="maybe"),
            ],
        )
    assert {d["field"] for d in caught.value.details} == {
        "items.1.area",
        "items.1.goal",
        "items.2.status",
    }
    assert again.items.count() == 1
    with pytest.raises(PermissionDenied):
        services.action_plan_save(organisation=school, items=items, by=person())
    assert ActionPlan.objects.count() == 1
    assert Answer.objects.count() == 0
