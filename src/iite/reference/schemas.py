"""Output schemas of the reference API: every entry has ``names`` (all six languages) and
``name`` in the request's language (``?lang=fr``, else the Accept-Language header)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Schema

from iite.core.translation import DATA_LANGUAGES, data_key, pick

ApiLanguage = Literal["ar", "en", "es", "fr", "ru", "zh", "zh-hans"]


def request_language(request: HttpRequest | None) -> str:
    """The data language the response is in: ``?lang=`` if valid, else the active language."""
    asked = request.GET.get("lang", "") if request is not None else ""
    if asked and data_key(asked) in DATA_LANGUAGES:
        return data_key(asked)
    return data_key(translation.get_language() or "en")


class TranslatedOut(Schema):
    names: dict[str, str]
    name: str

    @staticmethod
    def resolve_name(obj: Any, context: dict[str, Any]) -> str:
        return pick(obj.names, request_language(context.get("request")))


class DescribedOut(TranslatedOut):
    descriptions: dict[str, str]
    description: str

    @staticmethod
    def resolve_description(obj: Any, context: dict[str, Any]) -> str:
        return pick(obj.descriptions, request_language(context.get("request")))


class RegionRefOut(TranslatedOut):
    code: str
    kind: str


class RegionOut(RegionRefOut):
    parent: str | None

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


class CountryOut(TranslatedOut):
    alpha2: str
    alpha3: str
    m49: str
    official_names: dict[str, str]
    un_region: RegionRefOut | None
    un_subregion: RegionRefOut | None
    un_intermediate_region: RegionRefOut | None
    unesco_region: RegionRefOut | None
    income_group: str


class LanguageOut(TranslatedOut):
    code: str
    alpha3: str
    direction: Literal["ltr", "rtl"]
    is_un_language: bool


class IscedLevelOut(DescribedOut):
    code: str


class SdgIndicatorOut(TranslatedOut):
    code: str
    target: str

    @staticmethod
    def resolve_target(obj: Any) -> str:
        return str(obj.target.code)


class SdgIndicatorRefOut(TranslatedOut):
    code: str


class SdgTargetOut(TranslatedOut):
    code: str
    indicators: list[SdgIndicatorRefOut]


class StrategicPriorityOut(DescribedOut):
    code: str
    number: int


class ActionAreaOut(DescribedOut):
    code: str
    number: int
    priorities: list[int]

    @staticmethod
    def resolve_priorities(obj: Any) -> list[int]:
        return [priority.number for priority in obj.priorities.all()]


class TopicOut(DescribedOut):
    code: str


class LicenceOut(TranslatedOut):
    spdx_id: str
    url: str
    is_open: bool


class TermOut(TranslatedOut):
    code: str


class VocabularyOut(TranslatedOut):
    code: str
    source_url: str
    terms: list[TermOut]


class FrameworkOut(DescribedOut):
    code: str
    version: str
    url: str
    licence: LicenceOut
    attribution: str
    attributions: dict[str, str]

    @staticmethod
    def resolve_attribution(obj: Any, context: dict[str, Any]) -> str:
        return pick(obj.attribution, request_language(context.get("request")))

    @staticmethod
    def resolve_attributions(obj: Any) -> dict[str, str]:
        return dict(obj.attribution)


class DimensionOut(TranslatedOut):
    code: str
    order: int


class LevelOut(TranslatedOut):
    code: str
    order: int


class CompetencyOut(DescribedOut):
    code: str
    dimension: str
    level: str

    @staticmethod
    def resolve_dimension(obj: Any) -> str:
        return str(obj.dimension.code)

    @staticmethod
    def resolve_level(obj: Any) -> str:
        return str(obj.level.code)


class FrameworkDetailOut(FrameworkOut):
    dimensions: list[DimensionOut]
    levels: list[LevelOut]
    competencies: list[CompetencyOut]


class CompetencyDetailOut(CompetencyOut):
    framework: FrameworkOut
