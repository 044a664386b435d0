"""Reference data API, mounted at /api/v1/reference/. Public: every operation is ``auth=None``.

Each operation accepts ``lang`` (one of the six UN languages) to choose the language of ``name``.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query

from iite.core.errors import NotFound
from iite.core.pagination import PageNumberPagination
from iite.reference import selectors
from iite.reference.schemas import (
    ActionAreaOut,
    ApiLanguage,
    CompetencyDetailOut,
    CountryOut,
    FrameworkDetailOut,
    FrameworkOut,
    IscedLevelOut,
    LanguageOut,
    LicenceOut,
    RegionOut,
    SdgIndicatorOut,
    SdgTargetOut,
    StrategicPriorityOut,
    TopicOut,
    VocabularyOut,
)

router = Router(tags=["reference"], auth=None)

LANG = Query(
    None, description="Language of `name`: ar, en, es, fr, ru or zh (default: Accept-Language)."
)


@router.get("/countries", response=list[CountryOut], auth=None, summary="Countries and territories")
@paginate(PageNumberPagination)
def country_list(
    request: HttpRequest,
    region: str | None = Query(
        None,
        description="M49 code of a UN region, sub-region or intermediate region (002, 202, 014).",
    ),
    unesco_region: str | None = Query(
        None, description="UNESCO region code, e.g. africa, arab-states."
    ),
    q: str | None = Query(
        None, max_length=100, description="Part of a code or of a name in any of the six languages."
    ),
    lang: ApiLanguage | None = LANG,
) -> Any:
    return selectors.countries(region=region, unesco_region=unesco_region, q=q)


@router.get(
    "/countries/{code}",
    response=CountryOut,
    auth=None,
    summary="One country by ISO alpha-2 or alpha-3 code",
)
def country_detail(request: HttpRequest, code: str, lang: ApiLanguage | None = LANG) -> Any:
    country = selectors.country_by_code(code)
    if country is None:
        raise NotFound(
            _("There is no country or territory with the code “%(code)s”.") % {"code": code}
        )
    return country


@router.get("/regions", response=list[RegionOut], auth=None, summary="UN M49 and UNESCO regions")
def region_list(
    request: HttpRequest,
    kind: str | None = Query(None, pattern="^(un-region|un-subregion|un-intermediate|unesco)$"),
    lang: ApiLanguage | None = LANG,
) -> Any:
    return selectors.regions(kind=kind)


@router.get("/languages", response=list[LanguageOut], auth=None, summary="Languages (ISO 639)")
@paginate(PageNumberPagination)
def language_list(
    request: HttpRequest,
    un: bool = Query(False, description="Only the six UN languages."),
    lang: ApiLanguage | None = LANG,
) -> Any:
    return selectors.languages(un_only=un)


@router.get("/isced-levels", response=list[IscedLevelOut], auth=None, summary="ISCED 2011 levels")
def isced_level_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.isced_levels()


@router.get(
    "/sdg-targets",
    response=list[SdgTargetOut],
    auth=None,
    summary="SDG 4 targets with their indicators",
)
def sdg_target_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.sdg_targets()


@router.get(
    "/sdg-indicators", response=list[SdgIndicatorOut], auth=None, summary="SDG 4 indicators"
)
def sdg_indicator_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.sdg_indicators()


@router.get(
    "/strategic-priorities",
    response=list[StrategicPriorityOut],
    auth=None,
    summary="The institute's strategic priorities",
)
def strategic_priority_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.strategic_priorities()


@router.get(
    "/action-areas", response=list[ActionAreaOut], auth=None, summary="The institute's action areas"
)
def action_area_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.action_areas()


@router.get("/topics", response=list[TopicOut], auth=None, summary="Topics")
def topic_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.topics()


@router.get("/licences", response=list[LicenceOut], auth=None, summary="Content licences")
def licence_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.licences()


@router.get(
    "/vocabularies",
    response=list[VocabularyOut],
    auth=None,
    summary="Controlled vocabularies with their terms",
)
def vocabulary_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.vocabularies()


@router.get(
    "/vocabularies/{code}",
    response=VocabularyOut,
    auth=None,
    summary="One vocabulary with its terms",
)
def vocabulary_detail(request: HttpRequest, code: str, lang: ApiLanguage | None = LANG) -> Any:
    vocabulary = selectors.vocabulary_by_code(code)
    if vocabulary is None:
        raise NotFound(_("There is no vocabulary “%(code)s”.") % {"code": code})
    return vocabulary


@router.get("/frameworks", response=list[FrameworkOut], auth=None, summary="Competency frameworks")
def framework_list(request: HttpRequest, lang: ApiLanguage | None = LANG) -> Any:
    return selectors.frameworks()


def _framework(code: str, version: str) -> Any:
    framework = selectors.framework_detail(code=code, version=version)
    if framework is None:
        raise NotFound(
            _("There is no competency framework “%(code)s” version %(version)s.")
            % {"code": code, "version": version}
        )
    return framework


@router.get(
    "/frameworks/{code}/{version}",
    response=FrameworkDetailOut,
    auth=None,
    summary="A framework with its dimensions, levels and competencies",
)
def framework_detail(
    request: HttpRequest, code: str, version: str, lang: ApiLanguage | None = LANG
) -> Any:
    return _framework(code, version)


@router.get(
    "/frameworks/{code}/{version}/competencies/{competency}",
    response=CompetencyDetailOut,
    auth=None,
    summary="One competency of a framework",
)
def competency_detail(
    request: HttpRequest, code: str, version: str, competency: str, lang: ApiLanguage | None = LANG
) -> Any:
    found = selectors.competency_by_code(framework=_framework(code, version), code=competency)
    if found is None:
        raise NotFound(_("This framework has no competency “%(code)s”.") % {"code": competency})
    return found
