"""The hire bar as a pure function: ratings in, pass or fail with a reason per clause out.

No database access here, so that the rule can be tested exhaustively and explained line by line.

Each clause that reads scores names how it reads a panel (`Clause.aggregation`):

- `mean`: the panel's mean per competency (the default);
- `lowest`: the lowest panelist's score per competency;
- `any`: every panelist's own scores must pass the clause, so one panelist is enough to fail it
  (for "no critical at or below N": a critical competency rated N or less by any panelist fails,
  whatever the others gave).

A failing clause names its evidence: the ratings behind it (competency, score, evidence text and
who gave it, as the caller labelled them).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

MEAN, LOWEST, ANY = "mean", "lowest", "any"
AGGREGATIONS = {MEAN: "panel mean", LOWEST: "lowest panelist", ANY: "any panelist"}
# The clauses that read scores, and those that read gates and checks (all name an aggregation:
# for a gate or a check, the panel mean is the majority of the panelists who recorded it, the
# lowest or any panelist is every one of them).
SCORE_CLAUSES = frozenset({"min_average", "min_count_at_or_above", "no_critical_at_or_below"})
GATE_CLAUSES = frozenset({"min_gates_passed", "gate_passed", "every_check_passed"})
PANEL_CLAUSES = SCORE_CLAUSES | GATE_CLAUSES


@dataclass(frozen=True)
class PanelistScore:
    """One panelist's score on one competency. `panelist` tells panelists apart; `who` is the
    label an explanation may show (a name, or "a panelist" where the viewer may not read it)."""

    score: Decimal
    panelist: int = 0
    who: str = "a panelist"
    evidence: str = ""


@dataclass(frozen=True)
class CompetencyScore:
    """One competency's score for a candidate (the panel's mean), or None when nobody assessed it,
    with the panelists' own scores behind it when known."""

    name: str
    score: Decimal | None
    weight: Decimal = Decimal("1")
    is_critical: bool = False
    ratings: tuple[PanelistScore, ...] = ()


@dataclass(frozen=True)
class Clause:
    kind: str
    score: Decimal | None = None
    count: int | None = None
    aggregation: str = MEAN
    id: int | None = field(default=None, compare=False)  # the stored clause, when there is one


@dataclass(frozen=True)
class Evidence:
    competency: str  # the competency, gate or check
    score: Decimal | str  # a score, or a gate's or check's status
    text: str
    who: str


@dataclass(frozen=True)
class Reading:
    """One panelist's reading of a gate ("passed", "not_passed", "not_reached") or a check
    ("passed", "failed")."""

    status: str
    panelist: int = 0
    who: str = "a panelist"
    evidence: str = ""


@dataclass(frozen=True)
class GateScore:
    name: str
    position: int
    readings: tuple[Reading, ...] = ()


@dataclass(frozen=True)
class CheckScore:
    name: str
    readings: tuple[Reading, ...] = ()


@dataclass(frozen=True)
class ClauseResult:
    clause: Clause
    passed: bool
    reason: str
    evidence: tuple[Evidence, ...] = ()


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


def _panel_of(s: CompetencyScore) -> tuple[PanelistScore, ...]:
    if s.ratings:
        return s.ratings
    return () if s.score is None else (PanelistScore(s.score),)


def _read(s: CompetencyScore, how: str) -> Decimal | None:
    """One competency's score as a `mean` or `lowest` clause reads it."""
    if how == MEAN and (s.score is not None or not s.ratings):
        return s.score
    values = [r.score for r in _panel_of(s)]
    if not values:
        return None
    return min(values) if how == LOWEST else sum(values, Decimal("0")) / len(values)


def _evidence(clause: Clause, scores: Sequence[CompetencyScore], *, panelist: int | None = None):
    """The ratings behind a failing clause: those under the clause's score (at or below it for
    the critical clause, on critical competencies only), lowest first."""
    out = []
    for s in scores:
        if clause.kind == "no_critical_at_or_below" and not s.is_critical:
            continue
        for r in _panel_of(s):
            if panelist is not None and r.panelist != panelist:
                continue
            critical = clause.kind == "no_critical_at_or_below"
            if r.score <= clause.score if critical else r.score < clause.score:
                out.append(Evidence(s.name, r.score, r.evidence, r.who))
    return tuple(sorted(out, key=lambda e: e.score))


def _any_panelist(clause: Clause, scores: Sequence[CompetencyScore]) -> ClauseResult:
    """Every panelist's own scores against the clause: the first panelist it fails for fails it."""
    panelists: dict[int, str] = {}
    for s in scores:
        for r in _panel_of(s):
            panelists.setdefault(r.panelist, r.who)
    failures = []
    for key, who in panelists.items():
        own = [
            replace(s, score=next((r.score for r in _panel_of(s) if r.panelist == key), None), ratings=())
            for s in scores
        ]
        result = _EVALUATORS[clause.kind](clause, own, {})
        if not result.passed:
            failures.append((who, result, _evidence(clause, scores, panelist=key)))
    if not panelists:
        result = _EVALUATORS[clause.kind](clause, [replace(s, ratings=()) for s in scores], {})
        return replace(result, clause=clause, reason=f"Any panelist: {result.reason}")
    if not failures:
        return ClauseResult(clause, True, _any_pass_reason(clause, len(panelists)))
    who, result, _ = failures[0]
    more = f" ({len(failures)} of {len(panelists)} panelists fail it.)" if len(failures) > 1 else ""
    return ClauseResult(
        clause,
        False,
        f"Fails for {who}, and any panelist is enough: {result.reason}{more}",
        tuple(e for _, _, ev in failures for e in ev),
    )


def _any_pass_reason(clause: Clause, count: int) -> str:
    what = {
        "min_average": f"a weighted average at or above {_fmt(clause.score)}",
        "min_count_at_or_above": f"at least {clause.count} competencies at or above {_fmt(clause.score)}",
        "no_critical_at_or_below": f"no critical competency at or below {_fmt(clause.score)}",
    }[clause.kind]
    return f"Each of the {count} panelists gave {what}."


def item_passed(readings: Sequence[Reading], how: str) -> bool:
    """A gate or check as the panel reads it: mean = a majority of the readings passed; lowest or
    any = every reading passed. Nobody recorded it: not passed."""
    if not readings:
        return False
    passed = sum(1 for r in readings if r.status == "passed")
    return passed == len(readings) if how in (LOWEST, ANY) else passed * 2 > len(readings)


def _not_passed(name: str, readings: Sequence[Reading]) -> list[Evidence]:
    return [
        Evidence(name, r.status.replace("_", " "), r.evidence, r.who)
        for r in readings
        if r.status != "passed"
    ]


def _gate_clause(clause: Clause, gates: Sequence[GateScore], checks: Sequence[CheckScore]) -> ClauseResult:
    how = clause.aggregation if clause.aggregation in AGGREGATIONS else MEAN
    if clause.kind == "every_check_passed":
        if not checks:
            return ClauseResult(clause, True, "The rubric has no checks.")
        failed = [c for c in checks if not item_passed(c.readings, how)]
        if not failed:
            return ClauseResult(clause, True, f"Every check passed ({', '.join(c.name for c in checks)}).")
        evidence = tuple(e for c in failed for e in _not_passed(c.name, c.readings))
        names = ", ".join(c.name if c.readings else f"{c.name} (not recorded)" for c in failed)
        return ClauseResult(clause, False, f"Checks not passed: {names}.", evidence)
    passed = [g for g in gates if item_passed(g.readings, how)]
    if clause.kind == "gate_passed":
        gate = next((g for g in gates if g.position == clause.count), None)
        if gate is None:
            return ClauseResult(clause, False, f"The rubric has no gate {clause.count}.")
        if gate in passed:
            return ClauseResult(clause, True, f"Gate {gate.position} ({gate.name}) passed.")
        return ClauseResult(
            clause,
            False,
            f"Gate {gate.position} ({gate.name}) not passed.",
            tuple(_not_passed(gate.name, gate.readings)),
        )
    ok = len(passed) >= clause.count
    listed = ", ".join(g.name for g in passed) if passed else "none"
    reason = f"{len(passed)} of {len(gates)} gates passed ({listed}); at least {clause.count} required."
    if ok:
        return ClauseResult(clause, True, reason)
    evidence = tuple(e for g in gates if g not in passed for e in _not_passed(g.name, g.readings))
    return ClauseResult(clause, False, reason, evidence)


def _evaluate(clause: Clause, scores: Sequence[CompetencyScore], flags, gates=(), checks=()) -> ClauseResult:
    if clause.kind in GATE_CLAUSES:
        if clause.aggregation not in AGGREGATIONS:
            raise ValueError(f"Unknown panel aggregation {clause.aggregation!r}.")
        return _gate_clause(clause, gates, checks)
    evaluator = _EVALUATORS.get(clause.kind)
    if evaluator is None:
        raise ValueError(f"Unknown hire bar clause {clause.kind!r}.")
    if clause.kind not in SCORE_CLAUSES:
        return evaluator(clause, scores, flags)
    if clause.aggregation not in AGGREGATIONS:
        raise ValueError(f"Unknown panel aggregation {clause.aggregation!r}.")
    if clause.aggregation == ANY:
        return _any_panelist(clause, scores)
    read = [replace(s, score=_read(s, clause.aggregation)) for s in scores]
    result = evaluator(clause, read, flags)
    if clause.aggregation == LOWEST:
        result = replace(result, reason=f"Lowest panelist per competency: {result.reason}")
    if not result.passed:
        result = replace(result, evidence=_evidence(clause, scores))
    return result


def evaluate_hire_bar(
    clauses: Sequence[Clause],
    scores: Sequence[CompetencyScore],
    red_flags: Mapping[str, bool] | None = None,
    gates: Sequence[GateScore] = (),
    checks: Sequence[CheckScore] = (),
) -> Verdict:
    """Evaluate every clause; the bar passes when all clauses pass. `red_flags` maps the
    description of each raised flag to whether it is blocking; `gates` (in order) and `checks`
    carry each panelist's reading."""
    flags = dict(red_flags or {})
    if not clauses:
        return Verdict(False, (ClauseResult(Clause("none"), False, "The rubric has no hire bar."),))
    results = tuple(_evaluate(clause, scores, flags, gates, checks) for clause in clauses)
    return Verdict(all(r.passed for r in results), results)
