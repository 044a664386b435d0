"""The facets of library search: their names, the values a resource has, labels, validation.

A facet value is the stable code of a reference row (a country's ISO alpha-2 code, a topic's
code, a licence's SPDX id...), so URLs, the API and CSV carry codes and every label comes from
the reference data in the reader's language.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iite.core.errors import ApplicationError
from iite.core.translation import pick
from iite.library.models import Resource
from iite.reference.models import (
    ActionArea,
    Competency,
    Country,
    IscedLevel,
    Language,
    Licence,
    Region,
    Term,
    Topic,
)

ACCESSIBILITY_VOCABULARY = "accessibility-feature"
YEARS = range(1000, 2200)


@dataclass(frozen=True)
class FacetDefinition:
    name: str
    label: Promise
    # Labels of the given values in the active language; unknown values are left out.
    labels: Callable[[Iterable[str]], dict[str, str]]
    ordered_by_value: bool = False  # years read best newest first, not by count


def _kind_labels(values: Iterable[str]) -> dict[str, str]:
    choices = dict(Resource.Kind.choices)
    return {value: str(choices[value]) for value in values if value in choices}


def _year_labels(values: Iterable[str]) -> dict[str, str]:
    return {value: value for value in values if value.isdigit() and int(value) in YEARS}


def _named(model: type, field: str = "code") -> Callable[[Iterable[str]], dict[str, str]]:
    def labels(values: Iterable[str]) -> dict[str, str]:
        wanted = set(values)
        rows = model._default_manager.filter(**{f"{field}__in": wanted}).values(field, "names")  # type: ignore[attr-defined]
        return {row[field]: pick(row["names"]) or row[field] for row in rows}

    return labels


def _licence_labels(values: Iterable[str]) -> dict[str, str]:
    rows = Licence.objects.filter(spdx_id__in=set(values)).values("spdx_id", "names")
    return {row["spdx_id"]: pick(row["names"]) or row["spdx_id"] for row in rows}


def _isced_labels(values: Iterable[str]) -> dict[str, str]:
    rows = IscedLevel.objects.filter(code__in=set(values)).values("code", "names")
    return {row["code"]: f"{row['code']} · {pick(row['names'])}" for row in rows}


def competency_key(framework_code: str, framework_version: str, code: str) -> str:
    """A competency as a facet value: ``ict-cft-3.1.KA`` (framework, version, competency)."""
    return f"{framework_code}-{framework_version}.{code}"


def _competency_labels(values: Iterable[str]) -> dict[str, str]:
    wanted = set(values)
    rows = Competency.objects.values(
        "code", "names", "framework__code", "framework__version"
    ).order_by()
    found = {}
    for row in rows:
        key = competency_key(row["framework__code"], row["framework__version"], row["code"])
        if key in wanted:
            found[key] = f"{row['code']} · {pick(row['names'])}"
    return found


def _accessibility_labels(values: Iterable[str]) -> dict[str, str]:
    rows = Term.objects.filter(
        vocabulary__code=ACCESSIBILITY_VOCABULARY, code__in=set(values)
    ).values("code", "names")
    return {row["code"]: pick(row["names"]) or row["code"] for row in rows}


_LABELS: dict[tuple[str, str], tuple[float, dict[str, str]]] = {}
LABELS_SECONDS = 300  # reference data changes only with `iite load-reference`


def labels_of(name: str, values: Iterable[str]) -> dict[str, str]:
    """Labels of a facet's values in the active language, through a per-process cache."""
    wanted = set(values)
    key = (name, translation.get_language() or "en")
    now = time.monotonic()
    expires, known = _LABELS.get(key, (0.0, {}))
    if expires < now:
        expires, known = now + LABELS_SECONDS, {}
    missing = wanted - known.keys()
    if missing:
        known = {**known, **FACETS[name].labels(missing)}
    _LABELS[key] = (expires, known)
    return {value: known[value] for value in wanted if value in known}


FACETS: dict[str, FacetDefinition] = {
    definition.name: definition
    for definition in (
        FacetDefinition("kind", gettext_lazy("Kind"), _kind_labels),
        FacetDefinition("language", gettext_lazy("Language"), _named(Language)),
        FacetDefinition("country", gettext_lazy("Country"), _named(Country, "alpha2")),
        FacetDefinition("region", gettext_lazy("Region"), _named(Region)),
        FacetDefinition("isced", gettext_lazy("ISCED level"), _isced_labels),
        FacetDefinition("topic", gettext_lazy("Topic"), _named(Topic)),
        FacetDefinition("area", gettext_lazy("Action area"), _named(ActionArea)),
        FacetDefinition("competency", gettext_lazy("Competency (ICT CFT)"), _competency_labels),
        FacetDefinition("licence", gettext_lazy("Licence"), _licence_labels),
        FacetDefinition("year", gettext_lazy("Year"), _year_labels, ordered_by_value=True),
        FacetDefinition(
            "accessibility", gettext_lazy("Accessibility feature"), _accessibility_labels
        ),
    )
}
MAX_VALUES_PER_FACET = 50


def validate_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    """The filters, checked: every facet known, every value an existing code. Else a 400."""
    problems = []
    clean: dict[str, list[str]] = {}
    for name, raw_values in filters.items():
        definition = FACETS.get(name)
        if definition is None:
            problems.append({"field": name, "message": _("There is no such facet.")})
            continue
        values = list(dict.fromkeys(value.strip() for value in raw_values if value.strip()))
        if not values:
            continue
        if len(values) > MAX_VALUES_PER_FACET:
            problems.append({"field": name, "message": _("Too many values chosen.")})
            continue
        known = labels_of(name, values)
        unknown = [value for value in values if value not in known]
        if unknown:
            message = _("Unknown value: %(values)s.") % {"values": ", ".join(unknown[:5])}
            problems.append({"field": name, "message": message})
            continue
        clean[name] = values
    if problems:
        raise ApplicationError(
            _("Some of the chosen filters do not exist; see details."),
            code="unknown_facet_value",
            details=problems,
        )
    return clean


def resource_facets(resource: Resource) -> list[tuple[str, str]]:
    """The (facet, value) pairs of one resource, from its metadata (a few queries)."""
    pairs: list[tuple[str, str]] = [("kind", resource.kind)]
    if resource.language_id:
        pairs.append(("language", resource.language.code))
    if resource.issued:
        pairs.append(("year", str(resource.issued.year)))
    if resource.licence_id and resource.licence is not None:
        pairs.append(("licence", resource.licence.spdx_id))
    # Only .all() here, so a caller's prefetch_related (see index.PREFETCH) serves every line.
    countries = list(resource.countries.all())
    pairs += [("country", country.alpha2) for country in countries]
    regions = {region.code for region in resource.regions.all()}
    regions |= {country.unesco_region.code for country in countries if country.unesco_region}
    pairs += [("region", code) for code in sorted(regions)]
    pairs += [("isced", level.code) for level in resource.isced_levels.all()]
    pairs += [("topic", topic.code) for topic in resource.topics.all()]
    pairs += [("area", area.code) for area in resource.action_areas.all()]
    pairs += [
        ("competency", competency_key(c.framework.code, c.framework.version, c.code))
        for c in resource.competencies.all()
    ]
    pairs += [
        ("accessibility", term.code)
        for term in resource.accessibility_features.all()
        if term.vocabulary.code == ACCESSIBILITY_VOCABULARY
    ]
    return list(dict.fromkeys(pairs))
