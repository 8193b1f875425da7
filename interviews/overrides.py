"""The bar a decision is recorded against, and overriding a failing hire-bar clause (only the
job's hiring manager, always with a written reason).

`decision_record` (interviews.services) calls `decision_bar` before it writes anything and
`overrides_create` with the decision; the decision form offers the override boxes to the user
`may_override` answers yes for. Advance and reject are read against the current stage's verdict;
a hire against the loop's (rubrics.verdicts.loop_verdict).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from hiring.models import Application
from rubrics.hire_bar import ClauseResult
from rubrics.verdicts import LoopVerdict, StageVerdict, loop_verdict

from .models import ClauseOverride, Decision, DecisionOutcome
from .selectors import application_stage_verdicts, loop_stages

MAX_REASON = 2000


@dataclass(frozen=True)
class Overridden:
    stage: StageVerdict
    result: ClauseResult
    reason: str


def may_override(*, application: Application, user) -> bool:
    """The job's hiring manager, and nobody else (not a recruiter, not a superuser)."""
    manager = application.job.hiring_manager
    return manager is not None and manager.user_id == user.pk and user.is_active


def failing_clauses(verdicts: Sequence[StageVerdict]) -> list[tuple[StageVerdict, ClauseResult]]:
    """Every failing stored clause of these verdicts (the ones an override can name)."""
    return [
        (stage, r)
        for stage in verdicts
        for rv in stage.rubrics
        for r in rv.verdict.clauses
        if not r.passed and r.clause.id is not None
    ]


def override_key(stage_id: int, clause_id: int) -> str:
    return f"{stage_id}-{clause_id}"


def overrides_check(
    *, application: Application, actor, verdicts: Sequence[StageVerdict], overrides: Mapping[str, str] | None
) -> list[Overridden]:
    """The overrides asked for ({"<stage id>-<clause id>": reason}), checked: the actor is the job's
    hiring manager, each names a failing clause of these verdicts, each has a reason."""
    if not overrides:
        return []
    if not may_override(application=application, user=actor):
        raise ValidationError("Only the job's hiring manager can override a hire-bar clause.")
    failing = {
        override_key(stage.stage_id, r.clause.id): (stage, r) for stage, r in failing_clauses(verdicts)
    }
    out = []
    for key, reason in overrides.items():
        if key not in failing:
            raise ValidationError("That clause does not fail the hire bar: there is nothing to override.")
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError("Write why you override the clause; the reason is kept with the decision.")
        if len(reason) > MAX_REASON:
            raise ValidationError(f"Keep the reason to {MAX_REASON} characters.")
        stage, result = failing[key]
        out.append(Overridden(stage, result, reason))
    return out


def passed_with_overrides(verdict: StageVerdict, overridden: Sequence[Overridden]) -> bool:
    """A stage's verdict once overrides are counted: passed when each failing clause is overridden."""
    if verdict.passed:
        return True
    if not verdict.rubrics:
        return False
    done = {(o.stage.stage_id, o.result.clause.id) for o in overridden}
    failing = [r for rv in verdict.rubrics for r in rv.verdict.clauses if not r.passed]
    return all(r.clause.id is not None and (verdict.stage_id, r.clause.id) in done for r in failing)


def overrides_create(*, decision: Decision, actor, overridden: Sequence[Overridden]) -> None:
    ClauseOverride.objects.bulk_create(
        ClauseOverride(
            company_id=decision.company_id,
            decision=decision,
            clause_id=o.result.clause.id,
            stage_id=o.stage.stage_id,
            clause_text=o.result.reason[:500],
            reason=o.reason,
            overridden_by=actor,
        )
        for o in overridden
    )


PASSING_OUTCOMES = (DecisionOutcome.ADVANCE, DecisionOutcome.HIRE)


@dataclass(frozen=True)
class DecisionBar:
    verdict_passed: bool | None  # as the panel gave it, before overrides
    against: bool
    against_message: str
    snapshot: list[dict]
    overridden: list[Overridden]
    loop: LoopVerdict


def decision_bar(*, application: Application, actor, outcome: str, overrides=None) -> DecisionBar:
    """What a decision on the application's current stage is read against, as the actor may read it."""
    verdicts = application_stage_verdicts(application=application, user=actor)
    current = next((v for v in verdicts if v.stage_id == application.stage_id), None)
    overridden = overrides_check(application=application, actor=actor, verdicts=verdicts, overrides=overrides)
    stages = loop_stages(application=application)
    loop = loop_verdict(
        stages=stages, verdicts=verdicts, passed=lambda v: passed_with_overrides(v, overridden)
    )
    verb = DecisionOutcome(outcome).label.lower()
    if outcome == DecisionOutcome.HIRE and loop.stages:
        passed, rows = loop.passed, loop.snapshot()
        verdict_passed = loop_verdict(stages=stages, verdicts=verdicts).passed
        message = f"{loop.summary} Write why you decide to hire anyway."
    else:
        passed = passed_with_overrides(current, overridden) if current else None
        verdict_passed, rows = (current.passed, current.snapshot()) if current else (None, [])
        word = "passes" if passed else "does not pass"
        message = (
            f"The panel's scores {word} the hire bar for {application.stage.name}; write why you decide to "
            f"{verb} anyway."
        )
    against = passed is not None and (outcome in PASSING_OUTCOMES) != passed
    reasons = {(o.stage.stage_id, o.result.clause.id): o.reason for o in overridden}
    for row in rows:
        if (row.get("stage_id"), row.get("clause_id")) in reasons:
            row["override"] = reasons[(row["stage_id"], row["clause_id"])]
    return DecisionBar(verdict_passed, against, message, rows, overridden, loop)
