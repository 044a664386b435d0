"""The profile page, editing it, downloading one's data and deleting the account."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from iite.accounts import services
from iite.accounts.models import ApiToken, Organisation, RoleAssignment, User
from iite.accounts.tests.factories import PASSWORD

PROFILE = "/en/accounts/profile/"
EDIT = "/en/accounts/profile/edit/"


def _edit_data(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Amina K.",
        "country": "",
        "languages": [],
        "education_role": "teacher",
        "organisation": "",
        "new_organisation_name": "",
        "new_organisation_kind": "",
        "language": "",
        **extra,
    }


@pytest.mark.django_db
def test_profile_needs_sign_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


@pytest.mark.django_db
def test_profile_shows_facts_and_roles(member_client, member, france, school):
    services.role_grant(user=member, role="school-coordinator", organisation=school, by=None)
    services.role_grant(user=member, role="focal-point", country=france, by=None)
    response = member_client.get(PROFILE)
    assert response.status_code == 200
    html = response.text
    assert html.count("<h1") == 1
    assert "amina@example.org" in html
    assert "Member" in html
    assert "School coordinator" in html
    assert "for Lycée Victor Hugo" in html
    assert "National focal point" in html
    assert "for France" in html


@pytest.mark.django_db
def test_profile_page_query_count(
    member_client, member, france, school, languages, django_assert_max_num_queries
):
    services.role_grant(user=member, role="focal-point", country=france, by=None)
    services.role_grant(user=member, role="school-coordinator", organisation=school, by=None)
    member.languages.set(languages.values())
    member.organisation = school
    member.save()
    # session, user, role check, profile + languages, roles held
    with django_assert_max_num_queries(6):
        response = member_client.get(PROFILE)
    assert response.status_code == 200


@pytest.mark.django_db
def test_profile_edit_page_query_count(
    member_client, languages, school, django_assert_max_num_queries
):
    # session, user, role check, profile + languages, countries, languages, organisations
    with django_assert_max_num_queries(8):
        response = member_client.get(EDIT)
    assert response.status_code == 200


@pytest.mark.django_db
def test_profile_edit_saves_everything(member_client, member, france, languages, school):
    response = member_client.get(EDIT)
    assert response.status_code == 200
    assert "Official UN languages" in response.text
    data = _edit_data(
        country=str(france.pk),
        languages=[str(languages["fr"].pk), str(languages["sw"].pk)],
        organisation=str(school.pk),
        education_role="school-leader",
    )
    response = member_client.post(EDIT, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.name == "Amina K."
    assert member.country == france
    assert {lang.code for lang in member.languages.all()} == {"fr", "sw"}
    assert member.organisation == school
    assert member.education_role == "school-leader"


@pytest.mark.django_db
def test_profile_edit_adds_a_new_organisation(member_client, member, france):
    data = _edit_data(
        country=str(france.pk),
        new_organisation_name="  École   Jules Ferry ",
        new_organisation_kind="school",
    )
    response = member_client.post(EDIT, data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.organisation.name == "École Jules Ferry"
    assert member.organisation.kind == "school"
    assert member.organisation.country == france
    # Adding the same one again reuses it.
    member_client.post(EDIT, data)
    assert Organisation.objects.filter(name="École Jules Ferry").count() == 1


@pytest.mark.django_db
def test_profile_edit_bad_input_changes_nothing(member_client, member, france):
    before = (member.name, member.country_id, member.education_role)
    for data in (
        _edit_data(country="999999"),
        _edit_data(languages=["999999"]),
        _edit_data(education_role="astronaut"),
        _edit_data(language="xx"),
        _edit_data(new_organisation_name="New school"),  # kind missing
    ):
        response = member_client.post(EDIT, data)
        assert response.status_code == 200
        assert 'class="error-summary"' in response.text
        assert 'aria-invalid="true"' in response.text
    member.refresh_from_db()
    assert (member.name, member.country_id, member.education_role) == before
    assert not Organisation.objects.filter(name="New school").exists()


@pytest.mark.django_db
def test_profile_edit_sets_interface_language(member_client, member):
    response = member_client.post(EDIT, _edit_data(language="ar"))
    assert response.status_code == 302
    assert response["Location"] == "/ar/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    member.refresh_from_db()
    assert member.language == "ar"
    response = member_client.get("/ar/accounts/profile/")
    assert 'dir="rtl"' in response.text


@pytest.mark.django_db
def test_export_holds_my_data_and_no_digests(member_client, member, france, school):
    member.country = france
    member.organisation = school
    member.save()
    token, secret = services.api_token_create(user=member, name="script")
    response = member_client.get("/en/accounts/export/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="iite-my-data-')
    data = json.loads(response.content)
    assert data["profile"]["email"] == "amina@example.org"
    assert data["profile"]["country"] == "FR"
    assert data["organisation"]["name"] == "Lycée Victor Hugo"
    assert data["roles"] == [
        {
            "role": "member",
            "country": None,
            "organisation": None,
            "since": data["roles"][0]["since"],
        }
    ]
    assert data["api_tokens"][0]["name"] == "script"
    assert data["api_tokens"][0]["prefix"] == token.prefix
    assert token.digest not in response.text
    assert secret not in response.text
    assert "Other parts of the platform" in data["note"]


@pytest.mark.django_db
def test_delete_account_with_password(member_client, member, admin_user):
    services.api_token_create(user=member, name="script")
    services.role_grant(user=member, role="editor", by=admin_user)
    response = member_client.post("/en/accounts/delete/", {"password": "wrong"})
    assert response.status_code == 200
    assert "The password is not right" in response.text
    assert User.objects.filter(pk=member.pk).exists()

    response = member_client.post("/en/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/en/"
    assert "Your account and everything it held are deleted." in response.text
    assert not User.objects.filter(pk=member.pk).exists()
    assert not ApiToken.objects.filter(user_id=member.pk).exists()
    assert not RoleAssignment.objects.filter(user_id=member.pk).exists()
    assert "_auth_user_id" not in member_client.session
    assert User.objects.filter(pk=admin_user.pk).exists()


@pytest.mark.django_db
def test_an_account_made_without_roles_still_has_its_profile(member):
    RoleAssignment.objects.filter(user=member).delete()
    client = Client()
    client.force_login(member)
    assert client.get(PROFILE).status_code == 200
