"""Authoring pages through Django's test client: every page, its errors, and who may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from iite.learning import services
from iite.learning.models import Cohort, Path, Step
from iite.learning.tests.conftest import QUIZ, member
from iite.library.tests.conftest import published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Pages in other languages activate theirs in this thread: set English back after."""
    yield
    translation.activate("en")


def url(name, *args):
    return reverse(f"learning:{name}", args=args)


PATH_POST = {
    "title": "Digital lesson planning",
    "slug": "",
    "summary": "Plan lessons with the tools your school has.",
    "language": "en",
    "kind": "course",
    "estimated_minutes": "90",
    "completion": "all_steps",
    "pass_percent": "70",
    "competencies": ["3.KA"],
    "facilitators": "",
}


def test_the_index_links_to_the_authoring_pages_only_for_authors(client, editor, learner):
    assert url("manage") not in client.get(url("index")).content.decode()
    client.force_login(learner)
    assert url("manage") not in client.get(url("index")).content.decode()
    client.force_login(editor)
    assert url("manage") in client.get(url("index")).content.decode()


def test_members_get_403_and_visitors_sign_in(client, path, learner):
    step = path.steps.get(order=1)
    pages = [
        url("manage"),
        url("manage-new"),
        url("manage-path", path.slug),
        url("manage-edit", path.slug),
        url("manage-step-new", path.slug, "quiz"),
        url("manage-step", path.slug, step.pk),
        url("manage-cohort-new", path.slug),
    ]
    for page in pages:
        assert client.get(page).status_code == 302, page  # to the sign-in page
    client.force_login(learner)
    for page in pages:
        assert client.get(page).status_code == 403, page
    moved = client.post(url("manage-step-move", path.slug, step.pk), {"direction": "down"})
    assert moved.status_code == 403
    assert path.steps.get(order=1) == step


def test_unknown_paths_steps_and_kinds_are_404(client, path, editor):
    client.force_login(editor)
    quiz = path.steps.get(kind="quiz")
    activity = path.steps.get(kind="activity")
    assert client.get(url("manage-path", "nope")).status_code == 404
    assert client.get(url("manage-step-new", path.slug, "teleport")).status_code == 404
    assert client.get(url("manage-step", path.slug, 99999)).status_code == 404
    assert client.get(url("manage-questions", path.slug, activity.pk)).status_code == 404
    assert client.get(url("manage-question", path.slug, quiz.pk, 9)).status_code == 404
    assert client.get(url("manage-cohort", path.slug, 99999)).status_code == 404


def test_the_list_shows_paths_filtered_by_status_and_author(client, path, editor, admin):
    services.path_create(
        slug="admins-draft", title="Admin's draft", summary="S", language="en", by=admin
    )
    client.force_login(editor)
    every = client.get(url("manage")).content.decode()
    assert path.title in every
    assert "Admin&#x27;s draft" in every
    drafts = client.get(url("manage"), {"status": "draft"}).content.decode()
    assert path.title not in drafts
    assert "Admin&#x27;s draft" in drafts
    mine = client.get(url("manage"), {"mine": "1"}).content.decode()
    assert path.title in mine
    assert "Admin&#x27;s draft" not in mine


def test_create_a_path_then_edit_it(client, editor):
    client.force_login(editor)
    assert client.get(url("manage-new")).status_code == 200
    created = client.post(url("manage-new"), PATH_POST)
    path = Path.objects.get()
    assert created.url == url("manage-path", "digital-lesson-planning")
    assert (path.slug, path.kind, path.status, path.estimated_minutes) == (
        "digital-lesson-planning",
        "course",
        "draft",
        90,
    )
    facilitator = member(email="fatima@example.org")
    form = client.get(url("manage-edit", path.slug)).content.decode()
    assert "Digital lesson planning" in form
    edited = client.post(
        url("manage-edit", path.slug),
        {**PATH_POST, "title": "Planning lessons", "facilitators": "FATIMA@example.org"},
    )
    assert edited.status_code == 302
    path.refresh_from_db()
    assert path.title == "Planning lessons"
    assert list(path.facilitators.all()) == [facilitator]
    assert client.get(url("manage-path", path.slug)).status_code == 200


def test_path_form_errors_are_shown_beside_fields_and_nothing_is_saved(client, editor, path):
    client.force_login(editor)
    bad = {
        **PATH_POST,
        "title": "",
        "language": "de",
        "pass_percent": "0",
        "facilitators": "nobody@example.org",
    }
    page = client.post(url("manage-new"), bad)
    assert page.status_code == 200
    html = page.content.decode()
    assert "There is a problem" in html
    assert "This field is required." in html
    assert "Nobody has signed up with: nobody@example.org." in html
    assert 'aria-invalid="true"' in html
    taken = client.post(url("manage-new"), {**PATH_POST, "slug": path.slug})
    assert "Another path has this address." in taken.content.decode()
    assert Path.objects.count() == 1
    french = client.post(f"/fr{url('manage-new')[3:]}", bad)
    assert "Ce champ est obligatoire." in french.content.decode()


def test_add_a_step_of_each_kind_through_the_forms(client, editor):
    client.force_login(editor)
    path = services.path_create(slug="p", title="P", summary="S", language="en", by=editor)
    resource = published(editor, title="Open lesson plans")
    search = client.get(url("manage-step-new", path.slug, "resource"), {"q": "lesson plans"})
    assert f'value="{resource.uuid}"' in search.content.decode()
    client.post(
        url("manage-step-new", path.slug, "resource"),
        {"title": "Read", "resource": str(resource.uuid), "estimated_minutes": "15"},
    )
    client.post(
        url("manage-step-new", path.slug, "external"),
        {"title": "Course", "url": "https://example.org/c", "estimated_minutes": "30"},
    )
    client.post(
        url("manage-step-new", path.slug, "activity"),
        {"title": "Plan", "instructions": "Write a plan.", "estimated_minutes": "30"},
    )
    quiz = client.post(
        url("manage-step-new", path.slug, "quiz"),
        {
            "title": "Check",
            "estimated_minutes": "5",
            "q1-question": "Two and two?",
            "q1-choice_1": "3",
            "q1-choice_2": "",
            "q1-choice_3": "4",
            "q1-answer": "3",
        },
    )
    steps = list(path.steps.order_by("order"))
    assert [s.kind for s in steps] == ["resource", "external", "activity", "quiz"]
    assert steps[0].resource == resource
    assert steps[3].questions == [{"question": "Two and two?", "choices": ["3", "4"], "answer": 1}]
    assert quiz.url == url("manage-questions", path.slug, steps[3].pk)
    overview = client.get(url("manage-path", path.slug)).content.decode()
    assert overview.count('value="up"') == 3
    assert overview.count('value="down"') == 3


def test_step_form_errors_are_shown_and_nothing_is_saved(client, editor, path):
    client.force_login(editor)
    page = client.post(
        url("manage-step-new", path.slug, "external"),
        {"title": "Course", "url": "example.org", "estimated_minutes": "5"},
    )
    assert page.status_code == 200
    assert "Give the course&#x27;s web address." in page.content.decode()
    resource = client.post(
        url("manage-step-new", path.slug, "resource"),
        {
            "title": "Read",
            "resource": "00000000-0000-0000-0000-000000000000",
            "estimated_minutes": "5",
        },
    )
    assert "Choose a published library resource." in resource.content.decode()
    quiz = client.post(
        url("manage-step-new", path.slug, "quiz"),
        {"title": "Check", "estimated_minutes": "5", "q1-question": "Q?", "q1-choice_1": "A"},
    )
    html = quiz.content.decode()
    assert "Give at least two choices" in html
    assert path.steps.count() == 3


def test_edit_move_and_remove_steps(client, editor, path, learner):
    client.force_login(editor)
    first, activity, quiz = path.steps.order_by("order")
    form = client.get(url("manage-step", path.slug, first.pk)).content.decode()
    assert "https://example.org/course" in form
    client.post(
        url("manage-step", path.slug, first.pk),
        {"title": "Watch it", "url": "https://example.org/v2", "estimated_minutes": "10"},
    )
    first.refresh_from_db()
    assert (first.title, first.url) == ("Watch it", "https://example.org/v2")

    moved = client.post(url("manage-step-move", path.slug, quiz.pk), {"direction": "up"})
    assert moved.url.endswith(f"#step-{quiz.pk}")
    assert list(path.steps.order_by("order").values_list("pk", flat=True)) == [
        first.pk,
        quiz.pk,
        activity.pk,
    ]
    first_again = client.post(url("manage-step-move", path.slug, first.pk), {"direction": "up"})
    page = client.get(first_again.url).content.decode()
    assert "This step is already the first." in page

    enrolment = services.enrol(path=path, user=learner)
    services.activity_submit(enrolment=enrolment, step=activity, user=learner, text="Plan")
    refused = client.post(url("manage-step-remove", path.slug, activity.pk), follow=True)
    assert "1 learner has started this step" in refused.content.decode()
    assert Step.objects.filter(pk=activity.pk).exists()
    client.post(url("manage-step-remove", path.slug, first.pk))
    assert list(path.steps.order_by("order").values_list("order", "pk")) == [
        (1, quiz.pk),
        (2, activity.pk),
    ]


def test_quiz_questions_pages(client, editor, path):
    client.force_login(editor)
    quiz = path.steps.get(kind="quiz")
    page = client.get(url("manage-questions", path.slug, quiz.pk)).content.decode()
    assert "The capital of France?" in page
    wrong = client.post(
        url("manage-questions", path.slug, quiz.pk),
        {"question": "Which is a browser?", "choice_1": "Chromium", "choice_2": "A printer"},
    )
    assert wrong.status_code == 200
    assert "Mark which choice is the right one." in wrong.content.decode()
    one = client.post(
        url("manage-questions", path.slug, quiz.pk),
        {"question": "Which is a browser?", "choice_1": "Chromium", "answer": "1"},
    )
    assert "Give at least two choices" in one.content.decode()
    quiz.refresh_from_db()
    assert quiz.questions == QUIZ
    client.post(
        url("manage-questions", path.slug, quiz.pk),
        {
            "question": "Which is a browser?",
            "choice_1": "Chromium",
            "choice_2": "A printer",
            "answer": "1",
        },
    )
    edit = client.get(url("manage-question", path.slug, quiz.pk, 1)).content.decode()
    assert "Two plus two?" in edit
    client.post(
        url("manage-question", path.slug, quiz.pk, 1),
        {"question": "Two and two?", "choice_1": "4", "choice_2": "22", "answer": "1"},
    )
    client.post(url("manage-question-remove", path.slug, quiz.pk, 2))
    quiz.refresh_from_db()
    assert quiz.questions == [
        {"question": "Two and two?", "choices": ["4", "22"], "answer": 0},
        {"question": "Which is a browser?", "choices": ["Chromium", "A printer"], "answer": 0},
    ]


def test_publish_unpublish_and_archive_buttons(client, editor):
    client.force_login(editor)
    path = services.path_create(slug="p", title="P", summary="S", language="en", by=editor)
    empty = client.post(url("manage-status", path.slug), {"action": "publish"}, follow=True)
    assert "A path needs at least one step before it is published." in empty.content.decode()
    services.step_add(path=path, kind="activity", title="Plan", by=editor)
    client.post(url("manage-status", path.slug), {"action": "publish"})
    path.refresh_from_db()
    assert path.status == "published"
    client.post(url("manage-status", path.slug), {"action": "archive"})
    path.refresh_from_db()
    assert path.status == "archived"
    assert client.post(url("manage-status", path.slug), {"action": "x"}).status_code == 404


def test_cohort_pages_refuse_an_end_before_the_start(client, editor, path):
    client.force_login(editor)
    assert client.get(url("manage-cohort-new", path.slug)).status_code == 200
    backwards = client.post(
        url("manage-cohort-new", path.slug),
        {"name": "Workshop", "starts_on": "2026-03-05", "ends_on": "2026-03-01"},
    )
    assert backwards.status_code == 200
    assert "The end comes before the start." in backwards.content.decode()
    assert not Cohort.objects.exists()
    facilitator = member(email="fatima@example.org")
    client.post(
        url("manage-cohort-new", path.slug),
        {
            "name": "Workshop",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-05",
            "facilitators": "fatima@example.org",
        },
    )
    cohort = Cohort.objects.get()
    assert list(cohort.facilitators.all()) == [facilitator]
    form = client.get(url("manage-cohort", path.slug, cohort.pk)).content.decode()
    assert "2026-03-01" in form
    client.post(
        url("manage-cohort", path.slug, cohort.pk),
        {"name": "Nairobi", "starts_on": "2026-04-01", "ends_on": "2026-04-03"},
    )
    cohort.refresh_from_db()
    assert (cohort.name, str(cohort.ends_on)) == ("Nairobi", "2026-04-03")
    assert not cohort.facilitators.exists()


def test_the_list_and_a_path_page_take_as_many_queries_for_more_rows(client, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from iite.learning.tests.conftest import make_path

    client.force_login(editor)
    first = make_path(editor, slug="one")
    services.cohort_create(
        path=first,
        name="First",
        starts_on=first.created_at.date(),
        ends_on=first.created_at.date(),
        by=editor,
    )

    def counted(page):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    few = (counted(url("manage")), counted(url("manage-path", "one")))
    for number in range(4):
        path = make_path(editor, slug=f"more-{number}")
        services.step_add(path=Path.objects.get(slug="one"), kind="activity", title="X", by=editor)
        services.cohort_create(
            path=Path.objects.get(slug="one"),
            name=f"Cohort {number}",
            starts_on=path.created_at.date(),
            ends_on=path.created_at.date(),
            by=editor,
        )
    assert (counted(url("manage")), counted(url("manage-path", "one"))) == few
