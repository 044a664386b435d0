"""An instrument file (docs/instruments.md) read and validated into frozen dataclasses.

Reading needs no database: the framework an instrument refers to is resolved by a ``lookup``
the caller passes (``services`` passes one reading ``reference.Framework``), and the resolved
competency map is kept in the definition, so scoring never touches the database. Every problem is
collected with its file, entry and reason, and all are raised at once as one ``ApplicationError``.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from iite.core.errors import ApplicationError
from iite.core.translation import DATA_LANGUAGES, missing_languages

Texts = Mapping[str, str]

SCALE_KINDS = ("agreement", "statements", "yes-no", "text")
SCORED_KINDS = frozenset({"agreement", "statements", "yes-no"})
AGREEMENT_VALUES = (1, 2, 3, 4, 5)
TEXT_MAX_LENGTH = 1000
ROLLUP_KINDS = ("progressive",)
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")

_TOP_KEYS = frozenset(
    {
        "code",
        "version",
        "anonymous",
        "names",
        "descriptions",
        "framework",
        "areas",
        "groups",
        "scales",
        "sections",
        "scoring",
    }
)
_SCALE_KEYS = frozenset({"code", "kind", "not_applicable", "points"})
_SECTION_KEYS = frozenset({"code", "names", "descriptions", "items"})
_ITEM_KEYS = frozenset(
    {"code", "target", "groups", "scale", "required", "text", "statements", "help"}
)
_SCORING_KEYS = frozenset({"levels", "rollup"})


# --- The definition ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompetencyPlace:
    """Where a framework competency sits: its dimension and its level (with the level's order)."""

    dimension: str
    level: str
    level_order: int


@dataclass(frozen=True)
class FrameworkMap:
    """The parts of a reference framework scoring needs, resolved when the file is loaded."""

    code: str
    version: str
    dimensions: tuple[str, ...]  # in the framework's order
    levels: tuple[str, ...]  # lowest first
    competencies: Mapping[str, CompetencyPlace]

    def to_data(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "version": self.version,
            "dimensions": list(self.dimensions),
            "levels": list(self.levels),
            "competencies": {
                code: [place.dimension, place.level, place.level_order]
                for code, place in self.competencies.items()
            },
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> FrameworkMap:
        return cls(
            code=data["code"],
            version=data["version"],
            dimensions=tuple(data["dimensions"]),
            levels=tuple(data["levels"]),
            competencies={
                code: CompetencyPlace(dimension, level, int(order))
                for code, (dimension, level, order) in data["competencies"].items()
            },
        )


FrameworkLookup = Callable[[str, str], FrameworkMap | None]


@dataclass(frozen=True)
class Group:
    code: str
    names: Texts


@dataclass(frozen=True)
class Area:
    code: str
    names: Texts
    descriptions: Texts


@dataclass(frozen=True)
class Point:
    value: int
    labels: Texts


@dataclass(frozen=True)
class Scale:
    code: str
    kind: str
    not_applicable: bool
    points: tuple[Point, ...] = ()

    @property
    def scored(self) -> bool:
        return self.kind in SCORED_KINDS


@dataclass(frozen=True)
class Statement:
    value: int
    text: Texts


@dataclass(frozen=True)
class Item:
    code: str
    section: str
    order: int
    target: str  # "" only for text items, which are never scored
    groups: tuple[str, ...]
    scale: Scale
    required: bool
    text: Texts
    statements: tuple[Statement, ...] = ()

    @property
    def scored(self) -> bool:
        return self.scale.scored

    def values(self) -> tuple[int, ...]:
        """The values an answer may take (none for text items)."""
        if self.scale.kind == "agreement":
            return tuple(point.value for point in self.scale.points)
        if self.scale.kind == "statements":
            return tuple(statement.value for statement in self.statements)
        if self.scale.kind == "yes-no":
            return (0, 1)
        return ()


@dataclass(frozen=True)
class Section:
    code: str
    order: int
    names: Texts
    descriptions: Texts
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Level:
    code: str
    min: float
    names: Texts


@dataclass(frozen=True)
class Rollup:
    kind: str
    mastery: float


@dataclass(frozen=True)
class Definition:
    """One version of an instrument, validated; everything the engine knows about it."""

    code: str
    version: int
    anonymous: bool
    names: Texts
    descriptions: Texts
    framework: FrameworkMap | None
    areas: tuple[Area, ...]
    groups: tuple[Group, ...]
    scales: tuple[Scale, ...]
    sections: tuple[Section, ...]
    levels: tuple[Level, ...]
    rollup: Rollup | None
    document: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)

    def section(self, code: str) -> Section | None:
        return next((section for section in self.sections if section.code == code), None)

    @property
    def group_codes(self) -> tuple[str, ...]:
        return tuple(group.code for group in self.groups)

    @property
    def targets(self) -> tuple[str, ...]:
        """The codes scores are given for, in a stable order (framework or file order)."""
        if self.framework is not None:
            used = {item.target for item in self.items if item.scored}
            return tuple(code for code in self.framework.competencies if code in used)
        return tuple(area.code for area in self.areas)

    def to_data(self) -> dict[str, Any]:
        """The validated file as JSON-ready data, with the resolved framework map."""
        return {
            "file": dict(self.document),
            "framework_map": self.framework.to_data() if self.framework else None,
        }


def definition_from_data(data: Mapping[str, Any]) -> Definition:
    """The definition stored by ``to_data`` (already validated when it was loaded)."""
    stored = data.get("framework_map")
    framework = FrameworkMap.from_data(stored) if stored else None
    return definition_parse(data["file"], source="stored", lookup=lambda _c, _v: framework)


# --- Reading -------------------------------------------------------------------------------------
class _Problems:
    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[dict[str, str]] = []

    def add(self, entry: str, message: str) -> None:
        where = f"{self.source}: {entry}" if entry else self.source
        self.items.append({"field": where, "message": message})

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first = self.items[0]
        message = _("The instrument file is invalid: %(field)s: %(message)s") % first
        if len(self.items) > 1:
            message += " " + _("(and %(count)d more problems)") % {"count": len(self.items) - 1}
        raise ApplicationError(message, code="invalid_instrument", details=self.items)


class _Reader:
    def __init__(self, source: str) -> None:
        self.problems = _Problems(source)

    def unknown_keys(self, entry: str, table: Mapping[str, Any], known: frozenset[str]) -> None:
        for key in sorted(set(table) - known):
            self.problems.add(entry, _("unknown key “%(key)s”") % {"key": key})

    def code(self, entry: str, table: Mapping[str, Any], key: str = "code") -> str:
        value = table.get(key)
        if not isinstance(value, str) or not CODE_PATTERN.match(value):
            self.problems.add(
                entry,
                _("%(key)s must be a short code of letters, digits, “.”, “-” or “_”")
                % {"key": key},
            )
            return ""
        return value

    def flag(self, entry: str, table: Mapping[str, Any], key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            self.problems.add(entry, _("%(key)s must be true or false") % {"key": key})
            return default
        return value

    def texts(
        self, entry: str, table: Mapping[str, Any], key: str, *, required: bool = True
    ) -> dict[str, str]:
        value = table.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            self.problems.add(
                entry,
                _("%(key)s must be a table of text in ar, en, es, fr, ru and zh") % {"key": key},
            )
            return {}
        unknown = sorted(set(value) - set(DATA_LANGUAGES))
        if unknown:
            self.problems.add(
                entry,
                _("%(key)s has unknown languages: %(languages)s")
                % {"key": key, "languages": ", ".join(unknown)},
            )
        texts = {
            code: text.strip()
            for code, text in value.items()
            if code in DATA_LANGUAGES and isinstance(text, str)
        }
        missing = missing_languages(texts)
        if missing:
            self.problems.add(
                entry,
                _("%(key)s is missing languages: %(languages)s")
                % {"key": key, "languages": ", ".join(missing)},
            )
        return texts

    def tables(self, entry: str, table: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            self.problems.add(entry, _("%(key)s must be a list of tables") % {"key": key})
            return []
        return value

    def unique(self, kind: str, codes: list[str]) -> None:
        seen: set[str] = set()
        for code in codes:
            if code and code in seen:
                self.problems.add(f"{kind} {code}", _("duplicate code"))
            seen.add(code)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def definition_parse(
    document: Mapping[str, Any], *, source: str, lookup: FrameworkLookup
) -> Definition:
    """Validate a parsed instrument file; raise ``ApplicationError`` listing every problem."""
    reader = _Reader(source)
    add = reader.problems.add
    reader.unknown_keys("", document, _TOP_KEYS)

    code = reader.code("code", document)
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        add("version", _("version must be a whole number from 1"))
        version = 0
    anonymous = reader.flag("anonymous", document, "anonymous", False)
    names = reader.texts("names", document, "names")
    descriptions = reader.texts("descriptions", document, "descriptions")

    # What items are mapped to: a framework, or the instrument's own areas.
    framework: FrameworkMap | None = None
    areas: list[Area] = []
    has_framework = "framework" in document
    has_areas = "areas" in document
    if has_framework == has_areas:
        add("framework", _("give either a framework or [[areas]], not both and not neither"))
    if has_framework:
        reference = document["framework"]
        if (
            not isinstance(reference, dict)
            or not isinstance(reference.get("code"), str)
            or not isinstance(reference.get("version"), str | int)
            or isinstance(reference.get("version"), bool)
        ):
            add("framework", _("framework must be a table with a code and a version"))
        else:
            framework = lookup(reference["code"], str(reference["version"]))
            if framework is None:
                add(
                    "framework",
                    _("there is no framework “%(code)s” version “%(version)s”")
                    % {"code": reference["code"], "version": reference["version"]},
                )
    if has_areas:
        rows = reader.tables("areas", document, "areas")
        if not rows:
            add("areas", _("list at least one area"))
        for number, row in enumerate(rows, start=1):
            entry = f"area #{number}"
            area_code = reader.code(entry, row, "code")
            entry = f"area {area_code or '#' + str(number)}"
            reader.unknown_keys(entry, row, frozenset({"code", "names", "descriptions"}))
            areas.append(
                Area(
                    code=area_code,
                    names=reader.texts(entry, row, "names"),
                    descriptions=reader.texts(entry, row, "descriptions", required=False),
                )
            )
        reader.unique("area", [area.code for area in areas])
    if has_framework:
        target_codes = set(framework.competencies) if framework else None
    else:
        target_codes = {area.code for area in areas}

    groups: list[Group] = []
    group_rows = reader.tables("groups", document, "groups")
    if not group_rows:
        add("groups", _("list at least one respondent group"))
    for number, row in enumerate(group_rows, start=1):
        group_code = reader.code(f"group #{number}", row)
        entry = f"group {group_code or '#' + str(number)}"
        reader.unknown_keys(entry, row, frozenset({"code", "names"}))
        groups.append(Group(code=group_code, names=reader.texts(entry, row, "names")))
    reader.unique("group", [group.code for group in groups])
    group_codes = {group.code for group in groups}

    scales: dict[str, Scale] = {}
    scale_rows = reader.tables("scales", document, "scales")
    reader.unique("scale", [str(row.get("code", "")) for row in scale_rows])
    for number, row in enumerate(scale_rows, start=1):
        scale_code = reader.code(f"scale #{number}", row)
        entry = f"scale {scale_code or '#' + str(number)}"
        reader.unknown_keys(entry, row, _SCALE_KEYS)
        kind = row.get("kind")
        if kind not in SCALE_KINDS:
            add(entry, _("kind must be one of: %(kinds)s") % {"kinds": ", ".join(SCALE_KINDS)})
            kind = "text"
        points: list[Point] = []
        if kind == "agreement":
            for point_number, point in enumerate(reader.tables(entry, row, "points"), start=1):
                value = point.get("value")
                points.append(
                    Point(
                        value=value if isinstance(value, int) else 0,
                        labels=reader.texts(f"{entry} point #{point_number}", point, "labels"),
                    )
                )
            if tuple(point.value for point in points) != AGREEMENT_VALUES:
                add(entry, _("an agreement scale has points with values 1, 2, 3, 4, 5 in order"))
        elif "points" in row:
            add(entry, _("only an agreement scale lists points"))
        scales[scale_code] = Scale(
            code=scale_code,
            kind=str(kind),
            not_applicable=reader.flag(entry, row, "not_applicable", False),
            points=tuple(points),
        )

    sections: list[Section] = []
    item_codes: list[str] = []
    section_rows = reader.tables("sections", document, "sections")
    if not section_rows:
        add("sections", _("list at least one section"))
    for section_number, row in enumerate(section_rows, start=1):
        section_code = reader.code(f"section #{section_number}", row)
        section_entry = f"section {section_code or '#' + str(section_number)}"
        reader.unknown_keys(section_entry, row, _SECTION_KEYS)
        items: list[Item] = []
        item_rows = reader.tables(section_entry, row, "items")
        if not item_rows:
            add(section_entry, _("list at least one item"))
        for item_number, item_row in enumerate(item_rows, start=1):
            item_code = reader.code(f"{section_entry} item #{item_number}", item_row)
            entry = f"item {item_code or section_entry + ' #' + str(item_number)}"
            reader.unknown_keys(entry, item_row, _ITEM_KEYS)
            item_codes.append(item_code)
            scale = scales.get(str(item_row.get("scale", "")))
            if scale is None:
                add(entry, _("unknown scale “%(code)s”") % {"code": item_row.get("scale")})
                scale = Scale(code="", kind="text", not_applicable=False)
            target = item_row.get("target", "")
            if not isinstance(target, str):
                target = ""
            if scale.kind == "text" and not target:
                pass  # a text item need not have a target: it is never scored
            elif not target:
                add(entry, _("target is missing"))
            elif target_codes is not None and target not in target_codes:
                if has_framework:
                    add(
                        entry,
                        _("target “%(code)s” is not a competency of the framework")
                        % {"code": target},
                    )
                else:
                    add(entry, _("target “%(code)s” is not an area code") % {"code": target})
            item_groups = item_row.get("groups")
            if (
                not isinstance(item_groups, list)
                or not item_groups
                or not all(isinstance(group, str) for group in item_groups)
            ):
                add(entry, _("groups must list the respondent groups the item is asked of"))
                item_groups = []
            for group in item_groups:
                if group not in group_codes:
                    add(entry, _("unknown group “%(code)s”") % {"code": group})
            if len(set(item_groups)) != len(item_groups):
                add(entry, _("a group is listed twice"))
            statements: list[Statement] = []
            if scale.kind == "statements":
                statement_rows = reader.tables(entry, item_row, "statements")
                for statement_number, statement in enumerate(statement_rows, start=1):
                    value = statement.get("value")
                    statements.append(
                        Statement(
                            value=value if isinstance(value, int) else -1,
                            text=reader.texts(
                                f"{entry} statement #{statement_number}", statement, "text"
                            ),
                        )
                    )
                values = [statement.value for statement in statements]
                if len(values) < 2 or values != list(range(len(values))):
                    add(
                        entry,
                        _("statements need at least two, with values 0, 1, … n-1, lowest first"),
                    )
            elif "statements" in item_row:
                add(entry, _("only an item on a statements scale lists statements"))
            items.append(
                Item(
                    code=item_code,
                    section=section_code,
                    order=item_number,
                    target=target,
                    groups=tuple(item_groups),
                    scale=scale,
                    required=reader.flag(entry, item_row, "required", False),
                    text=reader.texts(entry, item_row, "text"),
                    statements=tuple(statements),
                )
            )
        sections.append(
            Section(
                code=section_code,
                order=section_number,
                names=reader.texts(section_entry, row, "names"),
                descriptions=reader.texts(section_entry, row, "descriptions", required=False),
                items=tuple(items),
            )
        )
    reader.unique("section", [section.code for section in sections])
    reader.unique("item", item_codes)

    levels: list[Level] = []
    rollup: Rollup | None = None
    scoring = document.get("scoring")
    if not isinstance(scoring, dict):
        add("scoring", _("a [scoring] table with levels is required"))
        scoring = {}
    reader.unknown_keys("scoring", scoring, _SCORING_KEYS)
    level_rows = reader.tables("scoring", scoring, "levels")
    if not level_rows and "scoring" in document:
        add("scoring", _("list at least one level"))
    for number, row in enumerate(level_rows, start=1):
        level_code = reader.code(f"scoring level #{number}", row)
        entry = f"scoring level {level_code or '#' + str(number)}"
        minimum = _number(row.get("min"))
        if minimum is None or not 0.0 <= minimum <= 1.0:
            add(entry, _("min must be a number from 0 to 1"))
            minimum = 0.0
        levels.append(Level(code=level_code, min=minimum, names=reader.texts(entry, row, "names")))
    reader.unique("scoring level", [level.code for level in levels])
    if levels:
        if levels[0].min != 0.0:
            add("scoring", _("the first level starts at min = 0, so every score has a level"))
        minimums = [level.min for level in levels]
        if any(low >= high for low, high in itertools.pairwise(minimums)):
            add("scoring", _("level thresholds (min) must rise strictly, lowest first"))
    if "rollup" in scoring:
        row = scoring["rollup"]
        if not isinstance(row, dict) or row.get("kind") not in ROLLUP_KINDS:
            add("scoring rollup", _("rollup kind must be “progressive”"))
        else:
            mastery = _number(row.get("mastery"))
            if mastery is None or not 0.0 <= mastery <= 1.0:
                add("scoring rollup", _("mastery must be a number from 0 to 1"))
                mastery = 1.0
            if not has_framework:
                add("scoring rollup", _("a roll-up needs a framework"))
            rollup = Rollup(kind=str(row["kind"]), mastery=mastery)

    reader.problems.raise_if_any()
    return Definition(
        code=code,
        version=int(version),
        anonymous=anonymous,
        names=names,
        descriptions=descriptions,
        framework=framework,
        areas=tuple(areas),
        groups=tuple(groups),
        scales=tuple(scales.values()),
        sections=tuple(sections),
        levels=tuple(levels),
        rollup=rollup,
        document=document,
    )


def file_content(path: Path) -> bytes:
    """The bytes of an instrument file, or an ``ApplicationError`` if it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise ApplicationError(
            _("The instrument file %(path)s cannot be read: %(error)s")
            % {"path": path, "error": error.strerror or error},
            code="invalid_instrument",
            details=[{"field": path.name, "message": _("the file cannot be read")}],
        ) from None


def definition_read(
    path: Path, *, lookup: FrameworkLookup, content: bytes | None = None
) -> Definition:
    """Read and validate one instrument file (``content``: its bytes, if already read)."""
    source = path.name
    if content is None:
        content = file_content(path)
    try:
        document = tomllib.loads(content.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ApplicationError(
            _("The instrument file %(path)s is not valid TOML: %(error)s")
            % {"path": source, "error": error},
            code="invalid_instrument",
            details=[{"field": source, "message": str(error)}],
        ) from None
    return definition_parse(document, source=source, lookup=lookup)
