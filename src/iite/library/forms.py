"""Forms of the library pages: a resource's metadata (editors), the structured case study (any
signed-in member), files, reviews, decisions and CSV import.

Forms only parse what a person typed into the codes ``services`` takes; ``services`` checks
again and writes, and their field-level problems are put back on the form with ``add_problems``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iite.core.translation import pick
from iite.library.models import Collection, Creator, Resource, ReviewAssignment
from iite.library.selectors import CRITERIA
from iite.reference.models import (
    ActionArea,
    Competency,
    Country,
    IscedLevel,
    Language,
    Licence,
    Term,
    Topic,
)

CRITERIA_LABELS = {
    "innovation": _("Innovation"),
    "impact": _("Evidence of impact"),
    "inclusion": _("Inclusion"),
    "scalability": _("Scalability"),
    "sustainability": _("Sustainability"),
}
CRITERIA_HELP = {
    "innovation": _("How new is the use of ICT, for this context, compared with common practice?"),
    "impact": _(
        "How well do data, evaluations or testimonies show that learners or teachers gained?"
    ),
    "inclusion": _(
        "Does it reach learners who are often left out: girls, rural learners, learners with "
        "disabilities, refugees?"
    ),
    "scalability": _("Could it grow to more schools or regions, or be adapted by other countries?"),
    "sustainability": _(
        "Can it last without the project's first funding: costs, ownership, skills?"
    ),
}
SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


def _choice(field: forms.Field) -> forms.ChoiceField:
    if not isinstance(field, forms.ChoiceField):  # pragma: no cover - a programming error
        raise TypeError(field)
    return field


def _named(rows: Any, key: str = "code") -> list[tuple[str, str]]:
    return sorted(
        ((getattr(r, key), pick(r.names) or getattr(r, key)) for r in rows), key=lambda c: c[1]
    )


def _terms(vocabulary: str) -> list[tuple[str, str]]:
    return [
        (t.code, pick(t.names) or t.code)
        for t in Term.objects.filter(vocabulary__code=vocabulary).order_by("order", "code")
    ]


def creators_text(resource: Resource | None) -> str:
    """The creators as the form shows them: one per line, ``Family, Given`` or an organisation."""
    if resource is None:
        return ""
    lines = []
    for creator in resource.creators.all():
        if creator.kind == Creator.Kind.PERSON and creator.given_names:
            lines.append(f"{creator.family_name}, {creator.given_names}")
        else:
            lines.append(creator.family_name)
    return "\n".join(lines)


def add_problems(form: forms.Form, details: list[dict[str, Any]], fallback: str = "") -> None:
    """Put a service's field-level problems on the form, beside their fields."""
    for detail in details:
        name = str(detail.get("field", "")).split(".")[0]
        if name == "case_study":
            name = str(detail.get("field", "")).split(".")[-1]
        target = name if name in form.fields else None
        form.add_error(target, str(detail.get("message", fallback)))
    if not details and fallback:
        form.add_error(None, fallback)


class _MetadataBase(forms.Form):
    """Fields every submission shares."""

    title = forms.CharField(label=_("Title"), max_length=500)
    abstract = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences a reader sees first and search engines show."),
    )
    language = forms.ChoiceField(label=_("Language of this edition"))
    creators = forms.CharField(
        label=_("Authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: a person as “Family name, Given names”, an organisation by its name."
        ),
    )
    countries = forms.MultipleChoiceField(label=_("Countries"), required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), required=False, widget=forms.CheckboxSelectMultiple
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        required=False,
        help_text=_("Separated by semicolons."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        languages = Language.objects.filter(
            Q(is_un_language=True)
            | Q(code__in=["pt", "de", "it", "ja", "ko", "hi", "sw", "tr", "uk", "kk", "uz"])
        )
        _choice(self.fields["language"]).choices = [("", _("Choose…")), *_named(languages)]
        _choice(self.fields["countries"]).choices = _named(Country.objects.all(), "alpha2")
        _choice(self.fields["topics"]).choices = _named(Topic.objects.order_by("order"))

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "abstract": data.get("abstract", ""),
            "language": data["language"],
            "creators": [line for line in data.get("creators", "").splitlines() if line.strip()],
            "countries": list(data.get("countries") or []),
            "topics": list(data.get("topics") or []),
            "keywords": data.get("keywords", ""),
        }

    @classmethod
    def initial_for(cls, resource: Resource) -> dict[str, Any]:
        return {
            "title": resource.title,
            "abstract": resource.abstract,
            "language": resource.language.code,
            "creators": creators_text(resource),
            "countries": [c.alpha2 for c in resource.countries.all()],
            "topics": [t.code for t in resource.topics.all()],
            "keywords": "; ".join(resource.keywords or []),
        }


class ResourceForm(_MetadataBase):
    """Every field of a resource, for editors."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    publisher = forms.CharField(label=_("Publisher"), max_length=300, required=False)
    issued = forms.CharField(
        label=_("Date of publication"), required=False, help_text=_("YYYY-MM-DD, YYYY-MM or YYYY.")
    )
    isbn = forms.CharField(label=_("ISBN"), required=False, max_length=17)
    doi = forms.CharField(label=_("DOI"), required=False, max_length=200)
    url = forms.CharField(label=_("Web address"), required=False, max_length=1000)
    licence = forms.ChoiceField(label=_("Licence"), required=False)
    isced_levels = forms.MultipleChoiceField(
        label=_("ISCED levels"), required=False, widget=forms.CheckboxSelectMultiple
    )
    action_areas = forms.MultipleChoiceField(
        label=_("Action areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    competencies = forms.MultipleChoiceField(
        label=_("Competencies taught (ICT CFT)"), required=False
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience"), required=False, widget=forms.CheckboxSelectMultiple
    )
    learning_resource_types = forms.MultipleChoiceField(
        label=_("Learning resource type"), required=False
    )
    accessibility_features = forms.MultipleChoiceField(
        label=_("Accessibility features"), required=False
    )
    access_modes = forms.MultipleChoiceField(
        label=_("Access modes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    accessibility_hazards = forms.MultipleChoiceField(
        label=_("Accessibility hazards"), required=False, widget=forms.CheckboxSelectMultiple
    )
    accessibility_summary = forms.CharField(
        label=_("Accessibility summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = [
        "kind",
        "title",
        "abstract",
        "language",
        "creators",
        "publisher",
        "issued",
        "isbn",
        "doi",
        "url",
        "licence",
        "keywords",
        "countries",
        "topics",
        "isced_levels",
        "action_areas",
        "competencies",
        "audiences",
        "learning_resource_types",
        "accessibility_features",
        "access_modes",
        "accessibility_hazards",
        "accessibility_summary",
    ]
    RELATED_TERMS = {
        "audiences": "educational-audience",
        "learning_resource_types": "learning-resource-type",
        "accessibility_features": "accessibility-feature",
        "access_modes": "access-mode",
        "accessibility_hazards": "accessibility-hazard",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["licence"]).choices = [
            ("", _("Not stated")),
            *[
                (lic.spdx_id, pick(lic.names) or lic.spdx_id)
                for lic in Licence.objects.order_by("order")
            ],
        ]
        _choice(self.fields["isced_levels"]).choices = [
            (lvl.code, f"{lvl.code} · {pick(lvl.names)}")
            for lvl in IscedLevel.objects.order_by("order")
        ]
        _choice(self.fields["action_areas"]).choices = [
            (a.code, f"{a.number} · {pick(a.names)}") for a in ActionArea.objects.order_by("number")
        ]
        _choice(self.fields["competencies"]).choices = [
            (c.code, f"{c.code} · {pick(c.names)}")
            for c in Competency.objects.select_related("dimension", "level")
        ]
        for name, vocabulary in self.RELATED_TERMS.items():
            _choice(self.fields[name]).choices = _terms(vocabulary)

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        data = self.cleaned_data
        for name in (
            "kind",
            "publisher",
            "issued",
            "isbn",
            "doi",
            "url",
            "licence",
            "accessibility_summary",
        ):
            fields[name] = data.get(name, "")
        for name in ("isced_levels", "action_areas", "competencies", *self.RELATED_TERMS):
            fields[name] = list(data.get(name) or [])
        return fields

    @classmethod
    def initial_for(cls, resource: Resource) -> dict[str, Any]:
        initial = super().initial_for(resource)
        initial.update(
            kind=resource.kind,
            publisher=resource.publisher,
            issued=resource.issued.isoformat() if resource.issued else "",
            isbn=resource.isbn,
            doi=resource.doi,
            url=resource.url,
            licence=resource.licence.spdx_id if resource.licence else "",
            accessibility_summary=resource.accessibility_summary,
            isced_levels=[x.code for x in resource.isced_levels.all()],
            action_areas=[x.code for x in resource.action_areas.all()],
            competencies=[x.code for x in resource.competencies.all()],
            **{name: [t.code for t in getattr(resource, name).all()] for name in cls.RELATED_TERMS},
        )
        return initial


class CaseStudyForm(_MetadataBase):
    """The structured case study any signed-in member may write and submit."""

    context = forms.CharField(
        label=_("Context and challenge"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where, for whom, and what problem the practice answers."),
    )
    solution = forms.CharField(
        label=_("Solution and technology"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What was done, with which technology and teaching approach."),
    )
    actors = forms.CharField(
        label=_("Actors and partners"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    results = forms.CharField(
        label=_("Results and evidence"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What changed, and how you know: figures, evaluations, testimonies."),
    )
    lessons = forms.CharField(
        label=_("Lessons learnt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    scalability = forms.CharField(
        label=_("Scalability"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Could others do the same, elsewhere or at a larger scale?"),
    )
    contacts = forms.CharField(
        label=_("Contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who readers may write to (shown on the published page)."),
    )

    PARTS = ("context", "solution", "actors", "results", "lessons", "scalability", "contacts")

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["case_study"] = {part: self.cleaned_data.get(part, "") for part in self.PARTS}
        return fields

    @classmethod
    def initial_for(cls, resource: Resource) -> dict[str, Any]:
        initial = super().initial_for(resource)
        case = getattr(resource, "case_study", None)
        if case is not None:
            initial.update({part: getattr(case, part) for part in cls.PARTS})
        return initial


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, EPUB, DOCX, HTML, or a PNG, JPEG or WebP image.")
    )
    label = forms.CharField(
        label=_("Label"),
        required=False,
        max_length=200,
        help_text=_("For example “Full report” or “Summary in French”."),
    )


class CoverForm(forms.Form):
    cover = forms.FileField(label=_("Cover image"), help_text=_("A PNG, JPEG or WebP image."))


class LinkForm(forms.Form):
    url = forms.CharField(label=_("Web address of the video or page"), max_length=1000)
    label = forms.CharField(label=_("Label"), required=False, max_length=200)


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("Reviewer"))

    def __init__(self, *args: Any, reviewers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self.fields["reviewer"]).choices = [
            ("", _("Choose…")),
            *[(str(u.pk), u.name or u.email) for u in reviewers],
        ]


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment for the editors"), widget=forms.Textarea(attrs={"rows": 6})
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=ReviewAssignment.Recommendation.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, with_scores: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.score_names: list[str] = []
        if with_scores:
            for criterion in CRITERIA:
                name = f"score_{criterion}"
                self.fields[name] = forms.ChoiceField(
                    label=CRITERIA_LABELS[criterion],
                    help_text=CRITERIA_HELP[criterion],
                    choices=SCORE_CHOICES,
                    widget=forms.RadioSelect,
                )
                self.score_names.append(name)
            self.order_fields([*self.score_names, "comment", "recommendation"])

    def scores(self) -> dict[str, str]:
        return {
            name.removeprefix("score_"): self.cleaned_data.get(name, "")
            for name in self.score_names
        }


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("What should the submitter change?"), widget=forms.Textarea(attrs={"rows": 4})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it withdrawn? (shown on its page)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReinstateForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it published again? (kept in its history)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EditionForm(forms.Form):
    other = forms.UUIDField(
        label=_("Identifier of another edition of this work"),
        help_text=_("The identifier at the end of that resource's address."),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"), help_text=_("UTF-8, with the header row described on this page.")
    )


class CollectionForm(forms.Form):
    """A new collection or series, named in the six languages (English required)."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_("Letters, digits and hyphens; used in its address."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Collection.Kind.choices)
    name_en = forms.CharField(label=_("Name in English"), max_length=200)
    name_fr = forms.CharField(label=_("Name in French"), max_length=200, required=False)
    name_es = forms.CharField(label=_("Name in Spanish"), max_length=200, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=200, required=False)
    name_ar = forms.CharField(label=_("Name in Arabic"), max_length=200, required=False)
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def names(self) -> dict[str, str]:
        return {
            code: self.cleaned_data.get(f"name_{code}", "")
            for code in ("ar", "en", "es", "fr", "ru", "zh")
        }


class CollectionItemForm(forms.Form):
    resource = forms.UUIDField(
        label=_("Identifier of a resource to add"),
        help_text=_("The identifier at the end of the resource's address."),
    )
