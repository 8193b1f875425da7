"""The hire bar as a pure function: hand examples and properties."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rubrics.hire_bar import Clause, CompetencyScore, evaluate_hire_bar, weighted_average

D = Decimal

# The behavioral rubric's bar: strong 4s, no critical 2s, no blocking red flag.
BEHAVIORAL_BAR = (
    Clause("min_average", D("3.5")),
    Clause("min_count_at_or_above", D("4"), 3),
    Clause("no_critical_at_or_below", D("2")),
    Clause("no_blocking_red_flag"),
)


def _scores(*values, critical=(), weights=None):
    weights = weights or [1] * len(values)
    return [
        CompetencyScore(
            name=f"C{i}",
            score=None if v is None else D(str(v)),
            weight=D(str(weights[i])),
            is_critical=i in critical,
        )
        for i, v in enumerate(values)
    ]


# --- hand examples -------------------------------------------------------------------------


def test_a_strong_panel_passes_every_clause_with_reasons():
    verdict = evaluate_hire_bar(BEHAVIORAL_BAR, _scores(4, 4, 5, 3, 4, 4, critical={3}))
    assert verdict.passed
    assert verdict.reasons == [
        "Weighted average 4 >= required 3.5.",
        "5 of 3 required competencies at or above 4 (C0, C1, C2, C4, C5).",
        "No critical competency at or below 2.",
        "No blocking red flag raised.",
    ]


def test_a_critical_two_fails_even_with_a_high_average():
    verdict = evaluate_hire_bar(BEHAVIORAL_BAR, _scores(5, 5, 5, 5, 2, critical={4}))
    assert not verdict.passed
    assert [c.passed for c in verdict.clauses] == [True, True, False, True]
    assert verdict.clauses[2].reason == "Critical competencies at or below 2: C4 (2)."


def test_the_same_two_on_a_non_critical_competency_passes():
    assert evaluate_hire_bar(BEHAVIORAL_BAR, _scores(5, 5, 5, 5, 2)).passed


def test_too_few_strong_scores_fail_the_count_clause():
    verdict = evaluate_hire_bar(BEHAVIORAL_BAR, _scores(4, 4, 3.75, 3.75))
    assert not verdict.passed
    assert verdict.clauses[1].reason == "2 of 3 required competencies at or above 4 (C0, C1)."
    assert verdict.clauses[0].passed  # the average 3.88 clears 3.5


def test_weights_shift_the_average():
    # 5 weighted 3 and 2 weighted 1: (15 + 2) / 4 = 4.25
    scores = _scores(5, 2, weights=[3, 1])
    assert weighted_average(scores) == D("4.25")
    verdict = evaluate_hire_bar([Clause("min_average", D("4.25"))], scores)
    assert verdict.passed
    assert verdict.reasons == ["Weighted average 4.25 >= required 4.25."]
    assert not evaluate_hire_bar([Clause("min_average", D("4.26"))], scores).passed


def test_unassessed_competencies_are_left_out_of_the_average_and_named():
    scores = _scores(4, None, critical={1})
    assert weighted_average(scores) == D("4")
    verdict = evaluate_hire_bar(BEHAVIORAL_BAR[2:3], scores)
    assert verdict.passed
    assert verdict.reasons == ["No critical competency at or below 2. Not assessed: C1."]


def test_nothing_assessed_fails_the_average_with_a_reason():
    verdict = evaluate_hire_bar(BEHAVIORAL_BAR[:1], _scores(None, None))
    assert not verdict.passed
    assert verdict.reasons == ["No competency was assessed, so there is no average."]


def test_a_blocking_red_flag_fails_and_is_named():
    verdict = evaluate_hire_bar(
        BEHAVIORAL_BAR,
        _scores(5, 5, 5, 5),
        {"Ships models without a safety review": True, "Vague on metrics": False},
    )
    assert not verdict.passed
    assert verdict.clauses[3].reason == "Blocking red flags raised: Ships models without a safety review."


def test_a_non_blocking_red_flag_does_not_fail():
    assert evaluate_hire_bar(BEHAVIORAL_BAR, _scores(5, 5, 5, 5), {"Vague on metrics": False}).passed


def test_a_rubric_without_a_bar_never_passes():
    verdict = evaluate_hire_bar([], _scores(5, 5))
    assert not verdict.passed
    assert verdict.reasons == ["The rubric has no hire bar."]


def test_an_unknown_clause_is_an_error():
    with pytest.raises(ValueError, match="Unknown hire bar clause"):
        evaluate_hire_bar([Clause("vibes")], _scores(5))


def test_boundaries_are_inclusive_as_the_clause_names_say():
    # "at or above 4" counts a 4; "at or below 2" catches a 2 but not 2.01
    assert evaluate_hire_bar([Clause("min_count_at_or_above", D("4"), 1)], _scores(4)).passed
    critical_two = _scores(D("2.00"), critical={0})
    assert not evaluate_hire_bar([Clause("no_critical_at_or_below", D("2"))], critical_two).passed
    critical_above = _scores(D("2.01"), critical={0})
    assert evaluate_hire_bar([Clause("no_critical_at_or_below", D("2"))], critical_above).passed


# --- properties ----------------------------------------------------------------------------

score_values = st.one_of(
    st.none(),
    st.integers(1, 20).map(lambda quarter: D(quarter) / 4 + D("0.75")),  # 1.00 .. 5.75
).map(lambda v: v if v is None or v <= 5 else D(5))
competency_scores = st.lists(
    st.builds(
        CompetencyScore,
        name=st.sampled_from("ABCDEFGH"),
        score=score_values,
        weight=st.sampled_from([D("0.5"), D("1"), D("1.5"), D("2"), D("3")]),
        is_critical=st.booleans(),
    ),
    min_size=1,
    max_size=8,
).map(lambda items: [replace(s, name=f"{s.name}{i}") for i, s in enumerate(items)])
thresholds = st.integers(4, 20).map(lambda quarter: D(quarter) / 4)  # 1.00 .. 5.00
numeric_clauses = st.one_of(
    st.builds(Clause, kind=st.just("min_average"), score=thresholds),
    st.builds(Clause, kind=st.just("min_count_at_or_above"), score=thresholds, count=st.integers(1, 6)),
    st.builds(Clause, kind=st.just("no_critical_at_or_below"), score=thresholds),
)
any_clauses = st.lists(st.one_of(numeric_clauses, st.just(Clause("no_blocking_red_flag"))), min_size=1)
flags = st.dictionaries(st.text(min_size=1, max_size=10), st.booleans(), max_size=4)


@settings(max_examples=200)
@given(scores=competency_scores, clauses=st.lists(numeric_clauses, min_size=1, max_size=4), data=st.data())
def test_raising_a_score_never_turns_a_pass_into_a_fail(scores, clauses, data):
    assessed = [i for i, s in enumerate(scores) if s.score is not None]
    assume(assessed)
    i = data.draw(st.sampled_from(assessed))
    raise_by = data.draw(st.sampled_from([D("0.25"), D("0.5"), D("1"), D("2")]))
    raised = list(scores)
    raised[i] = replace(scores[i], score=min(D(5), scores[i].score + raise_by))
    before = evaluate_hire_bar(clauses, scores)
    after = evaluate_hire_bar(clauses, raised)
    # clause by clause, not only overall
    for b, a in zip(before.clauses, after.clauses, strict=True):
        assert not (b.passed and not a.passed), (b, a)


@settings(max_examples=200)
@given(scores=competency_scores, clauses=any_clauses, raised=flags, name=st.text(min_size=1, max_size=10))
def test_a_blocking_flag_always_fails_a_bar_that_forbids_it(scores, clauses, raised, name):
    clauses = [*clauses, Clause("no_blocking_red_flag")]
    raised = {**raised, name: True}
    verdict = evaluate_hire_bar(clauses, scores, raised)
    assert not verdict.passed
    assert name in verdict.clauses[-1].reason


@settings(max_examples=200)
@given(scores=competency_scores, clauses=any_clauses, raised=flags)
def test_non_blocking_flags_never_change_the_verdict(scores, clauses, raised):
    blocking_only = {k: v for k, v in raised.items() if v}
    assert (
        evaluate_hire_bar(clauses, scores, raised).passed
        == evaluate_hire_bar(clauses, scores, blocking_only).passed
    )


@settings(max_examples=200)
@given(scores=competency_scores, clauses=any_clauses, raised=flags)
def test_the_bar_passes_exactly_when_every_clause_passes(scores, clauses, raised):
    verdict = evaluate_hire_bar(clauses, scores, raised)
    assert len(verdict.clauses) == len(clauses)
    assert verdict.passed == all(c.passed for c in verdict.clauses)
    assert all(c.reason for c in verdict.clauses)


@settings(max_examples=100)
@given(scores=competency_scores, clauses=any_clauses, extra=numeric_clauses)
def test_adding_a_clause_never_turns_a_fail_into_a_pass(scores, clauses, extra):
    if not evaluate_hire_bar(clauses, scores).passed:
        assert not evaluate_hire_bar([*clauses, extra], scores).passed


@settings(max_examples=100)
@given(scores=competency_scores, clauses=any_clauses, raised=flags, data=st.data())
def test_the_order_of_competencies_does_not_matter(scores, clauses, raised, data):
    shuffled = data.draw(st.permutations(scores))
    verdict = evaluate_hire_bar(clauses, scores, raised)
    assert verdict.passed == evaluate_hire_bar(clauses, shuffled, raised).passed


@settings(max_examples=100)
@given(scores=competency_scores, factor=st.sampled_from([D("0.5"), D("2"), D("3")]))
def test_the_weighted_average_lies_between_the_lowest_and_highest_score(scores, factor):
    assessed = [s.score for s in scores if s.score is not None]
    avg = weighted_average(scores)
    if not assessed:
        assert avg is None
        return
    assert min(assessed) <= avg <= max(assessed)
    # scaling every weight by the same factor does not move it
    scaled = [replace(s, weight=s.weight * factor) for s in scores]
    assert weighted_average(scaled) == avg


@settings(max_examples=100)
@given(scores=competency_scores, clauses=any_clauses, raised=flags)
def test_evaluation_is_pure(scores, clauses, raised):
    before = (list(scores), list(clauses), dict(raised))
    first = evaluate_hire_bar(clauses, scores, raised)
    assert evaluate_hire_bar(clauses, scores, raised) == first
    assert (scores, clauses, raised) == before
