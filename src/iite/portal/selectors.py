"""Reads the portal's pages need."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, connection

from iite.portal.sections import open_sections, sections_for
from iite.reference import selectors as reference_selectors


def home_overview() -> dict[str, Any]:
    """Strategic priorities and action areas, each action area with the sections that serve it."""
    priorities = list(reference_selectors.strategic_priorities())
    areas = [
        {"area": area, "sections": sections_for(area.number)}
        for area in reference_selectors.action_areas()
    ]
    return {"priorities": priorities, "areas": areas, "open_sections": open_sections()}


def database_status() -> tuple[bool, str]:
    """Whether the database answers a trivial query, and its engine's vendor name."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False, connection.vendor
    return True, connection.vendor
