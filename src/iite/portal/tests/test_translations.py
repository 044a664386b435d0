"""Every interface string is translated into the five other UN languages, and nothing is stale."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

PACKAGE_DIR = Path(settings.PACKAGE_DIR)
LOCALE_DIR = PACKAGE_DIR / "locale"
LOCALES = ["ar", "es", "fr", "ru", "zh_Hans"]
MESSAGES_IGNORE = ["testing/*", "*/tests/*"]  # the same as `make messages`


def catalog(locale_dir: Path, locale: str) -> Any:
    with (locale_dir / locale / "LC_MESSAGES" / "django.po").open("rb") as po_file:
        return read_po(po_file, locale=locale)


def untranslated(locale_dir: Path, locale: str) -> list[str]:
    missing = []
    for message in catalog(locale_dir, locale):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    assert untranslated(LOCALE_DIR, locale) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_their_placeholders(locale: str) -> None:
    """Babel's checkers: the same %(name)s placeholders in source and translation."""
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalog(LOCALE_DIR, locale).check()
    ]
    assert problems == []


def test_catalogues_hold_every_string_in_the_code(tmp_path: Path, settings: Any) -> None:
    """Extract messages afresh into a copy; every message found must already be translated."""
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing; .ci/run installs Debian's gettext package.")
        pytest.skip("xgettext is not installed (apt-get install gettext)")
    copy = tmp_path / "iite"
    shutil.copytree(
        PACKAGE_DIR,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static", "data", "*.js"),
    )
    settings.LOCALE_PATHS = [copy / "locale"]
    cwd = Path.cwd()
    os.chdir(copy)
    try:
        call_command(
            "makemessages",
            locale=LOCALES,
            verbosity=0,
            no_obsolete=True,
            ignore_patterns=MESSAGES_IGNORE,
        )
    finally:
        os.chdir(cwd)
    for locale in LOCALES:
        assert untranslated(copy / "locale", locale) == [], locale
