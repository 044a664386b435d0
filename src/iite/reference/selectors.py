"""Reads of reference data."""

from __future__ import annotations

from django.db.models import QuerySet

from iite.reference.models import ActionArea, StrategicPriority


def strategic_priorities() -> QuerySet[StrategicPriority]:
    return StrategicPriority.objects.order_by("number")


def action_areas() -> QuerySet[ActionArea]:
    return ActionArea.objects.order_by("number")
