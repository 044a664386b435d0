"""The home page and language switcher in real Chromium, audited by axe-core."""

from __future__ import annotations

from typing import Any

import pytest

from iite.testing.browser import TransferLog, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_BUDGET_BYTES = 30 * 1024


@pytest.fixture
def site(live_server: Any, reference_data: None) -> str:
    return str(live_server.url)


def test_home_in_english_has_no_serious_accessibility_violations(page: Any, site: str) -> None:
    page.goto(f"{site}/en/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_home_in_arabic_is_right_to_left_and_accessible(page: Any, site: str) -> None:
    page.goto(f"{site}/ar/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    # Right to left really lays out: the brand sits at the right edge of the header.
    brand = page.locator(".brand").bounding_box()
    assert brand is not None
    assert brand["x"] > page.viewport_size["width"] / 2
    assert axe_violations(page) == []


def test_switching_language_keeps_the_page(page: Any, site: str) -> None:
    page.goto(f"{site}/en/reference/")
    page.get_by_role("button", name="Français").click()
    page.wait_for_url(f"{site}/fr/reference/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("button", name="العربية").click()
    page.wait_for_url(f"{site}/ar/reference/")
    assert page.locator("html").get_attribute("dir") == "rtl"


def test_language_switch_works_without_javascript(browser: Any, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/en/")
    page.get_by_role("button", name="Español").click()
    page.wait_for_url(f"{site}/es/")
    assert page.locator("html").get_attribute("lang") == "es"
    context.close()


def test_skip_link_moves_focus_to_main_content(page: Any, site: str) -> None:
    page.goto(f"{site}/en/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_home_fits_a_narrow_phone_screen(browser: Any, site: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{site}/ru/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert axe_violations(page) == []
    context.close()


def test_home_page_is_light(page: Any, site: str) -> None:
    log = TransferLog()
    page.on("response", log.record)
    page.goto(f"{site}/en/", wait_until="networkidle")
    assert any(url.endswith(".css") for url, _size in log.entries)
    assert log.total < PAGE_BUDGET_BYTES, log.entries
