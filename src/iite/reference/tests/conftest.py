"""Reference test fixtures; the data itself is loaded once per run by src/iite/conftest.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from iite.reference import models as reference_models
from iite.reference.loading import DEFAULT_DATA_DIR

TRANSLATED_MODELS: list[type[reference_models.TranslatedModel]] = [
    model
    for model in vars(reference_models).values()
    if isinstance(model, type)
    and issubclass(model, reference_models.TranslatedModel)
    and not model._meta.abstract
]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the packaged data files."""
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target)
    return target


def snapshot() -> dict[str, list[dict[str, object]]]:
    """Every reference row, for comparing the database before and after a load."""
    rows: dict[str, list[dict[str, object]]] = {
        model.__name__: [dict(row) for row in model._default_manager.order_by("pk").values()]
        for model in TRANSLATED_MODELS
    }
    through = reference_models.ActionArea.priorities.through.objects.order_by("pk")
    rows["ActionArea.priorities"] = [dict(row) for row in through.values()]
    return rows
