"""Forms of the campaign staff pages: opening a campaign, and the goals of an action plan.

Forms only parse and check what a person typed; ``services`` validates again and writes.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iite.assessments.definition import Definition
from iite.assessments.group_reports import Choices
from iite.assessments.models import ActionItem, Campaign
from iite.assessments.own_questions import TEXT_MAX_LENGTH as OWN_TEXT_MAX_LENGTH
from iite.assessments.services import ActionItemInput
from iite.core.translation import pick

MAX_GOALS = 20

# Where a service's field-level problems belong on the campaign form.
CAMPAIGN_FIELDS = {
    "scope": "scope",
    "organisation": "organisation",
    "country": "country",
    "cohort_name": "cohort_name",
    "groups": "groups",
    "opens_at": "opens_on",
    "closes_at": "closes_on",
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _choice_field(field: forms.Field) -> forms.ChoiceField:
    if not isinstance(field, forms.ChoiceField):  # pragma: no cover - a programming error
        raise TypeError(field)
    return field


def start_of(day: date) -> datetime:
    """Midnight at the start of a day, in the platform's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


class CampaignForm(forms.Form):
    """Whom a campaign is for, which respondent groups answer, and when."""

    scope = forms.ChoiceField(label=_("Who is the campaign for?"), widget=forms.RadioSelect)
    organisation = forms.ChoiceField(label=_("Organisation"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    cohort_name = forms.CharField(
        label=_("Name of the cohort"),
        required=False,
        max_length=200,
        help_text=_("For example: “Primary teachers, spring 2026 training”."),
    )
    groups = forms.MultipleChoiceField(
        label=_("Respondent groups"), widget=forms.CheckboxSelectMultiple
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=DateInput(),
        help_text=_("The campaign closes at the start of this day."),
    )

    def __init__(self, *args: Any, choices: Choices, definition: Definition, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.choices = choices
        labels = dict(Campaign.Scope.choices)
        scope_field = self.fields["scope"]
        scope_field = _choice_field(scope_field)
        scope_field.choices = [(scope, labels[scope]) for scope in choices.scopes]
        if len(choices.scopes) == 1:
            scope_field.initial = choices.scopes[0]
        organisation_field = self.fields["organisation"]
        organisation_field = _choice_field(organisation_field)
        organisation_field.choices = [("", _("Choose…"))] + [
            (str(organisation.pk), str(organisation)) for organisation in choices.organisations
        ]
        country_field = self.fields["country"]
        country_field = _choice_field(country_field)
        country_field.choices = [("", _("Choose…"))] + [
            (str(country.pk), pick(country.names)) for country in choices.countries
        ]
        if len(choices.organisations) == 1:
            organisation_field.initial = str(choices.organisations[0].pk)
        if len(choices.countries) == 1:
            country_field.initial = str(choices.countries[0].pk)
        groups_field = self.fields["groups"]
        groups_field = _choice_field(groups_field)
        groups_field.choices = [(group.code, pick(group.names)) for group in definition.groups]
        groups_field.initial = list(definition.group_codes)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = date.fromordinal(today.toordinal() + 30)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        scope = data.get("scope")
        if scope == Campaign.Scope.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation."))
        if scope == Campaign.Scope.COUNTRY and not data.get("country"):
            self.add_error("country", _("Choose the country."))
        if scope == Campaign.Scope.COHORT and not " ".join(data.get("cohort_name", "").split()):
            self.add_error("cohort_name", _("Name the cohort."))
        opens_on, closes_on = data.get("opens_on"), data.get("closes_on")
        if opens_on and closes_on:
            if closes_on <= opens_on:
                self.add_error("closes_on", _("The campaign must close after it opens."))
            elif closes_on <= timezone.localdate():
                self.add_error("closes_on", _("Choose a closing date after today."))
        return data

    def service_arguments(self) -> dict[str, Any]:
        """The keyword arguments of ``services.campaign_open`` (after ``is_valid``)."""
        data = self.cleaned_data
        scope = data["scope"]
        organisations = {str(item.pk): item for item in self.choices.organisations}
        countries = {str(item.pk): item for item in self.choices.countries}
        return {
            "scope": scope,
            "organisation": organisations.get(data["organisation"])
            if scope == Campaign.Scope.ORGANISATION
            else None,
            "country": countries.get(data["country"]) if scope == Campaign.Scope.COUNTRY else None,
            "cohort_name": data["cohort_name"] if scope == Campaign.Scope.COHORT else "",
            "groups": list(data["groups"]),
            "opens_at": start_of(data["opens_on"]),
            "closes_at": start_of(data["closes_on"]),
        }


class OwnQuestionForm(forms.Form):
    """A question of the school's own: its text, and which respondent groups it is asked of."""

    text = forms.CharField(
        label=_("Question"),
        max_length=OWN_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    groups = forms.MultipleChoiceField(label=_("Ask it of"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, groups: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].help_text = gettext(
            "Write it as a statement to agree or disagree with, in the language of your school "
            "(%(max)d characters at most). Respondents answer it on the agreement scale."
        ) % {"max": OWN_TEXT_MAX_LENGTH}
        groups_field = _choice_field(self.fields["groups"])
        groups_field.choices = groups
        if not self.initial.get("groups"):
            groups_field.initial = [code for code, _name in groups]


class ActionItemForm(forms.Form):
    """One goal of an action plan; a row left empty is no goal."""

    area = forms.ChoiceField(label=_("Area"), required=False)
    goal = forms.CharField(
        label=_("Goal"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_name = forms.CharField(label=_("Who leads it"), required=False, max_length=200)
    due_on = forms.DateField(label=_("Due by"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionItem.Status.choices, initial=ActionItem.Status.PLANNED
    )

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        area_field = _choice_field(area_field)
        area_field.choices = [("", _("Choose…")), *areas]

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("goal", "").strip() or data.get("owner_name") or data.get("due_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank() or data.get("DELETE"):
            return data
        if not data.get("area"):
            self.add_error("area", _("Choose an area."))
        if not data.get("goal", "").strip():
            self.add_error("goal", _("Write the goal."))
        return data

    def as_input(self) -> ActionItemInput:
        data = self.cleaned_data
        return ActionItemInput(
            area=data.get("area", ""),
            goal=data.get("goal", ""),
            owner_name=data.get("owner_name", ""),
            due_on=data.get("due_on"),
            status=data.get("status") or ActionItem.Status.PLANNED,
        )


ActionItemFormSet = forms.formset_factory(
    ActionItemForm, extra=0, can_delete=True, max_num=MAX_GOALS, validate_max=True
)


def goals_kept(formset: Any) -> list[tuple[ActionItemForm, ActionItemInput]]:
    """The rows of a valid formset that are goals: neither empty nor marked for removal."""
    return [
        (form, form.as_input())
        for form in formset.forms
        if not form.is_blank() and not form.cleaned_data.get("DELETE")
    ]
