"""The editors' harvest pages: who may see them, sources saved or refused, "harvest now"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iite.accounts import services as accounts_services
from iite.accounts.models import User
from iite.accounts.tests.factories import make_user
from iite.library.models import HarvestSource, Resource
from iite.library.oai.models import HarvestRun
from iite.library.oai.tests.oai_server import DSPACE, OaiServer, serving

pytestmark = pytest.mark.django_db

BASE = "/en/library/harvest/"


def person(role: str | None = None) -> User:
    user = make_user()
    accounts_services.role_grant(user=user, role="member", by=None)
    if role:
        accounts_services.role_grant(user=user, role=role, by=None)
    return user


@pytest.fixture
def editor_client() -> Client:
    client = Client()
    client.force_login(person("editor"))
    return client


def form(**fields: Any) -> dict[str, Any]:
    data = {
        "name": "Erasmus",
        "base_url": "https://repository.example.org/oai",
        "set_spec": "",
        "default_kind": "publication",
        "enabled": "on",
        "interval_hours": "24",
    }
    data.update(fields)
    return data


def test_only_editors_see_the_harvest_pages(client: Client):
    source = HarvestSource.objects.create(name="S", base_url="https://example.org/oai")
    assert client.get(BASE).status_code == 302  # to sign in
    for role, expected in ((None, 403), ("reviewer", 403), ("editor", 200), ("admin", 200)):
        client.force_login(person(role))
        for path in (BASE, f"{BASE}new/", f"{BASE}{source.pk}/", f"{BASE}{source.pk}/edit/"):
            assert client.get(path).status_code == expected, (role, path)
        response = client.post(f"{BASE}{source.pk}/run/")
        assert response.status_code == (302 if expected == 200 else 403)


def test_an_editor_adds_a_source(editor_client: Client):
    response = editor_client.post(f"{BASE}new/", form())
    source = HarvestSource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{source.pk}/"
    assert (source.name, source.base_url, source.metadata_prefix) == (
        "Erasmus",
        "https://repository.example.org/oai",
        "oai_dc",
    )
    page = editor_client.get(f"{BASE}{source.pk}/")
    assert "Harvest now" in page.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"base_url": "ftp://example.org/oai"}, "must start with http"),
        ({"name": ""}, "This field is required"),
        ({"set_spec": "two words"}, "not a valid OAI-PMH set"),
        ({"default_kind": "poem"}, "Select a valid choice"),
    ],
)
def test_a_bad_source_is_refused_and_nothing_saved(editor_client: Client, fields, message):
    response = editor_client.post(f"{BASE}new/", form(**fields))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HarvestSource.objects.exists()


def test_the_same_repository_twice_is_refused(editor_client: Client):
    editor_client.post(f"{BASE}new/", form())
    response = editor_client.post(f"{BASE}new/", form(name="Again"))
    assert response.status_code == 400
    assert "already a source" in response.content.decode()
    assert HarvestSource.objects.count() == 1


def test_a_new_address_restarts_the_harvest(editor_client: Client):
    editor_client.post(f"{BASE}new/", form())
    source = HarvestSource.objects.get()
    HarvestSource.objects.filter(pk=source.pk).update(harvested_until="2024-01-01T00:00:00Z")
    editor_client.post(f"{BASE}{source.pk}/edit/", form(name="Renamed"))
    source.refresh_from_db()
    assert source.name == "Renamed"
    assert source.harvested_until is not None
    editor_client.post(f"{BASE}{source.pk}/edit/", form(base_url="https://other.example.org/oai"))
    source.refresh_from_db()
    assert source.harvested_until is None


def test_harvest_now_runs_in_the_background_and_the_run_is_shown(
    editor_client: Client, settings, django_capture_on_commit_callbacks
):
    settings.LIBRARY_HARVEST_ALLOW_PRIVATE = True
    with serving(OaiServer()) as server:
        server.add_mapping(DSPACE / "fake1")
        editor_client.post(f"{BASE}new/", form(base_url=server.url))
        source = HarvestSource.objects.get()
        HarvestSource.objects.filter(pk=source.pk).update(harvested_until="2003-04-10T00:00:00Z")
        with django_capture_on_commit_callbacks(execute=True):
            response = editor_client.post(f"{BASE}{source.pk}/run/")
    assert response.status_code == 302
    run = HarvestRun.objects.get()
    assert run.status == HarvestRun.Status.SUCCEEDED, run.message
    assert run.trigger == HarvestRun.Trigger.PAGE
    assert Resource.objects.filter(harvest_source=source).count() == 16
    page = editor_client.get(f"{BASE}{source.pk}/").content.decode()
    assert "Finished" in page
    detail = editor_client.get(f"{BASE}runs/{run.pk}/")
    assert detail.status_code == 200


def test_a_failed_run_shows_its_reason(editor_client: Client):
    editor_client.post(f"{BASE}new/", form(base_url="http://127.0.0.1:9/oai"))
    source = HarvestSource.objects.get()
    # Loopback is refused by default: the run fails with the reason, shown on its page.
    from iite.library.oai import services

    run = services.harvest_run_queue(source=source, by=None, trigger="command")
    services.harvest_run_execute(run_id=run.pk)
    page = editor_client.get(f"{BASE}runs/{run.pk}/").content.decode()
    assert "private or local address" in page


def test_a_source_with_resources_is_kept(editor_client: Client):
    editor_client.post(f"{BASE}new/", form())
    source = HarvestSource.objects.get()
    from iite.library.oai.tests.factories import make_resource

    make_resource(harvest_source=source, external_identifier="oai:x:1")
    response = editor_client.post(f"{BASE}{source.pk}/delete/", follow=True)
    assert "stays to remember" in response.content.decode()
    assert HarvestSource.objects.exists()
    Resource.objects.all().delete()
    editor_client.post(f"{BASE}{source.pk}/delete/")
    assert not HarvestSource.objects.exists()


def test_the_list_of_sources_costs_a_fixed_number_of_queries(
    editor_client: Client, django_assert_max_num_queries
):
    for number in range(5):
        source = HarvestSource.objects.create(
            name=f"S{number}", base_url=f"https://e{number}.org/oai"
        )
        HarvestRun.objects.create(source=source, status=HarvestRun.Status.SUCCEEDED)
    with django_assert_max_num_queries(12):
        response = editor_client.get(BASE)
    assert response.content.decode().count("Finished") == 5
