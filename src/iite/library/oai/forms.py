"""The form editors fill in to configure an OAI-PMH harvest source (checked by the services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from iite.library.models import (
    DEFAULT_HARVEST_INTERVAL_HOURS,
    MAX_HARVEST_INTERVAL_HOURS,
    MIN_HARVEST_INTERVAL_HOURS,
    HarvestSource,
    Resource,
)


class HarvestSourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    base_url = forms.CharField(
        label=_("Base URL of the OAI-PMH repository"),
        max_length=500,
        help_text=_("For example https://repository.example.org/oai/request"),
        widget=forms.URLInput(attrs={"inputmode": "url", "spellcheck": "false"}),
    )
    set_spec = forms.CharField(
        label=_("Set"),
        max_length=200,
        required=False,
        help_text=_("Harvest only this set of the repository (its setSpec). Empty: everything."),
    )
    default_kind = forms.ChoiceField(
        label=_("Kind of the harvested resources"),
        choices=Resource.Kind.choices,
        help_text=_("Used when a record's Dublin Core type does not say."),
    )
    enabled = forms.BooleanField(label=_("Harvest regularly"), required=False, initial=True)
    interval_hours = forms.IntegerField(
        label=_("Hours between harvests"),
        min_value=MIN_HARVEST_INTERVAL_HOURS,
        max_value=MAX_HARVEST_INTERVAL_HOURS,
        initial=DEFAULT_HARVEST_INTERVAL_HOURS,
        help_text=_(
            "When harvested regularly, the source is harvested again once this many hours have "
            "passed since its last harvest: 24 is daily, 168 weekly (from 1 to 720)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    @classmethod
    def initial_for(cls, source: HarvestSource) -> dict[str, Any]:
        return {
            "name": source.name,
            "base_url": source.base_url,
            "set_spec": source.set_spec,
            "default_kind": source.default_kind,
            "enabled": source.enabled,
            "interval_hours": source.interval_hours,
        }

    def add_problems(self, details: list[dict[str, Any]], message: str) -> None:
        for detail in details:
            field = str(detail.get("field", ""))
            self.add_error(field if field in self.fields else None, str(detail["message"]))
        if not details:
            self.add_error(None, message)
