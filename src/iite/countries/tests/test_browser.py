"""The countries pages in real Chromium: with scripts off they work (forms are plain GET and POST
forms), and with scripts on (for axe) they pass in English and in Arabic, right to left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from iite.accounts.models import User
from iite.countries import services
from iite.countries.models import Observation, PolicyRound, Release
from iite.countries.tests.conftest import UIS_HEADER, UN_DIR, person
from iite.reference.models import Country
from iite.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LANGUAGES = ("en", "ar")


@pytest.fixture
def indicators(reference_data: None) -> None:
    release = services.indicators_import(path=UN_DIR / "t4a1.csv", label="SDG 4.a.1 (2021)")
    assert release.status == Release.Status.DONE


def signed_in(browser: Any, live_server: Any, user: User, *, scripts: bool) -> Any:
    """A browser context with ``user``'s session, scripts on or off."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=scripts, locale="en-US")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


def check(page: Any, language: str) -> None:
    """One h1, the language's direction, and nothing serious for axe."""
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert axe_violations(page) == []


def test_profile_comparison_and_map_work_without_scripts(
    browser: Any, live_server: Any, indicators: None
) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/en/countries/RWA/")
    assert page.locator("section.series-block svg.line-chart").count() >= 1
    page.locator("#compare-series").select_option("SE_ACS_INTNT")
    page.locator("#peer-0").fill("UGA")
    page.locator("#peer-1").fill("ke")  # alpha-2, lower case
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state()
    assert "peers=UGA" in page.url
    header = page.locator("#compare ~ div.table-scroll thead").inner_text()
    assert "Uganda" in header
    assert "Kenya" in header
    assert "mean of countries with data" in header
    # An unknown peer code is said, not a crash.
    page.locator("#peer-2").fill("XXX")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state()
    assert page.get_by_role("alert").filter(has_text="XXX").count() == 1

    page.goto(f"{live_server.url}/en/countries/map/")
    page.locator("#map-series").select_option("SE_ACS_ELECT")
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    assert "series=SE_ACS_ELECT" in page.url
    rows = page.locator("table tbody tr").count()
    with_value = (
        Observation.objects.filter(series__code="SE_ACS_ELECT").values("country").distinct().count()
    )
    assert 0 < rows <= with_value
    assert page.locator("svg.world-map path").count() > 100
    context.close()


def test_profile_map_and_list_pass_axe_in_english_and_arabic(
    page: Any, live_server: Any, indicators: None
) -> None:
    for language in LANGUAGES:
        base = f"{live_server.url}/{language}/countries"
        page.goto(f"{base}/")
        check(page, language)
        page.goto(f"{base}/RWA/?series=SE_ACS_INTNT&peers=UGA&peers=KEN&since=1#compare")
        assert page.locator("svg.line-chart").count() >= 2
        check(page, language)
        page.goto(f"{base}/RWA/?peers=XXX")  # the error message, too
        check(page, language)
        page.goto(f"{base}/map/?series=SE_ACS_CMPTR")
        check(page, language)
    # On a phone the pages do not scroll sideways (wide tables scroll in their own box).
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("RWA/?peers=UGA&peers=KEN&peers=BDI", "map/", "RWA/policy/"):
        page.goto(f"{live_server.url}/ar/countries/{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, path


def test_the_upload_page_imports_and_lists_rejections_without_scripts(
    browser: Any, live_server: Any, reference_data: None, tmp_path: Path
) -> None:
    staff = person("editor")
    bad = tmp_path / "SDG_DATA_NATIONAL.csv"
    bad.write_text(
        UIS_HEADER + "SCHBSP.1.WINTERN ,KEN,2019,43.5,,\nSCHBSP.1.WCOMPUT ,KEN,2019,lots,,\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.csv"
    good.write_text(UIS_HEADER + "SCHBSP.1.WINTERN ,KEN,2019,62.5,,UIS_EST\n", encoding="utf-8")
    context = signed_in(browser, live_server, staff, scripts=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/countries/imports/")
    page.get_by_role("button", name="Import").click()  # no file: said, nothing queued
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    assert not Release.objects.exists()
    page.locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert "/countries/imports/" in page.url
    release = Release.objects.get()
    assert release.status == Release.Status.REFUSED
    assert page.locator("p[role=status]").inner_text().startswith("Refused")
    assert "lots" in page.locator("table code").first.inner_text()
    assert not Observation.objects.exists()
    page.goto(f"{live_server.url}/en/countries/imports/")
    page.locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert Observation.objects.filter(country__alpha3="KEN", value=62.5).count() == 1
    context.close()

    context = signed_in(browser, live_server, staff, scripts=True)
    page = context.new_page()
    for language in LANGUAGES:
        page.goto(f"{live_server.url}/{language}/countries/imports/")
        check(page, language)
        page.locator("main form[enctype] button[type=submit]").click()  # the error summary
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 1
        check(page, language)
        page.goto(f"{live_server.url}/{language}/countries/imports/{release.pk}/")
        check(page, language)
    context.close()


def test_a_focal_point_answers_submits_and_publishes_without_scripts(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    kenya = Country.objects.get(alpha2="KE")
    focal_point = person("focal-point", country=kenya)
    context = signed_in(browser, live_server, focal_point, scripts=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/countries/KEN/policy/")
    page.get_by_role("button", name="Start a new round").click()
    page.wait_for_load_state()
    round = PolicyRound.objects.get(country=kenya)
    assert page.url.endswith(f"/en/countries/KEN/policy/{round.pk}/")
    themes = page.locator("fieldset.theme")
    assert themes.count() == 8
    # One theme answered, then submitted: refused with the missing themes listed.
    themes.nth(0).locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary li").count() == 7
    assert themes.nth(0).locator("input[type=radio]").nth(2).is_checked()  # kept as posted
    for index in range(8):
        theme = themes.nth(index)
        theme.locator("input[type=radio]").nth(1).check()
        theme.locator("select[name$='-target']").select_option("established")
    themes.nth(1).locator("textarea").fill("A national broadband plan for schools, 2022-2027.")
    page.get_by_role("button", name="Save and submit").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Maturity profile").count() == 1
    assert "A national broadband plan" in page.locator("table").inner_text()
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Update").click()
    page.wait_for_load_state()
    round.refresh_from_db()
    assert round.visibility == PolicyRound.Visibility.PUBLISHED
    context.close()

    # Anyone may now read it; the form pages and the result pass axe in both languages.
    anonymous = browser.new_context(locale="en-US")
    page = anonymous.new_page()
    for language in LANGUAGES:
        page.goto(f"{live_server.url}/{language}/countries/KEN/policy/{round.pk}/")
        check(page, language)
        page.goto(f"{live_server.url}/{language}/countries/KEN/policy/")
        check(page, language)
    anonymous.close()
    second = services.policy_round_start(country=kenya, by=focal_point)
    context = signed_in(browser, live_server, focal_point, scripts=True)
    page = context.new_page()
    for language in LANGUAGES:
        page.goto(f"{live_server.url}/{language}/countries/KEN/policy/")
        check(page, language)
        page.goto(f"{live_server.url}/{language}/countries/KEN/policy/{second.pk}/")
        check(page, language)
        page.locator("button[name=submit]").click()  # nothing chosen: the error summary
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 1
        check(page, language)
    context.close()
