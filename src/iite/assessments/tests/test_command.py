"""``iite load-instrument``: loads files, and fails clearly on a bad one."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from iite.assessments.models import Instrument
from iite.assessments.tests.conftest import SCHOOL_FILE, TEACHER_FILE


@pytest.mark.django_db
def test_load_instrument_loads_every_file_given():
    out = StringIO()
    call_command("load_instrument", str(TEACHER_FILE), str(SCHOOL_FILE), stdout=out)
    assert "Loaded test-teacher version 1." in out.getvalue()
    assert Instrument.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_file_gives_a_clear_message_and_fails(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(SCHOOL_FILE.read_text(encoding="utf-8").replace("version = 1", "version = 0"))
    with pytest.raises(CommandError, match=r"bad.toml: version: version must be a whole number"):
        call_command("load_instrument", str(bad), stdout=StringIO())
    assert Instrument.objects.count() == 0
