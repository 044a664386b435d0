"""The campaign staff pages in real Chromium, in English and Arabic: axe finds nothing serious."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iite.accounts.tests.factories import make_organisation
from iite.assessments import services
from iite.assessments.tests.conftest import person
from iite.assessments.tests.test_group_reports import SCHOOL, answer, open_campaign
from iite.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_and_campaign_form_are_accessible_in_english_and_arabic(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    instruments = {item.code: item for item in services.instruments_load_packaged()}
    school = make_organisation(name="Escuela digital", kind="school")
    coordinator = person("school-coordinator", organisation=school)
    campaign = open_campaign(instruments[SCHOOL], organisation=school, by=coordinator)
    answer(campaign, "leader", 5, 5)
    answer(campaign, "teacher", 6, 3)
    answer(campaign, "student", 3, 2)  # withheld, and the smallest other group with it
    client = Client()
    client.force_login(coordinator)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    for language in ("en", "ar"):
        base = f"{live_server.url}/{language}/assessments/campaigns"
        page.goto(f"{base}/{campaign.pk}/report/")
        assert page.locator("h1").count() == 1
        assert page.locator("table.heat-map tbody tr").count() == 9
        assert axe_violations(page) == []
        page.goto(f"{base}/")
        assert axe_violations(page) == []
        page.goto(f"{base}/new/?instrument={SCHOOL}")
        assert axe_violations(page) == []
        page.locator("#id_closes_on").fill("2000-01-01")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 1
        assert axe_violations(page) == []
        page.goto(f"{base}/{campaign.pk}/action-plan/")
        assert axe_violations(page) == []
    assert page.locator("html").get_attribute("dir") == "rtl"
    context.close()


def test_own_questions_are_added_and_answered_without_javascript(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    """With scripts off, the coordinator adds a question on the campaign page and a teacher
    answers it on the extra last page; with scripts on (for axe), both pages pass in English and
    Arabic."""
    instruments = {item.code: item for item in services.instruments_load_packaged()}
    school = make_organisation(name="Escuela digital", kind="school")
    coordinator = person("school-coordinator", organisation=school)
    campaign = open_campaign(instruments[SCHOOL], organisation=school, by=coordinator)
    client = Client()
    client.force_login(coordinator)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    staff_page = f"{live_server.url}/{{language}}/assessments/campaigns/{campaign.pk}/"

    no_script = browser.new_context(java_script_enabled=False)
    no_script.add_cookies([{**cookie, "url": live_server.url}])
    page = no_script.new_page()
    page.goto(staff_page.format(language="en"))
    page.get_by_role("textbox", name="Question").fill("Our tablets work in every classroom.")
    page.get_by_role("button", name="Add the question").click()
    page.wait_for_load_state()
    assert page.get_by_text("Our tablets work in every classroom.").count() == 1
    no_script.clear_cookies()
    page.goto(f"{live_server.url}/en/assessments/c/{campaign.join_code}/")
    page.locator("#group-teacher").check()
    page.get_by_role("button", name="Start answering").click()
    page.wait_for_load_state()
    response = campaign.responses.get()
    own_page = f"{live_server.url}/{{language}}/assessments/r/{response.pk}/own/"
    page.goto(own_page.format(language="en"))
    assert page.get_by_text("Our tablets work in every classroom.").count() == 1
    page.get_by_label("Agree", exact=True).check()
    page.get_by_role("button", name="Save and review").click()
    page.wait_for_load_state()
    assert response.own_answers.get().value == 4
    respondent_cookies = no_script.cookies()
    no_script.close()

    checked = browser.new_context()
    page = checked.new_page()
    for language in ("en", "ar"):
        checked.clear_cookies()
        checked.add_cookies([{**cookie, "url": live_server.url}])
        page.goto(staff_page.format(language=language))
        assert axe_violations(page) == []
        checked.clear_cookies()
        checked.add_cookies(respondent_cookies)
        page.goto(own_page.format(language=language))
        assert page.locator("input[type=radio]:checked").count() == 1
        assert axe_violations(page) == []
    assert page.locator("html").get_attribute("dir") == "rtl"
    checked.close()
