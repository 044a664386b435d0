"""Writes of reference data: ``reference_load`` upserts every vocabulary from the data files."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from iite.reference.loading import Plan, Row, read_plan
from iite.reference.models import (
    ActionArea,
    Competency,
    Country,
    Dimension,
    Framework,
    FrameworkLevel,
    IscedLevel,
    Language,
    Licence,
    Region,
    SdgIndicator,
    SdgTarget,
    StrategicPriority,
    Term,
    Topic,
    Vocabulary,
)


@dataclass
class KindCount:
    """How many rows of one kind the load created, updated and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadSummary:
    """Counts per kind of reference data, in the order they were written."""

    counts: dict[str, KindCount] = field(default_factory=dict)

    def kind(self, name: str) -> KindCount:
        return self.counts.setdefault(name, KindCount())

    @property
    def changed(self) -> int:
        return sum(count.created + count.updated for count in self.counts.values())

    def lines(self) -> list[str]:
        width = max((len(name) for name in self.counts), default=0)
        return [
            f"{name.ljust(width)}  {count.total:5d}  (created {count.created}, "
            f"updated {count.updated}, unchanged {count.unchanged})"
            for name, count in self.counts.items()
        ]


def reference_load(*, data_dir: Path | None = None) -> LoadSummary:
    """Validate every data file, then upsert all reference rows by code in one transaction.

    Running it again with the same files changes nothing and keeps every id. Rows that are no
    longer in the files are kept (other apps may point at them). Bad data raises
    ``ApplicationError`` naming the file, entry and problem, before anything is written.
    """
    plan = read_plan(data_dir)
    summary = LoadSummary()
    with transaction.atomic():
        _write(plan, summary)
    return summary


def _write(plan: Plan, summary: LoadSummary) -> None:
    licences = _upsert(Licence, ("spdx_id",), plan.licences, summary.kind("licences"))
    regions: dict[Hashable, models.Model] = {}
    # Each tier in its own pass so that a parent exists before its children point at it.
    for tier in ("un-region", "un-subregion", "un-intermediate", "unesco"):
        rows = [row for row in plan.regions if row.fields["kind"] == tier]
        resolved = [_resolve(row, {"parent": regions}) for row in rows]
        regions |= _upsert(Region, ("code",), resolved, summary.kind("regions"))
    region_refs = {
        "un_region": regions,
        "un_subregion": regions,
        "un_intermediate_region": regions,
        "unesco_region": regions,
    }
    _upsert(
        Country,
        ("alpha3",),
        [_resolve(row, region_refs) for row in plan.countries],
        summary.kind("countries"),
    )
    _upsert(Language, ("code",), plan.languages, summary.kind("languages"))
    _upsert(IscedLevel, ("code",), plan.isced_levels, summary.kind("isced levels"))
    targets = _upsert(SdgTarget, ("code",), plan.sdg_targets, summary.kind("sdg targets"))
    _upsert(
        SdgIndicator,
        ("code",),
        [_resolve(row, {"target": targets}) for row in plan.sdg_indicators],
        summary.kind("sdg indicators"),
    )
    priorities = _upsert(
        StrategicPriority, ("number",), plan.priorities, summary.kind("strategic priorities")
    )
    areas_count = summary.kind("action areas")
    unchanged_areas: set[Hashable] = set()
    area_rows = [Row(row.fields) for row in plan.action_areas]
    areas = _upsert(ActionArea, ("number",), area_rows, areas_count, unchanged=unchanged_areas)
    _set_area_priorities(plan, areas, priorities, areas_count, unchanged_areas)
    _upsert(Topic, ("code",), plan.topics, summary.kind("topics"))

    vocabularies = _upsert(
        Vocabulary,
        ("code",),
        [vocabulary.row for vocabulary in plan.vocabularies],
        summary.kind("vocabularies"),
    )
    terms = []
    for vocabulary in plan.vocabularies:
        owner = vocabularies[vocabulary.row.fields["code"]]
        terms += [Row({**term.fields, "vocabulary_id": owner.pk}) for term in vocabulary.terms]
    _upsert(Term, ("vocabulary_id", "code"), terms, summary.kind("terms"))

    frameworks = _upsert(
        Framework,
        ("code", "version"),
        [_resolve(framework.row, {"licence": licences}) for framework in plan.frameworks],
        summary.kind("frameworks"),
    )
    dimension_rows, level_rows = [], []
    for framework in plan.frameworks:
        owner = frameworks[(framework.row.fields["code"], framework.row.fields["version"])]
        dimension_rows += [
            Row({**r.fields, "framework_id": owner.pk}) for r in framework.dimensions
        ]
        level_rows += [Row({**r.fields, "framework_id": owner.pk}) for r in framework.levels]
    key = ("framework_id", "code")
    dimensions = _upsert(Dimension, key, dimension_rows, summary.kind("framework dimensions"))
    levels = _upsert(FrameworkLevel, key, level_rows, summary.kind("framework levels"))
    competency_rows = []
    for framework in plan.frameworks:
        owner = frameworks[(framework.row.fields["code"], framework.row.fields["version"])]
        for row in framework.competencies:
            competency_rows.append(
                Row(
                    {
                        **row.fields,
                        "framework_id": owner.pk,
                        "dimension_id": dimensions[(owner.pk, row.refs["dimension"])].pk,
                        "level_id": levels[(owner.pk, row.refs["level"])].pk,
                    }
                )
            )
    _upsert(Competency, key, competency_rows, summary.kind("competencies"))


def _resolve(row: Row, lookups: dict[str, dict[Hashable, models.Model]]) -> Row:
    """The row with each reference replaced by the ``<name>_id`` of the row it names."""
    fields = dict(row.fields)
    for name, target in row.refs.items():
        if name in lookups:
            fields[f"{name}_id"] = lookups[name][target].pk if target is not None else None
    return Row(fields)


def _upsert(
    model: type[models.Model],
    key: Sequence[str],
    rows: Sequence[Row],
    count: KindCount,
    *,
    unchanged: set[Hashable] | None = None,
) -> dict[Hashable, models.Model]:
    """Create the rows that are new and update those that differ; return every row by key.

    ``unchanged``, if given, collects the keys of the rows that were already as written.
    """
    manager = model._default_manager

    def key_of(values: Any) -> Hashable:
        parts = tuple(values(name) for name in key)
        return parts[0] if len(parts) == 1 else parts

    existing = {key_of(lambda name, o=obj: getattr(o, name)): obj for obj in manager.all()}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    for row in rows:
        row_key = key_of(row.fields.__getitem__)
        obj = existing.get(row_key)
        if obj is None:
            to_create.append(model(**row.fields))
            continue
        changed = [name for name, value in row.fields.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, row.fields[name])
            changed_fields.update(changed)
            to_update.append(obj)
        else:
            count.unchanged += 1
            if unchanged is not None:
                unchanged.add(row_key)
    if to_create:
        manager.bulk_create(to_create, batch_size=500)
    if to_update:
        manager.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    count.created += len(to_create)
    count.updated += len(to_update)
    wanted = {key_of(row.fields.__getitem__) for row in rows}
    by_key = {k: obj for k, obj in existing.items() if k in wanted}
    for obj in to_create:
        by_key[key_of(lambda name, o=obj: getattr(o, name))] = obj
    return by_key


def _set_area_priorities(
    plan: Plan,
    areas: dict[Hashable, models.Model],
    priorities: dict[Hashable, models.Model],
    count: KindCount,
    unchanged: set[Hashable],
) -> None:
    """Link each action area to the strategic priorities it lists; a change counts as an update."""
    through = ActionArea.priorities.through
    current: dict[int, set[int]] = {}
    for area_id, priority_id in through.objects.values_list(
        "actionarea_id", "strategicpriority_id"
    ):
        current.setdefault(area_id, set()).add(priority_id)
    for row in plan.action_areas:
        area = areas[row.fields["number"]]
        wanted = {priorities[number].pk for number in row.refs["priorities"]}
        have = current.get(area.pk, set())
        if wanted == have:
            continue
        through.objects.filter(actionarea_id=area.pk).exclude(
            strategicpriority_id__in=wanted
        ).delete()
        through.objects.bulk_create(
            [through(actionarea_id=area.pk, strategicpriority_id=pk) for pk in wanted - have]
        )
        if row.fields["number"] in unchanged:  # only its links changed: that is an update too
            count.unchanged -= 1
            count.updated += 1
