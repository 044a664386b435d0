"""Indicator imports with the real files: both formats, idempotence, changes, bad input."""

from __future__ import annotations

import gzip
import shutil

import pytest

from iite.countries import services
from iite.countries.models import Observation, ObservationChange, Rejection, Release
from iite.countries.tests.conftest import UIS_DIR, UN_DIR, uis_file

pytestmark = pytest.mark.django_db


def observations() -> list[tuple[object, ...]]:
    return list(
        Observation.objects.order_by("pk").values_list(
            "series__code",
            "country__alpha3",
            "year",
            "level",
            "sex",
            "skill",
            "value",
            "magnitude",
            "qualifier",
            "release_id",
        )
    )


def test_the_real_un_file_imports_and_a_second_import_changes_nothing():
    first = services.indicators_import(path=UN_DIR / "t4a1.csv")
    assert first.status == Release.Status.DONE, first.message
    assert first.source == Release.Source.UN_SDG
    assert first.rows_read == 13019
    assert first.rejected == 0
    assert first.skipped["aggregate"] > 0  # World, regions, LDCs …
    assert first.added == first.rows_read - first.skipped_total - first.duplicates
    assert first.added == Observation.objects.count()
    kenya = Observation.objects.get(series__code="SE_ACS_ELECT", country__alpha3="KEN")
    assert (kenya.year, kenya.level, kenya.value) == (2016, "PRIMAR", 82.62217)
    before = observations()

    second = services.indicators_import(path=UN_DIR / "t4a1.csv")
    assert second.status == Release.Status.UNCHANGED
    assert (second.added, second.changed) == (0, 0)
    assert second.unchanged == first.added
    assert observations() == before
    assert not ObservationChange.objects.filter(release=second).exists()


def test_every_real_un_extract_imports(tmp_path):
    for name in ("t441.csv", "t4c1.csv"):
        release = services.indicators_import(path=UN_DIR / name)
        assert release.status == Release.Status.DONE, (name, release.message)
        assert release.rejected == 0
    skills = Observation.objects.filter(series__code="SE_ADT_ACTS")
    assert set(skills.values_list("sex", flat=True)) == {"BOTHSEX", "FEMALE", "MALE"}
    assert skills.exclude(skill="").count() == skills.count()
    teachers = Observation.objects.filter(series__code="SE_TRA_GRDL")
    assert "PREPRI" in set(teachers.values_list("level", flat=True))
    # Nature "E" (estimated) is kept as the qualifier.
    assert teachers.filter(qualifier="E").exists()


def test_gzip_files_import_like_plain_ones(tmp_path):
    packed = tmp_path / "t441.csv.gz"
    with (UN_DIR / "t441.csv").open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    release = services.indicators_import(path=packed)
    assert release.status == Release.Status.DONE
    assert release.rows_read == 5929


def test_uis_bulk_rows_with_stray_spaces_magnitude_and_qualifier(tmp_path):
    path = uis_file(
        tmp_path,
        [
            "SCHBSP.1.WINTERN     ,KEN,2019,43.5,,NAT_EST",
            "SCHBSP.2T3.WCOMPUT     , KEN ,2019,61.25,LOWREL,",
            "TRTP.1.F,KEN,2018,97.1,,UIS_EST",
            "TRTP.1.GPIA,KEN,2018,1.01,,",
            "ICTSKILLCOPI.M,FRA,2019,55,,",
            "ICTSKILLCOPI,FRA,2019,,SUPP,",
            "SCHBSP.1.WELEC,FRA,2019,0,NIL,",
            "QUTP.1,KEN,2019,80,,",
            "SCHBSP.1.WINTERN,ANT,2010,12,,",
        ],
    )
    release = services.indicators_import(path=path)
    assert release.status == Release.Status.DONE, list(release.rejections.values_list("reason"))
    assert release.source == Release.Source.UIS_BULK
    assert release.added == 6
    assert release.skipped == {"parity": 1, "untracked": 1, "aggregate": 1}
    internet = Observation.objects.get(series__code="SE_ACS_INTNT", country__alpha3="KEN")
    assert (internet.level, internet.value, internet.qualifier) == ("PRIMAR", 43.5, "NAT_EST")
    computers = Observation.objects.get(series__code="SE_ACS_CMPTR", country__alpha3="KEN")
    assert (computers.level, computers.magnitude) == ("SECOND", "LOWREL")
    teachers = Observation.objects.get(series__code="SE_TRA_GRDL")
    assert (teachers.level, teachers.sex, teachers.qualifier) == ("PRIMAR", "FEMALE", "UIS_EST")
    copy_male = Observation.objects.get(series__code="SE_ADT_ACTS", sex="MALE")
    assert (copy_male.skill, copy_male.value) == ("CMFL", 55.0)
    suppressed = Observation.objects.get(series__code="SE_ADT_ACTS", sex="BOTHSEX")
    assert (suppressed.value, suppressed.magnitude) == (None, "SUPP")


def test_a_new_release_records_what_changed(tmp_path):
    first = services.indicators_import(
        path=uis_file(
            tmp_path, ["SCHBSP.1.WINTERN,KEN,2019,40,,", "SCHBSP.1.WINTERN,KEN,2020,41,,"]
        )
    )
    second = services.indicators_import(
        path=uis_file(
            tmp_path,
            [
                "SCHBSP.1.WINTERN,KEN,2019,40,,",
                "SCHBSP.1.WINTERN,KEN,2020,45,,UIS_EST",
                "SCHBSP.1.WINTERN,KEN,2021,47,,",
            ],
            name="next.csv",
        )
    )
    assert (second.added, second.changed, second.unchanged) == (1, 1, 1)
    change = ObservationChange.objects.get(release=second, kind="changed")
    assert (change.old_value, change.new_value) == (41.0, 45.0)
    assert (change.old_qualifier, change.new_qualifier) == ("", "UIS_EST")
    assert change.observation.value == 45.0
    assert change.observation.release == second
    assert ObservationChange.objects.filter(release=first, kind="added").count() == 2


def test_identical_duplicates_count_once(tmp_path):
    release = services.indicators_import(
        path=uis_file(tmp_path, ["TRTP.1,KEN,2019,90,,", "TRTP.1 ,KEN,2019,90,,"])
    )
    assert (release.status, release.added, release.duplicates) == ("done", 1, 1)


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        (["TRTP.1,KEN,2019,90,,", "TRTP.1,KEN,2019,91,,"], "Conflicts with line 4"),
        (["TRTP.1,KEN,2019,ninety,,"], "is not a number"),
        (["TRTP.1,XXX,2019,90,,"], "Unknown country or area code “XXX”"),
        (["NOT.AN.INDICATOR,KEN,2019,90,,"], "Unknown indicator code"),
        (["TRTP.1,KEN,19,90,,"], "is not a year"),
        (["TRTP.1,KEN,2019,,,"], "The value is missing"),
        (["TRTP.1,KEN,2019,90,HUGE,"], "Unknown MAGNITUDE"),
        (["TRTP.1,KEN,2019,90,,MAYBE"], "Unknown QUALIFIER"),
        (["TRTP.1,KEN,2019,90,,,extra", "TRTP.2,KEN,2019,90,,"], "Wrong number of fields"),
    ],
)
def test_bad_rows_are_listed_and_nothing_is_imported(tmp_path, rows, reason):
    good = ["SCHBSP.1.WINTERN,KEN,2019,40,,", "SCHBSP.1.WINTERN,KEN,2020,41,,"]
    release = services.indicators_import(path=uis_file(tmp_path, good + rows))
    assert release.status == Release.Status.REFUSED
    assert release.rejected >= 1
    reasons = list(Rejection.objects.filter(release=release).values_list("reason", flat=True))
    assert any(reason in text for text in reasons), reasons
    first = Rejection.objects.filter(release=release).first()
    assert first is not None
    assert first.line > 1
    assert Observation.objects.count() == 0
    assert release.added == 0


def test_bad_rows_leave_earlier_data_untouched(tmp_path):
    services.indicators_import(path=uis_file(tmp_path, ["TRTP.1,KEN,2019,90,,"]))
    before = observations()
    release = services.indicators_import(
        path=uis_file(tmp_path, ["TRTP.1,KEN,2019,10,,", "TRTP.1,KEN,2020,x,,"], name="b.csv")
    )
    assert release.status == Release.Status.REFUSED
    assert observations() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"name,age\nAda,36\n", "not an indicator file in a known format"),
        (b"\xff\xfe\x00b\x00a\x00d", "not"),
        (
            b"INDICATOR_ID,COUNTRY_ID,YEAR,VALUE,MAGNITUDE,QUALIFIER\nTRTP.1,KEN,2019,90,,\nTRTP.1,KE",
            "truncated",
        ),
        (
            b'INDICATOR_ID,COUNTRY_ID,YEAR,VALUE,MAGNITUDE,QUALIFIER\nTRTP.1,KEN,2019,"90',
            "cut off",
        ),
    ],
)
def test_files_of_the_wrong_shape_are_refused_whole(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    release = services.indicators_import(path=path)
    assert release.status == Release.Status.REFUSED
    assert message in release.message
    assert Observation.objects.count() == 0


def test_a_truncated_real_file_is_refused(tmp_path):
    content = (UN_DIR / "t441.csv").read_bytes()
    path = tmp_path / "t441-cut.csv"
    path.write_bytes(content[: len(content) // 2])
    release = services.indicators_import(path=path)
    assert release.status == Release.Status.REFUSED
    assert Observation.objects.count() == 0


def test_the_uis_metadata_files_are_refused_as_the_wrong_shape():
    release = services.indicators_import(path=UIS_DIR / "SDG_LABEL.csv")
    assert release.status == Release.Status.REFUSED
    assert "INDICATOR_ID, COUNTRY_ID" in release.message
