"""CSV import (all or nothing, with a report of every problem per row) and CSV export of
resources. Both use the columns below, named like the API's fields; lists are separated by
semicolons, creators as ``Family, Given; Organisation``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import metadata, services, workflow
from iite.library.models import Creator, Resource
from iite.library.permissions import can

COLUMNS = (
    "kind",
    "title",
    "abstract",
    "language",
    "creators",
    "publisher",
    "issued",
    "isbn",
    "doi",
    "url",
    "licence",
    "keywords",
    "countries",
    "regions",
    "isced_levels",
    "topics",
    "action_areas",
    "sdg_targets",
    "competencies",
    "audiences",
    "learning_resource_types",
    "accessibility_features",
    "access_modes",
    "accessibility_hazards",
    "accessibility_summary",
    "status",
)
REQUIRED_COLUMNS = ("kind", "title", "language")
LIST_COLUMNS = set(metadata.RELATED) | {"keywords"}
MAX_ROWS = 5000


@dataclass
class RowProblem:
    row: int  # the line number in the file (the header is line 1)
    column: str
    rule: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)


class ImportRefused(ApplicationError):
    """The file was not imported; ``report`` says which row broke which rule."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            _("Nothing was imported: %(n)d problems in the file.") % {"n": len(report.problems)},
            code="import_refused",
            details=[
                {"row": p.row, "field": p.column, "rule": p.rule, "message": p.message}
                for p in report.problems
            ],
        )
        self.report = report


def _read(upload: IO[bytes] | Any) -> list[dict[str, str]]:
    raw = upload.read(20 * 1024 * 1024 + 1)
    if len(raw) > 20 * 1024 * 1024:
        raise ApplicationError(_("The CSV file is larger than 20 MB."), code="file_too_large")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApplicationError(
            _("The file is not UTF-8 text; save it as “CSV UTF-8”."), code="encoding"
        ) from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames or []
        rows = list(reader)
    except csv.Error as exc:
        raise ApplicationError(
            _("The file is not valid CSV: %(error)s") % {"error": exc}, code="csv"
        ) from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(c)s") % {"c": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(c)s") % {"c": ", ".join(unknown)})
        raise ApplicationError(
            _("The header row is wrong (%(what)s).") % {"what": "; ".join(parts)}, code="header"
        )
    if len(rows) > MAX_ROWS:
        raise ApplicationError(_("At most %(n)d rows per file.") % {"n": MAX_ROWS}, code="too_many")
    return rows


def _fields(row: Mapping[str, str | None]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for column in COLUMNS:
        if column == "status" or column not in row:
            continue
        value = (row.get(column) or "").strip()
        if column in LIST_COLUMNS or column == "creators":
            fields[column] = [v.strip() for v in value.split(";") if v.strip()]
        else:
            fields[column] = value
    return fields


def resources_import(*, by: User, upload: IO[bytes] | Any) -> list[Resource]:
    """Import every row or none: each row is checked first; any problem refuses the file with a
    report naming the row, the column and the rule it broke."""
    if not can(by, "resource.import"):
        raise PermissionDenied(_("Only editors import resources."))
    rows = _read(upload)
    report = ImportReport(rows=len(rows))
    checked: list[tuple[dict[str, Any], str]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, row in enumerate(rows, start=2):
        if None in row:
            report.problems.append(
                RowProblem(number, "", "columns", _("This row has more cells than the header."))
            )
            continue
        status = (row.get("status") or "published").strip().lower()
        if status not in ("draft", "published"):
            report.problems.append(
                RowProblem(number, "status", "choice", _("The status is “draft” or “published”."))
            )
        fields = _fields(row)
        if fields.get("kind") == Resource.Kind.CASE_STUDY:
            fields["case_study"] = {}
        try:
            metadata.clean(dict(fields), creating=True)
        except ApplicationError as error:
            for detail in error.details:
                report.problems.append(
                    RowProblem(
                        number,
                        str(detail["field"]),
                        str(detail.get("rule", "invalid")),
                        str(detail["message"]),
                    )
                )
        key = (str(fields.get("title", "")).casefold(), str(fields.get("language", "")))
        if key in seen:
            report.problems.append(
                RowProblem(
                    number,
                    "title",
                    "duplicate",
                    _("The same title and language as line %(n)d.") % {"n": seen[key]},
                )
            )
        seen.setdefault(key, number)
        checked.append((fields, status))
    if not rows:
        report.problems.append(RowProblem(1, "", "empty", _("The file has a header but no rows.")))
    if report.problems:
        raise ImportRefused(report)
    created = []
    with transaction.atomic():
        for fields, status in checked:
            resource = services.resource_create(by=by, **fields)
            if status == "published":
                workflow.resource_publish(resource=resource, by=by)
            created.append(resource)
    return created


def _cell(record: dict[str, Any], column: str) -> str:
    value = record.get(column)
    if column == "creators":
        names = []
        for c in value or []:
            if c["kind"] == Creator.Kind.PERSON and c["given_names"]:
                names.append(f"{c['family_name']}, {c['given_names']}")
            else:
                names.append(c["family_name"])
        return "; ".join(names)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _safe(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def resources_export(resources: Iterable[Resource], out: Any) -> None:
    """Write resources as CSV (the import's columns, plus the uuid and page address first)."""
    writer = csv.writer(out)
    writer.writerow(["uuid", *COLUMNS])
    for resource in resources:
        record = metadata.record(resource)
        writer.writerow([record["uuid"], *[_safe(_cell(record, c)) for c in COLUMNS]])
