"""The one metadata mapping of a resource: input (codes or rows) checked into model values, and
the output record that the API, CSV, JSON-LD and citations all read.

Controlled values are given by their codes: a language by ISO 639 code, a licence by SPDX id, a
country by alpha-2 code, a region, ISCED level, topic, action area, SDG target or competency by
its code, and vocabulary terms (audience, accessibility…) by the standard's token. Rows of those
models are accepted as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext as _

from iite.library.models import Creator, Resource
from iite.reference.models import (
    ActionArea,
    Competency,
    Country,
    IscedLevel,
    Language,
    Licence,
    Region,
    SdgTarget,
    Term,
    Topic,
)

SCALAR_TEXT = {
    "title": 500,
    "abstract": 20_000,
    "publisher": 300,
    "accessibility_summary": 5_000,
}
# Many-to-many fields: the model, and the field codes are looked up by (or a vocabulary code).
RELATED: dict[str, tuple[type[models.Model], str, str | None]] = {
    "countries": (Country, "alpha2", None),
    "regions": (Region, "code", None),
    "isced_levels": (IscedLevel, "code", None),
    "topics": (Topic, "code", None),
    "action_areas": (ActionArea, "code", None),
    "sdg_targets": (SdgTarget, "code", None),
    "competencies": (Competency, "code", None),
    "audiences": (Term, "code", "educational-audience"),
    "learning_resource_types": (Term, "code", "learning-resource-type"),
    "accessibility_features": (Term, "code", "accessibility-feature"),
    "access_modes": (Term, "code", "access-mode"),
    "access_modes_sufficient": (Term, "code", "access-mode-sufficient"),
    "accessibility_hazards": (Term, "code", "accessibility-hazard"),
}
CASE_STUDY_FIELDS = (
    "context",
    "solution",
    "actors",
    "results",
    "lessons",
    "scalability",
    "contacts",
)
CASE_STUDY_REQUIRED = ("context", "solution", "results")
OTHER_FIELDS = {
    "kind",
    "language",
    "licence",
    "issued",
    "isbn",
    "doi",
    "url",
    "keywords",
    "creators",
    "case_study",
}
ALL_FIELDS = set(SCALAR_TEXT) | set(RELATED) | OTHER_FIELDS
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
ORCID_PATTERN = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
MAX_KEYWORDS = 30
MAX_CREATORS = 100


@dataclass
class Cleaned:
    """Checked values, ready to write; only the fields that were given."""

    scalars: dict[str, Any] = field(default_factory=dict)
    related: dict[str, list[models.Model]] = field(default_factory=dict)
    creators: list[dict[str, str]] | None = None
    case_study: dict[str, str] | None = None


class Problems:
    """Field-level problems gathered while cleaning, raised together."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field_name: str, message: str, rule: str) -> None:
        self.items.append({"field": field_name, "message": message, "rule": rule})

    def __bool__(self) -> bool:
        return bool(self.items)


def _lookup(model: type[models.Model], key: str, vocabulary: str | None) -> Any:
    queryset = model._default_manager.all()
    if vocabulary:
        queryset = queryset.filter(vocabulary__code=vocabulary)
    return queryset


def _listing(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[;\n]", value) if part.strip()]
    if isinstance(value, Iterable) and not isinstance(value, (bytes, Mapping)):
        return list(value)
    return [value]


def isbn_valid(value: str) -> bool:
    digits = value.replace("-", "").replace(" ", "").upper()
    if len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def doi_normal(value: str) -> str:
    value = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value


def parse_date(value: Any) -> date | None:
    """A date from a date, ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; None if it is none of them."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4)):
        try:
            return datetime.strptime(text[:size], pattern).date()
        except ValueError:
            continue
    return None


def creator_from(value: Any) -> dict[str, str]:
    """A creator from a mapping, or from text ``Family, Given`` (a person) or ``Name`` (an
    organisation when it has no comma)."""
    if isinstance(value, Creator):
        return {
            key: getattr(value, key)
            for key in ("kind", "role", "family_name", "given_names", "affiliation", "orcid")
        }
    if isinstance(value, Mapping):
        return {str(k): str(v or "").strip() for k, v in value.items()}
    text = str(value).strip()
    if "," in text:
        family, given = text.split(",", 1)
        return {"kind": "person", "family_name": family.strip(), "given_names": given.strip()}
    return {"kind": "organisation", "family_name": text}


def _clean_creators(raw: Any, problems: Problems) -> list[dict[str, str]]:
    creators = []
    items = _listing(raw)
    if len(items) > MAX_CREATORS:
        problems.add("creators", _("At most %(n)d creators.") % {"n": MAX_CREATORS}, "too_many")
        return []
    for position, item in enumerate(items, start=1):
        creator = creator_from(item)
        unknown = set(creator) - {
            "kind",
            "role",
            "family_name",
            "given_names",
            "affiliation",
            "orcid",
        }
        where = f"creators.{position}"
        if unknown:
            problems.add(
                where,
                _("Unknown parts: %(parts)s.") % {"parts": ", ".join(sorted(unknown))},
                "unknown_field",
            )
            continue
        creator.setdefault("kind", "person")
        creator.setdefault("role", "author")
        if not creator.get("family_name"):
            problems.add(where, _("Give the family name, or the organisation's name."), "required")
        if creator["kind"] not in Creator.Kind.values:
            problems.add(where, _("A creator is a person or an organisation."), "choice")
        if creator["role"] not in Creator.Role.values:
            problems.add(where, _("A creator is an author, editor or contributor."), "choice")
        if creator.get("orcid") and not ORCID_PATTERN.match(creator["orcid"]):
            problems.add(where, _("An ORCID looks like 0000-0002-1825-0097."), "format")
        if any(
            len(creator.get(k, "")) > 300 for k in ("family_name", "given_names", "affiliation")
        ):
            problems.add(where, _("A name is at most 300 characters."), "length")
        creators.append(creator)
    return creators


def without_nul(value: Any) -> Any:
    """``value`` with NUL characters removed from every string in it (PostgreSQL refuses them
    in text, and no person means one)."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, Mapping):
        return {without_nul(k): without_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_nul(v) for v in value]
    return value


def clean(fields: Mapping[str, Any], *, creating: bool) -> Cleaned:
    """Check ``fields``; raise one ``ApplicationError`` listing every problem, or return them
    ready to write. When ``creating``, title, kind and language are required."""
    from iite.core.errors import ApplicationError

    fields = without_nul(fields)
    problems = Problems()
    cleaned = Cleaned()
    for name in sorted(set(fields) - ALL_FIELDS):
        problems.add(
            name, _("There is no field called “%(name)s”.") % {"name": name}, "unknown_field"
        )

    for name, limit in SCALAR_TEXT.items():
        if name not in fields:
            continue
        value = (
            " ".join(str(fields[name] or "").split())
            if name == "title"
            else str(fields[name] or "").strip()
        )
        if len(value) > limit:
            problems.add(name, _("At most %(n)d characters.") % {"n": limit}, "length")
        cleaned.scalars[name] = value
    if (creating or "title" in fields) and not cleaned.scalars.get("title"):
        problems.add("title", _("Give the title."), "required")

    if creating or "kind" in fields:
        kind = str(fields.get("kind") or "")
        if kind not in Resource.Kind.values:
            problems.add("kind", _("Choose one of the kinds of resource."), "choice")
        cleaned.scalars["kind"] = kind

    if creating or "language" in fields:
        language = fields.get("language")
        if not isinstance(language, Language):
            code = str(language or "").strip().lower()
            language = (
                Language.objects.filter(models.Q(code=code) | models.Q(alpha3=code)).first()
                if code
                else None
            )
        if language is None:
            problems.add(
                "language",
                _("Give the language of this edition (an ISO 639 code such as “fr”)."),
                "choice",
            )
        cleaned.scalars["language"] = language

    if "licence" in fields:
        licence = fields["licence"]
        if licence in (None, ""):
            licence = None
        elif not isinstance(licence, Licence):
            found = Licence.objects.filter(spdx_id__iexact=str(licence).strip()).first()
            if found is None:
                problems.add(
                    "licence",
                    _("Unknown licence “%(value)s”; give its SPDX id, such as CC-BY-4.0.")
                    % {"value": licence},
                    "choice",
                )
            licence = found
        cleaned.scalars["licence"] = licence

    if "issued" in fields:
        raw = fields["issued"]
        issued = None if raw in (None, "") else parse_date(raw)
        if raw not in (None, "") and issued is None:
            problems.add("issued", _("Give the date as YYYY-MM-DD, YYYY-MM or YYYY."), "format")
        cleaned.scalars["issued"] = issued

    if "isbn" in fields:
        isbn = str(fields["isbn"] or "").strip()
        if isbn and not isbn_valid(isbn):
            problems.add(
                "isbn", _("This is not a valid ISBN (its check digit is wrong)."), "format"
            )
        cleaned.scalars["isbn"] = isbn[:17]

    if "doi" in fields:
        doi = doi_normal(str(fields["doi"] or ""))
        if doi and not DOI_PATTERN.match(doi):
            problems.add("doi", _("A DOI looks like 10.54675/ABCD1234."), "format")
        cleaned.scalars["doi"] = doi

    if "url" in fields:
        url = str(fields["url"] or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                problems.add("url", _("Give a full web address starting with https://."), "format")
        cleaned.scalars["url"] = url

    if "keywords" in fields:
        keywords = [" ".join(str(k).split()) for k in _listing(fields["keywords"])]
        keywords = list(dict.fromkeys(k for k in keywords if k))
        if len(keywords) > MAX_KEYWORDS or any(len(k) > 100 for k in keywords):
            problems.add(
                "keywords",
                _("At most %(n)d keywords of 100 characters each.") % {"n": MAX_KEYWORDS},
                "length",
            )
        cleaned.scalars["keywords"] = keywords

    for name, (model, key, vocabulary) in RELATED.items():
        if name not in fields:
            continue
        values = _listing(fields[name])
        rows = [v for v in values if isinstance(v, model)]
        codes = [str(v).strip() for v in values if not isinstance(v, model)]
        if name == "countries":
            codes = [c.upper() for c in codes]
        if codes:
            by_code = {
                getattr(row, key): row
                for row in _lookup(model, key, vocabulary).filter(**{f"{key}__in": codes})
            }
            missing = [c for c in codes if c not in by_code]
            if missing:
                problems.add(
                    name, _("Unknown codes: %(codes)s.") % {"codes": ", ".join(missing)}, "choice"
                )
            rows += [by_code[c] for c in codes if c in by_code]
        cleaned.related[name] = list(dict.fromkeys(rows))

    if "creators" in fields:
        cleaned.creators = _clean_creators(fields["creators"], problems)

    if "case_study" in fields:
        raw_case = fields["case_study"] or {}
        if not isinstance(raw_case, Mapping):
            problems.add("case_study", _("The case study's parts are missing."), "format")
            raw_case = {}
        case = {}
        for part in sorted(set(raw_case) - set(CASE_STUDY_FIELDS)):
            problems.add(
                f"case_study.{part}",
                _("There is no part called “%(name)s”.") % {"name": part},
                "unknown_field",
            )
        for part in CASE_STUDY_FIELDS:
            text = str(raw_case.get(part) or "").strip()
            if len(text) > 20_000:
                problems.add(
                    f"case_study.{part}", _("At most %(n)d characters.") % {"n": 20_000}, "length"
                )
            case[part] = text
        cleaned.case_study = case

    if problems:
        raise ApplicationError(
            _("The resource was not saved; see what to correct in each field."),
            code="validation",
            details=problems.items,
        )
    return cleaned


def case_study_missing(case: Mapping[str, str] | None) -> list[str]:
    """The required parts of a case study that are empty (checked when it is submitted)."""
    case = case or {}
    return [part for part in CASE_STUDY_REQUIRED if not (case.get(part) or "").strip()]


# --- Output --------------------------------------------------------------------------------------
def creators_of(resource: Resource) -> list[Creator]:
    return sorted(resource.creators.all(), key=lambda c: (c.order, c.pk or 0))


def record(resource: Resource) -> dict[str, Any]:
    """The resource's metadata as plain data, codes for controlled values (API, CSV, exports)."""
    data: dict[str, Any] = {
        "uuid": str(resource.uuid),
        "work": str(resource.work),
        "kind": resource.kind,
        "status": resource.status,
        "title": resource.title,
        "abstract": resource.abstract,
        "keywords": list(resource.keywords or []),
        "language": resource.language.code,
        "publisher": resource.publisher,
        "issued": resource.issued.isoformat() if resource.issued else None,
        "isbn": resource.isbn,
        "doi": resource.doi,
        "url": resource.url,
        "licence": resource.licence.spdx_id if resource.licence else None,
        "accessibility_summary": resource.accessibility_summary,
        "creators": [
            {
                "kind": c.kind,
                "role": c.role,
                "family_name": c.family_name,
                "given_names": c.given_names,
                "affiliation": c.affiliation,
                "orcid": c.orcid,
            }
            for c in creators_of(resource)
        ],
        "published_at": resource.published_at.isoformat() if resource.published_at else None,
        "withdrawn_at": resource.withdrawn_at.isoformat() if resource.withdrawn_at else None,
        "withdrawal_reason": resource.withdrawal_reason,
    }
    for name, (_model, key, _vocabulary) in RELATED.items():
        data[name] = [getattr(row, key) for row in getattr(resource, name).all()]
    return data
