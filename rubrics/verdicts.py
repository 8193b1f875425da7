"""One anchor and verdict builder: what each level of a rubric means, and the hire-bar verdict of
a panel's submitted scorecards, stage by stage.

Every page that shows an anchor or a verdict builds it here: the scorecard form and page and the
application page and decision form (through `interviews.selectors`), the dashboard, and the demo
(`tools.demo`), which records its decisions next to the same verdict the decision form would show.

The builder reads plain data (`PanelCard`, one per submitted scorecard the viewer may read), so the
callers decide which rows it sees (the independence rule stays in `interviews.selectors`) and the
rule itself (`rubrics.hire_bar`) stays a pure function.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .hire_bar import (
    PANEL_CLAUSES,
    CheckScore,
    Clause,
    CompetencyScore,
    GateScore,
    PanelistScore,
    Reading,
    Verdict,
    evaluate_hire_bar,
)
from .models import ClauseKind

# --- anchors ------------------------------------------------------------------------------------


def anchor_table(anchors: Iterable) -> dict[int | None, dict[int, str]]:
    """{competency id or None (rubric-wide): {score: text}} from a rubric's LevelAnchor rows."""
    table: dict[int | None, dict[int, str]] = defaultdict(dict)
    for a in anchors:
        table[a.competency_id][a.score] = a.text
    return table


def anchor_text(table: Mapping[int | None, Mapping[int, str]], competency_id: int | None, score) -> str:
    """The text of one level: the competency's own, else the rubric-wide one, else ""."""
    if score is None:
        return ""
    own = table.get(competency_id, {}) if competency_id is not None else {}
    return own.get(score) or table.get(None, {}).get(score, "")


def level_anchors(table, competency_id: int | None, scores: Iterable[int]) -> list[tuple[int, str]]:
    """[(score, text)] for every level of the scale, as the scorecard form shows them."""
    return [(score, anchor_text(table, competency_id, score)) for score in scores]


# --- the panel's verdict ----------------------------------------------------------------------


@dataclass(frozen=True)
class PanelRating:
    competency_id: int
    score: int | None
    evidence: str = ""


# Who an explanation names when the viewer may not read the scorecard behind it.
A_PANELIST = "a panelist"


@dataclass(frozen=True)
class PanelItem:
    """One panelist's reading of a gate or a check. A submitted scorecard records every gate and
    check of its rubric (interviews.outcomes), so the readings name them all."""

    item_id: int
    name: str
    position: int
    status: str
    evidence: str = ""


@dataclass(frozen=True)
class PanelCard:
    """One submitted scorecard as the verdict reads it. `who` is what an explanation may say of
    its author: their name where the viewer may read the scorecard (the independence rule,
    `interviews.selectors.scorecard_visibility`), else `A_PANELIST`."""

    key: int  # tells panelists apart (the scorecard's id)
    stage_id: int
    stage_name: str
    stage_position: int
    rubric_id: int
    who: str
    ratings: tuple[PanelRating, ...] = ()
    flags: tuple[tuple[str, bool], ...] = ()  # (description, is_blocking) of each raised red flag
    gates: tuple[PanelItem, ...] = ()  # status: passed / not_passed / not_reached
    checks: tuple[PanelItem, ...] = ()  # status: passed / failed


@dataclass
class RubricBar:
    """A rubric with what the verdict needs: its competencies and its hire-bar clauses."""

    rubric: object
    competencies: list
    clauses: list[Clause]


def clause_of(row) -> Clause:
    """The pure-function clause of a HireBarClause row."""
    return Clause(row.kind, row.score, row.count, row.aggregation, id=row.pk)


def rubric_bar(rubric) -> RubricBar:
    """From a rubric whose competencies and hire_bar are prefetched (or cheap to read)."""
    return RubricBar(rubric, list(rubric.competencies.all()), [clause_of(c) for c in rubric.hire_bar.all()])


def clause_label(kind: str) -> str:
    return ClauseKind(kind).label if kind in ClauseKind.values else ""


@dataclass
class RubricVerdict:
    rubric: object
    verdict: Verdict
    scores: list[CompetencyScore]
    scorecard_count: int

    def snapshot(self) -> list[dict]:
        return [
            {
                "rubric": str(self.rubric),
                "clause": clause_label(r.clause.kind),
                "clause_id": r.clause.id,
                "aggregation": r.clause.aggregation if r.clause.kind in PANEL_CLAUSES else "",
                "passed": r.passed,
                "reason": r.reason,
                "evidence": [
                    {"competency": e.competency, "score": str(e.score), "text": e.text, "who": e.who}
                    for e in r.evidence
                ],
            }
            for r in self.verdict.clauses
        ]


@dataclass
class StageVerdict:
    stage_id: int
    stage_name: str
    rubrics: list[RubricVerdict] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.rubrics) and all(r.verdict.passed for r in self.rubrics)

    def snapshot(self) -> list[dict]:
        return [
            {"stage": self.stage_name, "stage_id": self.stage_id, **row}
            for r in self.rubrics
            for row in r.snapshot()
        ]


# --- the loop's verdict -------------------------------------------------------------------------

PASSED, FAILED, MISSING, SKIPPED = "passed", "failed", "missing", "skipped"


@dataclass(frozen=True)
class LoopStage:
    """One stage of the loop with a bar (it has interview kits), and where its verdict stands."""

    stage_id: int
    stage_name: str
    status: str  # PASSED, FAILED, MISSING (no submitted scorecard yet), SKIPPED (optional, unused)
    verdict: StageVerdict | None = None

    @property
    def label(self) -> str:
        return {
            PASSED: "passed",
            FAILED: "failed",
            MISSING: "no verdict yet",
            SKIPPED: "optional, not used",
        }[self.status]


@dataclass(frozen=True)
class LoopVerdict:
    """The verdict for the whole loop: every stage with a bar passed, or which failed or miss one."""

    stages: tuple[LoopStage, ...]

    @property
    def passed(self) -> bool:
        return bool(self.stages) and all(s.status in (PASSED, SKIPPED) for s in self.stages)

    @property
    def failed(self) -> list[LoopStage]:
        return [s for s in self.stages if s.status == FAILED]

    @property
    def missing(self) -> list[LoopStage]:
        return [s for s in self.stages if s.status == MISSING]

    @property
    def summary(self) -> str:
        if not self.stages:
            return "No stage of this job has interview kits: there is no loop verdict."
        if self.passed:
            return "Every stage with a hire bar passed it."
        parts = []
        if self.failed:
            parts.append("failed: " + ", ".join(s.stage_name for s in self.failed))
        if self.missing:
            parts.append("no verdict yet: " + ", ".join(s.stage_name for s in self.missing))
        return "The loop does not pass (" + "; ".join(parts) + ")."

    def snapshot(self) -> list[dict]:
        rows = []
        for s in self.stages:
            if s.verdict is not None:
                rows += [{**row, "status": s.status} for row in s.verdict.snapshot()]
            else:
                reason = (
                    "Optional stage, not used."
                    if s.status == SKIPPED
                    else "No submitted scorecard: no verdict."
                )
                rows.append(
                    {
                        "stage": s.stage_name,
                        "status": s.status,
                        "passed": s.status == SKIPPED,
                        "reason": reason,
                    }
                )
        return rows


def loop_verdict(
    *,
    stages: Sequence[tuple[int, str, bool]],
    verdicts: Sequence[StageVerdict],
    passed: Callable[[StageVerdict], bool] | None = None,
) -> LoopVerdict:
    """`stages`: (id, name, optional) of the stages with a bar, in order; `verdicts`: the stage
    verdicts the viewer may read; `passed`: how a stage's verdict counts (overrides, say)."""
    by_stage = {v.stage_id: v for v in verdicts}
    out = []
    for stage_id, name, optional in stages:
        verdict = by_stage.get(stage_id)
        if verdict is None:
            out.append(LoopStage(stage_id, name, SKIPPED if optional else MISSING))
            continue
        ok = passed(verdict) if passed else verdict.passed
        out.append(LoopStage(stage_id, name, PASSED if ok else FAILED, verdict))
    return LoopVerdict(tuple(out))


def _mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal("0")) / len(values) if values else None


def _items(group: Sequence[PanelCard], attr: str, kind):
    """GateScore or CheckScore per item, in order, with every panelist's reading."""
    items: dict[int, tuple[PanelItem, list[Reading]]] = {}
    for card in group:
        for item in getattr(card, attr):
            reading = Reading(item.status, card.key, card.who, item.evidence)
            items.setdefault(item.item_id, (item, []))[1].append(reading)
    ordered = sorted(items.values(), key=lambda pair: (pair[0].position, pair[0].item_id))
    if kind is GateScore:
        return [GateScore(i.name, i.position, tuple(r)) for i, r in ordered]
    return [CheckScore(i.name, tuple(r)) for i, r in ordered]


def stage_verdicts(*, bars: Mapping[int, RubricBar], cards: Sequence[PanelCard]) -> list[StageVerdict]:
    """The verdict of each stage (in stage order) and, inside it, of each rubric its cards used."""
    groups: dict[tuple[int, int], list[PanelCard]] = {}
    for card in sorted(cards, key=lambda c: (c.stage_position, c.stage_id)):
        groups.setdefault((card.stage_id, card.rubric_id), []).append(card)
    stages: dict[int, StageVerdict] = {}
    for (stage_id, rubric_id), group in groups.items():
        bar = bars[rubric_id]
        by_competency: dict[int, list[PanelistScore]] = defaultdict(list)
        for card in group:
            for r in card.ratings:
                if r.score is not None:
                    by_competency[r.competency_id].append(
                        PanelistScore(Decimal(r.score), card.key, card.who, r.evidence)
                    )
        scores = [
            CompetencyScore(
                name=c.name,
                score=_mean([p.score for p in by_competency[c.pk]]),
                weight=c.weight,
                is_critical=c.is_critical,
                ratings=tuple(by_competency[c.pk]),
            )
            for c in bar.competencies
        ]
        flags = {name: blocking for card in group for name, blocking in card.flags}
        gates = _items(group, "gates", GateScore)
        checks = _items(group, "checks", CheckScore)
        verdict = evaluate_hire_bar(bar.clauses, scores, flags, gates=gates, checks=checks)
        stage = stages.setdefault(stage_id, StageVerdict(stage_id, group[0].stage_name))
        stage.rubrics.append(RubricVerdict(bar.rubric, verdict, scores, len(group)))
    return list(stages.values())
