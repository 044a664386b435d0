"""The learning and credentials API: public reads, verification verdicts, the error shape."""

from __future__ import annotations

import json

import pytest

from iite.learning.credentials.verification import MAX_BYTES
from iite.learning.tests.conftest import QUIZ
from iite.learning.tests.test_credentials import complete

pytestmark = pytest.mark.django_db
VERIFY = "/api/v1/credentials/verify"


def test_paths_are_public(client, path):
    listed = client.get("/api/v1/learning/paths").json()
    assert listed["count"] == 1
    assert listed["items"][0]["competencies"][0]["code"] == "1.KA"
    detail = client.get(f"/api/v1/learning/paths/{path.slug}").json()
    assert [step["kind"] for step in detail["steps"]] == ["external", "activity", "quiz"]
    missing = client.get("/api/v1/learning/paths/nope")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_enrolment_needs_a_caller(client, path, learner):
    refused = client.post(f"/api/v1/learning/paths/{path.slug}/enrol")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"


def test_verify_endpoint_verdicts(client, path, learner, editor, no_network):
    credential = complete(path, learner, editor)
    valid = client.post(VERIFY, credential.document, content_type="application/json").json()
    assert valid["valid"] is True
    assert [check["code"] for check in valid["checks"]] == [
        "format",
        "context",
        "signature",
        "issuer",
        "expiry",
        "revocation",
    ]
    tampered = credential.document.replace("Understanding", "Misunderstanding")
    verdict = client.post(VERIFY, tampered, content_type="application/json").json()
    assert verdict["valid"] is False
    assert {c["code"]: c["status"] for c in verdict["checks"]}["signature"] == "fail"
    for body in ("", "nonsense", "[]", json.dumps({"hello": "world"})):
        reply = client.post(VERIFY, body, content_type="application/json")
        assert reply.status_code == 200
        assert reply.json()["valid"] is False
        assert reply.json()["checks"][0]["status"] == "fail"
    enormous = client.post(VERIFY, "x" * (MAX_BYTES * 4), content_type="application/json")
    assert enormous.status_code == 200
    assert "KB" in enormous.json()["checks"][0]["message"]


def test_issuer_keys_status_and_credential_documents(client, path, learner, editor):
    credential = complete(path, learner, editor)
    issuer = client.get("/api/v1/credentials/issuer")
    assert issuer["Content-Type"] == "application/ld+json"
    profile = issuer.json()
    document = json.loads(credential.document)
    assert profile["id"] == document["issuer"]["id"]
    method = document["proof"]["verificationMethod"]
    assert profile["assertionMethod"] == [method]
    multibase = method.split("#")[1]
    did = client.get(f"/api/v1/credentials/keys/{multibase}").json()
    assert did["verificationMethod"][0]["publicKeyMultibase"] == multibase
    assert client.get("/api/v1/credentials/keys/z6MkUnknown").status_code == 404
    status = client.get("/api/v1/credentials/status/0").json()
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert client.get("/api/v1/credentials/status/-1").status_code in (404, 422)
    same = client.get(f"/api/v1/credentials/{credential.public_id}")
    assert same.content.decode() == credential.document
    assert client.get("/api/v1/credentials/not-a-uuid").status_code == 404


def test_my_credentials_and_enrolments(client, path, learner, editor):
    credential = complete(path, learner, editor)
    client.force_login(learner)
    mine = client.get("/api/v1/learning/credentials").json()
    assert mine[0]["id"] == str(credential.public_id)
    enrolments = client.get("/api/v1/learning/enrolments").json()
    assert enrolments[0]["status"] == "completed"
    assert enrolments[0]["credential"] == str(credential.public_id)


def test_authors_create_a_path_add_move_and_remove_steps_and_publish(client, editor):
    client.force_login(editor)
    created = client.post(
        "/api/v1/learning/paths",
        {
            "slug": "api-path",
            "title": "Made through the API",
            "summary": "Steps and all.",
            "language": "en",
            "competencies": ["2.KA"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["status"] == "draft"
    for step in (
        {"kind": "activity", "title": "Plan"},
        {"kind": "external", "title": "Watch", "url": "https://example.org/v"},
        {"kind": "quiz", "title": "Check", "questions": QUIZ},
    ):
        added = client.post(
            "/api/v1/learning/paths/api-path/steps", step, content_type="application/json"
        )
        assert added.status_code == 201, added.json()
    moved = client.post(
        "/api/v1/learning/paths/api-path/steps/3/move",
        {"direction": "up"},
        content_type="application/json",
    ).json()
    assert [s["title"] for s in moved["steps"]] == ["Plan", "Check", "Watch"]
    removed = client.delete("/api/v1/learning/paths/api-path/steps/1").json()
    assert [(s["order"], s["title"]) for s in removed["steps"]] == [(1, "Check"), (2, "Watch")]
    changed = client.patch(
        "/api/v1/learning/paths/api-path",
        {"title": "Renamed", "pass_percent": 0},
        content_type="application/json",
    )
    assert changed.status_code == 400
    assert changed.json()["error"]["details"] == [
        {"field": "pass_percent", "message": "Between 1 and 100."}
    ]
    changed = client.patch(
        "/api/v1/learning/paths/api-path", {"title": "Renamed"}, content_type="application/json"
    ).json()
    assert (changed["title"], changed["competencies"][0]["code"]) == ("Renamed", "2.KA")
    published = client.post("/api/v1/learning/paths/api-path/publish").json()
    assert published["status"] == "published"


def test_members_may_not_author_through_the_api(client, path, learner):
    client.force_login(learner)
    refused = client.post(
        "/api/v1/learning/paths",
        {"slug": "mine", "title": "Mine", "summary": "S", "language": "en"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    move = client.post(
        f"/api/v1/learning/paths/{path.slug}/steps/1/move",
        {"direction": "down"},
        content_type="application/json",
    )
    assert move.status_code == 403
    bad_step = client.post(
        f"/api/v1/learning/paths/{path.slug}/steps",
        {"kind": "external", "title": "X"},
        content_type="application/json",
    )
    assert bad_step.status_code == 403
