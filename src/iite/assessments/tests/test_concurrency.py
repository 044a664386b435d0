"""Two tabs submitting the same response at the same moment count once (PostgreSQL)."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections

from iite.accounts.tests.factories import make_organisation
from iite.assessments import services
from iite.assessments.models import Response, Result
from iite.assessments.tests.conftest import SCHOOL_FILE, open_window, person

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; threads need PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_racing_submissions_count_once(reference_data):
    instrument = services.instrument_load(path=SCHOOL_FILE)
    school = make_organisation(name="Race school")
    coordinator = person("school-coordinator", organisation=school)
    campaign = services.campaign_open(
        instrument=instrument,
        scope="organisation",
        organisation=school,
        by=coordinator,
        **open_window(),
    )
    response, _code = services.response_start(campaign=campaign, group="leader")
    services.response_answers_save(response=response, section_code="leadership", answers={"L1": 4})

    barrier = threading.Barrier(4)
    outcomes: list[object] = []

    def submit() -> None:
        try:
            barrier.wait()
            mine = Response.objects.get(pk=response.pk)
            outcomes.append(services.response_submit(response=mine, submission_key=uuid.uuid4()))
        except Exception as error:
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(outcome, Response) for outcome in outcomes), outcomes
    keys = {outcome.submission_key for outcome in outcomes if isinstance(outcome, Response)}
    assert len(keys) == 1
    assert Result.objects.filter(response=response).count() == 1
