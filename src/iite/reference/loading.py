"""Read and validate the reference data files into rows ready to write (no database access).

Every problem found is collected with the file and entry it is in, so one run reports them all.
Countries and languages take their codes from pycountry and their names from Babel (CLDR); the
hand-written vocabularies are TOML files and the country regions a generated CSV (data/README.md).
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from babel import Locale, UnknownLocaleError

from iite.core.errors import ApplicationError
from iite.core.translation import DATA_LANGUAGES

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "data"
# Babel locale for each data language (CLDR's Chinese in simplified script).
BABEL_LOCALES = {"ar": "ar", "en": "en", "es": "es", "fr": "fr", "ru": "ru", "zh": "zh_Hans"}
UN_LANGUAGES = frozenset(DATA_LANGUAGES)
UN_TIERS = ("un_region", "un_subregion", "un_intermediate_region")
TIER_KINDS = {
    "un_region": "un-region",
    "un_subregion": "un-subregion",
    "un_intermediate_region": "un-intermediate",
}
INCOME_GROUPS = frozenset({"high", "upper-middle", "lower-middle", "low"})


@dataclass
class Row:
    """One row to write: its own field values and its references to other rows by natural key."""

    fields: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)


@dataclass
class FrameworkPlan:
    """A competency framework with its dimensions, levels and competencies."""

    row: Row
    dimensions: list[Row]
    levels: list[Row]
    competencies: list[Row]


@dataclass
class VocabularyPlan:
    """A controlled vocabulary and its terms."""

    row: Row
    terms: list[Row]


@dataclass
class Plan:
    """Everything the loader will write, already validated."""

    licences: list[Row]
    regions: list[Row]  # parents before children
    countries: list[Row]
    languages: list[Row]
    isced_levels: list[Row]
    sdg_targets: list[Row]
    sdg_indicators: list[Row]
    priorities: list[Row]
    action_areas: list[Row]
    topics: list[Row]
    vocabularies: list[VocabularyPlan]
    frameworks: list[FrameworkPlan]


class Problems:
    """The problems found so far, each naming its file, entry and what is wrong."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.items: list[dict[str, str]] = []

    def add(self, path: Path | str, entry: str, message: str) -> None:
        name = str(path.relative_to(self.data_dir)) if isinstance(path, Path) else path
        self.items.append({"field": f"{name}: {entry}" if entry else name, "message": message})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        more = len(self.items) - 1
        message = f"Reference data is invalid: {first['field']}: {first['message']}"
        if more:
            message += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise ApplicationError(message, code="invalid_reference_data", details=self.items)


class Reader:
    """Reads the files of one data directory, recording every problem rather than the first."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.problems = Problems(data_dir)

    # --- files ------------------------------------------------------------------------------
    def toml(self, path: Path) -> dict[str, Any]:
        try:
            with path.open("rb") as handle:
                return tomllib.load(handle)
        except FileNotFoundError:
            self.problems.add(path, "", "the file is missing")
        except tomllib.TOMLDecodeError as error:
            self.problems.add(path, "", f"not valid TOML ({error})")
        except UnicodeDecodeError:
            self.problems.add(path, "", "not UTF-8 text")
        return {}

    def csv_rows(self, path: Path) -> list[dict[str, str]]:
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                return list(csv.DictReader(handle))
        except FileNotFoundError:
            self.problems.add(path, "", "the file is missing")
        return []

    # --- values -----------------------------------------------------------------------------
    def entries(self, path: Path, document: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        value = document.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problems.add(path, key, f"expected a list of [[{key}]] tables")
            return []
        return value

    def text(
        self, path: Path, entry: str, item: Mapping[str, Any], key: str, *, required: bool = True
    ) -> str:
        value = item.get(key)
        if value is None or value == "":
            if required:
                self.problems.add(path, entry, f"{key} is missing")
            return ""
        if not isinstance(value, str):
            self.problems.add(path, entry, f"{key} must be a string, not {value!r}")
            return ""
        return value.strip()

    def translated(
        self, path: Path, entry: str, item: Mapping[str, Any], key: str, *, required: bool = True
    ) -> dict[str, str]:
        """A table of text in the six data languages; all six are required if any is given."""
        value = item.get(key)
        if value is None:
            if required:
                self.problems.add(
                    path, entry, f"{key} is missing (it needs ar, en, es, fr, ru, zh)"
                )
            return {}
        if not isinstance(value, dict):
            self.problems.add(path, entry, f"{key} must be a table of languages")
            return {}
        unknown = sorted(set(value) - set(DATA_LANGUAGES))
        if unknown:
            self.problems.add(path, entry, f"{key} has unknown languages: {', '.join(unknown)}")
        texts = {
            code: value[code].strip()
            for code in DATA_LANGUAGES
            if isinstance(value.get(code), str) and value[code].strip()
        }
        missing = [code for code in DATA_LANGUAGES if code not in texts]
        if missing:
            self.problems.add(path, entry, f"{key} is missing languages: {', '.join(missing)}")
        return texts

    def unique(self, path: Path, kind: str, codes: Iterable[Any]) -> None:
        seen: set[Any] = set()
        for code in codes:
            if code in seen:
                self.problems.add(path, f"{kind} {code}", "duplicate code")
            seen.add(code)

    # --- kinds ------------------------------------------------------------------------------
    def licences(self) -> list[Row]:
        path = self.data_dir / "licences.toml"
        rows = []
        for order, item in enumerate(self.entries(path, self.toml(path), "licence"), start=1):
            spdx_id = self.text(path, f"licence #{order}", item, "spdx_id")
            entry = f"licence {spdx_id or order}"
            is_open = item.get("is_open", True)
            if not isinstance(is_open, bool):
                self.problems.add(path, entry, "is_open must be true or false")
            fields = {
                "spdx_id": spdx_id,
                "url": self.text(path, entry, item, "url", required=False),
                "is_open": bool(is_open),
                "order": order,
                "names": self.translated(path, entry, item, "names"),
                "descriptions": self.translated(path, entry, item, "descriptions", required=False),
            }
            rows.append(Row(fields))
        self.unique(path, "licence", (row.fields["spdx_id"] for row in rows))
        return rows

    def coded(
        self, path: Path, document: Mapping[str, Any], key: str, *, with_descriptions: bool = False
    ) -> list[Row]:
        """Entries with a code, names and (optionally required) descriptions, ordered as written."""
        rows = []
        for order, item in enumerate(self.entries(path, document, key), start=1):
            code = self.text(path, f"{key} #{order}", item, "code")
            entry = f"{key} {code or '#' + str(order)}"
            fields: dict[str, Any] = {
                "code": code,
                "order": order,
                "names": self.translated(path, entry, item, "names"),
                "descriptions": self.translated(
                    path, entry, item, "descriptions", required=with_descriptions
                ),
            }
            rows.append(Row(fields, refs={"_item": item}))
        self.unique(path, key, (row.fields["code"] for row in rows))
        return rows

    def regions_and_countries(self) -> tuple[list[Row], list[Row]]:
        names_path = self.data_dir / "regions.toml"
        document = self.toml(names_path)
        unesco = self.coded(names_path, document, "unesco")
        overrides = {
            row.fields["code"]: row.fields["names"]
            for row in self.coded(names_path, document, "un")
        }
        for row in unesco:
            row.fields.update(kind="unesco", descriptions={})
            row.refs = {"parent": None}

        csv_path = self.data_dir / "country_regions.csv"
        by_alpha3: dict[str, dict[str, str]] = {}
        parents: dict[str, str] = {}  # UN region code -> its parent's code
        tiers: dict[str, str] = {}  # UN region code -> its column
        unesco_codes = {row.fields["code"] for row in unesco}
        for line, record in enumerate(self.csv_rows(csv_path), start=2):
            alpha3 = (record.get("alpha3") or "").strip().upper()
            entry = f"line {line} ({alpha3 or 'no alpha3'})"
            if pycountry.countries.get(alpha_3=alpha3) is None:
                self.problems.add(csv_path, entry, f"unknown ISO 3166-1 alpha-3 code {alpha3!r}")
                continue
            if alpha3 in by_alpha3:
                self.problems.add(csv_path, entry, "duplicate code")
            by_alpha3[alpha3] = record
            parent = ""
            for column in UN_TIERS:
                code = (record.get(column) or "").strip()
                if not code:
                    continue
                if len(code) != 3 or not code.isdigit():
                    self.problems.add(csv_path, entry, f"{column} {code!r} is not an M49 code")
                    continue
                if tiers.setdefault(code, column) != column:
                    self.problems.add(csv_path, entry, f"{code} is used at two levels")
                if parents.setdefault(code, parent) != parent:
                    self.problems.add(csv_path, entry, f"{code} has two different parents")
                parent = code
            unesco_code = (record.get("unesco_region") or "").strip()
            if unesco_code and unesco_code not in unesco_codes:
                self.problems.add(csv_path, entry, f"unknown UNESCO region {unesco_code!r}")
            income = (record.get("income_group") or "").strip()
            if income and income not in INCOME_GROUPS:
                self.problems.add(csv_path, entry, f"unknown income group {income!r}")

        un_rows = []
        for column in UN_TIERS:  # parents before children
            for code in sorted(code for code, tier in tiers.items() if tier == column):
                names = overrides.get(code) or cldr_names(
                    lambda locale, c=code: locale.territories.get(c)
                )
                missing = [lang for lang in DATA_LANGUAGES if lang not in names]
                if missing:
                    self.problems.add(
                        names_path,
                        f"un {code}",
                        f"CLDR has no name in {', '.join(missing)}: add it to regions.toml",
                    )
                fields = {
                    "code": code,
                    "kind": TIER_KINDS[column],
                    "order": 0,
                    "names": names,
                    "descriptions": {},
                }
                un_rows.append(Row(fields, refs={"parent": parents.get(code) or None}))
        for code in sorted(set(overrides) - set(tiers)):
            self.problems.add(names_path, f"un {code}", "no country is in this region")
        countries = [
            self.country(country, by_alpha3.get(country.alpha_3, {}))
            for country in pycountry.countries
        ]
        return un_rows + unesco, countries

    def country(self, country: Any, record: Mapping[str, str]) -> Row:
        fallback = {"en": country.name}
        names = cldr_names(lambda locale: locale.territories.get(country.alpha_2)) or fallback
        official = getattr(country, "official_name", "")
        search = {country.alpha_2, country.alpha_3, *names.values(), official}
        fields = {
            "alpha2": country.alpha_2,
            "alpha3": country.alpha_3,
            "m49": str(country.numeric).zfill(3),
            "names": names,
            "descriptions": {},
            "official_names": {"en": official} if official else {},
            "income_group": (record.get("income_group") or "").strip(),
            "search_text": " ".join(sorted(text.casefold() for text in search if text)),
        }
        refs = {column: (record.get(column) or "").strip() or None for column in UN_TIERS}
        refs["unesco_region"] = (record.get("unesco_region") or "").strip() or None
        return Row(fields, refs)

    def languages(self) -> list[Row]:
        rows = []
        for language in pycountry.languages:
            code = getattr(language, "alpha_2", None)
            if not code:
                continue
            names = cldr_names(lambda locale, c=code: locale.languages.get(c))
            for lang in DATA_LANGUAGES:  # CLDR lacks some rare languages: the ISO English name
                names.setdefault(lang, language.name)
            try:
                rtl = Locale.parse(code).character_order == "right-to-left"
            except (UnknownLocaleError, ValueError):
                rtl = False
            fields = {
                "code": code,
                "alpha3": language.alpha_3,
                "names": names,
                "descriptions": {},
                "direction": "rtl" if rtl else "ltr",
                "is_un_language": code in UN_LANGUAGES,
            }
            rows.append(Row(fields))
        return rows

    def sdg(self) -> tuple[list[Row], list[Row]]:
        path = self.data_dir / "sdg4.toml"
        document = self.toml(path)
        targets = self.coded(path, document, "target")
        indicators = self.coded(path, document, "indicator")
        known = {row.fields["code"] for row in targets}
        for row in indicators:
            target = self.text(path, f"indicator {row.fields['code']}", row.refs["_item"], "target")
            if target and target not in known:
                self.problems.add(
                    path, f"indicator {row.fields['code']}", f"unknown target {target!r}"
                )
            row.refs = {"target": target}
        for row in targets:
            row.refs = {}
        return targets, indicators

    def institute(self) -> tuple[list[Row], list[Row]]:
        path = self.data_dir / "institute.toml"
        document = self.toml(path)
        priorities = self.coded(path, document, "priority", with_descriptions=True)
        areas = self.coded(path, document, "area", with_descriptions=True)
        for kind, rows in (("priority", priorities), ("area", areas)):
            for row in rows:
                number = row.refs["_item"].get("number")
                if not isinstance(number, int) or number < 1:
                    self.problems.add(
                        path,
                        f"{kind} {row.fields['code']}",
                        "number must be a positive whole number",
                    )
                row.fields["number"] = number
                del row.fields["order"]
            self.unique(path, f"{kind} number", (row.fields["number"] for row in rows))
        numbers = {row.fields["number"] for row in priorities}
        for row in priorities:
            row.refs = {}
        for row in areas:
            wanted = row.refs["_item"].get("priorities", [])
            if not isinstance(wanted, list) or not wanted:
                self.problems.add(
                    path,
                    f"area {row.fields['code']}",
                    "priorities must list at least one priority number",
                )
                wanted = []
            for number in wanted:
                if number not in numbers:
                    self.problems.add(
                        path, f"area {row.fields['code']}", f"unknown priority {number!r}"
                    )
            row.refs = {"priorities": sorted(n for n in wanted if n in numbers)}
        return priorities, areas

    def simple(self, filename: str, key: str, *, with_descriptions: bool = False) -> list[Row]:
        path = self.data_dir / filename
        rows = self.coded(path, self.toml(path), key, with_descriptions=with_descriptions)
        for row in rows:
            row.refs = {}
        return rows

    def vocabularies(self) -> list[VocabularyPlan]:
        plans = []
        for path in sorted((self.data_dir / "vocabularies").glob("*.toml")):
            document = self.toml(path)
            if not document:
                continue
            code = self.text(path, "vocabulary", document, "code")
            fields = {
                "code": code,
                "source_url": self.text(path, "vocabulary", document, "source_url", required=False),
                "names": self.translated(path, "vocabulary", document, "names"),
                "descriptions": self.translated(
                    path, "vocabulary", document, "descriptions", required=False
                ),
            }
            terms = self.coded(path, document, "term")
            for term in terms:
                term.refs = {}
            plans.append(VocabularyPlan(Row(fields), terms))
        self.unique(
            self.data_dir / "vocabularies",
            "vocabulary",
            (plan.row.fields["code"] for plan in plans),
        )
        return plans

    def frameworks(self, licences: set[str]) -> list[FrameworkPlan]:
        plans = []
        for path in sorted((self.data_dir / "frameworks").glob("*.toml")):
            document = self.toml(path)
            if not document:
                continue
            code = self.text(path, "framework", document, "code")
            version = str(document.get("version", "")).strip()
            if not version:
                self.problems.add(path, "framework", "version is missing")
            licence = self.text(path, "framework", document, "licence")
            if licence and licence not in licences:
                self.problems.add(path, "framework", f"unknown licence {licence!r}")
            fields = {
                "code": code,
                "version": version,
                "url": self.text(path, "framework", document, "url", required=False),
                "names": self.translated(path, "framework", document, "names"),
                "descriptions": self.translated(
                    path, "framework", document, "descriptions", required=False
                ),
                "attribution": self.translated(path, "framework", document, "attribution"),
            }
            dimensions = self.coded(path, document, "dimension")
            levels = self.coded(path, document, "level")
            competencies = self.coded(path, document, "competency")
            for row in dimensions + levels:
                row.refs = {}
            dimension_codes = {row.fields["code"] for row in dimensions}
            level_codes = {row.fields["code"] for row in levels}
            cells: set[tuple[str, str]] = set()
            for row in competencies:
                entry = f"competency {row.fields['code']}"
                item = row.refs["_item"]
                dimension = self.text(path, entry, item, "dimension")
                level = self.text(path, entry, item, "level")
                if dimension and dimension not in dimension_codes:
                    self.problems.add(path, entry, f"unknown dimension {dimension!r}")
                if level and level not in level_codes:
                    self.problems.add(path, entry, f"unknown level {level!r}")
                if (dimension, level) in cells:
                    self.problems.add(
                        path, entry, f"a second competency for {dimension} and {level}"
                    )
                cells.add((dimension, level))
                del row.fields["order"]
                row.refs = {"dimension": dimension, "level": level}
            plans.append(
                FrameworkPlan(Row(fields, {"licence": licence}), dimensions, levels, competencies)
            )
        self.unique(
            self.data_dir / "frameworks",
            "framework",
            ((plan.row.fields["code"], plan.row.fields["version"]) for plan in plans),
        )
        return plans


def cldr_names(lookup: Any) -> dict[str, str]:
    """Names CLDR gives in each data language (``lookup(locale)`` returns one or None)."""
    names = {}
    for language, locale_code in BABEL_LOCALES.items():
        value = lookup(Locale.parse(locale_code))
        if value:
            names[language] = str(value)
    return names


def read_plan(data_dir: Path | None = None) -> Plan:
    """Read and validate every reference data file; raise one ApplicationError listing problems."""
    reader = Reader((data_dir or DEFAULT_DATA_DIR).resolve())
    if not reader.data_dir.is_dir():
        raise ApplicationError(
            f"Reference data directory {reader.data_dir} does not exist.",
            code="invalid_reference_data",
        )
    licences = reader.licences()
    regions, countries = reader.regions_and_countries()
    targets, indicators = reader.sdg()
    priorities, areas = reader.institute()
    plan = Plan(
        licences=licences,
        regions=regions,
        countries=countries,
        languages=reader.languages(),
        isced_levels=reader.simple("isced.toml", "level", with_descriptions=True),
        sdg_targets=targets,
        sdg_indicators=indicators,
        priorities=priorities,
        action_areas=areas,
        topics=reader.simple("topics.toml", "topic", with_descriptions=True),
        vocabularies=reader.vocabularies(),
        frameworks=reader.frameworks({row.fields["spdx_id"] for row in licences}),
    )
    reader.problems.raise_if_any()
    return plan
