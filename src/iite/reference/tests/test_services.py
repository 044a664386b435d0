from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from iite.core.errors import ApplicationError
from iite.core.translation import missing_languages
from iite.reference.models import (
    ActionArea,
    Competency,
    Country,
    Framework,
    Language,
    Licence,
    Region,
    Term,
    Topic,
)
from iite.reference.services import reference_load
from iite.reference.tests.conftest import TRANSLATED_MODELS, snapshot

pytestmark = pytest.mark.django_db


def test_a_second_load_changes_nothing_and_keeps_ids():
    before = snapshot()
    summary = reference_load()
    assert summary.changed == 0
    assert all(count.unchanged == count.total > 0 for count in summary.counts.values())
    assert snapshot() == before


def test_a_changed_entry_is_updated_in_place(data_dir: Path):
    topic = Topic.objects.get(code="stem")
    path = data_dir / "topics.toml"
    path.write_text(path.read_text().replace('en = "STEM education"', 'en = "STEM"'))
    summary = reference_load(data_dir=data_dir)
    assert (summary.counts["topics"].updated, summary.counts["topics"].created) == (1, 0)
    assert summary.changed == 1
    refreshed = Topic.objects.get(code="stem")
    assert refreshed.pk == topic.pk
    assert refreshed.names["en"] == "STEM"


def test_counts_and_matrix():
    assert Country.objects.count() >= 249
    assert Language.objects.filter(is_un_language=True).count() == 6
    framework = Framework.objects.get(code="ict-cft", version="3")
    assert framework.licence.spdx_id == "CC-BY-SA-3.0-IGO"
    assert framework.dimensions.count() == 6
    assert framework.levels.count() == 3
    competencies = Competency.objects.filter(framework=framework)
    assert competencies.count() == 18
    assert {(c.dimension.code, c.level.code) for c in competencies} == {
        (d, lvl) for d in "123456" for lvl in ("KA", "KD", "KC")
    }
    assert competencies.get(code="6.KC").names["en"] == "Teacher as Innovator"
    assert ActionArea.objects.get(number=3).priorities.get().number == 2


def test_every_translated_row_has_all_six_languages():
    for model in TRANSLATED_MODELS:
        for row in model._default_manager.all():
            assert missing_languages(row.names) == [], (model.__name__, row.pk)
            if row.descriptions:
                assert missing_languages(row.descriptions) == [], (model.__name__, row.pk)
    for framework in Framework.objects.all():
        assert missing_languages(framework.attribution) == []


def _code(region: Region | None) -> str | None:
    return region.code if region else None


def test_countries_regions_and_codes():
    france = Country.objects.get(alpha2="FR")
    assert (france.alpha3, france.m49) == ("FRA", "250")
    assert (france.names["fr"], france.names["zh"]) == ("France", "法国")
    assert france.official_names["en"] == "French Republic"
    assert (_code(france.un_region), _code(france.un_subregion)) == ("150", "155")
    assert _code(france.unesco_region) == "europe-north-america"
    assert france.income_group == "high"
    kenya = Country.objects.get(alpha2="KE")
    assert (_code(kenya.un_subregion), _code(kenya.un_intermediate_region)) == ("202", "014")
    assert Region.objects.get(code="014").parent == kenya.un_subregion
    assert Region.objects.get(code="419").names["en"] == "Latin America and the Caribbean"
    assert Country.objects.filter(m49__regex=r"^\d{3}$").count() == Country.objects.count()


def test_languages_direction_from_cldr():
    assert set(Language.objects.filter(direction="rtl").values_list("code", flat=True)) >= {
        "ar",
        "fa",
        "he",
        "ur",
        "ps",
        "yi",
        "dv",
    }
    assert Language.objects.get(code="fr").names["ru"] == "французский"
    assert Language.objects.get(code="en").direction == "ltr"


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


BAD_DATA = {
    "missing language": (
        "isced.toml",
        'zh = "幼儿教育"\n',
        "",
        r"isced\.toml: level 0: names is missing languages: zh",
    ),
    "duplicate code": (
        "topics.toml",
        'code = "emis"',
        'code = "stem"',
        r"topics\.toml: topic stem: duplicate code",
    ),
    "unknown licence": (
        "frameworks/ict-cft-v3.toml",
        'licence = "CC-BY-SA-3.0-IGO"',
        'licence = "CC-BY-SA-9.0"',
        r"frameworks/ict-cft-v3\.toml: framework: unknown licence 'CC-BY-SA-9\.0'",
    ),
    "unknown parent": (
        "sdg4.toml",
        'target = "4.c"',
        'target = "4.z"',
        r"sdg4\.toml: indicator 4\.c\.1: unknown target '4\.z'",
    ),
    "unknown dimension": (
        "frameworks/ict-cft-v3.toml",
        'dimension = "6"\nlevel = "KC"',
        'dimension = "7"\nlevel = "KC"',
        r"competency 6\.KC: unknown dimension '7'",
    ),
    "unknown region": (
        "country_regions.csv",
        "FRA,150,155,,europe-north-america",
        "FRA,150,155,,europe",
        r"country_regions\.csv: line \d+ \(FRA\): unknown UNESCO region 'europe'",
    ),
    "malformed TOML": (
        "institute.toml",
        'code = "partnerships"',
        'code = "partnerships',
        r"institute\.toml: not valid TOML",
    ),
}


@pytest.mark.parametrize("case", BAD_DATA.values(), ids=BAD_DATA.keys())
def test_bad_data_is_refused_with_a_clear_message_and_changes_nothing(data_dir: Path, case):
    filename, old, new, message = case
    # A valid change elsewhere must not be written either.
    _break(data_dir / "licences.toml", 'en = "All rights reserved"', 'en = "Reserved"')
    _break(data_dir / filename, old, new)
    before = snapshot()
    with pytest.raises(ApplicationError) as caught:
        reference_load(data_dir=data_dir)
    assert re.search(message, caught.value.message), caught.value.message
    assert caught.value.code == "invalid_reference_data"
    assert snapshot() == before
    assert Licence.objects.get(spdx_id="LicenseRef-All-Rights-Reserved").name == (
        "All rights reserved"
    )


def test_every_problem_is_listed(data_dir: Path):
    _break(data_dir / "topics.toml", 'code = "emis"', 'code = "stem"')
    _break(data_dir / "isced.toml", 'zh = "幼儿教育"\n', "")
    with pytest.raises(ApplicationError) as caught:
        reference_load(data_dir=data_dir)
    assert len(caught.value.details) == 2
    assert "and 1 more problem" in caught.value.message


def _names(table: str, en: str) -> str:
    """A TOML table with a text in every language (the English one marked per language)."""
    lines = [f'{language} = "{en} ({language})"' for language in ("ar", "es", "fr", "ru", "zh")]
    return "\n".join([f"[{table}]", f'en = "{en}"', *lines]) + "\n"


SECOND_FRAMEWORK = "\n".join(
    [
        'code = "demo-comp"\nversion = "1.0"\nlicence = "CC-BY-4.0"',
        _names("names", "Demo framework"),
        _names("attribution", "© Example"),
        '[[dimension]]\ncode = "A"',
        _names("dimension.names", "Area A"),
        '[[level]]\ncode = "B1"',
        _names("level.names", "Beginner"),
        '[[level]]\ncode = "B2"',
        _names("level.names", "Advanced"),
        '[[competency]]\ncode = "A.1"\ndimension = "A"\nlevel = "B1"',
        _names("competency.names", "Competency one"),
    ]
)


def test_a_second_framework_needs_only_a_data_file(data_dir: Path):
    (data_dir / "frameworks" / "demo-comp-v1.toml").write_text(SECOND_FRAMEWORK)
    summary = reference_load(data_dir=data_dir)
    assert summary.counts["frameworks"].created == 1
    assert summary.counts["competencies"].created == 1
    demo = Framework.objects.get(code="demo-comp", version="1.0")
    assert demo.licence.spdx_id == "CC-BY-4.0"
    assert [level.code for level in demo.levels.order_by("order")] == ["B1", "B2"]
    assert Competency.objects.get(framework=demo).dimension.code == "A"
    assert Competency.objects.filter(framework__code="ict-cft").count() == 18


def test_terms_use_the_standard_tokens():
    tokens = set(
        Term.objects.filter(vocabulary__code="accessibility-feature").values_list("code", flat=True)
    )
    assert {"alternativeText", "captions", "MathML", "longDescription", "tableOfContents"} <= tokens
    hazards = Term.objects.filter(vocabulary__code="accessibility-hazard")
    assert hazards.filter(code="noFlashingHazard").exists()


def test_command_prints_the_summary(capsys):
    call_command("load_reference")
    out = capsys.readouterr().out
    assert "countries" in out
    assert "Everything was already up to date." in out


def test_command_fails_with_the_message_on_bad_data(data_dir: Path):
    _break(data_dir / "topics.toml", 'code = "emis"', 'code = "stem"')
    with pytest.raises(CommandError, match=r"topics\.toml: topic stem: duplicate code"):
        call_command("load_reference", data_dir=data_dir)
