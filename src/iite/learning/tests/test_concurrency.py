"""Racing completions of the same path issue one credential (PostgreSQL: real parallel writers)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from iite.accounts import services as accounts_services
from iite.learning import services
from iite.learning.models import Credential, Enrolment, Step
from iite.learning.tests.conftest import make_path, member

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; threads need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_racing_last_steps_issue_one_credential(reference_data):
    editor = member()
    accounts_services.role_grant(user=editor, role="editor", by=None)
    path = make_path(editor, slug="race")
    learner = member()
    enrolment = services.enrol(path=path, user=learner)
    for step in path.steps.exclude(kind="external"):
        if step.kind == "activity":
            progress = services.activity_submit(
                enrolment=enrolment, step=step, user=learner, text="Done."
            )
            services.submission_review(progress=progress, accept=True, by=editor)
        else:
            answers = {n: q["answer"] for n, q in enumerate(step.questions)}
            services.quiz_submit(enrolment=enrolment, step=step, user=learner, answers=answers)
    last = Step.objects.get(path=path, kind="external")
    barrier = threading.Barrier(4)
    outcomes: list[object] = []

    def finish() -> None:
        try:
            barrier.wait()
            mine = Enrolment.objects.get(pk=enrolment.pk)
            services.step_complete(enrolment=mine, step=last, user=learner)
            outcomes.append(Credential.objects.get(enrolment=mine).pk)
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=finish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(outcomes)) == 1, outcomes
    assert Credential.objects.filter(enrolment=enrolment).count() == 1
