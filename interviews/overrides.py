"""Overriding a failing hire-bar clause: only the job's hiring manager, always with a written reason.

`decision_record` (interviews.services) calls `overrides_check` before it writes anything and
`overrides_create` with the decision; the decision form offers the override boxes to the user
`may_override` answers yes for.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from hiring.models import Application
from rubrics.hire_bar import ClauseResult
from rubrics.verdicts import StageVerdict

from .models import ClauseOverride, Decision

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
