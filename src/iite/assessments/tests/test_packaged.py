"""The instruments shipped in assessments/instruments/ load and score (when present)."""

from __future__ import annotations

import pytest

from iite.assessments import selectors, services
from iite.assessments.scoring import score


@pytest.mark.django_db
def test_packaged_instruments_load_and_the_top_answers_reach_the_top_level():
    for instrument in services.instruments_load_packaged():
        definition = selectors.definition_of(instrument)
        top = score(definition, {i.code: max(i.values()) for i in definition.items if i.scored})
        assert set(top.levels.values()) == {definition.levels[-1].code}, instrument
        assert set(top.scores) == set(definition.targets), instrument
        if definition.rollup is not None and definition.framework is not None:
            assert set(top.rollup.values()) == {definition.framework.levels[-1]}, instrument
