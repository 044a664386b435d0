"""Learning and verifying in real Chromium, with JavaScript off: axe finds nothing serious."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iite.learning.models import Credential
from iite.learning.tests.conftest import make_path, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(browser: Any, live_server: Any, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_a_learner_completes_a_path_and_a_visitor_verifies_the_badge(
    browser: Any, live_server: Any, reference_data: None, settings: Any
) -> None:
    from iite.accounts import services as accounts_services

    editor = member()
    accounts_services.role_grant(user=editor, role="editor", by=None)
    path = make_path(editor, completion="all_steps")
    learner = member(name="Amina Learner")
    page = signed_in(browser, live_server, learner)

    page.goto(f"{live_server.url}/en/learning/")
    assert axe_violations_clean(page)
    page.goto(f"{live_server.url}/ar/learning/paths/{path.slug}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert axe_violations_clean(page)
    page.locator("form[action$='/enrol/'] button").click()
    page.wait_for_url("**/steps/1/")
    assert axe_violations_clean(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/steps/2/")
    page.fill("#text", "How my school uses its ICT plan.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/steps/3/")
    assert axe_violations_clean(page)
    page.locator("#q0-1").check()
    page.locator("#q1-0").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # The path's editor accepts the activity (their pages are tested in test_views).
    from iite.learning import services
    from iite.learning.models import StepProgress

    waiting = StepProgress.objects.get(status="submitted")
    services.submission_review(progress=waiting, accept=True, by=editor)
    credential = Credential.objects.get()

    page.goto(f"{live_server.url}/en/learning/me/")
    assert "Understanding ICT in education policy" in page.content()
    assert axe_violations_clean(page)

    page.context.close()
    visitor = browser.new_context(java_script_enabled=False).new_page()
    visitor.goto(f"{live_server.url}/en/learning/credentials/{credential.public_id}/")
    assert "The signature is valid." in visitor.content()
    assert axe_violations_clean(visitor)
    visitor.goto(f"{live_server.url}/fr/learning/verify/")
    visitor.fill("#credential", credential.document.replace("Understanding", "Overstanding"))
    visitor.locator("main form button[type=submit]").click()
    visitor.wait_for_load_state()
    assert "Not valid" in visitor.content() or "Non valide" in visitor.content()
    assert axe_violations_clean(visitor)
    visitor.context.close()


def axe_violations_clean(page: Any) -> bool:
    """Run axe in a copy of the page with JavaScript on (the page itself is served without)."""
    from iite.testing.browser import axe_violations

    html = page.content()
    url = page.url
    checker = page.context.browser.new_context().new_page()
    try:
        checker.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
        checker.goto(url)
        found = axe_violations(checker)
    finally:
        checker.context.close()
    assert found == [], found
    return True


def test_an_author_writes_arranges_and_publishes_a_path_without_javascript(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    from iite.accounts import services as accounts_services
    from iite.learning.models import Path

    editor = member(name="Elena Editor")
    accounts_services.role_grant(user=editor, role="editor", by=None)
    page = signed_in(browser, live_server, editor)

    page.goto(f"{live_server.url}/en/learning/")
    with page.expect_navigation():
        page.get_by_role("link", name="Manage learning paths").click()
    with page.expect_navigation():
        page.get_by_role("link", name="New path").click()
    page.fill("#id_title", "Teaching with open resources")
    page.fill("#id_summary", "Find, adapt and share open educational resources.")
    page.select_option("#id_language", "en")
    page.check("#id_competencies_0")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith("/en/learning/manage/paths/teaching-with-open-resources/")

    for kind, fields in (
        ("activity", {"#id_title": "Adapt a resource", "#id_instructions": "Adapt one."}),
        ("external", {"#id_title": "Watch the course", "#id_url": "https://example.org/oer"}),
    ):
        with page.expect_navigation():
            page.locator(f"a[href$='/steps/new/{kind}/']").click()
        for selector, value in fields.items():
            page.fill(selector, value)
        with page.expect_navigation():
            page.locator("main form[method=post] button[type=submit]").click()
        assert "The step is added at the end of the path." in page.content()

    with page.expect_navigation():
        page.locator("li", has_text="Watch the course").locator("button[value=up]").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    assert "Published: learners can find it and enrol." in page.content()

    path = Path.objects.get(slug="teaching-with-open-resources")
    assert path.status == "published"
    assert list(path.steps.order_by("order").values_list("order", "title")) == [
        (1, "Watch the course"),
        (2, "Adapt a resource"),
    ]
    assert axe_violations_clean(page)
    for language in ("en", "ar"):
        page.goto(f"{live_server.url}/{language}/learning/manage/paths/{path.slug}/edit/")
        assert page.locator("html").get_attribute("lang") == language
        assert axe_violations_clean(page)
    # The form with its problems shown is checked too.
    page.fill("#id_title", "")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary").count() == 1
    assert axe_violations_clean(page)
    page.context.close()
