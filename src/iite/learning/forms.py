"""Forms of the authoring pages: a path, a step, a quiz question, a cohort.

Forms only parse what a person typed into what ``services`` and ``authoring`` take; those check
again and write, and their field-level problems are put back on the form with ``add_problems``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from iite.core.translation import pick
from iite.learning import authoring_selectors
from iite.learning.models import LANGUAGE_CHOICES, Cohort, Path, Step

QUESTION_SLOTS = 6


def _choice(field: forms.Field) -> forms.ChoiceField:
    if not isinstance(field, forms.ChoiceField):  # pragma: no cover - a programming error
        raise TypeError(field)
    return field


def add_problems(form: forms.Form, details: list[dict[str, Any]], fallback: str = "") -> None:
    """Put a service's field problems beside their fields (``questions.0.choices`` beside the
    first choice), the others above the form."""
    for detail in details:
        name = str(detail.get("field", "")).rsplit(".", 1)[-1]
        if name == "choices":
            name = "choice_1"
        form.add_error(name if name in form.fields else None, str(detail.get("message", "")))
    if not details and fallback:
        form.add_error(None, fallback)


def _emails(field: Any) -> forms.CharField:
    return forms.CharField(
        label=field,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Their e-mail addresses, one per line. They must have signed up."),
    )


def _people(text: str) -> list[Any]:
    found, unknown = authoring_selectors.users_by_email(text.split())
    if unknown:
        raise forms.ValidationError(
            _("Nobody has signed up with: %(emails)s.") % {"emails": ", ".join(unknown)}
        )
    return found


def _competency_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


def _competency_choices() -> list[tuple[str, str]]:
    return [
        (c.code, f"{c.code} · {pick(c.names)} ({c.dimension.name}, {c.level.name})")
        for c in authoring_selectors.competencies_to_align()
    ]


class PathForm(forms.Form):
    """Every field of a path; the address only when it is created."""

    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.CharField(
        label=_("Address"),
        max_length=80,
        required=False,
        help_text=_(
            "The end of the path's web address, e.g. ict-in-school-policy: lowercase letters, "
            "digits and hyphens. Left empty, it is made from the title. It cannot change later."
        ),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What a learner will be able to do, in a few sentences."),
    )
    language = forms.ChoiceField(label=_("Language of the path"))
    kind = forms.ChoiceField(label=_("Kind"), choices=Path.Kind.choices, widget=forms.RadioSelect)
    estimated_minutes = forms.IntegerField(
        label=_("Estimated time, in minutes"), min_value=1, max_value=100_000, initial=60
    )
    completion = forms.ChoiceField(
        label=_("To complete it"),
        choices=Path.Completion.choices,
        widget=forms.RadioSelect,
        initial=Path.Completion.ALL_STEPS,
    )
    pass_percent = forms.IntegerField(
        label=_("Pass mark of the quizzes, in percent"),
        min_value=1,
        max_value=100,
        initial=70,
        help_text=_("Counts only when the path is completed by its quiz scores."),
    )
    competencies = _competency_field(_("Competencies it develops (ICT CFT)"))
    prerequisites = forms.MultipleChoiceField(
        label=_("Paths to complete first"), required=False, widget=forms.CheckboxSelectMultiple
    )
    facilitators = _emails(_("Facilitators"))

    def __init__(self, *args: Any, path: Path | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.path = path
        if path is not None:
            del self.fields["slug"]
        _choice(self.fields["language"]).choices = [("", _("Choose…")), *LANGUAGE_CHOICES]
        _choice(self.fields["competencies"]).choices = _competency_choices()
        self._prerequisites = {p.slug: p for p in authoring_selectors.prerequisites_to_choose(path)}
        _choice(self.fields["prerequisites"]).choices = [
            (slug, p.title) for slug, p in self._prerequisites.items()
        ]

    def clean_facilitators(self) -> list[Any]:
        return _people(self.cleaned_data.get("facilitators", ""))

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data.get("slug", "")).strip()
        return slug or slugify(str(self.data.get("title", "")))[:80].strip("-")

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "summary",
                "language",
                "kind",
                "estimated_minutes",
                "completion",
                "pass_percent",
                "facilitators",
            )
        }
        fields["competencies"] = list(data.get("competencies") or [])
        fields["prerequisites"] = [self._prerequisites[s] for s in data.get("prerequisites", [])]
        if "slug" in self.fields:
            fields["slug"] = data["slug"]
        return fields

    @staticmethod
    def initial_for(path: Path) -> dict[str, Any]:
        return {
            "title": path.title,
            "summary": path.summary,
            "language": path.language,
            "kind": path.kind,
            "estimated_minutes": path.estimated_minutes,
            "completion": path.completion,
            "pass_percent": path.pass_percent,
            "competencies": [c.code for c in path.competencies.all()],
            "prerequisites": [p.slug for p in path.prerequisites.all()],
            "facilitators": "\n".join(u.email for u in path.facilitators.all()),
        }


class StepForm(forms.Form):
    """A step's fields; which appear depends on its kind, fixed when it is added."""

    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.CharField(
        label=_("Web address of the course"),
        max_length=200,
        help_text=_("Starting with https://"),
        widget=forms.URLInput,
    )
    resource = forms.CharField(
        label=_("Library resource"),
        help_text=_("Only published resources can be chosen. Search above to find others."),
        widget=forms.Select,
    )
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    estimated_minutes = forms.IntegerField(
        label=_("Estimated time, in minutes"), min_value=1, max_value=100_000, initial=15
    )
    competencies = _competency_field(_("Competencies it develops (ICT CFT)"))

    def __init__(self, *args: Any, kind: str, resources: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != Step.Kind.EXTERNAL:
            del self.fields["url"]
        if kind == Step.Kind.RESOURCE:
            self.fields["resource"].widget.choices = [
                ("", _("Choose…")),
                *[(str(r.uuid), f"{r.title} ({r.language.code})") for r in resources],
            ]
        else:
            del self.fields["resource"]
        if kind == Step.Kind.ACTIVITY:
            self.fields["instructions"].label = _("What the learner does and hands in")
            self.fields["instructions"].required = True
        else:
            self.fields["instructions"].label = _("Introduction (optional)")
        _choice(self.fields["competencies"]).choices = _competency_choices()

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            "title": data["title"],
            "instructions": data.get("instructions", ""),
            "estimated_minutes": data["estimated_minutes"],
            "competencies": list(data.get("competencies") or []),
        }
        if self.kind == Step.Kind.EXTERNAL:
            fields["url"] = data["url"]
        if self.kind == Step.Kind.RESOURCE:
            fields["resource"] = authoring_selectors.resource_to_choose(data["resource"])
        return fields

    @staticmethod
    def initial_for(step: Step) -> dict[str, Any]:
        return {
            "title": step.title,
            "url": step.url,
            "resource": str(step.resource.uuid) if step.resource else "",
            "instructions": step.instructions,
            "estimated_minutes": step.estimated_minutes,
            "competencies": [c.code for c in step.competencies.all()],
        }


class QuestionForm(forms.Form):
    """One quiz question: its text, up to six choices, and which one is right."""

    question = forms.CharField(
        label=_("Question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, slots: int = QUESTION_SLOTS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = max(slots, QUESTION_SLOTS)
        for number in range(1, self.slots + 1):
            self.fields[f"choice_{number}"] = forms.CharField(
                label=_("Choice %(number)d") % {"number": number},
                max_length=300,
                required=False,
                help_text=_("At least two choices; leave the others empty.") if number == 1 else "",
            )
        self.fields["answer"] = forms.ChoiceField(
            label=_("Which choice is right?"),
            required=False,
            widget=forms.RadioSelect,
            choices=[
                (str(n), _("Choice %(number)d") % {"number": n}) for n in range(1, self.slots + 1)
            ],
        )

    def question_fields(self) -> dict[str, Any]:
        """The text, the choices given (empty boxes dropped) and the right one's index in them."""
        data = self.cleaned_data
        choices: list[str] = []
        answer: int | None = None
        for number in range(1, self.slots + 1):
            text = (data.get(f"choice_{number}") or "").strip()
            if text:
                if data.get("answer") == str(number):
                    answer = len(choices)
                choices.append(text)
        return {"question": data["question"], "choices": choices, "answer": answer}

    @staticmethod
    def initial_for(question: dict[str, Any]) -> dict[str, Any]:
        initial = {"question": question.get("question", "")}
        for number, choice in enumerate(question.get("choices", []), 1):
            initial[f"choice_{number}"] = choice
        answer = question.get("answer")
        initial["answer"] = str(answer + 1) if isinstance(answer, int) else ""
        return initial


class CohortForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(
        label=_("Starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("YYYY-MM-DD"),
    )
    ends_on = forms.DateField(
        label=_("Ends on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("YYYY-MM-DD"),
    )
    facilitators = _emails(_("Facilitators"))

    def clean_facilitators(self) -> list[Any]:
        return _people(self.cleaned_data.get("facilitators", ""))

    @staticmethod
    def initial_for(cohort: Cohort) -> dict[str, Any]:
        return {
            "name": cohort.name,
            "starts_on": cohort.starts_on,
            "ends_on": cohort.ends_on,
            "facilitators": "\n".join(u.email for u in cohort.facilitators.all()),
        }
