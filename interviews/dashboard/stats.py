"""Panel agreement: Krippendorff's alpha for interval data.

A *unit* is one competency of one interview, and its *values* are the scores the panelists of that
interview gave it. Only units with two or more scores are pairable; the others carry no information
about agreement and are left out, as Krippendorff prescribes.

    alpha = 1 - D_o / D_e

with n the number of pairable values, the observed disagreement
    D_o = 1/n * sum over units u of  sum_{i != j in u} (v_i - v_j)^2 / (m_u - 1)
and the expected disagreement over all pairable values
    D_e = 1/(n (n - 1)) * sum_{i != j} (v_i - v_j)^2.

Since sum_{i != j} (v_i - v_j)^2 = 2 (m * sum v^2 - (sum v)^2), both reduce to sums that SQL
computes with GROUP BY (see selectors.interviewer_figures); `alpha_from_sums` finishes the formula.
`krippendorff_alpha_interval` is the direct definition, used to check the SQL on small examples.

alpha is 1 for perfect agreement, 0 when panelists agree no more than chance, negative when they
disagree systematically. It is undefined (None) with no pairable unit or when every value is equal.
"""

from collections.abc import Iterable, Sequence


def _pair_sum(values: Sequence[float]) -> float:
    return sum((a - b) ** 2 for i, a in enumerate(values) for j, b in enumerate(values) if i != j)


def krippendorff_alpha_interval(units: Iterable[Sequence[float]]) -> float | None:
    """Krippendorff's alpha (interval metric) of units given as lists of the scores they received."""
    pairable = [list(u) for u in units if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    if n < 2:
        return None
    observed = sum(_pair_sum(u) / (len(u) - 1) for u in pairable) / n
    expected = _pair_sum(values) / (n * (n - 1))
    if expected == 0:
        return None
    return 1 - observed / expected


def alpha_from_sums(*, n: int, total: float, total_squares: float, within: float) -> float | None:
    """Krippendorff's alpha from SQL sums over pairable values: n values, their sum, the sum of
    their squares, and `within` = sum over units of 2 (m S2 - S1^2) / (m - 1)."""
    if not n or n < 2:
        return None
    expected_pairs = 2 * (n * total_squares - total * total)
    if expected_pairs <= 0:
        return None
    # D_o / D_e = (within / n) / (expected_pairs / (n (n - 1)))
    return 1 - (n - 1) * within / expected_pairs
