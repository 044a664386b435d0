"""The home page and language switcher in real Chromium, audited by axe-core."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

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
    page.locator('.language-switcher button[value="ar"]').click()
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


def test_sign_up_verify_and_sign_in(page: Any, site: str, mailoutbox: list[Any]) -> None:
    main = page.locator("main")
    page.goto(f"{site}/en/accounts/signup/")
    main.get_by_role("button", name="Create my account").click()
    # An empty form comes back with the errors announced, and stays accessible.
    assert page.locator(".error-summary").is_visible()
    assert axe_violations(page) == []
    assert mailoutbox == []

    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Name").fill("Nadia Teacher")
    page.locator("#id_password1").fill("ict-in-the-classroom-2026")
    page.get_by_label("Password again").fill("ict-in-the-classroom-2026")
    main.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    page.wait_for_url(f"{site}/en/accounts/signup/done/")
    assert axe_violations(page) == []

    # Not verified yet: signing in is refused with a way to get the link again.
    page.goto(f"{site}/en/accounts/login/")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password").fill("ict-in-the-classroom-2026")
    main.get_by_role("button", name="Sign in").click()
    assert main.get_by_role("heading", name="Send the link again").is_visible()
    assert axe_violations(page) == []

    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/verify/\S+", mailoutbox[0].body)
    assert link is not None
    page.goto(site + urlsplit(link.group(0)).path)
    assert axe_violations(page) == []

    page.goto(f"{site}/en/accounts/login/")
    assert axe_violations(page) == []
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_label("Password").fill("ict-in-the-classroom-2026")
    main.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/en/accounts/profile/")
    assert "Nadia Teacher" in main.inner_text()
    assert axe_violations(page) == []
