"""Scoring: worked examples, and properties that hold for any answers (hypothesis)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iite.assessments.definition import Definition, definition_parse
from iite.assessments.scoring import level_for, score
from iite.assessments.tests.conftest import SCHOOL_FILE, TEACHER_FILE, document, fake_lookup

TEACHER = definition_parse(document(TEACHER_FILE), source="t", lookup=fake_lookup)
SCHOOL = definition_parse(document(SCHOOL_FILE), source="s", lookup=fake_lookup)
LEVEL_ORDER = {level.code: number for number, level in enumerate(TEACHER.levels)}


def test_statements_are_scored_by_their_place_and_averaged_per_competency():
    result = score(TEACHER, {"1.KA.1": 3, "1.KA.2": 1, "1.KC.1": 1, "3.KA.1": 0})
    assert result.scores == {"1.KA": pytest.approx(2 / 3), "1.KC": 0.5, "3.KA": 0.0}
    assert result.counts == {"1.KA": 2, "1.KC": 1, "3.KA": 1}
    assert result.levels == {"1.KA": "established", "1.KC": "developing", "3.KA": "beginning"}
    assert "1.KD" not in result.scores  # no item answered: no score


def test_agreement_and_yes_no_and_not_applicable():
    result = score(SCHOOL, {"L1": 5, "L2": 2, "I1": 1, "C1": None})
    assert result.scores == {"leadership": 0.625, "infrastructure": 1.0}
    assert result.levels == {"leadership": "established", "infrastructure": "leading"}
    # Not applicable (None) is left out of the mean, not counted as zero.
    assert score(SCHOOL, {"L1": 5, "L2": None}).scores == {"leadership": 1.0}
    assert score(SCHOOL, {}).scores == {}


def test_a_threshold_reached_exactly_gives_that_level():
    two_items = score(SCHOOL, {"L1": 4, "L2": 2})  # (0.75 + 0.25) / 2 = 0.5
    assert two_items.levels["leadership"] == "developing"
    assert score(SCHOOL, {"L1": 3, "L2": 4}).levels["leadership"] == "established"  # 0.625
    assert score(TEACHER, {"1.KC.1": 1}).scores["1.KC"] == 0.5
    assert score(SCHOOL, {"L1": 4, "L2": 5}).levels["leadership"] == "leading"  # 0.875
    # A score of exactly 0.6 (three fifths) reaches "established", not "developing".
    assert level_for(SCHOOL, Fraction(3, 5)) == "established"
    assert level_for(SCHOOL, Fraction(3, 5) - Fraction(1, 10**9)) == "developing"


def test_progressive_rollup_needs_every_lower_level_mastered():
    everything_high = {item.code: max(item.values()) for item in TEACHER.items}
    result = score(TEACHER, everything_high)
    # Aspect 1 has items for KA, KD, KC; aspect 3 none for KC; others none at all.
    assert result.rollup["1"] == "KC"
    assert result.rollup["3"] == "KD"
    assert result.rollup["2"] is None
    # A weak KA blocks the higher levels even when they are mastered.
    weak_ka = {**everything_high, "1.KA.1": 0, "1.KA.2": 0}
    assert score(TEACHER, weak_ka).rollup["1"] is None
    weak_kc = {**everything_high, "1.KC.1": 0}
    assert score(TEACHER, weak_kc).rollup["1"] == "KD"


def test_values_off_the_scale_are_a_programming_error():
    with pytest.raises(ValueError, match="not a value"):
        score(TEACHER, {"1.KC.1": 3})


# --- Properties ----------------------------------------------------------------------------------
def answers_for(definition: Definition) -> st.SearchStrategy[dict[str, Any]]:
    scored = [item for item in definition.items if item.scored]
    return st.fixed_dictionaries(
        {},
        optional={
            item.code: st.one_of(st.none(), st.sampled_from(item.values())) for item in scored
        },
    )


def _assert_not_lower(before, after, definition: Definition):
    for target, value in before.scores.items():
        if target in after.scores:
            assert after.scores[target] >= value
            assert LEVEL_ORDER[after.levels[target]] >= LEVEL_ORDER[before.levels[target]]
    if definition.framework is not None:
        order = {level: number for number, level in enumerate(definition.framework.levels)}
        for dimension, level in before.rollup.items():
            if level is not None:
                assert after.rollup[dimension] is not None
                assert order[after.rollup[dimension]] >= order[level]


@pytest.mark.parametrize("definition", [TEACHER, SCHOOL], ids=["framework", "areas"])
@given(data=st.data())
def test_raising_one_answer_never_lowers_a_score_level_or_rollup(definition, data):
    answers = data.draw(answers_for(definition))
    item = data.draw(st.sampled_from([item for item in definition.items if item.scored]))
    current = answers.get(item.code)
    if current is None:
        return  # answering an unanswered item is not "raising": it may add a low number
    higher = data.draw(st.sampled_from([v for v in item.values() if v >= current]))
    before = score(definition, answers)
    after = score(definition, {**answers, item.code: higher})
    assert set(after.scores) == set(before.scores)
    _assert_not_lower(before, after, definition)


@pytest.mark.parametrize("definition", [TEACHER, SCHOOL], ids=["framework", "areas"])
@given(data=st.data())
def test_scoring_is_deterministic_and_bounded(definition, data):
    answers = data.draw(answers_for(definition))
    first = score(definition, answers)
    assert first == score(definition, dict(reversed(list(answers.items()))))
    for target, value in first.scores.items():
        assert 0.0 <= value <= 1.0
        assert target in definition.targets
        assert first.levels[target] in LEVEL_ORDER
    answered = {code for code, value in answers.items() if value is not None}
    for target in definition.targets:
        has_answer = any(
            item.code in answered for item in definition.items if item.target == target
        )
        assert (target in first.scores) is has_answer


@pytest.mark.parametrize("definition", [TEACHER, SCHOOL], ids=["framework", "areas"])
@given(data=st.data())
def test_not_applicable_and_unanswered_items_are_left_out(definition, data):
    answers = data.draw(answers_for(definition))
    answered_only = {code: value for code, value in answers.items() if value is not None}
    assert score(definition, answers) == score(definition, answered_only)
