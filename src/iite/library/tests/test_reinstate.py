"""Publishing a withdrawn resource again: the service and its history, who may, and that the
page, search, OAI-PMH, the sitemap, the feed, the review page and the API all follow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from iite.core.errors import ApplicationError, PermissionDenied
from iite.library import workflow
from iite.library.models import Resource, Transition
from iite.library.oai import provider
from iite.library.search.models import Entry
from iite.library.tests.conftest import published
from iite.library.tests.test_api import bearer, error

pytestmark = pytest.mark.django_db

OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}
TITLE = "Mobile learning in small island states"


@pytest.fixture
def withdrawn(editor) -> Resource:
    resource = published(editor, title=TITLE)
    return workflow.resource_withdraw(resource=resource, by=editor, reason="Wrong edition.")


def oai_header(client: Client, resource: Resource, **arguments: str) -> etree._Element | None:
    query = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **arguments}
    tree = etree.fromstring(client.get("/oai", query).content)
    for header in tree.iterfind("o:ListIdentifiers/o:header", OAI):
        if header.findtext("o:identifier", namespaces=OAI) == provider.oai_identifier(resource):
            return header
    return None


def test_an_editor_publishes_a_withdrawn_resource_again(editor, withdrawn):
    first_published = withdrawn.published_at
    withdrawn_stamp = withdrawn.datestamp
    again = workflow.resource_reinstate(
        resource=withdrawn, by=editor, note="  The right edition after all.  "
    )
    assert again.status == Resource.Status.PUBLISHED
    assert again.published_at == first_published
    assert again.datestamp > withdrawn_stamp
    assert (again.withdrawn_at, again.withdrawal_reason) == (None, "")
    last = Transition.objects.filter(resource=again).order_by("at", "id").last()
    assert last is not None
    assert (last.from_status, last.to_status, last.by, last.comment) == (
        Resource.Status.WITHDRAWN,
        Resource.Status.PUBLISHED,
        editor,
        "The right edition after all.",
    )
    assert Entry.objects.filter(resource=again).exists()


def test_only_editors_reinstate_only_withdrawn_resources_and_only_with_a_note(
    editor, reviewer, member, withdrawn
):
    for someone in (member, reviewer):
        with pytest.raises(PermissionDenied):
            workflow.resource_reinstate(resource=withdrawn, by=someone, note="Please.")
    with pytest.raises(ApplicationError) as refused:
        workflow.resource_reinstate(resource=withdrawn, by=editor, note=" \x00 ")
    assert refused.value.details[0]["field"] == "note"
    withdrawn.refresh_from_db()
    assert withdrawn.status == Resource.Status.WITHDRAWN
    workflow.resource_reinstate(resource=withdrawn, by=editor, note="Back.")
    with pytest.raises(ApplicationError, match="Only a withdrawn resource"):
        workflow.resource_reinstate(resource=withdrawn, by=editor, note="Again.")
    assert Transition.objects.filter(resource=withdrawn, comment="Again.").count() == 0


def test_page_search_oai_sitemap_and_feed_follow(client, editor, withdrawn, monkeypatch):
    page = f"/en/library/r/{withdrawn.uuid}/"
    hit = f'<a href="{page}">'  # a search result links to the page
    assert client.get(page).status_code == 410
    assert hit not in client.get("/en/library/", {"q": "island"}).content.decode()
    # Withdrawn an hour ago; a harvester last came half an hour ago and knows it is deleted.
    Resource.objects.filter(pk=withdrawn.pk).update(datestamp=timezone.now() - timedelta(hours=1))
    last_harvest = (timezone.now() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    header = oai_header(client, withdrawn)
    assert header is not None
    assert header.get("status") == "deleted"
    assert oai_header(client, withdrawn, **{"from": last_harvest}) is None
    assert str(withdrawn.uuid) not in client.get("/sitemap-1.xml").getvalue().decode()
    assert TITLE not in client.get("/en/library/feeds/new.atom").content.decode()

    workflow.resource_reinstate(resource=withdrawn, by=editor, note="Back.")

    assert client.get(page).status_code == 200
    assert hit in client.get("/en/library/", {"q": "island"}).content.decode()
    # Lists end before the current second; two seconds later the next harvest sees the
    # resource as a record again, no longer deleted.
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=2))
    header = oai_header(client, withdrawn, **{"from": last_harvest})
    assert header is not None
    assert header.get("status") is None
    record = etree.fromstring(
        client.get(
            "/oai",
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": provider.oai_identifier(withdrawn),
            },
        ).content
    )
    assert record.find("o:GetRecord/o:record/o:metadata", OAI) is not None
    sitemap = etree.fromstring(client.get("/sitemap-1.xml").getvalue())
    locs = [e.text for e in sitemap.iterfind("s:url/s:loc", SITEMAP)]
    assert any(str(withdrawn.uuid) in loc for loc in locs)
    feed = etree.fromstring(client.get("/en/library/feeds/new.atom").content)
    assert TITLE in [t.text for t in feed.iterfind("a:entry/a:title", ATOM)]


def test_the_tombstone_links_editors_to_the_form_that_works_without_javascript(
    editor, member, withdrawn
):
    browser = Client()
    browser.force_login(member)
    assert (
        "Publish it again" not in browser.get(f"/en/library/r/{withdrawn.uuid}/").content.decode()
    )
    browser.force_login(editor)
    tombstone = browser.get(f"/en/library/r/{withdrawn.uuid}/").content.decode()
    assert f'href="/en/library/r/{withdrawn.uuid}/review/#reinstate-title"' in tombstone
    review = browser.get(f"/en/library/r/{withdrawn.uuid}/review/").content.decode()
    action = f"/en/library/r/{withdrawn.uuid}/review/reinstate/"
    assert f'action="{action}"' in review
    refused = browser.post(action, {"note": ""})
    assert refused.status_code == 400
    assert 'id="id_note_error"' in refused.content.decode()
    response = browser.post(action, {"note": "Restored by the editors."})
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert withdrawn.status == Resource.Status.PUBLISHED
    history = browser.get(response["Location"]).content.decode()
    assert "Restored by the editors." in history
    assert f'action="{action}"' not in history  # published: the form is gone


def test_the_api_reinstates(client, editor, member, withdrawn):
    url = f"/api/v1/library/resources/{withdrawn.uuid}/reinstate"
    error(
        client.post(
            url, {"note": "Back."}, content_type="application/json", headers=bearer(member)
        ),
        403,
        "permission_denied",
    )
    refused = error(
        client.post(url, {"note": ""}, content_type="application/json", headers=bearer(editor)),
        400,
        "validation",
    )
    assert refused["details"][0]["field"] == "note"
    body = client.post(
        url, {"note": "Back."}, content_type="application/json", headers=bearer(editor)
    ).json()
    assert (body["status"], body["withdrawal_reason"]) == ("published", "")
    error(
        client.post(
            url, {"note": "Again."}, content_type="application/json", headers=bearer(editor)
        ),
        400,
        "bad_state",
    )
