"""Answering in real Chromium: keyboard and screen-reader structure, no JavaScript, Arabic, axe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from iite.accounts.tests.factories import make_organisation
from iite.assessments import services
from iite.assessments.models import Campaign, Result
from iite.assessments.tests.conftest import person
from iite.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def instruments(reference_data: None) -> dict[str, Any]:
    return {instrument.code: instrument for instrument in services.instruments_load_packaged()}


def choose_everywhere(page: Any, position: int) -> None:
    """Pick the ``position``-th choice of every question on the page (by keyboard-free click)."""
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input[type=radio]").nth(position).check()


def test_a_teacher_answers_in_arabic_and_gets_an_accessible_report(
    browser: Any, live_server: Any, instruments: dict[str, Any]
) -> None:
    teacher = person()
    client = Client()
    client.force_login(teacher)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/ar/assessments/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe_violations(page) == []
    page.locator("form[action$='/self/ict-cft-teacher/'] button").click()
    page.wait_for_url("**/aspect-1/")
    assert axe_violations(page) == []

    # Submitting a page with a question unanswered is fine; the review page counts what's missing.
    page.locator("form button[name=next]").click()
    page.wait_for_url("**/aspect-2/")
    for _ in range(5):
        choose_everywhere(page, 2)
        page.locator("form button[name=next]").click()
        page.wait_for_load_state()
    assert "/review/" in page.url
    assert axe_violations(page) == []
    page.locator("table a").first.click()
    page.wait_for_url("**/aspect-1/")
    choose_everywhere(page, 3)
    page.locator("form button[name=next]").click()
    page.goto(page.url.rsplit("/", 2)[0] + "/review/")
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_url("**/result/")
    assert Result.objects.count() == 1
    assert page.locator("table.matrix tbody tr").count() == 6
    assert axe_violations(page) == []
    context.close()


def test_a_student_answers_without_javascript_on_a_phone(
    browser: Any, live_server: Any, instruments: dict[str, Any]
) -> None:
    school = make_organisation(name="Escuela digital", kind="school")
    campaign = services.campaign_open(
        instrument=instruments["school-digital-readiness"],
        scope=Campaign.Scope.ORGANISATION,
        organisation=school,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=7),
        by=person("school-coordinator", organisation=school),
    )
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/es/assessments/join/?code={campaign.join_code}")
    page.locator("#group-student").check()
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".token strong").inner_text().strip()
    page.locator("a.button").click()
    page.wait_for_url("**/leadership-strategy/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    # (axe needs JavaScript; the first test audits these pages with it on.)
    choose_everywhere(page, 4)
    page.locator("form button[name=next]").click()
    page.wait_for_url("**/collaboration-networking/")
    page.locator("form button[name=back]").click()
    page.wait_for_url("**/leadership-strategy/")
    assert page.locator("input[type=radio]:checked").count() == 2
    context.close()
