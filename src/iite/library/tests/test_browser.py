"""The case-study form, the review page and the resource page in real Chromium, in English and
Arabic, audited with axe; the form also works without JavaScript on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iite.library import workflow
from iite.library.models import Resource
from iite.library.tests.conftest import CASE, case_study, person
from iite.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(browser: Any, live_server: Any, user: Any, **options: Any) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("language", ["en", "ar"])
def test_a_member_writes_a_case_study_without_javascript_on_a_phone(
    browser: Any, live_server: Any, reference_data: None, language: str
) -> None:
    member = person()
    page = signed_in_page(
        browser,
        live_server,
        member,
        java_script_enabled=False,
        viewport={"width": 360, "height": 740},
        is_mobile=True,
    )
    page.goto(f"{live_server.url}/{language}/library/case-study/new/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    assert Resource.objects.count() == 0
    page.fill("#id_title", "Coding clubs in rural libraries")
    page.select_option("#id_language", "en")
    page.fill("#id_creators", "Haddad, Leila")
    page.fill("#id_context", CASE["context"])
    page.fill("#id_solution", CASE["solution"])
    page.fill("#id_results", CASE["results"])
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/files/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_url("**/library/r/*/")
    assert Resource.objects.get().status == "submitted"
    page.context.close()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_form_review_and_resource_pages_have_no_axe_violations(
    browser: Any, live_server: Any, reference_data: None, language: str
) -> None:
    editor = person("editor")
    reviewer = person("reviewer")
    member = person()
    resource = case_study(member, countries=["EG"], topics=["digital-skills"])
    workflow.resource_submit(resource=resource, by=member)
    workflow.review_assign(resource=resource, reviewer=reviewer, by=editor)

    page = signed_in_page(browser, live_server, member)
    page.goto(f"{live_server.url}/{language}/library/case-study/new/")
    assert axe_violations(page) == []
    page.locator("main form button[type=submit]").click()  # with errors shown
    assert axe_violations(page) == []
    page.context.close()

    page = signed_in_page(browser, live_server, reviewer)
    page.goto(f"{live_server.url}/{language}/library/r/{resource.uuid}/review/")
    assert axe_violations(page) == []
    for position, criterion in enumerate(
        ["innovation", "impact", "inclusion", "scalability", "sustainability"]
    ):
        page.check(f"#id_score_{criterion}_{position % 5}")
    page.fill("#id_comment", "Convincing; publish.")
    page.check("#id_recommendation_0")
    page.locator("form[action$='/review/review/'] button").click()
    page.wait_for_url("**/review/")
    assert resource.reviews.get().completed_at is not None
    page.context.close()

    page = signed_in_page(browser, live_server, editor)
    page.goto(f"{live_server.url}/{language}/library/r/{resource.uuid}/review/")
    assert axe_violations(page) == []
    page.locator("form[action$='/review/publish/'] button").click()
    page.wait_for_url("**/review/")
    page.goto(f"{live_server.url}/{language}/library/r/{resource.uuid}/")
    assert page.locator("h1").inner_text() == resource.title
    assert axe_violations(page) == []
    page.context.close()
