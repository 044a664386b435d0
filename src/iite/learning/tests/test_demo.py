"""Demo content: one complete path per ICT CFT aspect, loaded twice without duplicates."""

from __future__ import annotations

import pytest

from iite.learning import credential_selectors, demo, selectors
from iite.learning.models import Cohort, Credential, Path, Step
from iite.learning.tests.conftest import member
from iite.learning.tests.test_credentials import complete

pytestmark = pytest.mark.django_db


def test_demo_has_a_complete_path_per_aspect_and_loads_twice():
    admin = member()
    admin.is_superuser = True
    admin.save()
    teacher = member(email=demo.DEMO_TEACHER)
    demo.demo_load(admin=admin)
    counts = (
        Path.objects.count(),
        Step.objects.count(),
        Cohort.objects.count(),
        Credential.objects.count(),
    )
    demo.demo_load(admin=admin)
    assert counts[3] == 1
    assert (
        Path.objects.count(),
        Step.objects.count(),
        Cohort.objects.count(),
        Credential.objects.count(),
    ) == counts
    badge = Credential.objects.get()
    assert badge.enrolment.learner == teacher
    assert credential_selectors.credential_verify(badge.document).valid
    aspects = {
        competency.dimension.code
        for path in selectors.paths_published(language="en")
        for competency in path.competencies.all()
    }
    assert aspects == {"1", "2", "3", "4", "5", "6"}
    # Each demo path can be completed and gives a valid credential.
    path = Path.objects.get(slug="demo-pedagogy")
    credential = complete(path, member(), admin)
    assert credential_selectors.credential_verify(credential.document).valid
