"""The harvest pages in real Chromium, in English and Arabic: axe finds nothing serious."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iite.library.models import HarvestSource
from iite.library.oai.models import HarvestRun
from iite.library.oai.tests.test_pages import person
from iite.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_harvest_pages_are_accessible_in_english_and_arabic(
    browser: Any, live_server: Any, reference_data: None
) -> None:
    source = HarvestSource.objects.create(name="Erasmus", base_url="https://example.org/oai")
    run = HarvestRun.objects.create(
        source=source,
        status=HarvestRun.Status.PARTIAL,
        created=3,
        skipped=1,
        errors=[{"identifier": "oai:x:1", "message": "The record has no title."}],
    )
    client = Client()
    client.force_login(person("editor"))
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    for language in ("en", "ar"):
        base = f"{live_server.url}/{language}/library/harvest"
        for path in (
            "/",
            f"/{source.pk}/",
            f"/{source.pk}/edit/",
            f"/runs/{run.pk}/",
            f"/{source.pk}/delete/",
        ):
            page.goto(f"{base}{path}")
            assert page.locator("h1").count() == 1
            assert axe_violations(page) == [], path
        page.goto(f"{base}/new/")
        page.locator("#id_base_url").fill("ftp://nowhere")
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 1
        assert axe_violations(page) == []
    assert page.locator("html").get_attribute("dir") == "rtl"
    context.close()
