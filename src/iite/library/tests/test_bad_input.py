"""Open-ended input never raises anything but a clear refusal: metadata, files, CSV."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iite.core.errors import ApplicationError
from iite.library import csv_exchange, files, metadata
from iite.library.models import Resource
from iite.library.tests.conftest import person


def outcome(call, *args, **kwargs):
    """What a call returned, or the refusal it raised (any other exception fails the test)."""
    try:
        return call(*args, **kwargs), None
    except ApplicationError as refused:
        return None, refused


FIELDS = ["title", "language", "isbn", "doi", "url", "issued", "licence", "countries", "keywords"]


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=60), max_size=len(FIELDS)))
def test_any_text_in_any_field_is_cleaned_or_refused(values):
    cleaned, refused = outcome(metadata.clean, {"kind": "oer", **values}, creating=True)
    if refused is not None:
        assert refused.details
        assert all(detail["rule"] for detail in refused.details)
    else:
        assert cleaned.scalars["title"]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_are_recognised_or_refused(data):
    detected, refused = outcome(files.detect, data)
    if refused is not None:
        assert refused.code == "file_invalid"
    else:
        assert detected[0] in files.EXTENSIONS


@settings(max_examples=30, deadline=None)
@given(
    prefix=st.sampled_from(
        [b"%PDF-1.7\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"RIFF\0\0\0\0WEBP"]
    ),
    tail=st.binary(max_size=300),
)
def test_damaged_files_with_real_signatures_are_refused(prefix, tail):
    with pytest.raises(ApplicationError):
        files.detect(prefix + tail)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_csv_text_imports_or_is_refused_without_writing(text):
    editor = person("editor")
    created, refused = outcome(
        csv_exchange.resources_import, by=editor, upload=io.BytesIO(text.encode())
    )
    if refused is not None:
        assert Resource.objects.count() == 0
    else:
        assert Resource.objects.count() == len(created)
