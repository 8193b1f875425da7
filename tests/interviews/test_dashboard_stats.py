"""Krippendorff's alpha (interval) against hand-computed and published values."""

import pytest
from django.db import connection

from interviews.dashboard.db import fetch_rows, percentile_sql
from interviews.dashboard.stats import alpha_from_sums, krippendorff_alpha_interval


def test_alpha_of_a_hand_computed_example():
    # Units (1, 2), (3, 3), (4, 5) and a single score that is not pairable.
    # n = 6, observed = (2 + 0 + 2) / 6; expected = 2 (6 * 64 - 18^2) / (6 * 5) = 4.
    # alpha = 1 - (4 / 6) / 4 = 5 / 6.
    assert krippendorff_alpha_interval([[1, 2], [3, 3], [4, 5], [2]]) == pytest.approx(5 / 6)


def test_alpha_matches_krippendorffs_published_interval_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units,
    # interval alpha = 0.849.
    units = [
        [1, 1, 1],
        [2, 2, 3, 2],
        [3, 3, 3, 3],
        [3, 3, 3, 3],
        [2, 2, 2, 2],
        [1, 2, 3, 4],
        [4, 4, 4, 4],
        [1, 1, 2, 1],
        [2, 2, 2, 2],
        [5, 5, 5],
        [1, 1],
        [3],
    ]
    assert round(krippendorff_alpha_interval(units), 3) == 0.849


def test_alpha_from_sums_equals_the_definition():
    units = [[1, 2], [3, 3], [4, 5], [2, 4, 4]]
    values = [v for u in units for v in u]
    within = sum(2 * (len(u) * sum(v * v for v in u) - sum(u) ** 2) / (len(u) - 1) for u in units)

    alpha = alpha_from_sums(
        n=len(values), total=sum(values), total_squares=sum(v * v for v in values), within=within
    )

    assert alpha == pytest.approx(krippendorff_alpha_interval(units))


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_pairs():
    assert krippendorff_alpha_interval([[1, 1], [4, 4], [2, 2]]) == pytest.approx(1.0)
    assert krippendorff_alpha_interval([[3], [4]]) is None
    assert krippendorff_alpha_interval([[3, 3], [3, 3]]) is None
    assert alpha_from_sums(n=0, total=0, total_squares=0, within=0) is None


def test_alpha_is_negative_for_systematic_disagreement():
    assert krippendorff_alpha_interval([[1, 5], [5, 1], [1, 5]]) < 0


def _percentile_cont(values, p):
    """The definition of percentile_cont: linear interpolation between the ranks around 1 + p (n - 1)."""
    ordered = sorted(values)
    h = p * (len(ordered) - 1)
    low = int(h)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (h - low) * (ordered[high] - ordered[low])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [[7.0], [2.0, 4.0], [1.0, 1.0, 2.0, 4.0], [3.5, 1.25, 9.0, 9.0, 0.5, 6.0, 2.0, 8.75, 4.0, 5.5]],
)
def test_sql_percentiles_match_percentile_cont(values):
    rows_sql = " UNION ALL ".join(["SELECT 1 AS kind, 7 AS key, %s AS v"] * len(values))
    sql = f"SELECT t.kind, t.key, CAST(t.v AS double precision) AS v FROM ({rows_sql}) t"
    if connection.vendor == "sqlite":
        sql = sql.replace("double precision", "REAL")

    [row] = fetch_rows(percentile_sql(sql, (0.5, 0.9)), values)

    assert (row["kind"], row["key"], row["n"]) == (1, 7, len(values))
    assert row["p50"] == pytest.approx(_percentile_cont(values, 0.5))
    assert row["p90"] == pytest.approx(_percentile_cont(values, 0.9))
