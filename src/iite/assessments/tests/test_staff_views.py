"""The pages of the people who run campaigns: who may open which, opening and closing, reports,
CSV exports and the school's action plan."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from iite.accounts.models import Organisation, User
from iite.accounts.tests.factories import make_organisation
from iite.assessments import services
from iite.assessments.models import ActionPlan, Campaign, Response
from iite.assessments.tests.conftest import person
from iite.assessments.tests.test_group_reports import (
    SCHOOL,
    WITHHELD,
    answer,
    answer_everyone,
    open_campaign,
    read_csv,
)
from iite.reference.models import Country

pytestmark = pytest.mark.django_db

BASE = "/en/assessments"


@pytest.fixture
def packaged(db) -> dict[str, Any]:
    return {instrument.code: instrument for instrument in services.instruments_load_packaged()}


@pytest.fixture
def france(db) -> Country:
    return Country.objects.get(alpha2="FR")


@pytest.fixture
def lycee(france) -> Organisation:
    return make_organisation(name="Lycée des tests", kind="school", country=france)


@pytest.fixture
def coordinator(lycee) -> User:
    return person("school-coordinator", organisation=lycee)


@pytest.fixture
def campaign(packaged, lycee, coordinator) -> Campaign:
    return open_campaign(packaged[SCHOOL], organisation=lycee, by=coordinator)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stranger_coordinator() -> User:
    return person(
        "school-coordinator", organisation=make_organisation(name="Autre école", kind="school")
    )


# --- Who may see what ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/campaigns/", "/campaigns/new/", "/campaigns/{id}/report/", "/campaigns/{id}/"]
)
def test_anonymous_people_are_sent_to_sign_in(client: Client, campaign: Campaign, path) -> None:
    response = client.get(BASE + path.format(id=campaign.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    "path",
    [
        "/campaigns/{id}/",
        "/campaigns/{id}/report/",
        "/campaigns/{id}/report.csv",
        "/campaigns/{id}/report.pdf",
        "/campaigns/{id}/close/",
        "/campaigns/{id}/action-plan/",
    ],
)
def test_a_coordinator_of_another_school_is_refused(campaign: Campaign, path: str) -> None:
    client = signed_in(stranger_coordinator())
    assert client.get(BASE + path.format(id=campaign.pk)).status_code == 403


def test_nobody_else_closes_a_campaign(campaign: Campaign) -> None:
    refused = signed_in(stranger_coordinator()).post(f"{BASE}/campaigns/{campaign.pk}/close/")
    assert refused.status_code == 403
    campaign.refresh_from_db()
    assert campaign.closed_at is None


def test_an_unknown_campaign_is_not_found(coordinator: User) -> None:
    assert signed_in(coordinator).get(f"{BASE}/campaigns/999999/report/").status_code == 404


def test_a_focal_point_reports_on_their_country_only(packaged, france) -> None:
    focal_point = person("focal-point", country=france)
    own = open_campaign(packaged[SCHOOL], country=france)
    other = open_campaign(packaged[SCHOOL], country=Country.objects.get(alpha2="KE"))
    client = signed_in(focal_point)
    assert client.get(f"{BASE}/campaigns/{own.pk}/report/").status_code == 200
    assert client.get(f"{BASE}/campaigns/{other.pk}/report/").status_code == 403
    html = client.get(f"{BASE}/campaigns/").content.decode()
    assert own.join_code in html
    assert other.join_code not in html


def test_a_member_may_not_open_a_campaign(packaged) -> None:
    assert signed_in(person()).get(f"{BASE}/campaigns/new/").status_code == 403


# --- My campaigns --------------------------------------------------------------------------------
def test_my_campaigns_lists_mine_with_counts(campaign: Campaign, coordinator, packaged) -> None:
    elsewhere = open_campaign(packaged[SCHOOL], organisation=make_organisation(name="X"))
    answer(campaign, "teacher", 2)
    html = signed_in(coordinator).get(f"{BASE}/campaigns/").content.decode()
    assert campaign.join_code in html
    assert elsewhere.join_code not in html
    assert "Teachers: 2" in html
    assert f"/campaigns/{campaign.pk}/report/" in html
    assert f"/campaigns/{campaign.pk}/close/" in html
    assert html.count("<h1") == 1


def test_my_campaigns_query_count_does_not_grow(
    packaged, lycee, coordinator, django_assert_max_num_queries
) -> None:
    client = signed_in(coordinator)
    open_campaign(packaged[SCHOOL], organisation=lycee, by=coordinator)
    with django_assert_max_num_queries(24) as few:
        client.get(f"{BASE}/campaigns/")
    for _number in range(5):
        open_campaign(packaged[SCHOOL], organisation=lycee, by=coordinator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{BASE}/campaigns/").content.decode().count("<tr>") == 7


def test_an_admins_list_costs_the_same_for_many_schools(
    packaged, django_assert_max_num_queries
) -> None:
    client = signed_in(person("admin"))
    open_campaign(packaged[SCHOOL], organisation=make_organisation(name="School 0"))
    with django_assert_max_num_queries(24) as few:
        client.get(f"{BASE}/campaigns/")
    for number in range(1, 6):
        open_campaign(packaged[SCHOOL], organisation=make_organisation(name=f"School {number}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{BASE}/campaigns/").content.decode().count("<tr>") == 7


# --- Opening and closing -------------------------------------------------------------------------
def window(**days: int) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "opens_on": (today + timedelta(days=days.get("opens", 0))).isoformat(),
        "closes_on": (today + timedelta(days=days.get("closes", 14))).isoformat(),
    }


def test_a_coordinator_opens_a_campaign_and_gets_its_link(packaged, lycee, coordinator) -> None:
    client = signed_in(coordinator)
    chooser = client.get(f"{BASE}/campaigns/new/").content.decode()
    assert f'value="{SCHOOL}"' in chooser
    form = client.get(f"{BASE}/campaigns/new/", {"instrument": SCHOOL}).content.decode()
    assert 'type="date"' in form
    assert 'value="student"' in form
    assert "cohort" not in re.findall(r'name="scope" value="([^"]+)"', form)
    created = client.post(
        f"{BASE}/campaigns/new/?instrument={SCHOOL}",
        {
            "scope": "organisation",
            "organisation": str(lycee.pk),
            "groups": ["teacher", "student"],
            **window(),
        },
    )
    assert created.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.groups == ["teacher", "student"]
    assert campaign.organisation == lycee
    assert campaign.is_open
    html = client.get(created["Location"]).content.decode()
    assert campaign.join_code in html
    assert f"/assessments/c/{campaign.join_code}/" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"closes": -1}, "closes_on", "The campaign must close after it opens."),
        ({"opens": -20, "closes": -5}, "closes_on", "Choose a closing date after today."),
        ({"organisation": "other"}, "organisation", "Select a valid choice."),
        ({"organisation": ""}, "organisation", "Choose the organisation."),
        ({"scope": "cohort"}, "scope", "Select a valid choice."),
        ({"groups": ["parents"]}, "groups", "Select a valid choice."),
        ({"groups": []}, "groups", "This field is required."),
    ],
)
def test_bad_input_opens_nothing(packaged, lycee, coordinator, data, field, message) -> None:
    other = make_organisation(name="Autre", kind="school")
    posted: dict[str, Any] = {
        "scope": data.get("scope", "organisation"),
        "organisation": str(other.pk)
        if data.get("organisation") == "other"
        else data.get("organisation", str(lycee.pk)),
        "groups": data.get("groups", ["teacher"]),
        **window(**{key: value for key, value in data.items() if key in ("opens", "closes")}),
    }
    response = signed_in(coordinator).post(f"{BASE}/campaigns/new/?instrument={SCHOOL}", posted)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'id="id_{field}_error"' in html
    assert message.split("“")[0] in html
    assert Campaign.objects.count() == 0


def test_a_focal_point_opens_a_campaign_for_their_country(packaged, france) -> None:
    client = signed_in(person("focal-point", country=france))
    kenya = Country.objects.get(alpha2="KE")
    refused = client.post(
        f"{BASE}/campaigns/new/?instrument={SCHOOL}",
        {"scope": "country", "country": str(kenya.pk), "groups": ["teacher"], **window()},
    )
    assert refused.status_code == 400
    assert Campaign.objects.count() == 0
    created = client.post(
        f"{BASE}/campaigns/new/?instrument={SCHOOL}",
        {"scope": "country", "country": str(france.pk), "groups": ["teacher"], **window()},
    )
    assert created.status_code == 302
    assert Campaign.objects.get().country == france


def test_an_editor_opens_a_cohort_campaign_which_needs_a_name(packaged) -> None:
    client = signed_in(person("editor"))
    url = f"{BASE}/campaigns/new/?instrument=ict-cft-teacher"
    nameless = client.post(url, {"scope": "cohort", "groups": ["teacher"], **window()})
    assert nameless.status_code == 400
    assert "Name the cohort." in nameless.content.decode()
    named = {"scope": "cohort", "cohort_name": "Spring 2026", "groups": ["teacher"]}
    assert client.post(url, {**named, **window()}).status_code == 302
    assert Campaign.objects.get().cohort_name == "Spring 2026"


def test_closing_asks_first_then_closes(campaign: Campaign, coordinator) -> None:
    client = signed_in(coordinator)
    confirm = client.get(f"{BASE}/campaigns/{campaign.pk}/close/")
    assert "This cannot be undone." in confirm.content.decode()
    campaign.refresh_from_db()
    assert campaign.closed_at is None
    closed = client.post(f"{BASE}/campaigns/{campaign.pk}/close/")
    assert closed.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED


# --- Reports and CSV -----------------------------------------------------------------------------
def test_the_report_withholds_groups_of_four(campaign: Campaign, coordinator) -> None:
    answer_everyone(campaign, 4)
    html = signed_in(coordinator).get(f"{BASE}/campaigns/{campaign.pk}/report/").content.decode()
    assert WITHHELD in html
    assert 'class="heat-1"' not in html  # nothing shaded but the whole school (75 %)
    assert html.count('<td class="heat-4">') == 9  # 9 areas, all respondents only
    assert html.count("<h1") == 1


def test_the_report_shows_groups_of_five(
    campaign: Campaign, coordinator, django_assert_max_num_queries
) -> None:
    answer_everyone(campaign, 5)
    client = signed_in(coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(f"{BASE}/campaigns/{campaign.pk}/report/")
    html = response.content.decode()
    assert WITHHELD not in html
    assert html.count('<td class="heat-4">') == 9 * 4
    assert "<caption>" in html
    assert 'scope="col"' in html
    assert "n = 5" in html


def test_report_csv_download(campaign: Campaign, coordinator) -> None:
    answer(campaign, "teacher", 5)
    answer(campaign, "student", 3)
    response = signed_in(coordinator).get(f"{BASE}/campaigns/{campaign.pk}/report.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert campaign.join_code in response["Content-Disposition"]
    rows = read_csv(response.content)
    students = [row for row in rows if row[0] == "area" and row[3] == "Students"]
    assert students
    assert all(row[4] == "" and row[9].startswith("Withheld") for row in students)


def test_result_csv_for_its_owner_only(campaign: Campaign) -> None:
    browser = Client()
    browser.post(f"{BASE}/c/{campaign.join_code}/", {"group": "teacher"})
    response = Response.objects.get()
    services.response_answers_save(
        response=response,
        section_code="leadership-strategy",
        answers={"leadership-strategy.1": 5},
    )
    services.response_submit(response=response, submission_key=uuid.uuid4())
    url = f"{BASE}/r/{response.pk}/result.csv"
    download = browser.get(url)
    assert download.status_code == 200
    rows = read_csv(download.content)
    assert rows[0] == ["group", "code", "name", "score (%)", "level", "answer"]
    assert rows[1][:4] == ["", "leadership-strategy", "Leadership and strategy", "100"]
    assert Client().get(url).status_code == 404


# --- Action plan ---------------------------------------------------------------------------------
def goals(*rows: dict[str, str]) -> dict[str, str]:
    data = {
        "goals-TOTAL_FORMS": str(len(rows)),
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "20",
    }
    for number, row in enumerate(rows):
        for key in ("area", "goal", "owner_name", "due_on"):
            data[f"goals-{number}-{key}"] = row.get(key, "")
        data[f"goals-{number}-status"] = row.get("status", "planned")
        if row.get("DELETE"):
            data[f"goals-{number}-DELETE"] = "on"
    return data


def test_the_action_plan_starts_from_the_weakest_areas(campaign: Campaign, coordinator) -> None:
    answer(
        campaign,
        "teacher",
        5,
        lambda item: 1 if item.target == "infrastructure-equipment" else 4,
    )
    html = signed_in(coordinator).get(f"{BASE}/campaigns/{campaign.pk}/action-plan/")
    text = html.content.decode()
    assert "The weakest areas" in text
    weakest = text.split("The weakest areas")[1]
    assert weakest.index("Infrastructure and equipment") < weakest.index("Leadership and strategy")
    assert 'value="infrastructure-equipment" selected' in text


def test_the_action_plan_is_saved_and_edited(campaign: Campaign, coordinator) -> None:
    client = signed_in(coordinator)
    url = f"{BASE}/campaigns/{campaign.pk}/action-plan/"
    first = goals(
        {"area": "infrastructure-equipment", "goal": "Fix the wifi", "owner_name": "Ana"},
        {"area": "assessment", "goal": "Try e-portfolios", "due_on": "2031-06-30"},
        {},  # an empty row is no goal
    )
    assert client.post(url, first).status_code == 302
    plan = ActionPlan.objects.get(campaign=campaign)
    assert [item.goal for item in plan.items.all()] == ["Fix the wifi", "Try e-portfolios"]
    html = client.get(url).content.decode()
    assert "Fix the wifi" in html
    edited = goals(
        {"area": "infrastructure-equipment", "goal": "Fix the wifi", "status": "done"},
        {"area": "assessment", "goal": "Try e-portfolios", "DELETE": "1"},
    )
    assert client.post(url, edited).status_code == 302
    items = list(ActionPlan.objects.get(campaign=campaign).items.all())
    assert [(item.goal, item.status) for item in items] == [("Fix the wifi", "done")]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"area": "assessment", "goal": "", "owner_name": "Ana"}, "Write the goal."),
        ({"area": "", "goal": "Something"}, "Choose an area."),
        ({"area": "nowhere", "goal": "Something"}, "Select a valid choice."),
        (
            {"area": "assessment", "goal": "Something", "due_on": "31/31/2030"},
            "Enter a valid date.",
        ),
        ({"area": "assessment", "goal": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_goals_save_nothing(campaign: Campaign, coordinator, row, message) -> None:
    client = signed_in(coordinator)
    url = f"{BASE}/campaigns/{campaign.pk}/action-plan/"
    assert client.post(url, goals({"area": "assessment", "goal": "Keep me"})).status_code == 302
    response = client.post(url, goals({"area": "wellbeing-safety", "goal": "New"}, row))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert 'id="id_goals-1-' in html
    items = ActionPlan.objects.get(campaign=campaign).items.all()
    assert [item.goal for item in items] == ["Keep me"]


# --- The group report as PDF ---------------------------------------------------------------------
def test_report_pdf_download(campaign: Campaign, coordinator) -> None:
    answer_everyone(campaign, 5)
    client = signed_in(coordinator)
    page = client.get(f"{BASE}/campaigns/{campaign.pk}/report/").content.decode()
    assert f"/campaigns/{campaign.pk}/report.pdf" in page
    assert "Download as PDF" in page
    response = client.get(f"{BASE}/campaigns/{campaign.pk}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert campaign.join_code in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_report_pdf_is_refused_like_the_report(campaign: Campaign) -> None:
    client = signed_in(stranger_coordinator())
    html_status = client.get(f"{BASE}/campaigns/{campaign.pk}/report/").status_code
    assert client.get(f"{BASE}/campaigns/{campaign.pk}/report.pdf").status_code == html_status
    assert html_status == 403


def _pdf_html(client: Client, campaign: Campaign, monkeypatch, language: str = "en") -> str:
    """The document the PDF view hands to WeasyPrint (PDF text is not searchable as such)."""
    rendered: list[str] = []

    def capture(html: str, *, compress: bool = True) -> bytes:
        rendered.append(html)
        return b"%PDF-1.7"

    monkeypatch.setattr("iite.core.pdf.html_to_pdf", capture)
    url = f"/{language}/assessments/campaigns/{campaign.pk}/report.pdf"
    assert client.get(url).status_code == 200
    assert len(rendered) == 1
    return rendered[0]


def test_report_pdf_withholds_groups_of_four(campaign: Campaign, coordinator, monkeypatch) -> None:
    answer_everyone(campaign, 4)
    html = _pdf_html(signed_in(coordinator), campaign, monkeypatch)
    assert html.startswith("<!doctype html>")
    assert '<html lang="en" dir="ltr">' in html
    assert WITHHELD in html
    assert "n = 4" not in html  # no figure of a group of four
    assert "<td>4</td>" not in html  # nor its number of respondents
    assert "n = 12" in html  # the whole school is shown
    assert html.count('<td class="heat-4">') == 9  # 9 areas, all respondents only
    assert html.count('<td class="heat-0">') == 9 * 3


def test_report_pdf_shows_groups_of_five(campaign: Campaign, coordinator, monkeypatch) -> None:
    answer_everyone(campaign, 5)
    html = _pdf_html(signed_in(coordinator), campaign, monkeypatch)
    assert WITHHELD not in html
    assert html.count('<td class="heat-4">') == 9 * 4
    assert "n = 5" in html


def test_report_pdf_is_right_to_left_in_arabic(
    campaign: Campaign, coordinator, monkeypatch
) -> None:
    answer_everyone(campaign, 4)
    client = signed_in(coordinator)
    with translation.override("en"):  # the request leaves Arabic active; restore it after
        html = _pdf_html(client, campaign, monkeypatch, language="ar")
    assert '<html lang="ar" dir="rtl">' in html


def test_report_pdf_has_the_own_questions_withheld_alike(
    campaign: Campaign, coordinator, monkeypatch
) -> None:
    from iite.assessments.tests.test_own_questions import add, respond

    question = add(campaign, coordinator, "Our tablets work.", groups=["teacher"])
    respond(campaign, "teacher", 4, {question.pk: 5})
    respond(campaign, "leader", 5, {})
    respond(campaign, "student", 5, {})
    html = _pdf_html(signed_in(coordinator), campaign, monkeypatch)
    own = html.split("Our school's own questions", 1)[1]
    assert f'<span lang="{question.language}">Our tablets work.</span>' in own
    assert WITHHELD in own
    assert "n = 4" not in own
    assert "not asked" in own
