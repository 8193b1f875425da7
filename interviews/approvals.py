"""Approvals: which steps a job opening or an offer needs (a pure rule over plain data), asking
for them, and deciding them.

The rule (`approval_plan`) turns a policy's rules into steps for one subject: a rule applies when
its thresholds are passed; in order, each rule that applies is a step; any one, they merge into
one step that any of their approvers decides. A step nobody can decide (the job has no hiring
manager, nobody has the role) is refused when approval is asked for, with the reason.

What an outcome does (open the job, let the offer go out) belongs to the subject's module, which
registers it with `register_outcome`; this module knows no subject's rules.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hiring.models import Job, Membership, Role

from .approval_models import (
    ApprovalOrder,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    ApprovalStep,
    ApprovalSubject,
    Approver,
)

# --- The rule -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleFacts:
    """A policy rule as plain data: who approves (`approver` role or `member_id`) and when."""

    position: int
    label: str
    approver: str
    member_id: int | None
    above_headcount: int | None
    above_salary: Decimal | None


@dataclass(frozen=True)
class PlannedStep:
    position: int
    label: str
    approver_ids: tuple[int, ...]
    # Why nobody can decide it, when `approver_ids` is empty.
    missing: str = ""


def rule_applies(rule: RuleFacts, *, headcount: int, salary: Decimal | None) -> bool:
    """A rule with no threshold always applies; with thresholds, when one of them is passed."""
    if rule.above_headcount is None and rule.above_salary is None:
        return True
    over_headcount = rule.above_headcount is not None and headcount > rule.above_headcount
    over_salary = rule.above_salary is not None and salary is not None and salary > rule.above_salary
    return over_headcount or over_salary


def approval_plan(
    *,
    order: str,
    rules: list[RuleFacts],
    headcount: int,
    salary: Decimal | None,
    members_by_role: dict[str, list[tuple[int, str]]],
    members: dict[int, str],
    job_hiring_manager: tuple[int, str] | None,
) -> list[PlannedStep]:
    """The steps of an approval, from the rules that apply. Pure: every fact comes as data
    (`members_by_role`: role -> [(membership id, name)], `members`: id -> name of named members)."""
    steps = []
    for rule in sorted(rules, key=lambda r: (r.position,)):
        if not rule_applies(rule, headcount=headcount, salary=salary):
            continue
        if rule.member_id is not None:
            name = members.get(rule.member_id)
            ids = (rule.member_id,) if name else ()
            label = rule.label or name or "A former member"
            missing = "" if ids else "the member named is no longer in the company"
        elif rule.approver == Approver.JOB_HIRING_MANAGER:
            ids = (job_hiring_manager[0],) if job_hiring_manager else ()
            label = rule.label or "Hiring manager"
            if job_hiring_manager:
                label = f"{label}: {job_hiring_manager[1]}"
            missing = "" if ids else "the job has no hiring manager"
        else:
            found = members_by_role.get(rule.approver, [])
            ids = tuple(pk for pk, _ in found)
            label = rule.label or Approver(rule.approver).label
            missing = "" if ids else f"nobody in the company is {Role(rule.approver).label.lower()}"
        steps.append(PlannedStep(position=len(steps), label=label, approver_ids=ids, missing=missing))
    if order == ApprovalOrder.ANY_ONE and steps:
        ids = tuple(dict.fromkeys(pk for s in steps for pk in s.approver_ids))
        label = " or ".join(s.label for s in steps)
        missing = "" if ids else "; ".join(s.missing for s in steps)
        return [PlannedStep(position=0, label=label, approver_ids=ids, missing=missing)]
    return steps


def approval_plan_for(
    *, company_id: int, subject: str, job: Job, salary: Decimal | None
) -> tuple[str, list[PlannedStep]]:
    """The order and steps the company's policy asks for this job (and salary); no steps when the
    company asks for no approval."""
    policy = ApprovalPolicy.objects.filter(company_id=company_id, subject=subject, is_active=True).first()
    if policy is None:
        return ApprovalOrder.IN_ORDER, []
    rules = [
        RuleFacts(r.position, r.label, r.approver, r.member_id, r.above_headcount, r.above_salary)
        for r in ApprovalRule.objects.filter(policy=policy)
    ]
    roles = {r.approver for r in rules if r.approver and r.approver != Approver.JOB_HIRING_MANAGER}
    by_role: dict[str, list[tuple[int, str]]] = {}
    for pk, role, name in Membership.objects.filter(company_id=company_id, role__in=roles).values_list(
        "pk", "role", "display_name"
    ):
        by_role.setdefault(role, []).append((pk, name))
    named_ids = [r.member_id for r in rules if r.member_id]
    members = dict(
        Membership.objects.filter(company_id=company_id, pk__in=named_ids).values_list("pk", "display_name")
    )
    manager = None
    if job.hiring_manager_id:
        name = (
            Membership.objects.filter(pk=job.hiring_manager_id).values_list("display_name", flat=True).first()
        )
        manager = (job.hiring_manager_id, name or "")
    steps = approval_plan(
        order=policy.order,
        rules=rules,
        headcount=job.headcount,
        salary=salary,
        members_by_role=by_role,
        members=members,
        job_hiring_manager=manager,
    )
    return policy.order, steps


# --- Outcomes -----------------------------------------------------------------------------------

# subject -> called with the request once it is approved or rejected, in its transaction.
_OUTCOMES: dict[str, Callable[[ApprovalRequest], object]] = {}


def register_outcome(subject: str, handler: Callable[[ApprovalRequest], object]) -> None:
    """What an approved or rejected request of `subject` does (the subject's module registers it)."""
    _OUTCOMES[subject] = handler


# --- Services -----------------------------------------------------------------------------------


def _notify_step(request: ApprovalRequest, step: ApprovalStep) -> None:
    from .notifications.approvals import approval_step_notify

    approval_step_notify(request=request, step=step)


def approval_request_create(
    *,
    company_id: int,
    subject: str,
    job: Job,
    actor,
    order: str,
    steps: list[PlannedStep],
    offer_version=None,
) -> ApprovalRequest:
    """Ask for approval with the planned steps (approval_plan_for); the first step's approvers are
    told by email. Refused, with the reason, when a step has nobody to decide it. Call it inside
    the subject's transaction."""
    blocked = [s for s in steps if not s.approver_ids]
    if blocked:
        reasons = "; ".join(f"{s.label}: {s.missing}" for s in blocked)
        raise ValidationError(f"Approval cannot be asked for: nobody can decide a step ({reasons}).")
    if not steps:
        raise ValidationError("The company's policy asks for no approval here.")
    request = ApprovalRequest.objects.create(
        company_id=company_id,
        subject=subject,
        order=order,
        job=job,
        offer_version=offer_version,
        requested_by=actor,
        created_at=timezone.now(),
    )
    rows = ApprovalStep.objects.bulk_create(
        [ApprovalStep(request=request, position=s.position, label=s.label[:200]) for s in steps]
    )
    through = ApprovalStep.approvers.through
    through.objects.bulk_create(
        [
            through(approvalstep_id=row.pk, membership_id=pk)
            for row, s in zip(rows, steps, strict=True)
            for pk in s.approver_ids
        ]
    )
    _notify_step(request, rows[0])
    return request


def approval_current_step(request: ApprovalRequest) -> ApprovalStep | None:
    """The step waiting for a decision: the first pending one (None when the request is over)."""
    if request.status != ApprovalStatus.PENDING:
        return None
    return request.steps.filter(status=ApprovalStatus.PENDING).order_by("position").first()


def approval_decide_refusal(*, request: ApprovalRequest, member: Membership | None) -> str | None:
    """Why this member may not decide the request now, in words; None when they may."""
    if request.status != ApprovalStatus.PENDING:
        return f"This approval is already {request.get_status_display().lower()}."
    step = approval_current_step(request)
    if step is None:
        return "This approval has no step waiting."
    if member is None or member.company_id != request.company_id:
        return "Only a member of the company can decide this approval."
    if not step.approvers.filter(pk=member.pk).exists():
        names = ", ".join(step.approvers.values_list("display_name", flat=True))
        return f"The step '{step.label}' waits for {names}."
    return None


@transaction.atomic
def approval_decide(
    *, request: ApprovalRequest, member: Membership | None, approve: bool, comment: str = ""
) -> ApprovalRequest:
    """Approve or reject the step waiting, as `member` (one of its approvers). A rejection ends the
    request; the last approval (or any one, in "any one" order) approves it. Either way the
    subject's outcome runs and the requester is told; otherwise the next step's approvers are."""
    locked = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    refusal = approval_decide_refusal(request=locked, member=member)
    if refusal:
        raise ValidationError(refusal)
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError("Say why you reject it: the comment goes to whoever asked.")
    now = timezone.now()
    step = approval_current_step(locked)
    step.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    step.decided_by = member
    step.decided_by_name = member.display_name
    step.comment = comment[:2000]
    step.decided_at = now
    step.save(update_fields=["status", "decided_by", "decided_by_name", "comment", "decided_at"])
    following = approval_current_step(locked)
    if approve and following is not None and locked.order == ApprovalOrder.IN_ORDER:
        _notify_step(locked, following)
    else:
        locked.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at"])
        if approve:
            # Any one: the other steps are decided by this approval.
            locked.steps.filter(status=ApprovalStatus.PENDING).update(status=ApprovalStatus.CANCELLED)
        from .notifications.approvals import approval_outcome_notify

        approval_outcome_notify(request=locked, step=step)
        _OUTCOMES[locked.subject](locked)
    request.status, request.decided_at = locked.status, locked.decided_at
    return locked


def approval_requests_cancel(*, pending) -> int:
    """Cancel pending requests (a change of terms makes their approval moot). Returns how many."""
    now = timezone.now()
    ids = list(pending.filter(status=ApprovalStatus.PENDING).values_list("pk", flat=True))
    ApprovalStep.objects.filter(request_id__in=ids, status=ApprovalStatus.PENDING).update(
        status=ApprovalStatus.CANCELLED
    )
    return ApprovalRequest.objects.filter(pk__in=ids).update(status=ApprovalStatus.CANCELLED, decided_at=now)


__all__ = [
    "ApprovalSubject",
    "approval_decide",
    "approval_plan",
    "approval_plan_for",
    "approval_request_create",
    "register_outcome",
]
