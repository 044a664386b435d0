"""Every page built so far, in English and Arabic, signed out and in: no serious axe violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iite.accounts.models import User
from iite.testing.browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/reference/",
    "/reference/countries/",
    "/reference/countries/KE/",
    "/reference/regions/",
    "/reference/languages/",
    "/reference/isced/",
    "/reference/sdg4/",
    "/reference/priorities/",
    "/reference/topics/",
    "/reference/licences/",
    "/reference/vocabularies/accessibility-feature/",
    "/reference/frameworks/",
    "/reference/frameworks/ict-cft/3/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/verify/resend/",
    "/no-such-page/",
]
MEMBER_PAGES = [
    "/accounts/profile/",
    "/accounts/profile/edit/",
    "/accounts/tokens/",
    "/accounts/password/change/",
    "/accounts/delete/",
]


def signed_in_context(browser: Any, live_server: Any) -> Any:
    user = User.objects.create_user("ayesha@example.org", "a-long-passphrase", email_verified=True)
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("language", ["en", "ar"])
def test_public_pages(page: Any, live_server: Any, reference_data: None, language: str) -> None:
    failures = {}
    for path in PUBLIC_PAGES:
        page.goto(f"{live_server.url}/{language}{path}")
        assert page.locator("h1").count() == 1, path
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    assert failures == {}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_member_pages(browser: Any, live_server: Any, reference_data: None, language: str) -> None:
    context = signed_in_context(browser, live_server)
    page = context.new_page()
    failures = {}
    for path in MEMBER_PAGES:
        response = page.goto(f"{live_server.url}/{language}{path}")
        assert response is not None
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    context.close()
    assert failures == {}


def test_the_audit_itself_finds_violations(page: Any) -> None:
    """Guard against an audit that passes everything: a broken page must fail it."""
    page.set_content(
        '<html><body><img src="data:,"><a href="/x"></a>'
        '<p style="color:#bbb;background:#fff">low contrast</p></body></html>'
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "link-name", "color-contrast"} <= found
