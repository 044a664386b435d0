"""Forms of the countries app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Indicator file"),
        help_text=_(
            "A UN SDG Global Database CSV or a UIS bulk-download CSV (SDG_DATA_NATIONAL.csv), "
            "plain or gzip-compressed."
        ),
    )
    label = forms.CharField(
        label=_("Name of this release (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example: UIS SDG 4 data, September 2021."),
    )
