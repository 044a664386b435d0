"""Sign-up with email verification, sign-in, sign-out, password reset, language on sign-in."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.core import mail, signing
from django.test import Client

from iite.accounts import services
from iite.accounts.models import User
from iite.accounts.selectors import roles_of
from iite.accounts.tests.factories import PASSWORD, make_user
from iite.core.errors import ApplicationError

SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"


def _link_path(body: str, marker: str) -> str:
    match = re.search(rf"https?://\S*{marker}\S*", body)
    assert match, body
    return urlparse(match.group(0)).path


def _signup(client: Client, capture: Any, **extra: Any) -> Any:
    data = {
        "email": "Teacher@Example.org",
        "name": "Nadia",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "country": "",
        "education_role": "teacher",
        **extra,
    }
    with capture(execute=True):
        return client.post(SIGNUP, data)


@pytest.mark.django_db
def test_signup_verify_then_sign_in(client, django_capture_on_commit_callbacks, france):
    response = _signup(client, django_capture_on_commit_callbacks, country=str(france.pk))
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/signup/done/"
    user = User.objects.get(email__iexact="teacher@example.org")
    assert not user.email_verified
    assert user.country == france
    assert user.education_role == "teacher"
    assert user.language == "en"
    assert roles_of(user) == {"member"}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Verify your email address" in message.subject
    path = _link_path(str(message.body), "/verify/")

    # Not verified yet: the sign-in page says so and offers a new link.
    response = client.post(LOGIN, {"username": "teacher@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "not verified yet" in response.text
    assert "Send the link again" in response.text
    assert "_auth_user_id" not in client.session

    response = client.get(path)
    assert response.status_code == 200
    assert "Thank you: your address is verified." in response.text
    user.refresh_from_db()
    assert user.email_verified

    # Opening the link again is harmless.
    response = client.get(path)
    assert response.status_code == 200
    assert "already verified" in response.text

    response = client.post(LOGIN, {"username": "TEACHER@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/profile/"
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_signup_page_renders_accessible_form(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert '<label for="id_email">Email' in html
    assert 'aria-describedby="id_email_helptext"' in html


@pytest.mark.django_db
def test_duplicate_email_is_refused(client, django_capture_on_commit_callbacks, member):
    response = _signup(client, django_capture_on_commit_callbacks, email="AMINA@example.org")
    assert response.status_code == 200
    assert "already exists" in response.text
    assert 'class="error-summary"' in response.text
    assert 'aria-describedby="id_email_helptext id_email_error"' in response.text
    assert User.objects.filter(email__iexact="amina@example.org").count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_signup_service_refuses_duplicate_email(member):
    with pytest.raises(ApplicationError) as error:
        services.user_signup(email="Amina@Example.org", name="x", password=PASSWORD)
    assert error.value.code == "email_taken"


@pytest.mark.django_db
def test_mismatched_passwords_create_nothing(client, django_capture_on_commit_callbacks):
    response = _signup(client, django_capture_on_commit_callbacks, password2="something else 42")
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.text
    assert not User.objects.exists()


@pytest.mark.django_db
def test_expired_link_is_explained(client, settings, django_capture_on_commit_callbacks):
    _signup(client, django_capture_on_commit_callbacks)
    path = _link_path(str(mail.outbox[0].body), "/verify/")
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    response = client.get(path)
    assert response.status_code == 400
    assert "This link has expired" in response.text
    assert not User.objects.get().email_verified


@pytest.mark.django_db
def test_forged_link_is_refused(client, member):
    member.email_verified = False
    member.save()
    forged = signing.TimestampSigner(salt="not-ours").sign_object(
        {"user": member.pk, "email": member.email}
    )
    response = client.get(f"/en/accounts/verify/{forged}/")
    assert response.status_code == 400
    assert "This link is not valid" in response.text
    member.refresh_from_db()
    assert not member.email_verified


@pytest.mark.django_db
def test_link_for_a_changed_address_is_refused(member):
    member.email_verified = False
    member.save()
    token = services.email_verification_token(user=member)
    member.email = "new@example.org"
    member.save()
    with pytest.raises(ApplicationError) as error:
        services.user_email_verify(token=token)
    assert error.value.code == "link_invalid"


@pytest.mark.django_db
def test_resend_link_for_unverified_only(client, django_capture_on_commit_callbacks, member):
    unverified = make_user(email="new@example.org", email_verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/verify/resend/", {"email": "new@example.org"})
        client.post("/en/accounts/verify/resend/", {"email": member.email})
        client.post("/en/accounts/verify/resend/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[unverified.email]]
    path = _link_path(str(mail.outbox[0].body), "/verify/")
    assert client.get(path).status_code == 200
    unverified.refresh_from_db()
    assert unverified.email_verified


@pytest.mark.django_db
def test_wrong_password_is_refused(client, member):
    response = client.post(LOGIN, {"username": member.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email or password is not right." in response.text
    assert "Send the link again" not in response.text


@pytest.mark.django_db
def test_sign_in_goes_to_the_saved_language(client, member):
    member.language = "fr"
    member.save()
    response = client.post(
        LOGIN, {"username": member.email, "password": PASSWORD, "next": "/en/reference/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/reference/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"

    # A language prefix in a link still wins for that page.
    response = client.get("/en/accounts/profile/")
    assert response.status_code == 200
    assert '<html lang="en"' in response.text


@pytest.mark.django_db
def test_sign_in_without_saved_language_stays(client, member):
    response = client.post(LOGIN, {"username": member.email, "password": PASSWORD})
    assert response["Location"] == "/en/accounts/profile/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
def test_sign_out_needs_post(member_client):
    assert member_client.get("/en/accounts/logout/").status_code == 405
    response = member_client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


@pytest.mark.django_db
def test_password_reset_flow(client, member):
    member.email_verified = False
    member.save()
    response = client.post("/en/accounts/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1
    assert "Reset your password" in mail.outbox[0].subject
    path = _link_path(str(mail.outbox[0].body), "/password/reset/")

    response = client.get(path)  # Django swaps the token for a session key, then redirects
    assert response.status_code == 302
    form_url = response["Location"]
    new_password = "a brand new passphrase 2024"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password/reset/complete/"
    member.refresh_from_db()
    assert member.check_password(new_password)
    assert member.email_verified  # the link reached the address

    # The link works once.
    response = client.get(path, follow=True)
    assert "This link does not work" in response.text


@pytest.mark.django_db
def test_password_reset_email_is_translated_with_the_page(client, member):
    client.post("/fr/accounts/password/reset/", {"email": member.email})
    body = str(mail.outbox[0].body)
    assert "/fr/accounts/password/reset/" in body


@pytest.mark.django_db
def test_password_change(member_client, member):
    new_password = "another long passphrase 77"
    response = member_client.post(
        "/en/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)
