"""A school's own questions: who may add, change and remove them, answering them on the last
page, and their figures in the group report and its CSV, withheld as every other figure is."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from iite.accounts.models import Organisation, User
from iite.accounts.tests.factories import make_organisation
from iite.assessments import group_reports, own_questions, selectors, services
from iite.assessments.models import Campaign, Instrument, OwnAnswer, OwnQuestion, Response
from iite.assessments.tests.conftest import person
from iite.assessments.tests.test_api import bearer, code_header, error_of, post, put
from iite.assessments.tests.test_group_reports import SCHOOL, WITHHELD, open_campaign, read_csv
from iite.core.errors import ApplicationError, PermissionDenied
from iite.reference.models import Country

pytestmark = pytest.mark.django_db

BASE = "/en/assessments"
COMPLEMENTARY = "Withheld: with the other figures shown"


@pytest.fixture
def packaged(db) -> dict[str, Instrument]:
    return {instrument.code: instrument for instrument in services.instruments_load_packaged()}


@pytest.fixture
def lycee(db) -> Organisation:
    return make_organisation(
        name="Lycée des tests", kind="school", country=Country.objects.get(alpha2="FR")
    )


@pytest.fixture
def coordinator(lycee) -> User:
    return person("school-coordinator", organisation=lycee)


@pytest.fixture
def stranger() -> User:
    return person(
        "school-coordinator", organisation=make_organisation(name="Autre école", kind="school")
    )


@pytest.fixture
def campaign(packaged, lycee, coordinator) -> Campaign:
    return open_campaign(packaged[SCHOOL], organisation=lycee, by=coordinator)


def add(campaign: Campaign, by: User, text: str = "Our tablets work.", **kwargs: Any):
    groups = kwargs.pop("groups", list(campaign.groups))
    return services.own_question_add(campaign=campaign, text=text, groups=groups, by=by, **kwargs)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- Adding, changing, removing ------------------------------------------------------------------
def test_the_coordinator_adds_questions_in_order(campaign, coordinator) -> None:
    first = add(campaign, coordinator, "  Our   tablets work. ", language="fr")
    second = add(campaign, coordinator, "We share lessons.", groups=["teacher"])
    assert (first.order, first.text, first.language) == (1, "Our tablets work.", "fr")
    assert (second.order, second.groups) == (2, ["teacher"])
    assert [q.pk for q in own_questions.questions_of(campaign)] == [first.pk, second.pk]


def test_a_coordinator_of_another_school_may_not_touch_them(campaign, coordinator, stranger):
    question = add(campaign, coordinator)
    with pytest.raises(PermissionDenied):
        add(campaign, stranger)
    with pytest.raises(PermissionDenied):
        services.own_question_update(question=question, text="Changed", groups=[], by=stranger)
    with pytest.raises(PermissionDenied):
        services.own_question_remove(question=question, by=stranger)
    question.refresh_from_db()
    assert question.text == "Our tablets work."
    assert OwnQuestion.objects.count() == 1


def test_only_organisation_campaigns_with_an_agreement_scale(packaged, lycee, coordinator):
    admin = person("admin")
    country = open_campaign(packaged[SCHOOL], country=Country.objects.get(alpha2="FR"), by=admin)
    with pytest.raises(PermissionDenied):
        add(country, admin)
    statements_only = open_campaign(packaged["ict-cft-teacher"], organisation=lycee, by=admin)
    with pytest.raises(ApplicationError) as refused:
        add(statements_only, coordinator)
    assert refused.value.code == "own_questions_not_allowed"
    assert not own_questions.allowed_for(statements_only)
    assert OwnQuestion.objects.count() == 0


def test_at_most_ten(campaign, coordinator) -> None:
    for number in range(own_questions.MAX_OWN_QUESTIONS):
        add(campaign, coordinator, f"Question {number}")
    with pytest.raises(ApplicationError) as refused:
        add(campaign, coordinator, "One too many")
    assert refused.value.code == "own_questions_limit"
    assert "at most 10" in refused.value.message
    assert OwnQuestion.objects.filter(campaign=campaign).count() == 10


@pytest.mark.parametrize(
    ("text", "groups", "field"),
    [
        ("", None, "text"),
        ("   ", None, "text"),
        ("x" * 301, None, "text"),
        ("Fine", [], "groups"),
        ("Fine", ["parent"], "groups"),
    ],
)
def test_bad_input_adds_nothing(campaign, coordinator, text, groups, field) -> None:
    kwargs = {} if groups is None else {"groups": groups}
    with pytest.raises(ApplicationError) as refused:
        add(campaign, coordinator, text, **kwargs)
    assert refused.value.code == "validation"
    assert [detail["field"] for detail in refused.value.details] == [field]
    assert OwnQuestion.objects.count() == 0


def test_three_hundred_characters_are_enough(campaign, coordinator) -> None:
    assert len(add(campaign, coordinator, "x" * 300).text) == 300


def test_changed_and_removed_until_answered(campaign, coordinator) -> None:
    question = add(campaign, coordinator)
    services.own_question_update(
        question=question, text="Our laptops work.", groups=["teacher"], by=coordinator
    )
    question.refresh_from_db()
    assert (question.text, question.groups) == ("Our laptops work.", ["teacher"])
    response, _code = services.response_start(campaign=campaign, group="teacher")
    services.own_answers_save(response=response, answers={question.pk: "4"})
    with pytest.raises(ApplicationError) as refused:
        services.own_question_update(
            question=question, text="Something else", groups=["teacher"], by=coordinator
        )
    assert refused.value.code == "own_question_answered"
    with pytest.raises(ApplicationError):
        services.own_question_remove(question=question, by=coordinator)
    question.refresh_from_db()
    assert question.text == "Our laptops work."
    unanswered = add(campaign, coordinator, "Removable")
    services.own_question_remove(question=unanswered, by=coordinator)
    assert not OwnQuestion.objects.filter(pk=unanswered.pk).exists()


# --- Answering -----------------------------------------------------------------------------------
def test_answers_are_validated_and_all_or_nothing(campaign, coordinator) -> None:
    first = add(campaign, coordinator, "First")
    second = add(campaign, coordinator, "Second")
    leaders_only = add(campaign, coordinator, "Leaders", groups=["leader"])
    response, _code = services.response_start(campaign=campaign, group="teacher")
    for bad in ({second.pk: "7"}, {second.pk: "yes"}, {leaders_only.pk: "3"}, {999999: "3"}):
        with pytest.raises(ApplicationError) as refused:
            services.own_answers_save(response=response, answers={first.pk: "5", **bad})
        assert refused.value.code == "invalid_answers"
        assert OwnAnswer.objects.count() == 0
    services.own_answers_save(response=response, answers={first.pk: "5", second.pk: "na"})
    saved = {a.question_id: (a.value, a.not_applicable) for a in OwnAnswer.objects.all()}
    assert saved == {first.pk: (5, False), second.pk: (None, True)}
    services.own_answers_save(response=response, answers={second.pk: ""})
    assert list(OwnAnswer.objects.values_list("question_id", flat=True)) == [first.pk]


def test_the_own_page_comes_last_without_javascript(campaign, coordinator) -> None:
    question = add(campaign, coordinator, "Nos tablettes fonctionnent.", language="fr")
    browser = Client()
    browser.post(f"{BASE}/c/{campaign.join_code}/", {"group": "teacher"})
    response = Response.objects.get()
    sections = [
        section.code
        for section in selectors.definition_of(campaign.instrument).sections
        if any("teacher" in item.groups for item in section.items)
    ]
    last = browser.get(f"{BASE}/r/{response.pk}/{sections[-1]}/").content.decode()
    total = len(sections) + 1
    assert f"Page {total - 1} of {total}" in last
    moved = browser.post(f"{BASE}/r/{response.pk}/{sections[-1]}/", {"next": "1"})
    assert moved["Location"].endswith(f"/r/{response.pk}/own/")
    page = browser.get(f"{BASE}/r/{response.pk}/own/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Our school&#x27;s own questions</h1>" in html
    assert f"Page {total} of {total}" in html
    assert '<span lang="fr">Nos tablettes fonctionnent.</span>' in html
    assert f'<fieldset class="question" id="own-{question.pk}">' in html
    assert f'for="own-{question.pk}-na"' in html
    assert "Not applicable" in html
    assert "Strongly agree" in html

    refused = browser.post(f"{BASE}/r/{response.pk}/own/", {f"own-{question.pk}": "6"})
    assert refused.status_code == 400
    assert "Choose one of the answers offered." in refused.content.decode()
    assert OwnAnswer.objects.count() == 0

    saved = browser.post(f"{BASE}/r/{response.pk}/own/", {f"own-{question.pk}": "4", "next": "1"})
    assert saved["Location"].endswith(f"/r/{response.pk}/review/")
    assert OwnAnswer.objects.get().value == 4
    review = browser.get(f"{BASE}/r/{response.pk}/review/").content.decode()
    assert "Our school&#x27;s own questions" in review
    assert "1 / 1" in review


def test_no_own_page_for_a_group_not_asked(campaign, coordinator) -> None:
    add(campaign, coordinator, "Leaders only", groups=["leader"])
    browser = Client()
    browser.post(f"{BASE}/c/{campaign.join_code}/", {"group": "student"})
    response = Response.objects.get()
    assert browser.get(f"{BASE}/r/{response.pk}/own/").status_code == 404
    review = browser.get(f"{BASE}/r/{response.pk}/review/").content.decode()
    assert "own questions" not in review


# --- The group report ----------------------------------------------------------------------------
def respond(campaign: Campaign, group: str, n: int, own: dict[int, object]) -> None:
    """Submit ``n`` responses of ``group``: every scored item 4, and the given own answers."""
    definition = selectors.definition_of(campaign.instrument)
    for _number in range(n):
        response, _code = services.response_start(campaign=campaign, group=group)
        for section in definition.sections:
            answers = {i.code: 4 for i in section.items if group in i.groups and i.scored}
            if answers:
                services.response_answers_save(
                    response=response, section_code=section.code, answers=answers
                )
        if own:
            services.own_answers_save(response=response, answers=own)
        services.response_submit(response=response, submission_key=uuid.uuid4())


def own_rows(campaign: Campaign) -> tuple[own_questions.OwnRow, ...]:
    report = group_reports.group_report(campaign)
    return own_questions.own_report(campaign, report.columns)


def test_four_answers_are_withheld_five_are_shown(campaign, coordinator) -> None:
    question = add(campaign, coordinator, groups=["teacher"])
    respond(campaign, "teacher", 4, {question.pk: 5})
    (row,) = own_rows(campaign)
    assert all(WITHHELD in cell.withheld for cell in row.cells if not cell.not_asked)
    assert row.cells[0].n is None
    assert row.cells[0].mean is None
    respond(campaign, "teacher", 1, {question.pk: 5})
    (row,) = own_rows(campaign)
    everyone, leaders, teachers, students = row.cells
    assert (everyone.n, everyone.mean, everyone.percent) == (5, 5.0, 100)
    assert everyone.distribution == (("Strongly agree", 5),)
    assert (teachers.n, teachers.mean) == (5, 5.0)
    assert leaders.not_asked
    assert students.not_asked


def test_a_second_group_is_withheld_when_it_would_reveal_a_small_one(campaign, coordinator):
    question = add(campaign, coordinator, groups=["teacher", "student"])
    respond(campaign, "teacher", 6, {question.pk: 2})
    respond(campaign, "student", 4, {question.pk: 4})
    respond(campaign, "student", 2, {})  # six students answered, four of them this question
    (row,) = own_rows(campaign)
    everyone, _leaders, teachers, students = row.cells
    assert everyone.n == 10
    assert WITHHELD in students.withheld
    assert COMPLEMENTARY in teachers.withheld  # everyone minus teachers would give the students
    assert teachers.n is None


def test_the_report_page_and_csv_show_them(campaign, coordinator) -> None:
    shown = add(campaign, coordinator, "Shown question", groups=["teacher", "student"])
    respond(campaign, "teacher", 5, {shown.pk: 4})
    respond(campaign, "student", 5, {shown.pk: "na"})
    respond(campaign, "leader", 5, {})
    client = signed_in(coordinator)
    html = client.get(f"{BASE}/campaigns/{campaign.pk}/report/").content.decode()
    assert "Our school's own questions" in html
    assert "Shown question" in html
    rows = read_csv(client.get(f"{BASE}/campaigns/{campaign.pk}/report.csv").content)
    own = {row[3]: row for row in rows if row[0] == "own question"}
    assert set(own) == {"All respondents", "School leaders", "Teachers", "Students"}
    assert own["All respondents"][1:5] == ["own-1", "Shown question", "All respondents", "5"]
    assert own["Teachers"][4:7] == ["5", "75", "4.0"]
    assert own["School leaders"][9] == "Not asked of this group"
    # "Not applicable" is no figure: like the instrument's items, no value counted is withheld.
    assert own["Students"][9].startswith(WITHHELD)


def test_the_csv_withholds_small_groups(campaign, coordinator) -> None:
    question = add(campaign, coordinator, groups=["teacher"])
    respond(campaign, "teacher", 4, {question.pk: 4})
    client = signed_in(coordinator)
    rows = read_csv(client.get(f"{BASE}/campaigns/{campaign.pk}/report.csv").content)
    own = {row[3]: row for row in rows if row[0] == "own question"}
    for column in ("All respondents", "Teachers"):
        assert own[column][4] == ""
        assert own[column][9].startswith("Withheld")
    assert own["Students"][9] == "Not asked of this group"


# --- The campaign page ---------------------------------------------------------------------------
def test_the_campaign_page_adds_changes_and_removes(campaign, coordinator) -> None:
    client = signed_in(coordinator)
    page = client.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    assert 'id="own"' in page
    assert "Add the question" in page
    url = f"{BASE}/campaigns/{campaign.pk}/own-questions/"
    added = client.post(url, {"text": "We share lessons.", "groups": ["teacher", "leader"]})
    assert added.status_code == 302
    question = OwnQuestion.objects.get()
    assert (question.groups, question.language) == (["teacher", "leader"], "en")
    refused = client.post(url, {"text": "", "groups": ["teacher"]})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert 'class="errorlist" id="id_text_error"' in html
    assert OwnQuestion.objects.count() == 1

    edit = f"{url}{question.pk}/"
    assert client.get(edit).status_code == 200
    changed = client.post(edit, {"text": "We plan lessons together.", "groups": ["teacher"]})
    assert changed.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.groups) == ("We plan lessons together.", ["teacher"])
    bad = client.post(edit, {"text": "x" * 301, "groups": ["teacher"]})
    assert bad.status_code == 400

    assert client.post(f"{edit}remove/").status_code == 302
    assert OwnQuestion.objects.count() == 0


def test_the_campaign_page_refuses_an_answered_change(campaign, coordinator) -> None:
    question = add(campaign, coordinator)
    response, _code = services.response_start(campaign=campaign, group="teacher")
    services.own_answers_save(response=response, answers={question.pk: "na"})
    client = signed_in(coordinator)
    page = client.get(f"{BASE}/campaigns/{campaign.pk}/").content.decode()
    assert "Already answered: it can no longer be changed." in page
    changed = client.post(
        f"{BASE}/campaigns/{campaign.pk}/own-questions/{question.pk}/",
        {"text": "Other", "groups": ["teacher"]},
    )
    assert changed.status_code == 400
    assert "already been answered" in changed.content.decode()
    removed = client.post(
        f"{BASE}/campaigns/{campaign.pk}/own-questions/{question.pk}/remove/", follow=True
    )
    assert "already been answered" in removed.content.decode()
    assert OwnQuestion.objects.filter(pk=question.pk).exists()


def test_a_coordinator_of_another_school_is_refused_on_the_pages(campaign, coordinator, stranger):
    question = add(campaign, coordinator)
    client = signed_in(stranger)
    base = f"{BASE}/campaigns/{campaign.pk}/own-questions/"
    assert client.post(base, {"text": "Hi", "groups": ["teacher"]}).status_code == 403
    assert client.get(f"{base}{question.pk}/").status_code == 403
    assert client.post(f"{base}{question.pk}/remove/").status_code == 403
    assert OwnQuestion.objects.count() == 1


# --- Through the API, and in the individual result ------------------------------------------
API = "/api/v1/assessments"


def test_the_coordinator_adds_changes_and_removes_them(campaign, coordinator, stranger) -> None:
    client = Client()
    url = f"{API}/campaigns/{campaign.join_code}/own-questions"
    created = post(
        client,
        f"{url}?lang=fr",
        {"text": "Nos tablettes marchent.", "groups": ["teacher"]},
        **bearer(coordinator),
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["text"] == "Nos tablettes marchent."
    assert body["language"] == "fr"
    assert body["groups"] == ["teacher"]
    question_url = f"{url}/{body['id']}"
    changed = put(
        client,
        question_url,
        {"text": "Our tablets work.", "groups": ["teacher", "student"]},
        **bearer(coordinator),
    )
    assert changed.status_code == 200, changed.content
    assert OwnQuestion.objects.get().groups == ["teacher", "student"]
    listed = client.get(f"{API}/campaigns", **bearer(coordinator)).json()["items"]
    assert [q["text"] for q in listed[0]["own_questions"]] == ["Our tablets work."]
    error_of(
        put(client, question_url, {"text": "Mine now", "groups": ["teacher"]}, **bearer(stranger)),
        403,
        "permission_denied",
    )
    removed = client.delete(question_url, **bearer(coordinator))
    assert removed.status_code == 204
    assert not OwnQuestion.objects.exists()
    error_of(client.delete(question_url, **bearer(coordinator)), 404, "unknown_own_question")


def test_bad_questions_add_nothing(campaign, coordinator) -> None:
    client = Client()
    url = f"{API}/campaigns/{campaign.join_code}/own-questions"
    error = error_of(
        post(client, url, {"text": "", "groups": ["teacher"]}, **bearer(coordinator)),
        400,
        "validation",
    )
    assert error["details"]
    error_of(post(client, url, {"text": "x"}, **bearer(coordinator)), 422, "validation")
    error_of(post(client, url, {"text": "x", "groups": ["teacher"]}), 401, "unauthenticated")
    assert not OwnQuestion.objects.exists()


def test_a_respondent_answers_them_through_the_api(campaign, coordinator) -> None:
    question = add(campaign, coordinator, groups=["teacher"])
    add(campaign, coordinator, text="Students like it.", groups=["student"])
    client = Client()
    started = post(client, f"{API}/campaigns/{campaign.join_code}/responses", {"group": "teacher"})
    assert started.status_code == 201, started.content
    body = started.json()
    headers = code_header(body["resume_code"])
    assert [q["id"] for q in body["own_questions"]] == [question.pk]  # only the teachers' one
    url = f"{API}/responses/{body['id']}/own-answers"
    error = error_of(
        put(client, url, {"answers": {question.pk: 9}}, **headers), 400, "invalid_answers"
    )
    assert error["details"]
    assert not OwnAnswer.objects.exists()
    saved = put(client, url, {"answers": {question.pk: 4}}, **headers)
    assert saved.status_code == 200, saved.content
    assert saved.json()["own_answers"] == {str(question.pk): 4}
    error_of(put(client, url, {"answers": {question.pk: 5}}), 404, "unknown_response")


def test_the_report_gives_their_figures_from_five_respondents(campaign, coordinator) -> None:
    question = add(campaign, coordinator, groups=["teacher"])
    respond(campaign, "teacher", 4, {question.pk: 5})
    client = Client()
    url = f"{API}/campaigns/{campaign.join_code}/report"
    (own,) = client.get(url, **bearer(coordinator)).json()["own_questions"]
    assert own["figures"][""]["n"] is None
    assert own["figures"][""]["withheld"].startswith("Withheld")
    respond(campaign, "teacher", 1, {question.pk: 5})
    (own,) = client.get(url, **bearer(coordinator)).json()["own_questions"]
    assert own["id"] == question.pk
    assert own["figures"][""]["n"] == 5
    assert own["figures"][""]["mean"] == 5.0
    assert own["figures"]["teacher"]["distribution"] == {"5": 5}


def test_the_individual_result_shows_the_own_answers(campaign, coordinator) -> None:
    question = add(campaign, coordinator, text="Our tablets work.", groups=["teacher"])
    browser = Client()
    browser.post(f"/en/assessments/c/{campaign.join_code}/", {"group": "teacher"})
    response = campaign.responses.get()
    services.response_answers_save(
        response=response, section_code="leadership-strategy", answers={"leadership-strategy.1": 5}
    )
    services.own_answers_save(response=response, answers={question.pk: 2})
    services.response_submit(response=response, submission_key=uuid.uuid4())
    page = browser.get(f"/en/assessments/r/{response.pk}/result/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Our tablets work." in html
    assert "Disagree" in html
    rows = read_csv(browser.get(f"/en/assessments/r/{response.pk}/result.csv").content)
    assert ["own", "own-1", "Our tablets work.", "", "", "Disagree"] in rows
