"""The home page, language choice, health check and error pages as a visitor meets them."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from iite.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_home_in_every_language_has_lang_dir_and_alternates(client: Client, language: str) -> None:
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert response.status_code == 200
    lang_attr = "zh-Hans" if language == "zh-hans" else language
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{lang_attr}" dir="{direction}">' in html
    for code, _name in settings.LANGUAGES:
        hreflang = "zh-Hans" if code == "zh-hans" else code
        assert f'hreflang="{hreflang}" href="{settings.SITE_URL}/{code}/"' in html


def test_home_presents_priorities_and_six_action_areas(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert html.count('class="area-number"') == 6
    assert "Policy development and capacity building" in html
    assert "Partnerships and networking" in html
    assert len(re.findall(r"<h3>", html)) >= 9  # three priorities and six areas


def test_home_has_no_dead_links_to_unbuilt_sections(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert "coming soon" in html
    for href in set(re.findall(r'href="(/[^"#]*)"', html)):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code == 200, href


def test_home_in_arabic_is_translated(client: Client) -> None:
    html = client.get("/ar/").content.decode()
    with translation.override("ar"):
        assert translation.gettext("Six action areas") in html
    assert "Six action areas" not in html


def test_root_redirects_to_a_language_prefix(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_language_choice_sets_cookie_and_redirects_to_the_same_page(client: Client) -> None:
    response = client.post(reverse("portal:language"), {"language": "ru", "next": "/en/reference/"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/reference/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_language_choice_persists_for_a_signed_in_user(client: Client) -> None:
    user = User.objects.create_user("amina@example.org", "a-long-passphrase", email_verified=True)
    client.force_login(user)
    client.post(reverse("portal:language"), {"language": "ar", "next": "/en/"})
    user.refresh_from_db()
    assert user.language == "ar"
    other_device = Client()
    other_device.force_login(user)
    response = other_device.get("/en/")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    assert other_device.get("/").headers["Location"] == "/ar/"


def test_language_choice_refuses_unknown_language_and_foreign_redirect(client: Client) -> None:
    response = client.post(
        reverse("portal:language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_healthz_reports_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True


def test_unknown_page_is_a_friendly_404_in_the_visitors_language(client: Client) -> None:
    response = client.get("/es/no-such-page/")
    assert response.status_code == 404
    with translation.override("es"):
        assert translation.gettext("Page not found") in response.content.decode()


def test_unknown_api_path_is_json_in_the_one_error_shape(client: Client) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


def test_home_query_count_stays_small(client: Client, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(6):
        assert client.get("/en/").status_code == 200


@pytest.mark.parametrize(
    "path", ["/en/", "/ar/reference/frameworks/ict-cft/3/", "/en/accounts/signup/", "/api/v1/docs"]
)
def test_pages_load_nothing_from_other_hosts(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    fetched = re.findall(r'<(?:script|img|iframe|source)[^>]*\ssrc="([^"]*)"', html)
    for tag in re.findall(r"<link\b[^>]*>", html):
        if 'rel="alternate"' not in tag:
            fetched += re.findall(r'href="([^"]*)"', tag)
    assert fetched
    assert [url for url in fetched if "//" in url] == []
