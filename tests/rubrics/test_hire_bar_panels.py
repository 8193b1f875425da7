"""How a clause reads a panel (mean, lowest, any panelist): properties over random panels."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rubrics.hire_bar import (
    ANY,
    LOWEST,
    MEAN,
    Clause,
    CompetencyScore,
    PanelistScore,
    evaluate_hire_bar,
)

D = Decimal


@st.composite
def panels(draw, min_panelists=1):
    """(competencies [(critical, weight)], grid[panelist][competency] -> score or None)."""
    n_comp = draw(st.integers(1, 6))
    n_pan = draw(st.integers(min_panelists, 5))
    comps = [(draw(st.booleans()), draw(st.sampled_from([D("0.5"), D("1"), D("2")]))) for _ in range(n_comp)]
    grid = [[draw(st.one_of(st.none(), st.integers(1, 5))) for _ in range(n_comp)] for _ in range(n_pan)]
    return comps, grid


def _scores(comps, grid):
    out = []
    for c, (critical, weight) in enumerate(comps):
        ratings = tuple(
            PanelistScore(D(row[c]), panelist=p, who=f"P{p}", evidence=f"said {p}/{c}")
            for p, row in enumerate(grid)
            if row[c] is not None
        )
        mean = sum((r.score for r in ratings), D(0)) / len(ratings) if ratings else None
        out.append(CompetencyScore(f"C{c}", mean, weight, critical, ratings))
    return out


def _wavg(pairs):
    pairs = [(s, w) for s, w in pairs if s is not None]
    if not pairs:
        return None
    return sum((D(s) * w for s, w in pairs), D(0)) / sum((w for _, w in pairs), D(0))


def _column(grid, c):
    return [row[c] for row in grid if row[c] is not None]


thresholds = st.integers(1, 5).map(D)
FIVE_SCORES = st.lists(st.integers(1, 5), min_size=5, max_size=5)


@settings(max_examples=300)
@given(panel=panels(), n=thresholds)
def test_any_panelist_fails_the_critical_clause_exactly_when_one_panelist_rated_a_critical_at_or_below_n(
    panel, n
):
    comps, grid = panel
    verdict = evaluate_hire_bar([Clause("no_critical_at_or_below", n, aggregation=ANY)], _scores(comps, grid))
    low = [
        (p, c)
        for p, row in enumerate(grid)
        for c, (critical, _) in enumerate(comps)
        if critical and row[c] is not None and row[c] <= n
    ]
    assert verdict.passed is not low
    result = verdict.clauses[0]
    # the evidence names every low critical rating: competency, score, evidence text and who
    assert {(e.who, e.competency, e.score, e.text) for e in result.evidence} == {
        (f"P{p}", f"C{c}", D(grid[p][c]), f"said {p}/{c}") for p, c in low
    }


@settings(max_examples=300)
@given(
    panel=panels(), n=thresholds, others=st.lists(st.integers(1, 5), min_size=5, max_size=5), data=st.data()
)
def test_one_critical_score_at_or_below_n_fails_any_panelist_whatever_the_others_give(panel, n, others, data):
    comps, grid = panel
    comps = [(True, comps[0][1]), *comps[1:]]  # the first competency is critical
    low = data.draw(st.integers(1, int(n)))
    who = data.draw(st.integers(0, len(grid) - 1))
    grid = [[*row] for row in grid]
    for p, row in enumerate(grid):
        row[0] = low if p == who else others[p]  # the others may give 5s
    verdict = evaluate_hire_bar([Clause("no_critical_at_or_below", n, aggregation=ANY)], _scores(comps, grid))
    assert not verdict.passed
    assert any(e.who == f"P{who}" and e.competency == "C0" for e in verdict.clauses[0].evidence)


@settings(max_examples=300)
@given(panel=panels(), n=thresholds)
def test_the_panel_mean_reads_each_competency_by_its_mean(panel, n):
    comps, grid = panel
    scores = _scores(comps, grid)
    means = [_wavg([(s, D(1)) for s in _column(grid, c)]) for c in range(len(comps))]
    critical = evaluate_hire_bar([Clause("no_critical_at_or_below", n, aggregation=MEAN)], scores)
    assert critical.passed is not any(comps[c][0] and m is not None and m <= n for c, m in enumerate(means))
    average = evaluate_hire_bar([Clause("min_average", n, aggregation=MEAN)], scores)
    overall = _wavg([(m, comps[c][1]) for c, m in enumerate(means)])
    assert average.passed is (overall is not None and overall >= n)


@settings(max_examples=300)
@given(panel=panels(), n=thresholds, k=st.integers(1, 4))
def test_the_lowest_panelist_reads_each_competency_by_its_lowest_score(panel, n, k):
    comps, grid = panel
    scores = _scores(comps, grid)
    lows = [min(_column(grid, c), default=None) for c in range(len(comps))]
    average = evaluate_hire_bar([Clause("min_average", n, aggregation=LOWEST)], scores)
    overall = _wavg([(low, comps[c][1]) for c, low in enumerate(lows)])
    assert average.passed is (overall is not None and overall >= n)
    count = evaluate_hire_bar([Clause("min_count_at_or_above", n, k, aggregation=LOWEST)], scores)
    assert count.passed is (sum(1 for low in lows if low is not None and low >= n) >= k)
    if not average.passed and overall is not None:
        assert average.clauses[0].evidence, "a failing clause names the ratings behind it"


@settings(max_examples=300)
@given(panel=panels(), n=thresholds)
def test_any_panelist_on_the_average_needs_every_panelists_own_average(panel, n):
    comps, grid = panel
    verdict = evaluate_hire_bar([Clause("min_average", n, aggregation=ANY)], _scores(comps, grid))
    own = [_wavg([(row[c], w) for c, (_, w) in enumerate(comps)]) for row in grid]
    rated = [a for a in own if a is not None]
    if rated:
        assert verdict.passed is all(a >= n for a in rated)


@settings(max_examples=300)
@given(panel=panels(), n=thresholds, k=st.integers(1, 4), kind=st.sampled_from(["avg", "count", "critical"]))
def test_the_lowest_panelist_is_never_kinder_than_the_mean(panel, n, k, kind):
    comps, grid = panel
    scores = _scores(comps, grid)
    clause = {
        "avg": ("min_average", n, None),
        "count": ("min_count_at_or_above", n, k),
        "critical": ("no_critical_at_or_below", n, None),
    }[kind]
    lowest = evaluate_hire_bar([Clause(*clause, aggregation=LOWEST)], scores).passed
    mean = evaluate_hire_bar([Clause(*clause, aggregation=MEAN)], scores).passed
    anyone = evaluate_hire_bar([Clause(*clause, aggregation=ANY)], scores).passed
    assert not lowest or mean
    if kind == "critical":
        assert anyone is lowest  # "rated at or below N by anyone" is the lowest score at or below N


def test_the_split_critical_score_of_seed_002_fails_any_panelist_but_passes_the_mean():
    # Responsible AI: one interviewer gave 2 with evidence, a co-panelist gave 4; the mean is 3.
    ratings = (
        PanelistScore(D(2), 1, "Ada", "Shipped without a privacy review and saw no problem."),
        PanelistScore(D(4), 2, "Grace", "Described a fairness evaluation."),
    )
    scores = [CompetencyScore("Responsible AI", D(3), D(1), True, ratings)]
    mean = evaluate_hire_bar([Clause("no_critical_at_or_below", D(2))], scores)
    anyone = evaluate_hire_bar([Clause("no_critical_at_or_below", D(2), aggregation=ANY)], scores)
    assert mean.passed and not anyone.passed
    [evidence] = anyone.clauses[0].evidence
    assert (evidence.competency, evidence.score, evidence.who) == ("Responsible AI", D(2), "Ada")
    assert evidence.text.startswith("Shipped without a privacy review")
    assert "Ada" in anyone.clauses[0].reason and "Responsible AI (2)" in anyone.clauses[0].reason


def test_an_unknown_aggregation_is_an_error():
    import pytest

    with pytest.raises(ValueError, match="Unknown panel aggregation"):
        evaluate_hire_bar([Clause("min_average", D(3), aggregation="median")], [CompetencyScore("A", D(3))])
