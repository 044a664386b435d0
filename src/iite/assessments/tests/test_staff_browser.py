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
