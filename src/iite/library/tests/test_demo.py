"""The demo content loads through the services, in several languages, and only once."""

from __future__ import annotations

import pytest

from iite.library import demo, selectors
from iite.library.models import Collection, Resource
from iite.library.tests.conftest import person

pytestmark = pytest.mark.django_db


def test_demo_content_loads_once_in_several_languages():
    admin = person("admin")
    person("editor", email="editor@demo.iite.example")
    person("reviewer", email="reviewer@demo.iite.example")
    person(email="teacher@demo.iite.example")
    demo.demo_load(admin=admin)
    count = Resource.objects.count()
    assert count == len(demo.PUBLICATIONS) + len(demo.CASE_STUDIES)
    published = selectors.resources_published()
    assert {r.language.code for r in published} >= {"en", "es", "fr"}
    assert Resource.objects.filter(status="in-review").count() == 1
    english_case = published.get(title__startswith="Offline tablets")
    assert [e.language.code for e in selectors.resource_editions(english_case)] == ["es"]
    assert Collection.objects.get(code="ai-in-education").items.count() == 4
    demo.demo_load(admin=admin)
    assert Resource.objects.count() == count
