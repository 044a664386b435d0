"""The library API: detail for anyone, create and update for editors, submit for members, review
actions for reviewers, decisions for editors; every failure in the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from iite.accounts import services as accounts_services
from iite.library.models import Resource
from iite.library.selectors import CRITERIA
from iite.library.tests.conftest import CASE, publication, published

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _token, secret = accounts_services.api_token_create(user=user, name="test")
    return {"Authorization": f"Bearer {secret}"}


def error(response: Any, status: int, code: str) -> Any:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    return body["error"]


def test_anyone_reads_a_published_resource_but_not_a_draft(client: Client, editor):
    resource = published(editor, countries=["KE"], competencies=["3.KD"], licence="CC-BY-4.0")
    body = client.get(f"/api/v1/library/resources/{resource.uuid}").json()
    assert body["title"] == resource.title
    assert body["countries"] == ["KE"]
    assert body["competencies"] == ["3.KD"]
    assert body["licence"] == "CC-BY-4.0"
    assert body["url"].endswith(f"/en/library/r/{resource.uuid}/")
    draft = publication(editor)
    error(client.get(f"/api/v1/library/resources/{draft.uuid}"), 404, "not_found")
    error(client.get("/api/v1/library/resources/nonsense"), 404, "not_found")
    assert (
        client.get(f"/api/v1/library/resources/{draft.uuid}", headers=bearer(editor)).status_code
        == 200
    )


def test_a_member_writes_submits_and_a_reviewer_and_editor_finish(
    client: Client, editor, reviewer, member
):
    payload = {
        "kind": "case-study",
        "title": "Radio lessons during school closures",
        "language": "fr",
        "creators": [{"family_name": "Diallo", "given_names": "Awa"}],
        "countries": ["SN"],
        "case_study": CASE,
    }
    created = client.post(
        "/api/v1/library/resources",
        payload,
        content_type="application/json",
        headers=bearer(member),
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["status"] == "draft"
    assert created.json()["case_study"]["results"] == CASE["results"]

    refused = client.post(
        "/api/v1/library/resources",
        {**payload, "kind": "publication", "case_study": None},
        content_type="application/json",
        headers=bearer(member),
    )
    error(refused, 403, "permission_denied")

    assert (
        client.post(f"/api/v1/library/resources/{uuid}/submit", headers=bearer(member)).json()[
            "status"
        ]
        == "submitted"
    )
    assigned = client.post(
        f"/api/v1/library/resources/{uuid}/reviewers",
        {"reviewer_id": reviewer.pk},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert assigned.status_code == 201
    bad = client.put(
        f"/api/v1/library/resources/{uuid}/review",
        {"scores": {"innovation": 7}, "comment": "", "recommendation": "publish"},
        content_type="application/json",
        headers=bearer(reviewer),
    )
    details = error(bad, 400, "validation")["details"]
    assert {"scores.innovation", "scores.impact", "comment"} <= {d["field"] for d in details}
    review = client.put(
        f"/api/v1/library/resources/{uuid}/review",
        {
            "scores": dict.fromkeys(CRITERIA, 5),
            "comment": "Exemplary.",
            "recommendation": "publish",
        },
        content_type="application/json",
        headers=bearer(reviewer),
    )
    assert review.status_code == 200
    assert review.json()["completed_at"]
    error(
        client.post(f"/api/v1/library/resources/{uuid}/publish", headers=bearer(reviewer)),
        403,
        "permission_denied",
    )
    assert (
        client.post(f"/api/v1/library/resources/{uuid}/publish", headers=bearer(editor)).json()[
            "status"
        ]
        == "published"
    )
    withdrawn = client.post(
        f"/api/v1/library/resources/{uuid}/withdraw",
        {"reason": "Duplicate of another record."},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert withdrawn.json()["status"] == "withdrawn"
    assert (
        client.get(f"/api/v1/library/resources/{uuid}").json()["withdrawal_reason"]
        == "Duplicate of another record."
    )


def test_bad_metadata_gets_the_error_shape_and_changes_nothing(client: Client, editor):
    resource = published(editor)
    response = client.patch(
        f"/api/v1/library/resources/{resource.uuid}",
        {"title": "New", "countries": ["XX"], "doi": "nope"},
        content_type="application/json",
        headers=bearer(editor),
    )
    details = error(response, 400, "validation")["details"]
    assert {d["field"] for d in details} == {"countries", "doi"}
    resource.refresh_from_db()
    assert resource.title != "New"
    wrong_type = client.post(
        "/api/v1/library/resources",
        {"kind": "poem", "title": "x", "language": "en"},
        content_type="application/json",
        headers=bearer(editor),
    )
    error(wrong_type, 422, "validation")
    assert Resource.objects.count() == 1


def test_writing_needs_a_signed_in_caller(client: Client):
    response = client.post(
        "/api/v1/library/resources",
        {"kind": "publication", "title": "x", "language": "en"},
        content_type="application/json",
    )
    error(response, 401, "unauthenticated")
