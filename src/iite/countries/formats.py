"""The two indicator file formats, read row by row into one shape, with a reason for every row
left out. No database here: codes are resolved by the importer (``importing``).

- UN SDG Global Database CSV: ``SeriesCode``, ``GeoAreaCode`` (M49), ``TimePeriod``, ``Value``,
  ``Nature`` and a column per disaggregation (``Education level``, ``Sex``, ``Type of skill``).
- UIS bulk download CSV: ``INDICATOR_ID, COUNTRY_ID, YEAR, VALUE, MAGNITUDE, QUALIFIER`` with
  ISO 3166-1 alpha-3 codes; the indicator id carries the disaggregation (``SCHBSP.1.WINTERN``,
  ``TRTP.2T3.F``, ``ICTSKILLCOPI.M``) and may have stray spaces.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATA_DIR = Path(__file__).resolve().parent / "data"
SERIES_FILE = DATA_DIR / "series.toml"
YEAR_MIN, YEAR_MAX = 1970, 2100
UIS_COLUMNS = ("INDICATOR_ID", "COUNTRY_ID", "YEAR", "VALUE", "MAGNITUDE", "QUALIFIER")
UN_REQUIRED = ("SeriesCode", "GeoAreaCode", "TimePeriod", "Value")
UN_DIMENSION_COLUMNS = {"level": "Education level", "sex": "Sex", "skill": "Type of skill"}
UN_INDICATORS = ("4.4.1", "4.a.1", "4.c.1")

# Disaggregation values, as the UN SDG database codes them; labels are interface text.
LEVELS: dict[str, Promise] = {
    "PREPRI": gettext_lazy("Pre-primary"),
    "PRIMAR": gettext_lazy("Primary"),
    "LOWSEC": gettext_lazy("Lower secondary"),
    "UPPSEC": gettext_lazy("Upper secondary"),
    "SECOND": gettext_lazy("Secondary"),
}
SEXES: dict[str, Promise] = {
    "BOTHSEX": gettext_lazy("Both sexes"),
    "FEMALE": gettext_lazy("Female"),
    "MALE": gettext_lazy("Male"),
}
SKILLS: dict[str, Promise] = {
    "CMFL": gettext_lazy("Copying or moving a file or folder"),
    "COPA": gettext_lazy("Using copy and paste within a document"),
    "EMAIL": gettext_lazy("Sending e-mails with attached files"),
    "ARSP": gettext_lazy("Using basic arithmetic formulae in a spreadsheet"),
    "INST": gettext_lazy("Connecting and installing new devices"),
    "SOFT": gettext_lazy("Finding, downloading, installing and configuring software"),
    "EPRS": gettext_lazy("Creating electronic presentations"),
    "TRAF": gettext_lazy("Transferring files between a computer and other devices"),
    "PCPR": gettext_lazy("Writing a computer program"),
}
DIMENSION_VALUES: dict[str, dict[str, Promise]] = {"level": LEVELS, "sex": SEXES, "skill": SKILLS}
DIMENSION_NAMES: dict[str, Promise] = {
    "level": gettext_lazy("Education level"),
    "sex": gettext_lazy("Sex"),
    "skill": gettext_lazy("Type of skill"),
}
MAGNITUDES: dict[str, Promise] = {
    "NIL": gettext_lazy("Nil"),
    "NA": gettext_lazy("Not applicable"),
    "SUPP": gettext_lazy("Suppressed at the country's request"),
    "LOWREL": gettext_lazy("Low reliability"),
    "INCLUDED": gettext_lazy("Included in another figure"),
    "INCLUDES": gettext_lazy("Includes another figure"),
}
BLANK_MAGNITUDES = frozenset({"SUPP", "INCLUDED"})  # the value is blank
QUALIFIERS: dict[str, Promise] = {
    "NAT_EST": gettext_lazy("National estimate"),
    "UIS_EST": gettext_lazy("UIS estimate"),
    # The UN SDG database's "Nature" codes.
    "C": gettext_lazy("Country data"),
    "CA": gettext_lazy("Country data, adjusted"),
    "E": gettext_lazy("Estimated"),
    "M": gettext_lazy("Modelled"),
    "N": gettext_lazy("Not relevant"),
}
# Why rows are skipped (read, valid, but outside what the platform keeps): counted, not listed.
SKIP_REASONS: dict[str, Promise] = {
    "aggregate": gettext_lazy("Regional or group aggregate, or an area without a country profile"),
    "untracked": gettext_lazy("Indicator the platform does not track"),
    "parity": gettext_lazy("Parity index (computed, not imported)"),
}

_UIS_LEVELS = {"02": "PREPRI", "1": "PRIMAR", "2": "LOWSEC", "2T3": "SECOND", "3": "UPPSEC"}
_UIS_SEXES = {"": "BOTHSEX", ".F": "FEMALE", ".M": "MALE"}
_UIS_SKILLS = {
    "ATTACH": "EMAIL",
    "CONNEC": "INST",
    "COPI": "CMFL",
    "CREAT": "EPRS",
    "DUPLIC": "COPA",
    "FORMULA": "ARSP",
    "PROGLANG": "PCPR",
    "SOFTWARE": "SOFT",
    "TRANSFERFILE": "TRAF",
}
_UIS_SCHOOL = re.compile(r"^SCHBSP\.(02|1|2|2T3|3)\.([A-Z]+)$")
_UIS_TEACHERS = re.compile(r"^TRTP\.(02|1|2|2T3|3)(\.F|\.M|\.GPIA)?$")
_UIS_SKILL = re.compile(r"^ICTSKILL([A-Z]+?)(\.F|\.M|\.GPIA)?$")
_ISO3 = re.compile(r"[A-Z]{3}")
_MEMO_MAX = 10_000  # distinct indicator ids remembered while reading (a release has ~1,500)


class FileRefused(Exception):
    """The file as a whole cannot be imported (wrong shape, truncated, not text)."""


@dataclass(frozen=True, slots=True)
class Row:
    """One accepted row, in the codes both formats share."""

    line: int
    series: str
    area: str  # M49 (three digits) or ISO alpha-3, as ``area_kind`` says
    year: int
    level: str
    sex: str
    skill: str
    value: float | None
    magnitude: str
    qualifier: str


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str
    content: str
    short_row: bool = False  # fewer fields than the header (on the last line: truncation)


@dataclass(frozen=True, slots=True)
class Skipped:
    line: int
    reason: str  # a key of SKIP_REASONS


Parsed = Row | Rejected | Skipped


@dataclass(frozen=True)
class SeriesSpec:
    code: str
    indicator: str
    dimensions: tuple[str, ...]
    uis: str
    names: dict[str, str]
    order: int


@cache
def series_specs() -> tuple[SeriesSpec, ...]:
    """The series the platform imports, from ``data/series.toml``."""
    with SERIES_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(
        SeriesSpec(
            code=entry["code"],
            indicator=entry["indicator"],
            dimensions=tuple(entry["dimensions"]),
            uis=entry["uis"],
            names=dict(entry["names"]),
            order=order,
        )
        for order, entry in enumerate(data["series"], start=1)
    )


@cache
def _uis_school_series() -> dict[str, str]:
    """UIS suffix of school-service ids (``WINTERN``) -> series code."""
    found = {}
    for spec in series_specs():
        if spec.uis.startswith("SCHBSP."):
            found[spec.uis.rsplit(".", 1)[1]] = spec.code
    return found


@cache
def uis_known_ids() -> frozenset[str]:
    """Every indicator id of the UIS SDG 4 release (shipped label list), trimmed."""
    with (DATA_DIR / "uis" / "SDG_LABEL.csv").open(encoding="utf-8-sig", newline="") as handle:
        return frozenset(row["INDICATOR_ID"].strip() for row in csv.DictReader(handle))


@cache
def uis_known_areas() -> frozenset[str]:
    """Every country id of the UIS release (some, like ANT, have no profile here)."""
    with (DATA_DIR / "uis" / "SDG_COUNTRY.csv").open(encoding="utf-8-sig", newline="") as handle:
        return frozenset(row["COUNTRY_ID"].strip() for row in csv.DictReader(handle))


@cache
def un_areas_not_profiled() -> frozenset[str]:
    """M49 codes of the UN database's regions, groups and areas without a country profile."""
    path = DATA_DIR / "un-areas-not-profiled.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return frozenset(row["code"].strip().zfill(3) for row in csv.DictReader(handle))


def uis_indicator(indicator_id: str) -> tuple[str, str, str, str] | str:
    """``(series, level, sex, skill)`` of a UIS indicator id, or a skip reason, or ``""`` when
    the id is unknown."""
    code = indicator_id.strip().upper()
    if match := _UIS_SCHOOL.match(code):
        series = _uis_school_series().get(match.group(2))
        if series is not None:
            return series, _UIS_LEVELS[match.group(1)], "", ""
    elif match := _UIS_TEACHERS.match(code):
        if match.group(2) == ".GPIA":
            return "parity"
        return "SE_TRA_GRDL", _UIS_LEVELS[match.group(1)], _UIS_SEXES[match.group(2) or ""], ""
    elif (match := _UIS_SKILL.match(code)) and match.group(1) in _UIS_SKILLS:
        if match.group(2) == ".GPIA":
            return "parity"
        sex = _UIS_SEXES[match.group(2) or ""]
        return "SE_ADT_ACTS", "", sex, _UIS_SKILLS[match.group(1)]
    return "untracked" if code in uis_known_ids() else ""


# --- Reading -------------------------------------------------------------------------------------
class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read from it, for a progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self.raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


def open_text(raw: IO[bytes]) -> tuple[IO[str], CountingReader]:
    """A text stream over a CSV (gzip-compressed or not), and the counter of raw bytes read."""
    counter = CountingReader(raw)
    buffered = io.BufferedReader(counter, buffer_size=1 << 16)
    source: IO[bytes] = buffered
    if buffered.peek(2)[:2] == b"\x1f\x8b":
        source = gzip.GzipFile(fileobj=buffered)  # type: ignore[assignment]
    return io.TextIOWrapper(source, encoding="utf-8-sig", newline=""), counter


def _clip(fields: list[str]) -> str:
    return ",".join(fields)[:300]


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _year(text: str) -> int | None:
    text = text.strip()
    if not text.isdigit():
        return None
    year = int(text)
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def detect(header: list[str]) -> str:
    """``"uis-bulk"`` or ``"un-sdg"`` from a header row; ``FileRefused`` for anything else."""
    names = [name.strip() for name in header]
    if tuple(name.upper() for name in names) == UIS_COLUMNS:
        return "uis-bulk"
    if all(column in names for column in UN_REQUIRED):
        return "un-sdg"
    raise FileRefused(
        _(
            "This is not an indicator file in a known format. A UIS bulk file has the columns "
            "%(uis)s; a UN SDG Global Database file has at least %(un)s. Found: %(found)s."
        )
        % {
            "uis": ", ".join(UIS_COLUMNS),
            "un": ", ".join(UN_REQUIRED),
            "found": ", ".join(names)[:200] or _("an empty first line"),
        }
    )


def read_rows(stream: IO[str]) -> tuple[str, Iterator[Parsed]]:
    """The format of a CSV stream and its rows, parsed one at a time (memory stays flat).

    Raises ``FileRefused`` at once for a header of neither format, and while iterating for a
    file that is not UTF-8 text or that ends in the middle of a row.
    """
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as error:
        raise FileRefused(_("The file is not a readable UTF-8 CSV file.")) from error
    if header is None:
        raise FileRefused(_("The file is empty."))
    source = detect(header)
    rows = _uis_rows(reader) if source == "uis-bulk" else _un_rows(reader, header)
    return source, _guarded(rows, reader)


def _guarded(rows: Iterator[Parsed], reader: Any) -> Iterator[Parsed]:
    """Turn broken CSV into ``FileRefused`` with the line, and a short last row into truncation."""
    pending: Parsed | None = None
    try:
        for parsed in rows:
            if pending is not None:
                yield pending
            pending = parsed
    except csv.Error as error:
        raise FileRefused(
            _("The file is cut off or malformed at line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("The file is not UTF-8 text (at line %(line)d).") % {"line": reader.line_num + 1}
        ) from error
    except (EOFError, OSError) as error:  # a gzip file cut short
        raise FileRefused(_("The compressed file is cut off: %(error)s") % {"error": error}) from (
            error
        )
    if isinstance(pending, Rejected) and pending.short_row:
        raise FileRefused(
            _(
                "The file ends in the middle of a row (line %(line)d has fewer fields than the "
                "header): it looks truncated. Nothing was imported."
            )
            % {"line": pending.line}
        )
    if pending is not None:
        yield pending


def _wrong_width(line: int, fields: list[str], width: int) -> Rejected:
    return Rejected(
        line,
        _("Wrong number of fields: expected %(expected)d, found %(found)d.")
        % {"expected": width, "found": len(fields)},
        _clip(fields),
        short_row=len(fields) < width,
    )


def _uis_rows(reader: Any) -> Iterator[Parsed]:
    # The same few hundred indicator ids repeat on every line: resolve each once (bounded, so
    # a file of made-up ids cannot grow memory).
    indicators: dict[str, tuple[str, str, str, str] | str] = {}
    for fields in reader:
        line = reader.line_num
        if not fields or fields == [""]:
            continue
        if len(fields) != len(UIS_COLUMNS):
            yield _wrong_width(line, fields, len(UIS_COLUMNS))
            continue
        indicator_id, country_id, year_text, value_text, magnitude, qualifier = fields
        found = indicators.get(indicator_id)
        if found is None:
            found = uis_indicator(indicator_id)
            if len(indicators) < _MEMO_MAX:
                indicators[indicator_id] = found
        if found == "":
            yield Rejected(
                line,
                _("Unknown indicator code “%(code)s”.") % {"code": indicator_id.strip()},
                _clip(fields),
            )
            continue
        if isinstance(found, str):
            yield Skipped(line, found)
            continue
        series, level, sex, skill = found
        area = country_id.strip().upper()
        if not _ISO3.fullmatch(area):
            yield Rejected(
                line, _("Unknown country code “%(code)s”.") % {"code": area}, _clip(fields)
            )
            continue
        parsed = _value_and_flags(line, fields, year_text, value_text, magnitude, qualifier)
        if isinstance(parsed, Rejected):
            yield parsed
            continue
        year, value, magnitude, qualifier = parsed
        yield Row(line, series, area, year, level, sex, skill, value, magnitude, qualifier)


def _value_and_flags(
    line: int,
    fields: list[str],
    year_text: str,
    value_text: str,
    magnitude: str,
    qualifier: str,
) -> tuple[int, float | None, str, str] | Rejected:
    year = _year(year_text)
    if year is None:
        return Rejected(
            line,
            _("The year “%(year)s” is not a year between %(min)d and %(max)d.")
            % {"year": year_text.strip(), "min": YEAR_MIN, "max": YEAR_MAX},
            _clip(fields),
        )
    magnitude = magnitude.strip().upper()
    qualifier = qualifier.strip().upper()
    if magnitude and magnitude not in MAGNITUDES:
        return Rejected(
            line,
            _("Unknown MAGNITUDE code “%(code)s”.") % {"code": magnitude},
            _clip(fields),
        )
    if qualifier and qualifier not in QUALIFIERS:
        return Rejected(
            line,
            _("Unknown QUALIFIER code “%(code)s”.") % {"code": qualifier},
            _clip(fields),
        )
    value_text = value_text.strip()
    value: float | None = None
    if not value_text:
        if magnitude not in BLANK_MAGNITUDES:
            return Rejected(line, _("The value is missing."), _clip(fields))
    else:
        try:
            value = _number(value_text)
        except ValueError:
            return Rejected(
                line,
                _("The value “%(value)s” is not a number.") % {"value": value_text[:40]},
                _clip(fields),
            )
    return year, value, magnitude, qualifier


def _un_rows(reader: Any, header: list[str]) -> Iterator[Parsed]:
    names = [name.strip() for name in header]
    index = {name: position for position, name in enumerate(names)}
    width = len(names)
    specs = {spec.code: spec for spec in series_specs()}
    not_profiled = un_areas_not_profiled()
    indicator_at = index.get("Indicator")
    nature_at = index.get("Nature")
    dimension_at = {
        dimension: index.get(column) for dimension, column in UN_DIMENSION_COLUMNS.items()
    }
    for fields in reader:
        line = reader.line_num
        if not fields or fields == [""]:
            continue
        if len(fields) != width:
            yield _wrong_width(line, fields, width)
            continue
        series = fields[index["SeriesCode"]].strip()
        spec = specs.get(series)
        if spec is None:
            indicator = fields[indicator_at].strip() if indicator_at is not None else ""
            if indicator and indicator not in UN_INDICATORS:
                yield Skipped(line, "untracked")
            else:
                yield Rejected(
                    line,
                    _("Unknown series code “%(code)s”.") % {"code": series},
                    _clip(fields),
                )
            continue
        area_text = fields[index["GeoAreaCode"]].strip()
        if not area_text.isdigit() or len(area_text) > 3:
            yield Rejected(
                line, _("Unknown area code “%(code)s”.") % {"code": area_text}, _clip(fields)
            )
            continue
        area = area_text.zfill(3)
        if area in not_profiled:
            yield Skipped(line, "aggregate")
            continue
        codes = {"level": "", "sex": "", "skill": ""}
        problem = ""
        for dimension in spec.dimensions:
            position = dimension_at[dimension]
            value = fields[position].strip().upper() if position is not None else ""
            if value not in DIMENSION_VALUES[dimension]:
                problem = _("Unknown or missing %(dimension)s “%(value)s”.") % {
                    "dimension": str(DIMENSION_NAMES[dimension]).lower(),
                    "value": value,
                }
                break
            codes[dimension] = value
        if problem:
            yield Rejected(line, problem, _clip(fields))
            continue
        nature = fields[nature_at].strip().upper() if nature_at is not None else ""
        parsed = _value_and_flags(
            line, fields, fields[index["TimePeriod"]], fields[index["Value"]], "", nature
        )
        if isinstance(parsed, Rejected):
            yield parsed
            continue
        year, value_number, magnitude, qualifier = parsed
        yield Row(
            line,
            series,
            area,
            year,
            codes["level"],
            codes["sex"],
            codes["skill"],
            value_number,
            magnitude,
            qualifier,
        )
