"""Reading instrument files: good ones load, idempotently; every kind of bad one is refused."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from iite.assessments import services
from iite.assessments.definition import definition_from_data, definition_parse
from iite.assessments.models import Instrument, Item, Section
from iite.assessments.tests.conftest import (
    SCHOOL_FILE,
    TEACHER_FILE,
    document,
    fake_lookup,
)
from iite.core.errors import ApplicationError


def problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(ApplicationError) as caught:
        definition_parse(doc, source="test.toml", lookup=fake_lookup)
    assert caught.value.code == "invalid_instrument"
    return [f"{d['field']}: {d['message']}" for d in caught.value.details]


def values_of(definition: Any, code: str, attribute: str = "values") -> Any:
    item = definition.item(code)
    assert item is not None
    return getattr(item, attribute)() if attribute == "values" else getattr(item, attribute)


def test_the_test_files_are_valid():
    teacher = definition_parse(document(TEACHER_FILE), source="t", lookup=fake_lookup)
    assert teacher.code == "test-teacher"
    assert teacher.targets == ("1.KA", "1.KD", "1.KC", "3.KA", "3.KD")
    assert values_of(teacher, "1.KC.1") == (0, 1, 2)
    assert teacher.rollup is not None
    school = definition_parse(document(SCHOOL_FILE), source="s", lookup=fake_lookup)
    assert school.anonymous
    assert school.targets == ("leadership", "infrastructure")
    assert values_of(school, "C1", "target") == ""
    assert values_of(school, "L1") == (1, 2, 3, 4, 5)
    assert values_of(school, "I1") == (0, 1)


def test_a_definition_survives_storage_without_the_database():
    teacher = definition_parse(document(TEACHER_FILE), source="t", lookup=fake_lookup)
    assert definition_from_data(teacher.to_data()) == teacher


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["names"].pop("ar"), "names is missing languages: ar"),
        (lambda d: d.update(version=0), "version must be a whole number"),
        (lambda d: d.update(version="1"), "version must be a whole number"),
        (lambda d: d.update(colour="red"), "unknown key “colour”"),
        (lambda d: d["groups"].append(dict(d["groups"][0])), "group teacher: duplicate code"),
        (
            lambda d: d["sections"][1]["items"].append(copy.deepcopy(d["sections"][0]["items"][0])),
            "item 1.KA.1: duplicate code",
        ),
        (lambda d: d["sections"][0]["items"][0].update(scale="nope"), "unknown scale “nope”"),
        (lambda d: d["sections"][0]["items"][0].update(groups=["pupil"]), "unknown group “pupil”"),
        (
            lambda d: d["sections"][0]["items"][0].update(target="9.ZZ"),
            "target “9.ZZ” is not a competency of the framework",
        ),
        (lambda d: d["sections"][0]["items"][0]["statements"].pop(0), "values 0, 1, … n-1"),
        (lambda d: d["sections"][0]["items"][0]["text"].pop("zh"), "text is missing languages: zh"),
        (lambda d: d["scoring"]["levels"].reverse(), "must rise strictly"),
        (lambda d: d["scoring"]["levels"][0].update(min=0.1), "starts at min = 0"),
        (lambda d: d["scoring"]["levels"][1].update(min=1.5), "min must be a number from 0 to 1"),
        (lambda d: d["scoring"].update(rollup={"kind": "average"}), "rollup kind"),
        (
            lambda d: d.update(framework={"code": "ict-cft", "version": "9"}),
            "there is no framework “ict-cft” version “9”",
        ),
        (lambda d: d.update(areas=[]), "either a framework or [[areas]]"),
        (lambda d: d.pop("scoring"), "a [scoring] table with levels is required"),
    ],
)
def test_each_kind_of_bad_framework_file_is_refused(change, expected):
    doc = document(TEACHER_FILE)
    change(doc)
    found = problems(doc)
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["sections"][0]["items"][0].update(target="finance"),
            "target “finance” is not an area code",
        ),
        (lambda d: d["scales"][0]["points"].pop(), "values 1, 2, 3, 4, 5"),
        (lambda d: d["scales"][0].update(kind="slider"), "kind must be one of"),
        (lambda d: d["scales"][0].update(not_applicable="yes"), "not_applicable must be true"),
        (lambda d: d["scales"][1].update(points=[]), "only an agreement scale lists points"),
        (lambda d: d["areas"][1].update(code="leadership"), "area leadership: duplicate code"),
        (
            lambda d: d["scoring"].update(rollup={"kind": "progressive", "mastery": 0.5}),
            "a roll-up needs a framework",
        ),
        (lambda d: d.update(groups=[]), "at least one respondent group"),
    ],
)
def test_each_kind_of_bad_area_file_is_refused(change, expected):
    doc = document(SCHOOL_FILE)
    change(doc)
    found = problems(doc)
    assert any(expected in problem for problem in found), found


def test_every_problem_is_reported_at_once():
    doc = document(TEACHER_FILE)
    doc["names"].pop("ar")
    doc["sections"][0]["items"][0]["scale"] = "nope"
    doc["scoring"]["levels"].reverse()
    assert len(problems(doc)) >= 3


# --- Loading into the database -------------------------------------------------------------------
def counts() -> tuple[int, int, int]:
    return Instrument.objects.count(), Section.objects.count(), Item.objects.count()


@pytest.mark.django_db
def test_loading_writes_the_instrument_its_sections_and_items():
    instrument = services.instrument_load(path=TEACHER_FILE)
    assert (instrument.code, instrument.version, instrument.anonymous) == ("test-teacher", 1, False)
    assert instrument.framework is not None
    assert instrument.framework.code == "ict-cft"
    assert list(instrument.sections.values_list("code", flat=True)) == ["policy", "pedagogy"]
    item = instrument.items.get(code="3.KD.1")
    assert item.competency is not None
    assert item.competency.code == "3.KD"
    assert (item.scale_kind, item.groups, item.required) == ("statements", ["teacher"], False)
    assert len(instrument.file_sha256) == 64


@pytest.mark.django_db
def test_loading_the_same_file_twice_changes_nothing(tmp_path: Path):
    first = services.instrument_load(path=SCHOOL_FILE)
    before = counts()
    assert services.instrument_load(path=SCHOOL_FILE) == first
    # The same content with other comments is the same instrument.
    copy_path = tmp_path / "school.toml"
    copy_path.write_text("# another comment\n" + SCHOOL_FILE.read_text(encoding="utf-8"))
    assert services.instrument_load(path=copy_path) == first
    assert counts() == before


@pytest.mark.django_db
def test_a_changed_file_with_the_same_version_is_refused(tmp_path: Path):
    services.instrument_load(path=SCHOOL_FILE)
    before = counts()
    changed = tmp_path / "school.toml"
    changed.write_text(
        SCHOOL_FILE.read_text(encoding="utf-8").replace("Question L1", "Question L-one")
    )
    with pytest.raises(ApplicationError) as caught:
        services.instrument_load(path=changed)
    assert caught.value.code == "instrument_changed"
    assert "new version" in caught.value.message
    assert counts() == before
    # With a new version number it loads beside the old one.
    changed.write_text(changed.read_text(encoding="utf-8").replace("version = 1", "version = 2"))
    assert services.instrument_load(path=changed).version == 2
    assert Instrument.objects.filter(code="test-school").count() == 2


@pytest.mark.django_db
def test_a_bad_file_changes_nothing(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        TEACHER_FILE.read_text(encoding="utf-8").replace('target = "3.KD"', 'target = "X"')
    )
    with pytest.raises(ApplicationError) as caught:
        services.instrument_load(path=bad)
    assert "bad.toml: item 3.KD.1" in caught.value.details[0]["field"]
    not_toml = tmp_path / "broken.toml"
    not_toml.write_text("code = ")
    with pytest.raises(ApplicationError, match="not valid TOML"):
        services.instrument_load(path=not_toml)
    with pytest.raises(ApplicationError, match="cannot be read"):
        services.instrument_load(path=tmp_path / "missing.toml")
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_packaged_instruments_load_from_a_folder(tmp_path: Path):
    assert services.instruments_load_packaged(tmp_path) == []
    (tmp_path / "a.toml").write_text(SCHOOL_FILE.read_text(encoding="utf-8"))
    (tmp_path / "b.toml").write_text(TEACHER_FILE.read_text(encoding="utf-8"))
    loaded = services.instruments_load_packaged(tmp_path)
    assert [instrument.code for instrument in loaded] == ["test-school", "test-teacher"]
    # And the folder shipped with the platform loads too (it may still be empty).
    services.instruments_load_packaged()
