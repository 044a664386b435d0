"""The parts of the platform, the action areas they serve, and whether each is open yet."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    """A part of the platform; ``url_name`` is empty until the part is built."""

    code: str
    title: str | Promise
    summary: str | Promise
    action_areas: tuple[int, ...]
    url_name: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name) if self.url_name else ""


SECTIONS: tuple[Section, ...] = (
    Section(
        "countries",
        _("Country profiles"),
        _("SDG 4 ICT indicators and the ICT-in-education policy self-assessment."),
        (1,),
        "countries:index",
    ),
    Section(
        "library",
        _("Knowledge hub"),
        _("Publications, policy documents, case studies and open educational resources."),
        (2, 4, 5),
        "library:search",
    ),
    Section(
        "assessments",
        _("Self-assessments"),
        _("Teachers' ICT competencies and schools' digital readiness."),
        (2, 3),
        "assessments:index",
    ),
    Section(
        "learning",
        _("Learning paths and badges"),
        _("Courses aligned to the ICT Competency Framework for Teachers, with verifiable badges."),
        (1, 3),
        "learning:index",
    ),
    Section(
        "accessibility",
        _("Accessibility checks"),
        _("Accessibility audits and metadata of the resources we share."),
        (5,),
    ),
    Section(
        "network",
        _("Partners and events"),
        _("Partners, projects and events with registration."),
        (6,),
    ),
    Section(
        "reference",
        _("Reference data"),
        _("Countries, languages, SDG 4 indicators, topics, licences and competency frameworks."),
        (),
        "reference:index",
    ),
)


def open_sections() -> list[Section]:
    """The sections built so far."""
    return [section for section in SECTIONS if section.url_name]


def sections_for(action_area: int) -> list[Section]:
    """The sections that serve an action area (by its number)."""
    return [section for section in SECTIONS if action_area in section.action_areas]
