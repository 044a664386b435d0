"""Authoring services: paths, every kind of step, order, removal, quizzes, cohorts, who may."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from iite.core.errors import ApplicationError, PermissionDenied
from iite.learning import authoring, selectors, services
from iite.learning.models import Credential, Enrolment, Path, Step, StepProgress
from iite.learning.tests.conftest import QUIZ, make_path, member
from iite.library.tests.conftest import published

pytestmark = pytest.mark.django_db


def draft(by, slug="draft-path", **fields):
    fields.setdefault("title", "Digital lesson planning")
    fields.setdefault("summary", "Plan lessons with the tools your school has.")
    fields.setdefault("language", "en")
    return services.path_create(slug=slug, by=by, **fields)


def orders(path):
    return list(path.steps.order_by("order").values_list("order", "title"))


def update_fields(path, **changes):
    fields = {
        "title": path.title,
        "summary": path.summary,
        "language": path.language,
        "kind": path.kind,
        "estimated_minutes": path.estimated_minutes,
        "completion": path.completion,
        "pass_percent": path.pass_percent,
    }
    return {**fields, **changes}


# --- Paths ---------------------------------------------------------------------------------------
def test_create_and_edit_a_path_with_every_field(editor):
    first = draft(editor, slug="first")
    facilitator = member(name="Fatima Facilitator")
    path = services.path_create(
        slug="lesson-planning",
        title="  Lesson   planning ",
        summary="Plan.",
        language="fr",
        kind="course",
        estimated_minutes=90,
        completion="quiz_score",
        pass_percent=80,
        competencies=["3.KA", "3.KD"],
        prerequisites=[first],
        facilitators=[facilitator],
        by=editor,
    )
    assert (path.title, path.status, path.created_by) == ("Lesson planning", "draft", editor)
    assert sorted(c.code for c in path.competencies.all()) == ["3.KA", "3.KD"]
    assert list(path.prerequisites.all()) == [first]
    assert list(path.facilitators.all()) == [facilitator]

    authoring.path_update(
        path=path,
        **update_fields(path, title="Planning lessons", language="ar", pass_percent=60),
        competencies=["5.KA"],
        prerequisites=[],
        facilitators=[],
        by=editor,
    )
    path.refresh_from_db()
    assert (path.title, path.language, path.pass_percent, path.slug) == (
        "Planning lessons",
        "ar",
        60,
        "lesson-planning",
    )
    assert [c.code for c in path.competencies.all()] == ["5.KA"]
    assert not path.prerequisites.exists()
    assert not path.facilitators.exists()


def test_bad_path_fields_are_refused_field_by_field_and_nothing_changes(editor):
    path = draft(editor)
    with pytest.raises(ApplicationError) as refused:
        authoring.path_update(
            path=path,
            **update_fields(path, title=" ", language="de", pass_percent=0, estimated_minutes=0),
            competencies=["9.XX"],
            by=editor,
        )
    fields = {d["field"] for d in refused.value.details}
    assert fields == {"title", "language", "pass_percent", "estimated_minutes", "competencies"}
    path.refresh_from_db()
    assert path.title == "Digital lesson planning"
    with pytest.raises(ApplicationError) as taken:
        draft(editor, slug="draft-path")
    assert taken.value.details[0]["field"] == "slug"
    with pytest.raises(ApplicationError):
        draft(editor, slug="Not A Slug")
    assert Path.objects.count() == 1


def test_prerequisites_may_not_go_round_in_a_circle(editor):
    first = draft(editor, slug="first")
    second = draft(editor, slug="second", prerequisites=[first])
    with pytest.raises(ApplicationError) as refused:
        authoring.path_update(path=first, **update_fields(first), prerequisites=[second], by=editor)
    assert refused.value.details[0]["field"] == "prerequisites"
    with pytest.raises(ApplicationError):
        authoring.path_update(path=first, **update_fields(first), prerequisites=[first], by=editor)
    assert not first.prerequisites.exists()


def test_publish_unpublish_and_archive(editor, learner):
    path = draft(editor, completion="quiz_score")
    with pytest.raises(ApplicationError, match="at least one step"):
        services.path_publish(path=path, by=editor)
    services.step_add(path=path, kind="activity", title="Plan a lesson", by=editor)
    with pytest.raises(ApplicationError, match="quiz"):
        services.path_publish(path=path, by=editor)
    services.step_add(path=path, kind="quiz", title="Check", questions=QUIZ, by=editor)
    assert services.path_publish(path=path, by=editor).status == "published"
    assert authoring.path_unpublish(path=path, by=editor).status == "draft"
    services.path_publish(path=path, by=editor)
    services.enrol(path=path, user=learner)
    with pytest.raises(ApplicationError, match="1 learner is enrolled"):
        authoring.path_unpublish(path=path, by=editor)
    assert authoring.path_archive(path=path, by=editor).status == "archived"
    # Closed to new learners, open to the one enrolled.
    newcomer = member()
    with pytest.raises(ApplicationError):
        services.enrol(path=path, user=newcomer)
    assert selectors.path_by_slug(path.slug, user=learner) == path
    with pytest.raises(ApplicationError):
        selectors.path_by_slug(path.slug, user=newcomer)


# --- Steps ---------------------------------------------------------------------------------------
def test_add_a_step_of_each_kind(editor):
    path = draft(editor)
    resource = published(editor, title="Open lesson plans")
    services.step_add(path=path, kind="resource", title="Read", resource=resource, by=editor)
    services.step_add(
        path=path, kind="external", title="Course", url="https://example.org/c", by=editor
    )
    services.step_add(
        path=path,
        kind="activity",
        title="Plan",
        instructions="Write a plan.",
        competencies=["3.KA"],
        by=editor,
    )
    services.step_add(path=path, kind="quiz", title="Check", questions=QUIZ, by=editor)
    steps = list(path.steps.order_by("order"))
    assert [(s.order, s.kind) for s in steps] == [
        (1, "resource"),
        (2, "external"),
        (3, "activity"),
        (4, "quiz"),
    ]
    assert steps[0].resource == resource
    assert steps[3].questions == QUIZ


def test_bad_steps_are_refused(editor):
    path = draft(editor)
    unpublished = published(editor, title="Draft resource")
    unpublished.status = "draft"  # as a draft: not to be chosen
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "resource", "resource": None}, "resource"),
        ({"kind": "resource", "resource": unpublished}, "resource"),
        ({"kind": "external", "url": "example.org"}, "url"),
        ({"kind": "quiz", "questions": []}, "questions"),
        ({"kind": "teleport"}, "kind"),
    ]
    for fields, field in cases:
        with pytest.raises(ApplicationError) as refused:
            services.step_add(path=path, title="A step", by=editor, **fields)
        assert field in {d["field"] for d in refused.value.details}, fields
    assert not path.steps.exists()


def test_edit_a_step_keeps_its_kind_and_learners_progress(editor, learner):
    path = make_path(editor)
    step = path.steps.get(order=1)
    enrolment = services.enrol(path=path, user=learner)
    services.step_complete(enrolment=enrolment, step=step, user=learner)
    authoring.step_update(
        step=step,
        title="Watch the new introduction",
        url="https://example.org/new",
        estimated_minutes=20,
        competencies=["1.KD"],
        by=editor,
    )
    step.refresh_from_db()
    assert (step.kind, step.title, step.url) == (
        "external",
        "Watch the new introduction",
        "https://example.org/new",
    )
    assert StepProgress.objects.get(step=step).status == "done"
    with pytest.raises(ApplicationError):
        authoring.step_update(step=step, title="", url="nope", by=editor)
    step.refresh_from_db()
    assert step.title == "Watch the new introduction"


def test_move_steps_up_and_down_keeps_order_unique_and_contiguous(editor):
    path = make_path(editor)
    quiz = path.steps.get(order=3)
    authoring.step_move(step=quiz, direction="up", by=editor)
    authoring.step_move(step=quiz, direction="up", by=editor)
    assert orders(path) == [
        (1, "Check yourself"),
        (2, "Watch the introduction"),
        (3, "Write about your school"),
    ]
    with pytest.raises(ApplicationError, match="already the first"):
        authoring.step_move(step=quiz, direction="up", by=editor)
    last = path.steps.get(order=3)
    with pytest.raises(ApplicationError, match="already the last"):
        authoring.step_move(step=last, direction="down", by=editor)
    authoring.step_move(step=quiz, direction="down", by=editor)
    assert [order for order, _title in orders(path)] == [1, 2, 3]
    assert path.steps.get(order=2).pk == quiz.pk


def test_remove_a_step_closes_the_gap(editor):
    path = make_path(editor)
    authoring.step_remove(step=path.steps.get(order=1), by=editor)
    assert orders(path) == [(1, "Write about your school"), (2, "Check yourself")]


def test_a_step_learners_started_cannot_be_removed(editor, learner):
    path = make_path(editor)
    step = path.steps.get(order=2)
    enrolment = services.enrol(path=path, user=learner)
    services.activity_submit(enrolment=enrolment, step=step, user=learner, text="My plan")
    with pytest.raises(ApplicationError, match="1 learner has started this step"):
        authoring.step_remove(step=step, by=editor)
    assert path.steps.count() == 3
    assert StepProgress.objects.filter(step=step).count() == 1


def test_removing_the_last_undone_step_completes_those_who_did_the_rest(editor, learner):
    path = make_path(editor)
    enrolment = services.enrol(path=path, user=learner)
    first, activity, quiz = path.steps.order_by("order")
    services.step_complete(enrolment=enrolment, step=first, user=learner)
    services.quiz_submit(enrolment=enrolment, step=quiz, user=learner, answers={0: 1, 1: 0})
    authoring.step_remove(step=activity, by=editor)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert Credential.objects.filter(enrolment=enrolment).count() == 1


def test_a_published_path_keeps_one_step(editor):
    path = draft(editor)
    only = services.step_add(path=path, kind="activity", title="Plan", by=editor)
    services.path_publish(path=path, by=editor)
    with pytest.raises(ApplicationError, match="at least one step"):
        authoring.step_remove(step=only, by=editor)
    assert Step.objects.filter(pk=only.pk).exists()


# --- Quiz questions ------------------------------------------------------------------------------
def test_quiz_questions_are_added_edited_and_removed(editor):
    path = make_path(editor)
    quiz = path.steps.get(kind="quiz")
    authoring.quiz_question_save(
        step=quiz,
        number=None,
        question="Which is a web browser?",
        choices=["Chromium", "A spreadsheet", "A printer"],
        answer=0,
        by=editor,
    )
    quiz.refresh_from_db()
    assert len(quiz.questions) == 3
    assert quiz.questions[2] == {
        "question": "Which is a web browser?",
        "choices": ["Chromium", "A spreadsheet", "A printer"],
        "answer": 0,
    }
    authoring.quiz_question_save(
        step=quiz, number=0, question="Two and two?", choices=["4", "5"], answer=0, by=editor
    )
    authoring.quiz_question_remove(step=quiz, number=1, by=editor)
    quiz.refresh_from_db()
    assert [q["question"] for q in quiz.questions] == ["Two and two?", "Which is a web browser?"]


@pytest.mark.parametrize(
    ("choices", "answer", "field", "message"),
    [
        (["Only one"], 0, "choices", "at least two choices"),
        (["Yes", "No"], None, "answer", "Mark which choice is the right one."),
        (["Yes", "No"], 5, "answer", "Mark which choice is the right one."),
        (["Yes", " "], 0, "choices", "at least two choices"),
    ],
)
def test_a_question_needs_two_choices_and_a_right_one(editor, choices, answer, field, message):
    quiz = make_path(editor).steps.get(kind="quiz")
    with pytest.raises(ApplicationError) as refused:
        authoring.quiz_question_save(
            step=quiz, number=None, question="Q?", choices=choices, answer=answer, by=editor
        )
    assert refused.value.details[0]["field"] == field
    assert message in refused.value.details[0]["message"]
    quiz.refresh_from_db()
    assert quiz.questions == QUIZ


def test_a_quiz_keeps_one_question_and_other_steps_have_none(editor):
    path = make_path(editor)
    quiz = path.steps.get(kind="quiz")
    authoring.quiz_question_remove(step=quiz, number=0, by=editor)
    with pytest.raises(ApplicationError, match="at least one question"):
        authoring.quiz_question_remove(step=quiz, number=0, by=editor)
    with pytest.raises(ApplicationError, match="not a quiz"):
        authoring.quiz_question_save(
            step=path.steps.get(kind="activity"),
            number=None,
            question="Q?",
            choices=["a", "b"],
            answer=0,
            by=editor,
        )


# --- Cohorts -------------------------------------------------------------------------------------
def test_cohorts_are_edited_and_their_dates_kept_in_order(path, editor):
    facilitator = member()
    cohort = services.cohort_create(
        path=path,
        name="Workshop",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 5),
        by=editor,
    )
    authoring.cohort_update(
        cohort=cohort,
        name="Nairobi workshop",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 4, 1),
        facilitators=[facilitator],
        by=editor,
    )
    cohort.refresh_from_db()
    assert (cohort.name, cohort.ends_on) == ("Nairobi workshop", date(2026, 4, 1))
    assert list(cohort.facilitators.all()) == [facilitator]
    with pytest.raises(ApplicationError) as refused:
        authoring.cohort_update(
            cohort=cohort,
            name="Nairobi workshop",
            starts_on=date(2026, 4, 2),
            ends_on=date(2026, 4, 1),
            by=editor,
        )
    assert refused.value.details == [
        {"field": "ends_on", "message": "The end comes before the start."}
    ]
    cohort.refresh_from_db()
    assert cohort.starts_on == date(2026, 4, 1)


# --- Who may -------------------------------------------------------------------------------------
def test_a_member_may_not_author(path, learner):
    step = path.steps.get(order=1)
    attempts = [
        lambda: draft(learner, slug="mine"),
        lambda: authoring.path_update(path=path, **update_fields(path), by=learner),
        lambda: authoring.path_archive(path=path, by=learner),
        lambda: authoring.step_move(step=step, direction="down", by=learner),
        lambda: authoring.step_remove(step=step, by=learner),
        lambda: services.step_add(path=path, kind="activity", title="Mine", by=learner),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert orders(path)[0] == (1, "Watch the introduction")
    assert path.steps.count() == 3


def test_any_editor_may_edit_another_editors_path(path, admin):
    """The permission table gives ``path.manage`` to every editor and admin, not per path."""
    from iite.accounts import services as accounts_services

    other = member()
    accounts_services.role_grant(user=other, role="editor", by=None)
    authoring.path_update(path=path, **update_fields(path, title="Edited by another"), by=other)
    authoring.path_archive(path=path, by=admin)
    path.refresh_from_db()
    assert (path.title, path.status) == ("Edited by another", "archived")
