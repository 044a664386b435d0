"""The assessments API as its clients meet it: instruments, campaigns, answering, results, reports.

Every failure must come in the one error shape, never as a 500.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from iite.accounts.services import api_token_create
from iite.accounts.tests.factories import make_organisation
from iite.assessments import services
from iite.assessments.models import Answer, Campaign, Response, Result
from iite.assessments.tests.conftest import open_window, person

pytestmark = pytest.mark.django_db

API = "/api/v1/assessments"


def bearer(user: Any) -> dict[str, Any]:
    _token, secret = api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def code_header(code: str) -> dict[str, Any]:
    return {"HTTP_X_RESUME_CODE": code}


def error_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


def put(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.put(url, data, content_type="application/json", **extra)


def post(client: Client, url: str, data: Any = None, **extra: Any) -> Any:
    return client.post(
        url, data if data is not None else {}, content_type="application/json", **extra
    )


def answer_school(campaign: Campaign, value: int = 4, group: str = "teacher") -> Response:
    """A submitted anonymous response to a campaign of the test school instrument."""
    response, _code = services.response_start(campaign=campaign, group=group)
    answers: dict[str, object] = {"L1": value}
    if group != "leader":
        services.response_answers_save(
            response=response, section_code="infrastructure", answers={"I1": 1}
        )
    services.response_answers_save(response=response, section_code="leadership", answers=answers)
    return services.response_submit(response=response, submission_key=uuid.uuid4())


# --- Instruments ---------------------------------------------------------------------------------
def test_instruments_list_is_public_and_gives_latest_versions(
    school_instrument, teacher_instrument, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = Client().get(f"{API}/instruments?lang=fr")
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.json()}
    assert by_code["test-school"]["name"] == "Test school self-reflection (fr)"
    assert by_code["test-school"]["anonymous"] is True
    assert by_code["test-teacher"]["framework"] == {"code": "ict-cft", "version": "3"}


def test_instrument_detail_in_the_language_asked(school_instrument):
    response = Client().get(f"{API}/instruments/test-school/1?lang=ru")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Test school self-reflection (ru)"
    assert [g["code"] for g in body["groups"]] == ["leader", "teacher", "student"]
    assert [s["code"] for s in body["sections"]] == ["leadership", "infrastructure"]
    l1 = body["sections"][0]["items"][0]
    assert l1["code"] == "L1"
    assert l1["kind"] == "agreement"
    assert l1["required"] is True
    assert [c["value"] for c in l1["choices"]] == ["1", "2", "3", "4", "5", "na"]
    assert l1["choices"][0]["label"] == "Point 1 (ru)"
    assert l1["choices"][-1]["label"] != "Not applicable"  # translated by the catalogue
    text_item = body["sections"][1]["items"][1]
    assert text_item["kind"] == "text"
    assert text_item["choices"] == []
    assert text_item["max_length"] == 1000
    assert [level["code"] for level in body["levels"]] == [
        "beginning",
        "developing",
        "established",
        "leading",
    ]


def test_unknown_instrument_is_not_found():
    error_of(Client().get(f"{API}/instruments/nothing/1"), 404, "unknown_instrument")


def test_bad_lang_is_a_validation_error(school_instrument):
    error = error_of(Client().get(f"{API}/instruments/test-school/1?lang=xx"), 422, "validation")
    assert error["details"][0]["field"] == "lang"


# --- The anonymous flow --------------------------------------------------------------------------
def test_anonymous_flow_start_save_resume_submit_twice_one_result(school_campaign):
    client = Client()
    url = f"{API}/campaigns/{school_campaign.join_code}/responses"
    started = post(client, url, {"group": "teacher"})
    assert started.status_code == 201, started.content
    body = started.json()
    code = body["resume_code"]
    assert code
    assert body["status"] == "in_progress"
    assert body["group"] == "teacher"
    response_id = body["id"]
    assert Response.objects.get(pk=response_id).respondent is None
    assert [s["code"] for s in body["sections"]] == ["leadership", "infrastructure"]

    saved = put(
        client,
        f"{API}/responses/{response_id}/sections/leadership",
        {"answers": {"L1": 4, "L2": "na"}},
        **code_header(code),
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["answers"] == {"L1": 4, "L2": "na"}

    # Another client holding only the codes resumes and finishes.
    other = Client()
    resumed = post(
        other,
        f"{API}/responses/resume",
        {"join_code": school_campaign.join_code, "resume_code": code.lower()},
    )
    assert resumed.status_code == 200
    assert resumed.json()["id"] == response_id
    saved = put(
        other,
        f"{API}/responses/{response_id}/sections/infrastructure",
        {"answers": {"I1": "1", "C1": "Plus de tablettes"}},
        **code_header(code),
    )
    assert saved.status_code == 200, saved.content
    detail = other.get(f"{API}/responses/{response_id}", **code_header(code)).json()
    assert detail["answers"] == {"L1": 4, "L2": "na", "I1": 1, "C1": "Plus de tablettes"}
    assert all(section["missing_required"] == 0 for section in detail["sections"])

    key = str(uuid.uuid4())
    submit_url = f"{API}/responses/{response_id}/submit"
    first = post(other, submit_url, {"submission_key": key}, **code_header(code))
    second = post(other, submit_url, {"submission_key": key}, **code_header(code))
    assert first.status_code == second.status_code == 200
    assert first.json()["status"] == second.json()["status"] == "submitted"
    assert Result.objects.filter(response_id=response_id).count() == 1

    result = other.get(f"{API}/responses/{response_id}/result", **code_header(code))
    assert result.status_code == 200
    assert result.json()["scores"] == {"leadership": 0.75, "infrastructure": 1.0}
    assert result.json()["levels"]["leadership"] == "established"
    # Submitted answers can no longer change.
    error_of(
        put(
            other,
            f"{API}/responses/{response_id}/sections/leadership",
            {"answers": {"L1": 1}},
            **code_header(code),
        ),
        400,
        "response_submitted",
    )


def test_anonymous_response_needs_its_own_resume_code(school_campaign):
    client = Client()
    url = f"{API}/campaigns/{school_campaign.join_code}/responses"
    body = post(client, url, {"group": "leader"}).json()
    other = post(client, url, {"group": "leader"}).json()
    detail = f"{API}/responses/{body['id']}"
    error_of(client.get(detail), 404, "unknown_response")
    error_of(client.get(detail, **code_header("FORGEDCODE12")), 404, "unknown_response")
    error_of(client.get(detail, **code_header(other["resume_code"])), 404, "unknown_response")
    error_of(
        put(client, f"{detail}/sections/leadership", {"answers": {"L1": 3}}),
        404,
        "unknown_response",
    )
    error_of(
        client.get(f"{API}/responses/999999", **code_header(body["resume_code"])),
        404,
        "unknown_response",
    )
    assert client.get(detail, **code_header(body["resume_code"])).status_code == 200


def test_forged_or_used_resume_code_is_refused(school_campaign):
    client = Client()
    url = f"{API}/responses/resume"
    join = school_campaign.join_code
    error_of(
        post(client, url, {"join_code": join, "resume_code": "NOTAREALCODE"}),
        400,
        "invalid_resume_code",
    )
    response, code = services.response_start(campaign=school_campaign, group="leader")
    assert code
    services.response_answers_save(response=response, section_code="leadership", answers={"L1": 2})
    services.response_submit(response=response, submission_key=uuid.uuid4())
    error_of(post(client, url, {"join_code": join, "resume_code": code}), 400, "response_submitted")
    error_of(post(client, url, {"join_code": "NOPE", "resume_code": code}), 404, "unknown_campaign")


def test_answers_outside_the_scale_are_refused_per_item_and_nothing_is_saved(school_campaign):
    client = Client()
    body = post(
        client, f"{API}/campaigns/{school_campaign.join_code}/responses", {"group": "teacher"}
    ).json()
    headers = code_header(body["resume_code"])
    url = f"{API}/responses/{body['id']}/sections"
    error = error_of(
        put(client, f"{url}/leadership", {"answers": {"L1": 9, "L2": "often", "I1": 1}}, **headers),
        400,
        "invalid_answers",
    )
    assert {detail["field"] for detail in error["details"]} == {"L1", "L2", "I1"}
    assert not Answer.objects.filter(response_id=body["id"]).exists()
    error = error_of(
        put(client, f"{url}/infrastructure", {"answers": {"I1": "na"}}, **headers),
        400,
        "invalid_answers",
    )
    assert error["details"][0]["field"] == "I1"
    error_of(
        put(client, f"{url}/infrastructure", {"answers": {"C1": "x" * 1001}}, **headers),
        400,
        "invalid_answers",
    )
    error_of(
        put(client, f"{url}/nowhere", {"answers": {"L1": 1}}, **headers), 400, "unknown_section"
    )
    # A boolean or a list is not an answer.
    error_of(
        put(client, f"{url}/leadership", {"answers": {"L1": True}}, **headers), 422, "validation"
    )
    error_of(
        put(client, f"{url}/leadership", {"answers": {"L1": [1]}}, **headers), 422, "validation"
    )
    error_of(put(client, f"{url}/leadership", {"answers": "L1=1"}, **headers), 422, "validation")
    assert not Answer.objects.filter(response_id=body["id"]).exists()


def test_bad_json_is_refused_in_the_error_shape(school_campaign):
    client = Client()
    url = f"{API}/campaigns/{school_campaign.join_code}/responses"
    response = client.post(url, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) == {"code", "message", "details"}
    body = post(client, url, {"group": "teacher"}).json()
    response = client.put(
        f"{API}/responses/{body['id']}/sections/leadership",
        b"\xff\xfe{",
        content_type="application/json",
        **code_header(body["resume_code"]),
    )
    assert response.status_code in (400, 422)
    assert set(response.json()["error"]) == {"code", "message", "details"}


def test_missing_required_answers_and_bad_keys_on_submit(school_campaign):
    client = Client()
    body = post(
        client, f"{API}/campaigns/{school_campaign.join_code}/responses", {"group": "teacher"}
    ).json()
    headers = code_header(body["resume_code"])
    url = f"{API}/responses/{body['id']}/submit"
    error = error_of(
        post(client, url, {"submission_key": str(uuid.uuid4())}, **headers), 400, "answers_missing"
    )
    assert {detail["field"] for detail in error["details"]} == {"L1", "I1"}
    error = error_of(
        post(client, url, {"submission_key": "not-a-uuid"}, **headers), 422, "validation"
    )
    assert error["details"][0]["field"] == "submission_key"
    error_of(post(client, url, {}, **headers), 422, "validation")
    error_of(client.get(f"{API}/responses/{body['id']}/result", **headers), 409, "not_submitted")
    assert Response.objects.get(pk=body["id"]).status == "in_progress"


def test_start_refuses_closed_unknown_campaigns_and_unknown_groups(school_campaign, admin):
    client = Client()
    url = f"{API}/campaigns/{school_campaign.join_code}/responses"
    error = error_of(post(client, url, {"group": "parent"}), 400, "validation")
    assert error["details"][0]["field"] == "group"
    error_of(post(client, url, {}), 400, "validation")  # three groups: one must be chosen
    error_of(
        post(client, f"{API}/campaigns/NOSUCHCODE/responses", {"group": "leader"}),
        404,
        "unknown_campaign",
    )
    services.campaign_close(campaign=school_campaign, by=admin)
    error_of(post(client, url, {"group": "leader"}), 400, "campaign_closed")
    assert not Response.objects.exists()


def test_save_and_submit_refused_once_the_campaign_closed(school_campaign, admin):
    client = Client()
    body = post(
        client, f"{API}/campaigns/{school_campaign.join_code}/responses", {"group": "leader"}
    ).json()
    headers = code_header(body["resume_code"])
    services.campaign_close(campaign=school_campaign, by=admin)
    error_of(
        put(
            client,
            f"{API}/responses/{body['id']}/sections/leadership",
            {"answers": {"L1": 3}},
            **headers,
        ),
        400,
        "campaign_closed",
    )
    error_of(
        post(
            client,
            f"{API}/responses/{body['id']}/submit",
            {"submission_key": str(uuid.uuid4())},
            **headers,
        ),
        400,
        "campaign_closed",
    )


# --- The signed-in self flow ---------------------------------------------------------------------
def test_signed_in_self_flow_with_a_bearer_token(teacher_instrument, teacher):
    client = Client()
    auth = bearer(teacher)
    error_of(post(client, f"{API}/instruments/test-teacher/1/self"), 401, "unauthenticated")
    started = post(client, f"{API}/instruments/test-teacher/1/self", **auth)
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["resume_code"] is None
    response_id = body["id"]
    assert Response.objects.get(pk=response_id).respondent == teacher
    # Starting again gives back the unfinished response.
    assert (
        post(client, f"{API}/instruments/test-teacher/1/self", **auth).json()["id"] == response_id
    )

    url = f"{API}/responses/{response_id}"
    saved = put(
        client,
        f"{url}/sections/policy",
        {"answers": {"1.KA.1": 3, "1.KA.2": 3, "1.KD.1": 2, "1.KC.1": 0}},
        **auth,
    )
    assert saved.status_code == 200, saved.content
    saved = put(client, f"{url}/sections/pedagogy", {"answers": {"3.KA.1": 1}}, **auth)
    assert saved.status_code == 200, saved.content
    submitted = post(client, f"{url}/submit", {"submission_key": str(uuid.uuid4())}, **auth)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"

    result = client.get(f"{url}/result?lang=fr", **auth).json()
    assert result["scores"]["1.KA"] == 1.0
    assert result["levels"]["1.KA"] == "leading"
    assert result["level_names"]["leading"] == "Leading (fr)"
    assert result["to_develop"][0]["code"] == "1.KC"
    assert result["to_develop"][0]["aim"] == "developing"
    assert "1" in result["rollup"]

    listed = client.get(f"{API}/results", **auth).json()
    assert listed["count"] == 1
    assert listed["items"][0]["response_id"] == response_id
    assert listed["items"][0]["scope"] == "self"

    # Someone else's token, or no sign-in, finds nothing there.
    stranger = bearer(person())
    error_of(client.get(url, **stranger), 404, "unknown_response")
    error_of(client.get(f"{url}/result", **stranger), 404, "unknown_response")
    error_of(client.get(url), 404, "unknown_response")
    assert client.get(f"{API}/results", **stranger).json()["count"] == 0
    error_of(client.get(f"{API}/results"), 401, "unauthenticated")
    error_of(client.get(url, HTTP_AUTHORIZATION="Bearer iite_forged"), 401, "unauthenticated")


def test_anonymous_instrument_has_no_self_assessment(school_instrument, teacher):
    error_of(
        post(Client(), f"{API}/instruments/test-school/1/self", **bearer(teacher)),
        400,
        "anonymous_instrument",
    )


def test_named_campaign_needs_a_signed_in_respondent(teacher_instrument, admin, teacher):
    campaign = services.campaign_open(
        instrument=teacher_instrument,
        scope="cohort",
        cohort_name="Cohort A",
        by=admin,
        **open_window(),
    )
    url = f"{API}/campaigns/{campaign.join_code}/responses"
    error_of(post(Client(), url), 403, "permission_denied")
    started = post(Client(), url, **bearer(teacher))
    assert started.status_code == 201
    assert started.json()["group"] == "teacher"  # the only group
    assert started.json()["resume_code"] is None


def test_session_clients_need_the_csrf_header_on_writes(teacher_instrument, admin, teacher):
    campaign = services.campaign_open(
        instrument=teacher_instrument,
        scope="cohort",
        cohort_name="Cohort B",
        by=admin,
        **open_window(),
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(teacher)
    response = post(client, f"{API}/campaigns/{campaign.join_code}/responses")
    assert response.status_code == 403
    assert set(response.json()["error"]) == {"code", "message", "details"}
    assert not Response.objects.exists()


# --- Campaigns -----------------------------------------------------------------------------------
def campaign_body(**fields: Any) -> dict[str, Any]:
    now = timezone.now()
    body = {
        "instrument": "test-school",
        "scope": "organisation",
        "closes_at": (now + timedelta(days=20)).isoformat(),
    }
    body.update(fields)
    return body


def test_coordinator_opens_a_campaign_for_their_school_only(school_instrument, school, coordinator):
    client = Client()
    auth = bearer(coordinator)
    created = post(
        client,
        f"{API}/campaigns",
        campaign_body(organisation_id=school.pk, groups=["teacher", "student"]),
        **auth,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "open"
    assert body["organisation"] == {"id": school.pk, "name": school.name}
    assert [group["code"] for group in body["groups"]] == ["teacher", "student"]
    campaign = Campaign.objects.get(join_code=body["join_code"])
    assert campaign.created_by == coordinator

    other_school = make_organisation(name="Another school")
    error_of(
        post(client, f"{API}/campaigns", campaign_body(organisation_id=other_school.pk), **auth),
        403,
        "permission_denied",
    )
    error_of(
        post(
            client, f"{API}/campaigns", campaign_body(organisation_id=school.pk), **bearer(person())
        ),
        403,
        "permission_denied",
    )
    error_of(
        post(client, f"{API}/campaigns", campaign_body(organisation_id=school.pk)),
        401,
        "unauthenticated",
    )
    assert Campaign.objects.count() == 1


def test_focal_point_and_editor_open_country_and_cohort_campaigns(school_instrument, france, kenya):
    client = Client()
    focal = bearer(person("focal-point", country=france))
    created = post(
        client, f"{API}/campaigns", campaign_body(scope="country", country="fr"), **focal
    )
    assert created.status_code == 201, created.content
    assert created.json()["country"] == "FR"
    error_of(
        post(client, f"{API}/campaigns", campaign_body(scope="country", country="KE"), **focal),
        403,
        "permission_denied",
    )
    editor = bearer(person("editor"))
    created = post(
        client,
        f"{API}/campaigns",
        campaign_body(scope="cohort", cohort_name="Spring 2026"),
        **editor,
    )
    assert created.status_code == 201, created.content
    error_of(
        post(client, f"{API}/campaigns", campaign_body(scope="cohort", cohort_name="X"), **focal),
        403,
        "permission_denied",
    )


def test_bad_campaign_input_is_refused_with_details(school_instrument, school, coordinator):
    client = Client()
    auth = bearer(coordinator)
    url = f"{API}/campaigns"
    error = error_of(
        post(client, url, campaign_body(instrument="nothing", organisation_id=school.pk), **auth),
        422,
        "validation",
    )
    assert error["details"][0]["field"] == "instrument"
    error = error_of(
        post(client, url, campaign_body(organisation_id=999999), **auth), 422, "validation"
    )
    assert error["details"][0]["field"] == "organisation_id"
    error = error_of(
        post(client, url, campaign_body(scope="country", country="QQ"), **auth), 422, "validation"
    )
    assert error["details"][0]["field"] == "country"
    error_of(post(client, url, campaign_body(scope="galaxy"), **auth), 422, "validation")
    error_of(
        post(client, url, {"instrument": "test-school", "scope": "organisation"}, **auth),
        422,
        "validation",
    )
    error = error_of(
        post(client, url, campaign_body(organisation_id=school.pk, groups=["parents"]), **auth),
        400,
        "validation",
    )
    assert error["details"][0]["field"] == "groups"
    past = (timezone.now() - timedelta(days=1)).replace(tzinfo=None).isoformat()
    error = error_of(
        post(client, url, campaign_body(organisation_id=school.pk, closes_at=past), **auth),
        400,
        "validation",
    )
    assert "closes_at" in {detail["field"] for detail in error["details"]}
    error = error_of(
        post(client, url, campaign_body(scope="organisation"), **auth), 400, "validation"
    )
    assert error["details"][0]["field"] == "organisation"
    assert not Campaign.objects.exists()


def test_campaign_summary_is_public(school_campaign):
    response = Client().get(f"{API}/campaigns/{school_campaign.join_code.lower()}?lang=es")
    assert response.status_code == 200
    body = response.json()
    assert body["instrument"]["name"] == "Test school self-reflection (es)"
    assert body["status"] == "open"
    assert {"code": "leader", "name": "Leader (es)"} in body["groups"]
    assert "closed_at" not in body
    assert "created_at" not in body
    error_of(Client().get(f"{API}/campaigns/UNKNOWN1"), 404, "unknown_campaign")


def test_campaign_list_shows_only_those_the_caller_may_manage(
    school_instrument, school, coordinator, admin, django_assert_max_num_queries
):
    other_school = make_organisation(name="Other")
    for _number in range(3):
        services.campaign_open(
            instrument=school_instrument,
            scope="organisation",
            organisation=school,
            by=coordinator,
            **open_window(),
        )
        services.campaign_open(
            instrument=school_instrument,
            scope="organisation",
            organisation=other_school,
            by=admin,
            **open_window(),
        )
    client = Client()
    auth = bearer(coordinator)
    client.get(f"{API}/campaigns", **auth)  # warm the definition cache
    with django_assert_max_num_queries(6):
        listed = client.get(f"{API}/campaigns", **auth).json()
    assert listed["count"] == 3
    assert {item["organisation"]["id"] for item in listed["items"]} == {school.pk}
    admin_auth = bearer(admin)
    with django_assert_max_num_queries(6):
        assert client.get(f"{API}/campaigns?page_size=2", **admin_auth).json()["count"] == 6
    assert client.get(f"{API}/campaigns", **bearer(person())).json()["count"] == 0


def test_close_a_campaign(school_campaign, coordinator):
    client = Client()
    url = f"{API}/campaigns/{school_campaign.join_code}/close"
    error_of(post(client, url, **bearer(person())), 403, "permission_denied")
    closed = post(client, url, **bearer(coordinator))
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"]
    assert post(client, url, **bearer(coordinator)).status_code == 200  # closing again: no change
    error_of(
        post(client, f"{API}/campaigns/NOPE/close", **bearer(coordinator)), 404, "unknown_campaign"
    )


# --- Results list and reports --------------------------------------------------------------------
def test_results_list_query_count_does_not_grow(
    teacher_instrument, teacher, django_assert_max_num_queries
):
    campaign = services.campaign_self_for(user=teacher, instrument=teacher_instrument)
    for value in (0, 1, 2, 3):
        response, _code = services.response_start(campaign=campaign, group="teacher", user=teacher)
        services.response_answers_save(
            response=response,
            section_code="policy",
            answers={"1.KA.1": value, "1.KA.2": value, "1.KD.1": value, "1.KC.1": min(value, 2)},
        )
        services.response_answers_save(
            response=response, section_code="pedagogy", answers={"3.KA.1": value}
        )
        services.response_submit(response=response, submission_key=uuid.uuid4())
    client = Client()
    auth = bearer(teacher)
    with django_assert_max_num_queries(5):
        listed = client.get(f"{API}/results", **auth).json()
    assert listed["count"] == 4
    assert [item["scores"]["1.KA"] for item in listed["items"]] == [1.0, 0.666667, 0.333333, 0.0]
    assert (
        client.get(f"{API}/results?page_size=3&page=2", **auth).json()["items"][0]["scores"]["1.KA"]
        == 0.0
    )


def test_report_withholds_figures_below_five_respondents(
    school_campaign, coordinator, django_assert_max_num_queries
):
    client = Client()
    auth = bearer(coordinator)
    url = f"{API}/campaigns/{school_campaign.join_code}/report"
    empty = client.get(url, **auth).json()
    assert empty["parts"] == []
    assert empty["min_respondents"] == 5
    for _number in range(4):
        answer_school(school_campaign)
    body = client.get(url, **auth).json()
    everyone = body["parts"][0]
    assert everyone["group"] == ""
    assert everyone["respondents"] is None
    assert everyone["withheld"]
    assert all(
        figure["mean"] is None and figure["n"] is None and figure["withheld"]
        for figure in everyone["targets"].values()
    )
    assert "4" not in str([part["respondents"] for part in body["parts"]])

    answer_school(school_campaign)
    with django_assert_max_num_queries(9):  # 9th: the campaign's own questions (none here)
        body = client.get(url, **auth).json()
    parts = {part["group"]: part for part in body["parts"]}
    assert parts[""]["respondents"] == 5
    assert parts[""]["targets"]["leadership"]["mean"] == 0.75
    assert parts["teacher"]["respondents"] == 5
    assert parts["leader"]["respondents"] is None
    assert parts["leader"]["withheld"]


def test_report_permissions(school_campaign, school, admin, france):
    client = Client()
    url = f"{API}/campaigns/{school_campaign.join_code}/report"
    error_of(client.get(url), 401, "unauthenticated")
    error_of(client.get(url, **bearer(person())), 403, "permission_denied")
    other = make_organisation(name="Elsewhere")
    error_of(
        client.get(url, **bearer(person("school-coordinator", organisation=other))),
        403,
        "permission_denied",
    )
    error_of(
        client.get(url, **bearer(person("focal-point", country=france))), 403, "permission_denied"
    )
    assert client.get(url, **bearer(admin)).status_code == 200
