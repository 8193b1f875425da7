"""The hire bar as a pure function: ratings in, pass or fail with a reason per clause out.

No database access here, so that the rule can be tested exhaustively and explained line by line.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class CompetencyScore:
    """One competency's score for a candidate (the panel's mean), or None when nobody assessed it."""

    name: str
    score: Decimal | None
    weight: Decimal = Decimal("1")
    is_critical: bool = False


@dataclass(frozen=True)
class Clause:
    kind: str
    score: Decimal | None = None
    count: int | None = None


@dataclass(frozen=True)
class ClauseResult:
    clause: Clause
    passed: bool
    reason: str


@dataclass(frozen=True)
class Verdict:
    passed: bool
    clauses: tuple[ClauseResult, ...]

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.clauses]


def _fmt(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize())


def weighted_average(scores: Sequence[CompetencyScore]) -> Decimal | None:
    """Weighted mean of the assessed competencies; None when none was assessed."""
    assessed = [s for s in scores if s.score is not None]
    total_weight = sum((s.weight for s in assessed), Decimal("0"))
    if not assessed or total_weight == 0:
        return None
    return sum((s.score * s.weight for s in assessed), Decimal("0")) / total_weight


def _min_average(clause: Clause, scores, flags) -> ClauseResult:
    avg = weighted_average(scores)
    if avg is None:
        return ClauseResult(clause, False, "No competency was assessed, so there is no average.")
    ok = avg >= clause.score
    op = ">=" if ok else "<"
    return ClauseResult(clause, ok, f"Weighted average {_fmt(avg)} {op} required {_fmt(clause.score)}.")


def _min_count(clause: Clause, scores, flags) -> ClauseResult:
    strong = [s.name for s in scores if s.score is not None and s.score >= clause.score]
    ok = len(strong) >= clause.count
    listed = ", ".join(strong) if strong else "none"
    return ClauseResult(
        clause,
        ok,
        f"{len(strong)} of {clause.count} required competencies at or above {_fmt(clause.score)} ({listed}).",
    )


def _no_critical_low(clause: Clause, scores, flags) -> ClauseResult:
    critical = [s for s in scores if s.is_critical]
    low = [s for s in critical if s.score is not None and s.score <= clause.score]
    missing = [s.name for s in critical if s.score is None]
    if low:
        names = ", ".join(f"{s.name} ({_fmt(s.score)})" for s in low)
        return ClauseResult(
            clause, False, f"Critical competencies at or below {_fmt(clause.score)}: {names}."
        )
    reason = f"No critical competency at or below {_fmt(clause.score)}."
    if missing:
        reason += f" Not assessed: {', '.join(missing)}."
    return ClauseResult(clause, True, reason)


def _no_blocking_flag(clause: Clause, scores, flags) -> ClauseResult:
    blocking = [name for name, is_blocking in flags.items() if is_blocking]
    if blocking:
        return ClauseResult(clause, False, f"Blocking red flags raised: {', '.join(blocking)}.")
    return ClauseResult(clause, True, "No blocking red flag raised.")


_EVALUATORS = {
    "min_average": _min_average,
    "min_count_at_or_above": _min_count,
    "no_critical_at_or_below": _no_critical_low,
    "no_blocking_red_flag": _no_blocking_flag,
}


def evaluate_hire_bar(
    clauses: Sequence[Clause],
    scores: Sequence[CompetencyScore],
    red_flags: Mapping[str, bool] | None = None,
) -> Verdict:
    """Evaluate every clause; the bar passes when all clauses pass. `red_flags` maps the
    description of each raised flag to whether it is blocking."""
    flags = dict(red_flags or {})
    if not clauses:
        return Verdict(False, (ClauseResult(Clause("none"), False, "The rubric has no hire bar."),))
    results = []
    for clause in clauses:
        evaluator = _EVALUATORS.get(clause.kind)
        if evaluator is None:
            raise ValueError(f"Unknown hire bar clause {clause.kind!r}.")
        results.append(evaluator(clause, scores, flags))
    return Verdict(all(r.passed for r in results), tuple(results))
