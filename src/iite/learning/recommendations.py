"""What to learn next: after a self-assessment, the paths and library resources aligned to the
competencies it shows to develop, each with its reason; and the paths aligned to given
competencies, for other apps.

Reads only: the assessments app says which competencies to develop, the library which of its
resources are aligned to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from iite.accounts.models import User
from iite.assessments import selectors as assessment_selectors
from iite.assessments.models import Result
from iite.core.translation import data_key, pick
from iite.learning.authoring_selectors import _competencies
from iite.learning.models import Path
from iite.library import selectors as library_selectors
from iite.reference.models import Competency


def paths_for_competencies(
    codes: Sequence[str], *, language: str | None = None, framework: str = "ict-cft"
) -> QuerySet[Path]:
    """Published paths aligned (themselves or by a step) to any of the competency ``codes``.

    For other apps (the countries app's policy gap analysis): codes such as ``"1.KA"`` of the
    framework ``framework``; ``language`` (ar, en, es, fr, ru, zh) keeps the paths in it.
    """
    aligned = Q(competencies__code__in=list(codes), competencies__framework__code=framework) | Q(
        steps__competencies__code__in=list(codes),
        steps__competencies__framework__code=framework,
    )
    queryset = Path.objects.published().filter(pk__in=Path.objects.filter(aligned).values("pk"))
    if language:
        queryset = queryset.filter(language=data_key(language))
    return queryset.prefetch_related(Prefetch("competencies", queryset=_competencies())).order_by(
        "title", "pk"
    )


@dataclass(frozen=True)
class Suggestion:
    """One competency to develop, why, and what to learn for it (here, or in other languages)."""

    code: str
    competency: str
    aspect: str
    reason: str
    paths: list[Path]
    resources: list[Any]
    elsewhere: list[Path]  # the nearest paths in other languages, when none are in the language
    elsewhere_resources: list[Any]

    @property
    def empty(self) -> bool:
        return not (self.paths or self.resources)


def recommendations_for(result: Result, *, language: str, limit: int = 3) -> list[Suggestion]:
    """What to learn next after a self-assessment, in ``language``, each with its reason.

    The assessment's competencies to develop (its lowest scores), each with the published
    paths and library resources aligned to it in the language; when there are none, the
    nearest in other languages.
    """
    language = data_key(language)
    develop = assessment_selectors.competencies_to_develop(result, limit=limit)
    if not develop:
        return []
    definition = assessment_selectors.definition_of(result.response.instrument)
    standing = {level.code: pick(level.names) for level in definition.levels}
    competencies = {
        competency.code: competency
        for competency in Competency.objects.filter(
            framework__code="ict-cft", code__in=[item.code for item in develop]
        ).select_related("dimension", "level")
    }
    suggestions = []
    for item in develop:
        competency = competencies.get(item.code)
        if competency is None:
            continue
        reason = _(
            "Because your %(aspect)s at the %(level)s level is “%(standing)s” (%(percent)d%%), "
            "one of your lowest."
        ) % {
            "aspect": competency.dimension.name,
            "level": competency.level.name,
            "standing": standing.get(item.level, item.level),
            "percent": round(item.score * 100),
        }
        paths = list(paths_for_competencies([item.code], language=language)[:limit])
        resources = list(
            library_selectors.resources_published(competencies=[item.code], language=language)[
                :limit
            ]
        )
        elsewhere: list[Path] = []
        elsewhere_resources: list[Any] = []
        if not paths and not resources:
            elsewhere = list(paths_for_competencies([item.code]).exclude(language=language)[:limit])
            elsewhere_resources = list(
                library_selectors.resources_published(competencies=[item.code]).exclude(
                    language__code=language
                )[:limit]
            )
        suggestions.append(
            Suggestion(
                code=item.code,
                competency=competency.name,
                aspect=competency.dimension.name,
                reason=reason,
                paths=paths,
                resources=resources,
                elsewhere=elsewhere,
                elsewhere_resources=elsewhere_resources,
            )
        )
    return suggestions


def latest_result_of(user: User) -> Result | None:
    """A person's newest self-assessment result against a framework, if any."""
    for result in assessment_selectors.results_of(user)[:10]:
        if result.response.instrument.framework_id is not None:
            return result
    return None
