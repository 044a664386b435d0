"""The answering pages as respondents meet them: start, answer, resume, submit, read the report."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from iite.accounts.tests.factories import make_organisation
from iite.assessments import services
from iite.assessments.models import Answer, Campaign, Instrument, Response, Result
from iite.assessments.tests.conftest import person

pytestmark = pytest.mark.django_db

BASE = "/en/assessments"


@pytest.fixture
def packaged(db) -> dict[str, Instrument]:
    return {instrument.code: instrument for instrument in services.instruments_load_packaged()}


@pytest.fixture
def teacher_client(packaged) -> Client:
    client = Client()
    client.force_login(person())
    return client


def fields_of(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="(item-[^"]+)"', html)))


def answer_all(client: Client, url: str, value: str = "2") -> str:
    """Answer every page with ``value`` and return the review page's URL."""
    while "/review/" not in url:
        page = client.get(url)
        assert page.status_code == 200, url
        response = client.post(url, dict.fromkeys(fields_of(page.content.decode()), value))
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
    return url


def submit(client: Client, review_url: str) -> tuple[str, str]:
    html = client.get(review_url).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', html)
    action = re.search(r'action="([^"]+/submit/)"', html)
    assert key, html
    assert action, html
    return action.group(1), key.group(1)


def start_self(client: Client) -> str:
    response = client.post(f"{BASE}/self/ict-cft-teacher/")
    assert response.status_code == 302
    return response["Location"]


def test_index_lists_the_instruments(client: Client, packaged) -> None:
    html = client.get(f"{BASE}/").content.decode()
    assert "ICT Competency Self-Assessment for Teachers" in html
    assert "Sign in to assess yourself" in html


def test_a_teacher_assesses_themself_and_reads_the_report(teacher_client: Client) -> None:
    first = start_self(teacher_client)
    assert first.endswith("/aspect-1/")
    review = answer_all(teacher_client, first)
    action, key = submit(teacher_client, review)
    done = teacher_client.post(action, {"submission_key": key})
    again = teacher_client.post(action, {"submission_key": key})  # the same form posted twice
    assert done["Location"] == again["Location"]
    assert Result.objects.count() == 1
    html = teacher_client.get(done["Location"]).content.decode()
    assert html.count('<span class="badge" dir="ltr">') == 18  # the 18-cell matrix
    assert "What to develop next" in html
    assert "CC BY-SA 3.0 IGO" in html


def test_an_answer_outside_the_scale_is_refused_and_nothing_is_saved(
    teacher_client: Client,
) -> None:
    first = start_self(teacher_client)
    fields = fields_of(teacher_client.get(first).content.decode())
    data = dict.fromkeys(fields, "1")
    data[fields[0]] = "7"
    response = teacher_client.post(first, data)
    assert response.status_code == 400
    assert "Choose one of the answers offered." in response.content.decode()
    assert Answer.objects.count() == 0


def test_missing_required_answers_block_submission(teacher_client: Client) -> None:
    first = start_self(teacher_client)
    fields = fields_of(teacher_client.get(first).content.decode())
    teacher_client.post(first, {fields[0]: "1"})
    review_url = first.rsplit("/", 2)[0] + "/review/"
    html = teacher_client.get(review_url).content.decode()
    assert "required questions still need an answer" in html
    found = re.search(r"/r/(\d+)/", first)
    assert found
    response_id = int(found.group(1))
    teacher_client.post(f"{BASE}/r/{response_id}/submit/", {"submission_key": str(response_id)})
    assert not Response.objects.get(pk=response_id).is_submitted


def test_nobody_else_can_open_my_answers(teacher_client: Client, packaged) -> None:
    first = start_self(teacher_client)
    stranger = Client()
    stranger.force_login(person())
    assert stranger.get(first).status_code == 404
    assert Client().get(first).status_code == 404


@pytest.fixture
def school_campaign(packaged) -> Campaign:
    school = make_organisation(name="Lycée numérique", kind="school")
    coordinator = person("school-coordinator", organisation=school)
    return services.campaign_open(
        instrument=packaged["school-digital-readiness"],
        scope=Campaign.Scope.ORGANISATION,
        organisation=school,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=30),
        by=coordinator,
    )


def test_a_student_answers_anonymously_and_resumes_elsewhere(school_campaign: Campaign) -> None:
    browser = Client()
    joined = browser.get(f"{BASE}/join/", {"code": school_campaign.join_code.lower()})
    campaign_url = joined["Location"]
    started = browser.post(campaign_url, {"group": "student"})
    html = started.content.decode()
    code = re.search(r'<p class="token" lang="en" dir="ltr"><strong>([^<]+)</strong>', html)
    assert code, html
    response = Response.objects.get()
    assert response.respondent is None
    assert response.group == "student"

    forged = Client().post(campaign_url + "resume/", {"resume_code": "ABCD-EFGH-JKMN"})
    assert forged.status_code == 400
    assert "This resume code is not valid" in forged.content.decode()

    other_device = Client()
    resumed = other_device.post(campaign_url + "resume/", {"resume_code": code.group(1)})
    assert resumed.status_code == 302
    review = answer_all(other_device, resumed["Location"], value="4")
    action, key = submit(other_device, review)
    assert other_device.post(action, {"submission_key": key}).status_code == 302
    assert Response.objects.get().is_submitted
    after = Client().post(campaign_url + "resume/", {"resume_code": code.group(1)})
    assert after.status_code == 400


def test_student_pages_ask_only_student_questions(school_campaign: Campaign) -> None:
    browser = Client()
    browser.post(f"{BASE}/c/{school_campaign.join_code}/", {"group": "student"})
    response = Response.objects.get()
    html = browser.get(f"{BASE}/r/{response.pk}/leadership-strategy/").content.decode()
    assert fields_of(html) == ["item-leadership-strategy.6", "item-leadership-strategy.7"]


def test_an_unknown_campaign_code_says_so(client: Client, packaged) -> None:
    html = client.get(f"{BASE}/join/", {"code": "NOPE1234"}).content.decode()
    assert "There is no campaign with the code" in html


def test_a_closed_campaign_takes_no_answers(school_campaign: Campaign) -> None:
    coordinator = school_campaign.created_by
    assert coordinator is not None
    services.campaign_close(campaign=school_campaign, by=coordinator)
    browser = Client()
    html = browser.get(f"{BASE}/c/{school_campaign.join_code}/").content.decode()
    assert "This campaign is closed" in html
    refused = browser.post(f"{BASE}/c/{school_campaign.join_code}/", {"group": "teacher"})
    assert refused.status_code == 400
    assert Response.objects.count() == 0


def test_answer_page_query_count(teacher_client: Client, django_assert_max_num_queries) -> None:
    first = start_self(teacher_client)
    with django_assert_max_num_queries(10):
        assert teacher_client.get(first).status_code == 200


def test_the_report_downloads_as_pdf(teacher_client: Client) -> None:
    review = answer_all(teacher_client, start_self(teacher_client))
    action, key = submit(teacher_client, review)
    result_url = teacher_client.post(action, {"submission_key": key})["Location"]
    response = teacher_client.get(result_url.replace("/result/", "/result.pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Client().get(result_url.replace("/result/", "/result.pdf")).status_code == 404
