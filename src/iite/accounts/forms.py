"""Forms of the account pages; they validate input, services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from iite.accounts import selectors
from iite.accounts.models import Organisation, User
from iite.core.translation import pick
from iite.reference.models import Country, Language


def _country_choices(countries: list[Country]) -> list[tuple[str, Any]]:
    return [("", _("Not given")), *((str(c.pk), pick(c.names) or c.alpha2) for c in countries)]


class CountryChoiceMixin:
    """A country select sorted by localised name, cleaned to a Country without another query."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def _setup_country(self, field_name: str = "country") -> None:
        countries = selectors.countries_by_name()
        self._countries = {str(country.pk): country for country in countries}
        self.fields[field_name].choices = _country_choices(countries)  # type: ignore[attr-defined]

    def _clean_country(self, field_name: str = "country") -> Country | None:
        value = self.cleaned_data.get(field_name) or ""
        return self._countries.get(value) if value else None


class SignUpForm(CountryChoiceMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We send a link to this address to check that it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        help_text=_("As you would like others to see it."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Type the same password again, to be sure it has no typing mistake."),
    )
    country = forms.ChoiceField(label=_("Country (optional)"), required=False)
    education_role = forms.ChoiceField(
        label=_("Role in education (optional)"),
        required=False,
        choices=[("", _("Not given")), *User.EducationRole.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_country()

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        if selectors.email_taken(email):
            raise ValidationError(
                _(
                    "An account with this email address already exists. "
                    "Sign in, or reset the password if you forgot it."
                ),
                code="email_taken",
            )
        return email

    def clean_country(self) -> Country | None:
        return self._clean_country()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            probe = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class EmailAuthenticationForm(AuthenticationForm):
    """Sign in with email and password; an unverified address is told so, with a way out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "The email or password is not right. Both are case-sensitive except the email."
        ),
        "unverified": _(
            "Your email address is not verified yet. Open the link we emailed you, "
            "or ask for a new link below."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )
        self.unverified = False

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.email_verified:
            self.unverified = True
            raise ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class ProfileForm(CountryChoiceMixin, forms.ModelForm):
    """The person's own profile; a new organisation can be typed in when it is not listed."""

    country = forms.ChoiceField(label=_("Country"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages I work in"),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    organisation = forms.ChoiceField(
        label=_("Organisation"),
        required=False,
        help_text=_("Choose yours from the list, or add it below if it is not there."),
    )
    new_organisation_name = forms.CharField(
        label=_("Or add an organisation: its name"),
        required=False,
        max_length=200,
        help_text=_("It is added to the list for everyone, in the country chosen above."),
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Kind of the new organisation"),
        required=False,
        choices=[("", _("Choose…")), *Organisation.Kind.choices],
    )
    language = forms.ChoiceField(label=_("Interface language"), required=False)

    class Meta:
        model = User
        fields = ["name", "education_role"]
        labels = {"name": _("Name"), "education_role": _("Role in education")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._setup_country()
        un_languages, other_languages = selectors.languages_for_choice()
        self._languages = {str(lang.pk): lang for lang in (*un_languages, *other_languages)}
        self.fields["languages"].choices = [  # type: ignore[attr-defined]
            (_("Official UN languages"), [(str(lang.pk), str(lang)) for lang in un_languages]),
            (_("Other languages"), [(str(lang.pk), str(lang)) for lang in other_languages]),
        ]
        organisations = list(selectors.organisations())
        self._organisations = {str(org.pk): org for org in organisations}
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *((str(org.pk), self._organisation_label(org)) for org in organisations),
        ]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            ("", _("As the browser asks")),
            *((code, str(name)) for code, name in settings.LANGUAGES),
        ]
        self.fields["education_role"].choices = [  # type: ignore[attr-defined]
            ("", _("Not given")),
            *User.EducationRole.choices,
        ]
        user = self.instance
        if user.pk and not self.is_bound:
            self.initial.update(
                {
                    "country": str(user.country_id or ""),
                    "languages": [str(lang.pk) for lang in user.languages.all()],
                    "organisation": str(user.organisation_id or ""),
                    "language": user.language,
                }
            )

    @staticmethod
    def _organisation_label(organisation: Organisation) -> str:
        if organisation.country:
            return f"{organisation.name} ({organisation.country})"
        return organisation.name

    def clean_country(self) -> Country | None:
        return self._clean_country()

    def clean_languages(self) -> list[Language]:
        return [self._languages[pk] for pk in self.cleaned_data.get("languages") or []]

    def clean_organisation(self) -> Organisation | None:
        value = self.cleaned_data.get("organisation") or ""
        return self._organisations.get(value) if value else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        name = " ".join((cleaned.get("new_organisation_name") or "").split())
        kind = cleaned.get("new_organisation_kind") or ""
        if name and not kind:
            self.add_error(
                "new_organisation_kind", _("Choose what kind of organisation you are adding.")
            )
        if kind and not name:
            self.add_error("new_organisation_name", _("Enter the name of the organisation."))
        if name and cleaned.get("organisation"):
            self.add_error(
                "new_organisation_name",
                _("Either choose an organisation from the list or add a new one, not both."),
            )
        return cleaned

    def save(self, commit: bool = True) -> User:
        raise NotImplementedError("Profiles are saved by services.user_profile_update.")


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, for example “my analysis script”."),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Type your password to confirm that you want to delete your account."),
    )
