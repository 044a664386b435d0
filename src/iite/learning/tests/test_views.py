"""Pages: paths, steps through real form posts, dashboard, cohorts, verify, credential pages."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iite.learning import services
from iite.learning.credentials import baking
from iite.learning.models import Credential, Enrolment, StepProgress
from iite.learning.tests.conftest import member
from iite.learning.tests.test_credentials import complete

pytestmark = pytest.mark.django_db


def test_index_lists_published_paths_by_language(client, path, editor):
    services.path_create(
        slug="draft", title="A draft", summary="Not yet.", language="en", by=editor
    )
    page = client.get(reverse("learning:index"))
    assert path.title in page.content.decode()
    assert "A draft" not in page.content.decode()
    french = client.get(reverse("learning:index"), {"language": "fr"})
    assert path.title not in french.content.decode()
    assert client.get(reverse("learning:path", args=["draft"])).status_code == 404


def test_a_learner_works_through_a_path_with_forms(client, path, learner, editor):
    client.force_login(learner)
    started = client.post(reverse("learning:enrol", args=[path.slug]))
    assert started.url == reverse("learning:step", args=[path.slug, 1])
    client.post(reverse("learning:step", args=[path.slug, 1]))
    # An activity with nothing handed in: a clear message, nothing saved.
    empty = client.post(reverse("learning:step", args=[path.slug, 2]), {"text": "  "})
    assert empty.status_code == 400
    assert "Write your answer or attach a file." in empty.content.decode()
    enrolment = Enrolment.objects.get(learner=learner)
    assert not StepProgress.objects.filter(enrolment=enrolment, step__order=2).exists()
    upload = SimpleUploadedFile("plan.txt", b"Our plan", content_type="text/plain")
    client.post(reverse("learning:step", args=[path.slug, 2]), {"text": "Plan", "file": upload})
    # Resume: the dashboard points at the first step not done (the activity, under review).
    dashboard = client.get(reverse("learning:dashboard")).content.decode()
    assert reverse("learning:step", args=[path.slug, 2]) in dashboard
    wrong = client.post(reverse("learning:step", args=[path.slug, 3]), {"q0": "0", "q1": "1"})
    assert wrong.status_code == 302
    assert StepProgress.objects.get(enrolment=enrolment, step__order=3).status == "done"
    assert not Credential.objects.exists()  # the activity still waits for review

    facilitator = client.__class__()
    facilitator.force_login(editor)
    waiting = StepProgress.objects.get(enrolment=enrolment, step__order=2)
    cohort_less = facilitator.post(
        reverse("learning:review", args=[waiting.pk]), {"decision": "accept"}
    )
    assert cohort_less.status_code == 302
    assert Credential.objects.filter(enrolment=enrolment).count() == 1


def test_quiz_score_rule_needs_the_pass_mark(client, editor, learner):
    from iite.learning.tests.conftest import make_path

    path = make_path(editor, slug="scored", completion="quiz_score", pass_percent=100)
    client.force_login(learner)
    client.post(reverse("learning:enrol", args=[path.slug]))
    client.post(reverse("learning:step", args=[path.slug, 3]), {"q0": "0", "q1": "0"})
    progress = StepProgress.objects.get(step__path=path, step__order=3)
    assert (progress.status, progress.score) == ("failed", 50)
    unanswered = client.post(reverse("learning:step", args=[path.slug, 3]), {"q0": "1"})
    assert unanswered.status_code == 400
    client.post(reverse("learning:step", args=[path.slug, 3]), {"q0": "1", "q1": "0"})
    progress.refresh_from_db()
    assert (progress.status, progress.score) == ("done", 100)


def test_cohort_view_and_csv_for_facilitators_only(client, path, editor, learner):
    facilitator = member(name="Fatima Facilitator")
    cohort = services.cohort_create(
        path=path,
        name="Kenya ministry workshop",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 5),
        facilitators=[facilitator],
        by=editor,
    )
    services.enrol(path=path, user=learner, cohort=cohort)
    outsider = member()
    client.force_login(outsider)
    assert client.get(reverse("learning:cohort", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("learning:cohort-csv", args=[cohort.pk])).status_code == 404
    client.force_login(facilitator)
    page = client.get(reverse("learning:cohort", args=[cohort.pk]))
    assert "Amina Learner" in page.content.decode()
    reply = client.get(reverse("learning:cohort-csv", args=[cohort.pk]))
    rows = list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["learner", "email", "status"]
    assert rows[1][0] == "Amina Learner"
    assert rows[1][3:5] == ["0", "3"]


def test_cohort_dates_must_be_in_order(path, editor):
    from iite.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        services.cohort_create(
            path=path,
            name="Backwards",
            starts_on=date(2026, 3, 5),
            ends_on=date(2026, 3, 1),
            by=editor,
        )


def test_verify_page_paste_upload_and_bad_input(client, path, learner, editor):
    credential = complete(path, learner, editor)
    pasted = client.post(reverse("learning:verify"), {"credential": credential.document})
    assert "The signature is valid." in pasted.content.decode()
    png = client.get(reverse("learning:credential-png", args=[credential.public_id])).content
    assert baking.unbake(png) == credential.document
    uploaded = client.post(
        reverse("learning:verify"), {"file": SimpleUploadedFile("badge.png", png, "image/png")}
    )
    assert "Valid: the credential is authentic" in uploaded.content.decode()
    plain = baking.badge_image(1)
    no_badge = client.post(
        reverse("learning:verify"), {"file": SimpleUploadedFile("x.png", plain, "image/png")}
    )
    assert no_badge.status_code == 400
    assert "holds no credential" in no_badge.content.decode()
    garbage = client.post(reverse("learning:verify"), {"credential": "{not json"})
    assert garbage.status_code == 200
    assert "not JSON" in garbage.content.decode()
    nothing = client.post(reverse("learning:verify"), {"credential": ""})
    assert nothing.status_code == 400


def test_credential_page_and_downloads(client, path, learner, editor):
    credential = complete(path, learner, editor)
    page = client.get(reverse("learning:credential", args=[credential.public_id]))
    assert page.status_code == 200
    assert "Amina Learner" in page.content.decode()
    data = client.get(reverse("learning:credential-json", args=[credential.public_id]))
    assert json.loads(data.content) == json.loads(credential.document)
    pdf = client.get(reverse("learning:credential-pdf", args=[credential.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("learning:credential", args=["not-a-uuid"])).status_code == 404


def test_recommendations_page_without_assessment(client, learner):
    client.force_login(learner)
    page = client.get(reverse("learning:recommendations"))
    assert "Take the ICT competency self-assessment first" in page.content.decode()


def test_admin_screens_and_revoke_action(client, path, learner, editor):
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    credential = complete(path, learner, editor)
    staff = member(is_staff=True, is_superuser=True)
    client.force_login(staff)
    assert client.get(reverse("admin:learning_path_change", args=[path.pk])).status_code == 200
    assert client.get(reverse("admin:learning_credential_changelist")).status_code == 200
    client.post(
        reverse("admin:learning_credential_changelist"),
        {"action": "revoke", ACTION_CHECKBOX_NAME: [credential.pk]},
    )
    credential.refresh_from_db()
    assert credential.is_revoked


def test_a_huge_paste_gets_a_message_not_an_error_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    reply = client.post(reverse("learning:verify"), {"credential": "x" * 20_000})
    assert reply.status_code == 400
    assert "too large" in reply.content.decode()
