"""The countries demo: the shipped extracts and Kenya's published round; running it twice."""

from __future__ import annotations

import pytest

from iite.countries import demo
from iite.countries.models import Observation, PolicyRound, Release
from iite.countries.tests.conftest import person

pytestmark = pytest.mark.django_db


def test_demo_loads_the_extracts_and_a_published_round_once(kenya):
    focal = person("focal-point", country=kenya)
    focal.email = demo.FOCAL_POINT_EMAIL
    focal.save()
    demo.demo_load(admin=person("admin"))
    assert Release.objects.filter(status=Release.Status.DONE).count() == 3
    assert Observation.objects.filter(country=kenya).exists()
    round = PolicyRound.objects.get(country=kenya)
    assert round.visibility == PolicyRound.Visibility.PUBLISHED
    assert round.response is not None
    assert round.response.is_submitted
    counts = (Release.objects.count(), Observation.objects.count(), PolicyRound.objects.count())
    demo.demo_load(admin=person("admin"))
    assert counts == (
        Release.objects.count(),
        Observation.objects.count(),
        PolicyRound.objects.count(),
    )
