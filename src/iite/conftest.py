"""Fixtures shared by every app's tests."""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest

from iite.testing.browser import CHROMIUM_ARGS, chromium_path


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language. A request of an earlier test in another
    language leaves that language active in the thread (the locale middleware activates it and
    nothing resets it), so a message checked in English would otherwise depend on test order."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One real headless Chromium for the whole run (Debian's package, driven by Playwright)."""
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium package.")
        pytest.skip("Chromium is not installed: apt-get install chromium (browser tests skipped)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
    # live-server fixtures are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context and page (no cookies carried between tests)."""
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the reference data once into the test database; each test rolls back to it."""
    from iite.reference.services import reference_load

    with django_db_blocker.unblock():
        reference_load()


@pytest.fixture
def reference_data(django_db_blocker: Any) -> None:
    """The data a new installation has, for live-server tests (their transactions flush it all).

    That is the reference data and the rows the migrations write (the roles).
    """
    from django.apps import apps

    from iite.reference.models import Country
    from iite.reference.services import reference_load

    roles_migration = importlib.import_module("iite.accounts.migrations.0002_roles")
    with django_db_blocker.unblock():
        if not Country.objects.exists():
            reference_load()
        roles_migration.roles_create(apps, None)
