"""Account pages: sign-up, sign-in, profile, tokens, data download and account deletion."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from iite.accounts import selectors, services
from iite.accounts.forms import (
    AccountDeleteForm,
    EmailAuthenticationForm,
    ProfileForm,
    ResendVerificationForm,
    SignUpForm,
    TokenCreateForm,
)
from iite.accounts.middleware import language_cookie_set
from iite.accounts.models import User
from iite.accounts.permissions import can
from iite.core.errors import ApplicationError


def _require(request: HttpRequest, action: str) -> User:
    user = request.user
    if not isinstance(user, User) or not can(user, action):
        raise DjangoPermissionDenied(action)
    return user


def _form_error(form: Any, exc: ApplicationError) -> None:
    """Show a service's refusal next to the field it is about, or at the top of the form."""
    placed = False
    for detail in exc.details:
        field = detail.get("field")
        if field in form.fields:
            form.add_error(field, detail.get("message") or exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


# --- Sign-up and verification --------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_signup(
                email=data["email"],
                name=data["name"],
                password=data["password1"],
                country=data["country"],
                education_role=data["education_role"],
                language=translation.get_language() or "",
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            request.session["accounts_signup_email"] = data["email"]
            return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


@require_http_methods(["GET"])
def signup_done(request: HttpRequest) -> HttpResponse:
    email = request.session.get("accounts_signup_email", "")
    resend_form = ResendVerificationForm(initial={"email": email})
    return render(
        request, "accounts/signup_done.html", {"email": email, "resend_form": resend_form}
    )


@never_cache
@require_http_methods(["GET"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, result = services.user_email_verify(token=token)
    except ApplicationError as exc:
        context = {"error": exc, "resend_form": ResendVerificationForm()}
        return render(request, "accounts/verify.html", context, status=400)
    already = result is services.VerificationResult.ALREADY_VERIFIED
    return render(request, "accounts/verify.html", {"verified_user": user, "already": already})


@never_cache
@require_http_methods(["GET", "POST"])
def verification_resend(request: HttpRequest) -> HttpResponse:
    form = ResendVerificationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.email_verification_resend(email=form.cleaned_data["email"])
        messages.success(
            request,
            _(
                "If an account with an unverified address %(email)s exists, we have sent it a "
                "new link. It may take a few minutes to arrive; check the spam folder too."
            )
            % {"email": form.cleaned_data["email"]},
        )
        return redirect("accounts:login")
    return render(request, "accounts/verification_resend.html", {"form": form})


# --- Sign-in and sign-out ------------------------------------------------------------------------
class SignInView(auth_views.LoginView):
    """Sign in with email; afterwards the interface is in the language the person saved."""

    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        language = getattr(form.get_user(), "language", "")
        if language and language in dict(settings.LANGUAGES):
            response = HttpResponseRedirect(translate_url(response["Location"], language))
            language_cookie_set(response, language)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        if form is not None and getattr(form, "unverified", False):
            email = form.cleaned_data.get("username", "")
            context["resend_form"] = ResendVerificationForm(initial={"email": email})
        return context


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have signed out."))
        return response


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = gettext_lazy("Your password is changed.")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # The reset link reached this address, which proves it belongs to the person.
        services.user_email_mark_verified(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# --- Profile -------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _require(request, "profile.view_own")
    context = {
        "profile": selectors.profile_of(user),
        "assignments": list(selectors.role_assignments_of(user)),
        "interface_language": dict(settings.LANGUAGES).get(user.language, ""),
    }
    return render(request, "accounts/profile.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _require(request, "profile.edit_own")
    current = selectors.profile_of(user)
    form = ProfileForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_profile_update(
                user=current,
                by=user,
                name=data["name"],
                country=data["country"],
                languages=data["languages"],
                education_role=data["education_role"],
                organisation=data["organisation"],
                language=data["language"],
                new_organisation_name=data["new_organisation_name"],
                new_organisation_kind=data["new_organisation_kind"],
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            language = current.language or translation.get_language() or settings.LANGUAGE_CODE
            with translation.override(language):
                messages.success(request, _("Your profile is saved."))
                url = reverse("accounts:profile")
            response = HttpResponseRedirect(url)
            if current.language:
                language_cookie_set(response, current.language)
            return response
    return render(request, "accounts/profile_edit.html", {"form": form})


# --- API tokens ----------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = _require(request, "token.manage_own")
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(user=user, name=form.cleaned_data["name"])
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            # Shown on this response only: the token is not stored and cannot be shown again.
            new_token = {"token": token, "secret": secret}
            form = TokenCreateForm()
    context = {
        "form": form,
        "new_token": new_token,
        "tokens": list(selectors.api_tokens_of(user)),
        "api_docs_url": reverse("api:openapi-view"),
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _require(request, "token.manage_own")
    token = selectors.api_token_of(user, token_id)
    if token is None:
        messages.error(request, _("There is no such token."))
    else:
        services.api_token_revoke(token=token, by=user)
        messages.success(
            request,
            _("The token “%(name)s” is revoked and no longer works.") % {"name": token.name},
        )
    return redirect("accounts:tokens")


# --- Your data -----------------------------------------------------------------------------------
@never_cache
@login_required
@require_http_methods(["GET"])
def export(request: HttpRequest) -> HttpResponse:
    user = _require(request, "data.export_own")
    data = selectors.user_data_export(user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"iite-my-data-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = _require(request, "account.delete_own")
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=user, password=form.cleaned_data["password"])
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            logout(request)
            messages.success(
                request, _("Your account and everything it held are deleted. Goodbye.")
            )
            return redirect("portal:home")
    return render(request, "accounts/delete.html", {"form": form})
