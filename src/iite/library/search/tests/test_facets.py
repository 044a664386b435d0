"""Facet counts from bitmaps are exact: compared with counting the resources themselves."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iite.library.models import Resource
from iite.library.search import bitmaps
from iite.library.search.facets import FACETS, resource_facets
from iite.library.search.index import index_resource, rebuild
from iite.library.search.models import Value
from iite.library.search.query import search
from iite.library.search.tests.factories import make_resource
from iite.reference.models import ActionArea, Country, IscedLevel, Licence, Term, Topic

pytestmark = pytest.mark.django_db


def counted(result) -> dict[str, dict[str, int]]:
    return {
        facet.name: {value.value: value.count for value in facet.values if value.count}
        for facet in result.facets
    }


def expected(
    resources: list[Resource], matches: set[int], filters: dict[str, list[str]]
) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and the counts, by brute force over each resource's own metadata."""
    pairs = {resource.pk: set(resource_facets(resource)) for resource in resources}

    def passes(resource_id: int, skip: str | None) -> bool:
        return all(
            any((name, value) in pairs[resource_id] for value in values)
            for name, values in filters.items()
            if name != skip
        )

    total = sum(1 for resource_id in matches if passes(resource_id, None))
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for name in FACETS:
        for resource_id in matches:
            if passes(resource_id, name):
                for facet, value in pairs[resource_id]:
                    if facet == name:
                        counts[name][value] = counts[name].get(value, 0) + 1
    return total, counts


def corpus(size: int, seed: int) -> list[Resource]:
    rng = random.Random(seed)  # noqa: S311  (a reproducible corpus, not a secret)
    countries = list(Country.objects.filter(alpha2__in=["FR", "KE", "PE", "KZ", "CN", "EG"]))
    topics = list(Topic.objects.order_by("code")[:6])
    areas = list(ActionArea.objects.order_by("code")[:4])
    levels = list(IscedLevel.objects.order_by("code")[:4])
    features = list(Term.objects.filter(vocabulary__code="accessibility-feature")[:4])
    licences = [None, *Licence.objects.filter(spdx_id__in=["CC-BY-4.0", "CC-BY-NC-4.0"])]
    kinds = [Resource.Kind.PUBLICATION, Resource.Kind.POLICY_BRIEF, Resource.Kind.OER]
    made = []
    for number in range(size):
        word = rng.choice(["robotics", "literacy", "robotics literacy"])
        made.append(
            make_resource(
                title=f"{word.capitalize()} study {number}",
                kind=rng.choice(kinds),
                language=rng.choice(["en", "fr", "ru"]),
                issued=date(rng.randint(2019, 2024), 1, 1),
                licence=rng.choice(licences),
                countries=rng.sample(countries, rng.randint(0, 3)),
                topics=rng.sample(topics, rng.randint(1, 3)),
                action_areas=rng.sample(areas, rng.randint(0, 2)),
                isced_levels=rng.sample(levels, rng.randint(0, 2)),
                accessibility_features=rng.sample(features, rng.randint(0, 2)),
            )
        )
    return made


def matching(resources: list[Resource], word: str | None) -> set[int]:
    return {r.pk for r in resources if word is None or word in r.title.casefold()}


def test_counts_and_totals_are_exact_for_text_filters_and_their_combinations() -> None:
    resources = corpus(30, seed=7)
    fr, ke = "FR", "KE"
    topic = Topic.objects.order_by("code").first()
    assert topic is not None
    cases: list[tuple[str, dict[str, list[str]]]] = [
        ("", {}),
        ("robotics", {}),
        ("literacy", {"country": [fr]}),
        ("robotics", {"country": [fr, ke], "language": ["en", "ru"]}),
        ("", {"kind": ["policy-brief"], "topic": [topic.code]}),
        ("", {"year": ["2020", "2021"], "licence": ["CC-BY-4.0"]}),
    ]
    for q, filters in cases:
        result = search(q=q, filters=filters, page_size=100)
        total, counts = expected(resources, matching(resources, q or None), filters)
        assert result.total == total, (q, filters)
        assert counted(result) == counts, (q, filters)
        assert len(result.hits) == total


def test_edits_and_withdrawals_change_the_counts_at_once() -> None:
    resources = corpus(8, seed=11)
    kenya = Country.objects.get(alpha2="KE")
    edited = resources[0]
    edited.countries.set([kenya])
    edited.title = "Robotics edited"
    edited.save()
    index_resource(edited)
    withdrawn = resources[1]
    withdrawn.status = Resource.Status.WITHDRAWN
    withdrawn.save()
    index_resource(withdrawn)
    alive = [r for r in resources if r.pk != withdrawn.pk]
    for resource in alive:
        resource.refresh_from_db()
    result = search(q="robotics", page_size=100)
    total, counts = expected(alive, matching(alive, "robotics"), {})
    assert result.total == total
    assert counted(result) == counts
    # The withdrawn resource's bit is cleared in every value it had.
    assert not any(
        bitmaps.from_bytes(row) >> withdrawn.pk & 1
        for row in Value.objects.values_list("bitmap", flat=True)
    )


def test_a_rolled_back_write_is_not_counted_by_a_process_that_saw_it() -> None:
    make_resource(title="Robotics kept", kind=Resource.Kind.OER)
    assert counted(search(q="robotics"))["kind"] == {"oer": 1}
    seen = {}

    def write_search_and_fail() -> None:
        with transaction.atomic():
            make_resource(title="Robotics rolled back", kind=Resource.Kind.POLICY_BRIEF)
            # This process caches the bitmaps of the uncommitted state...
            seen.update(counted(search(q="robotics"))["kind"])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_search_and_fail()
    assert seen == {"oer": 1, "policy-brief": 1}
    # ...and sees by the state token that they are gone.
    assert counted(search(q="robotics"))["kind"] == {"oer": 1}
    assert search(q="robotics").total == 1


def test_a_rebuild_gives_the_bitmaps_incremental_writes_gave() -> None:
    corpus(12, seed=5)
    by_key = {
        (facet, value): bitmaps.from_bytes(bits)
        for facet, value, bits in Value.objects.values_list("facet", "value", "bitmap")
    }
    assert by_key
    assert rebuild() == 12
    after = {
        (facet, value): bitmaps.from_bytes(bits)
        for facet, value, bits in Value.objects.values_list("facet", "value", "bitmap")
    }
    assert after == {key: bits for key, bits in by_key.items() if bits}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(st.sets(st.integers(min_value=0, max_value=5000), max_size=200))
def test_bitmaps_hold_exactly_the_ids_set(ids: set[int]) -> None:
    bits = bitmaps.from_ids(ids)
    assert bits.bit_count() == len(ids)
    assert bitmaps.ids_of(bits) == sorted(ids)
    assert bitmaps.from_bytes(bitmaps.to_bytes(bits)) == bits
