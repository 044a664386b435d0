"""Personal API tokens (page and API), token and session authentication, the accounts API."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from iite.accounts import services
from iite.accounts.models import ApiToken
from iite.accounts.selectors import token_digest
from iite.core.errors import ApplicationError

API = "/api/v1/accounts"


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _assert_error_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


@pytest.mark.django_db
def test_token_page_create_shows_token_once_and_stores_digest(member_client, member):
    response = member_client.post("/en/accounts/tokens/", {"name": "my analysis script"})
    assert response.status_code == 200
    match = re.search(r'<p class="token" id="new-token">(iite_[\w-]+)</p>', response.text)
    assert match
    secret = match.group(1)
    token = ApiToken.objects.get(user=member)
    assert token.digest == token_digest(secret)
    assert token.prefix == secret[:12]
    assert secret not in token.digest
    response = member_client.get("/en/accounts/tokens/")
    assert secret not in response.text
    assert "my analysis script" in response.text
    assert f"{token.prefix}…" in response.text


@pytest.mark.django_db
def test_token_page_revoke(member_client, member, admin_user):
    token, secret = services.api_token_create(user=member, name="script")
    other, _ = services.api_token_create(user=admin_user, name="not yours")
    response = member_client.post(f"/en/accounts/tokens/{other.pk}/revoke/")
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.revoked_at is None
    member_client.post(f"/en/accounts/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(f"{API}/me", headers=_bearer(secret)).status_code == 401


@pytest.mark.django_db
def test_token_list_query_count(member_client, member, django_assert_max_num_queries):
    for n in range(5):
        services.api_token_create(user=member, name=f"token {n}")
    with django_assert_max_num_queries(5):  # session, user, role check, tokens
        response = member_client.get("/en/accounts/tokens/")
    assert response.status_code == 200
    with django_assert_max_num_queries(5):  # session, user, role check, count, tokens
        response = member_client.get(f"{API}/tokens")
    assert response.json()["count"] == 5


@pytest.mark.django_db
def test_bearer_token_lifecycle_in_the_api(member):
    client = Client()
    assert client.get(f"{API}/me").status_code == 401
    token, secret = services.api_token_create(user=member, name="script")

    response = client.get(f"{API}/me", headers=_bearer(secret))
    assert response.status_code == 200
    assert response.json()["email"] == "amina@example.org"
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    client.get(f"{API}/me", headers=_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first_use  # not rewritten within a minute
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=5))
    client.get(f"{API}/me", headers=_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first_use - timedelta(minutes=5)

    # Create a second token through the API, then revoke the first one.
    response = client.post(
        f"{API}/tokens",
        {"name": "second"},
        content_type="application/json",
        headers=_bearer(secret),
    )
    assert response.status_code == 201
    second = response.json()
    assert second["token"].startswith("iite_")
    assert second["active"] is True
    assert "digest" not in second

    listing = client.get(f"{API}/tokens", headers=_bearer(secret)).json()
    assert [item["name"] for item in listing["items"]] == ["second", "script"]
    assert all("token" not in item and "digest" not in item for item in listing["items"])

    response = client.delete(f"{API}/tokens/{token.pk}", headers=_bearer(second["token"]))
    assert response.status_code == 204
    _assert_error_shape(client.get(f"{API}/me", headers=_bearer(secret)), 401, "unauthenticated")
    assert client.get(f"{API}/me", headers=_bearer(second["token"])).status_code == 200


@pytest.mark.django_db
def test_unknown_tokens_and_inactive_users_are_refused(member):
    client = Client()
    _token, secret = services.api_token_create(user=member, name="script")
    for header in ("Bearer iite_unknown", "Bearer nonsense", f"Token {secret}", secret):
        response = client.get(f"{API}/me", HTTP_AUTHORIZATION=header)
        _assert_error_shape(response, 401, "unauthenticated")
    member.is_active = False
    member.save()
    assert client.get(f"{API}/me", headers=_bearer(secret)).status_code == 401


@pytest.mark.django_db
def test_cannot_revoke_someone_elses_token(member, admin_user):
    other, _ = services.api_token_create(user=admin_user, name="theirs")
    _token, secret = services.api_token_create(user=member, name="mine")
    response = Client().delete(f"{API}/tokens/{other.pk}", headers=_bearer(secret))
    _assert_error_shape(response, 404, "not_found")
    other.refresh_from_db()
    assert other.revoked_at is None


@pytest.mark.django_db
def test_token_name_is_required(member):
    _token, secret = services.api_token_create(user=member, name="mine")
    response = Client().post(
        f"{API}/tokens", {"name": ""}, content_type="application/json", headers=_bearer(secret)
    )
    _assert_error_shape(response, 422, "validation")


@pytest.mark.django_db
def test_session_auth_needs_csrf_for_writes(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.get(f"{API}/me").status_code == 200
    response = client.patch(f"{API}/me", {"name": "X"}, content_type="application/json")
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.name == "Amina"
    client.get("/en/accounts/profile/")  # sets the CSRF cookie
    csrf = client.cookies["csrftoken"].value
    response = client.patch(
        f"{API}/me", {"name": "Amina Said"}, content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.name == "Amina Said"


@pytest.mark.django_db
def test_me_patch_changes_given_fields(member, france, languages):
    _token, secret = services.api_token_create(user=member, name="script")
    response = Client().patch(
        f"{API}/me",
        {
            "country": "fr",
            "languages": ["fr", "SW"],
            "education_role": "researcher",
            "language": "es",
        },
        content_type="application/json",
        headers=_bearer(secret),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["country"] == "FR"
    assert body["languages"] == ["fr", "sw"]
    assert body["education_role"] == "researcher"
    assert body["language"] == "es"
    assert body["name"] == "Amina"  # not sent, not changed
    assert body["roles"] == [
        {"role": "member", "name": "Member", "country": None, "organisation": None}
    ]
    response = Client().patch(
        f"{API}/me", {"country": None}, content_type="application/json", headers=_bearer(secret)
    )
    assert response.json()["country"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"country": "ZZ", "name": "Changed"}, 422, "country"),
        ({"country": "FRA"}, 422, "country"),
        ({"languages": ["fr", "xx"], "name": "Changed"}, 422, "languages"),
        ({"education_role": "astronaut"}, 422, "education_role"),
        ({"language": "de"}, 422, "language"),
        ({"organisation_id": 999999}, 422, "organisation_id"),
        ({"name": "x" * 151}, 422, "name"),
    ],
)
def test_me_patch_bad_input_changes_nothing(member, france, languages, payload, status, field):
    _token, secret = services.api_token_create(user=member, name="script")
    response = Client().patch(
        f"{API}/me", payload, content_type="application/json", headers=_bearer(secret)
    )
    error = _assert_error_shape(response, status, "validation")
    # Schema errors name the field as "payload.<field>" (the config handler keeps the param name).
    assert field in [detail["field"].split(".")[-1] for detail in error["details"]]
    member.refresh_from_db()
    assert member.name == "Amina"
    assert member.country is None
    assert not member.languages.exists()
    assert member.education_role == ""


@pytest.mark.django_db
def test_me_patch_malformed_json_is_400(member):
    _token, secret = services.api_token_create(user=member, name="script")
    response = Client().patch(
        f"{API}/me", "{not json", content_type="application/json", headers=_bearer(secret)
    )
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.django_db
def test_export_in_the_api(member):
    _token, secret = services.api_token_create(user=member, name="script")
    body = Client().get(f"{API}/me/export", headers=_bearer(secret)).json()
    assert body["profile"]["email"] == member.email
    assert body["api_tokens"][0]["name"] == "script"
    assert "digest" not in body["api_tokens"][0]


@pytest.mark.django_db
def test_roles_vocabulary_is_public(client):
    response = client.get(f"{API}/roles", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    roles = {role["code"]: role for role in response.json()}
    assert list(roles) == [
        "member",
        "editor",
        "reviewer",
        "focal-point",
        "school-coordinator",
        "partner-manager",
        "admin",
    ]
    assert roles["focal-point"]["scope"] == "country"
    assert roles["school-coordinator"]["scope"] == "organisation"
    for role in roles.values():
        assert set(role["names"]) == {"ar", "en", "es", "fr", "ru", "zh"}
        assert all(role["names"].values())


@pytest.mark.django_db
def test_openapi_has_both_security_schemes(client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme") or s.get("in")) for s in schemes.values()}
    assert ("http", "bearer") in kinds
    assert ("apiKey", "cookie") in kinds
    assert "security" not in schema["paths"][f"{API}/roles"]["get"]
    assert schema["paths"][f"{API}/me"]["get"]["security"]


@pytest.mark.django_db
def test_token_limit(member):
    for n in range(services.TOKEN_LIMIT):
        services.api_token_create(user=member, name=f"t{n}")
    with pytest.raises(ApplicationError) as error:
        services.api_token_create(user=member, name="one too many")
    assert error.value.code == "token_limit"
    assert ApiToken.objects.filter(user=member).count() == services.TOKEN_LIMIT
    assert timezone.now()
