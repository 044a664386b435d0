"""Read the "who may do what" tables of docs/architecture.md, to test them against the code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

ARCHITECTURE = Path(__file__).resolve().parents[3] / "docs" / "architecture.md"


def documented_table(app: str, role_codes: Sequence[str]) -> dict[str, set[str]]:
    """The table under the heading ``### <app>``: each action and the roles with a tick."""
    section = ARCHITECTURE.read_text(encoding="utf-8").split(f"### {app} ", 1)[1]
    section = section.split("\n### ", 1)[0].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    if header[1:] != list(role_codes):
        raise ValueError(f"The {app} table's columns are not the roles: {header[1:]}")
    table = {}
    for line in rows[1:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        table[cells[0]] = {
            code for code, cell in zip(role_codes, cells[1:], strict=True) if cell.startswith("✓")
        }
    return table
