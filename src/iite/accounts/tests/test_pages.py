"""Every account page renders, in every interface language, with one h1 and labelled fields."""

from __future__ import annotations

import itertools
import re

import pytest
from django.conf import settings
from django.test import Client

from iite.accounts.models import User

PUBLIC = [
    "login/",
    "signup/",
    "signup/done/",
    "verify/resend/",
    "password/reset/",
    "password/reset/sent/",
    "password/reset/complete/",
]
SIGNED_IN = ["profile/", "profile/edit/", "tokens/", "delete/", "password/change/"]


def _check(html: str) -> None:
    assert html.count("<h1") == 1
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels  # no skipped heading levels
    for field_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_\w+)"', html):
        assert f'for="{field_id}"' in html, field_id


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_public_pages(client: Client, language: str) -> None:
    for page in PUBLIC:
        response = client.get(f"/{language}/accounts/{page}")
        assert response.status_code == 200, page
        _check(response.text)


@pytest.mark.django_db
@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_signed_in_pages(member_client: Client, member: User, language: str) -> None:
    for page in SIGNED_IN:
        response = member_client.get(f"/{language}/accounts/{page}")
        assert response.status_code == 200, page
        _check(response.text)


@pytest.mark.django_db
def test_signed_in_people_skip_sign_up_and_sign_in(member_client: Client) -> None:
    assert member_client.get("/en/accounts/signup/")["Location"] == "/en/accounts/profile/"
    assert member_client.get("/en/accounts/login/")["Location"] == "/en/accounts/profile/"
