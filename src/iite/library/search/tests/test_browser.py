"""The search page in real Chromium: axe in English and Arabic, and searching without JavaScript
on a phone (typing, ticking a facet, paging)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from iite.library.search.tests.factories import make_resource
from iite.reference.models import Country
from iite.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(reference_data: None) -> None:
    kenya, egypt = Country.objects.get(alpha2="KE"), Country.objects.get(alpha2="EG")
    for number in range(25):
        make_resource(
            title=f"Mobile learning study {number}",
            abstract="How teachers use mobile phones for learning in rural schools.",
            countries=[kenya] if number % 2 else [egypt],
            issued=date(2000 + number, 1, 1),
        )
    make_resource(
        title="التعلم بالهاتف المحمول في المدارس الريفية",
        abstract="كيف يستخدم المُعَلِّمون الهواتف المحمولة للتعلم.",
        language="ar",
        countries=[egypt],
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_search_page_has_no_accessibility_violations(
    page: Any, live_server: Any, library: None, language: str
) -> None:
    page.goto(f"{live_server.url}/{language}/library/?q=mobile")
    assert page.locator("ol.library-hits > li").count() == 20
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/{language}/library/?q=%D8%A7%D9%84%D9%85%D8%AD%D9%85%D9%88%D9%84")
    assert page.locator("ol.library-hits > li").count() == 1
    assert page.locator("ol.library-hits mark").count() >= 1
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 360, "height": 740})
    assert axe_violations(page) == []


def test_searching_and_filtering_without_javascript_on_a_phone(
    browser: Any, live_server: Any, library: None
) -> None:
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/en/library/")
    page.get_by_label("Search publications, case studies and resources").fill('mobile "rural (')
    page.locator("#library-search button[type=submit]").click()
    page.wait_for_load_state()
    assert "25 resources found" in page.locator("p.result-count").inner_text()
    # Results come before the filters on a phone.
    results_top = page.locator(".library-results").bounding_box()["y"]
    assert results_top < page.locator(".library-facets").bounding_box()["y"]
    page.get_by_label("Kenya (12)").check()
    page.locator(".library-facets button[type=submit]").click()
    page.wait_for_load_state()
    assert "12 resources found" in page.locator("p.result-count").inner_text()
    assert page.get_by_label("Kenya (12)").is_checked()
    page.get_by_role("link", name="Remove Country: Kenya").click()
    page.wait_for_load_state()
    assert "25 resources found" in page.locator("p.result-count").inner_text()
    page.get_by_role("link", name="Next page").click()
    page.wait_for_load_state()
    assert page.locator("ol.library-hits > li").count() == 5
    context.close()
