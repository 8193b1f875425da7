"""Gate and check readings of a scorecard: validated and written with its ratings
(interviews.services `_write`).

A gate is passed, not passed or not reached; a gate that follows one which unlocks it and was not
passed can only be "not reached". A check is passed or failed. A submitted scorecard records every
gate and check of its rubric, each passed / not passed reading with its evidence, so the verdict
(rubrics.verdicts) reads them all.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .models import CheckResult, GateResult, GateStatus, Scorecard

MAX_EVIDENCE = 5000


@dataclass(frozen=True)
class GateInput:
    gate_id: int
    status: str | None  # GateStatus, or None while a draft leaves it open
    evidence: str = ""


@dataclass(frozen=True)
class CheckInput:
    check_id: int
    passed: bool | None
    evidence: str = ""


def outcomes_errors(rubric, gates: list[GateInput], checks: list[CheckInput], *, complete: bool) -> list[str]:
    rubric_gates = list(rubric.gates.order_by("position", "id"))
    rubric_checks = {c.pk: c for c in rubric.checks.all()}
    by_gate = {g.gate_id: g for g in gates}
    errors = []
    if set(by_gate) - {g.pk for g in rubric_gates} or {c.check_id for c in checks} - set(rubric_checks):
        errors.append("Some gates or checks belong to another rubric.")
    previous, previous_status = None, None
    for gate in rubric_gates:
        given = by_gate.get(gate.pk)
        status = given.status if given else None
        if status is not None and status not in GateStatus.values:
            errors.append(f"Gate {gate.position} ({gate.name}): passed, not passed or not reached.")
        locked = previous is not None and previous.unlocks_next and previous_status != GateStatus.PASSED
        if locked and status in (GateStatus.PASSED, GateStatus.NOT_PASSED):
            errors.append(
                f"Gate {gate.position} ({gate.name}) is locked until gate {previous.position} is passed: "
                "mark it not reached."
            )
        if complete and status is None:
            errors.append(f"Gate {gate.position} ({gate.name}): say whether it was passed.")
        if complete and status in (GateStatus.PASSED, GateStatus.NOT_PASSED) and not given.evidence.strip():
            errors.append(f"Gate {gate.position} ({gate.name}): write the evidence behind it.")
        previous, previous_status = gate, status
    by_check = {c.check_id: c for c in checks}
    for check in rubric_checks.values():
        given = by_check.get(check.pk)
        if complete and (given is None or given.passed is None):
            errors.append(f"Check {check.name}: say whether it passed.")
        elif complete and not given.evidence.strip():
            errors.append(f"Check {check.name}: write the evidence behind it.")
    for text in [g.evidence for g in gates] + [c.evidence for c in checks]:
        if len(text) > MAX_EVIDENCE:
            errors.append(f"Keep each evidence to {MAX_EVIDENCE} characters.")
            break
    return errors


def outcomes_write(locked: Scorecard, gates: Iterable[GateInput], checks: Iterable[CheckInput]) -> None:
    """Replace the scorecard's readings with those given (open ones are left out)."""
    GateResult.objects.filter(scorecard=locked).delete()
    CheckResult.objects.filter(scorecard=locked).delete()
    GateResult.objects.bulk_create(
        GateResult(scorecard=locked, gate_id=g.gate_id, status=g.status, evidence=g.evidence.strip())
        for g in gates
        if g.status
    )
    CheckResult.objects.bulk_create(
        CheckResult(scorecard=locked, check_item_id=c.check_id, passed=c.passed, evidence=c.evidence.strip())
        for c in checks
        if c.passed is not None
    )
