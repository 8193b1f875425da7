"""Opening a job under the company's approval policy: a job waiting for approval stays a draft;
once approved it opens (and its history says who approved it); rejected, it stays a draft with
the approver's comment in its history.

Here rather than in hiring: approvals are this app's (offers use them too).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hiring.models import Job, JobStatus

from .approval_models import ApprovalRequest, ApprovalStatus, ApprovalSubject
from .approvals import approval_plan_for, approval_request_create, register_outcome


def job_opening_needs_approval(job: Job) -> bool:
    """Whether the company's policy asks for approval before this job opens (with its headcount
    and salary band as they are now)."""
    _, steps = approval_plan_for(
        company_id=job.company_id, subject=ApprovalSubject.JOB_OPENING, job=job, salary=job.salary_band_max
    )
    return bool(steps)


def job_opening_approved(job: Job) -> bool:
    return (
        job.pk is not None
        and ApprovalRequest.objects.filter(
            job=job, subject=ApprovalSubject.JOB_OPENING, status=ApprovalStatus.APPROVED
        ).exists()
    )


def job_opening_pending(job: Job) -> ApprovalRequest | None:
    if job.pk is None:
        return None
    return ApprovalRequest.objects.filter(
        job=job, subject=ApprovalSubject.JOB_OPENING, status=ApprovalStatus.PENDING
    ).first()


def job_opening_refusal(job: Job, *, was_status: str | None) -> str | None:
    """Why this job may not be opened now (a form setting its status to open); None when it may.
    Once approved, a job opens, goes on hold and reopens freely."""
    if job.status != JobStatus.OPEN or was_status in (JobStatus.OPEN, JobStatus.ON_HOLD):
        return None
    if job_opening_approved(job) or not job_opening_needs_approval(job):
        return None
    if job_opening_pending(job):
        return "This job is waiting for approval; it opens by itself once approved."
    return "This job needs approval before it opens: save it as a draft, then ask for approval on its page."


@transaction.atomic
def job_opening_request(*, job: Job, actor) -> ApprovalRequest:
    """Ask for approval to open a draft job; the first approvers are told by email."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.DRAFT:
        raise ValidationError("Only a draft job waits for approval to open.")
    if job_opening_pending(job):
        raise ValidationError("Approval of this job is already asked for.")
    order, steps = approval_plan_for(
        company_id=job.company_id, subject=ApprovalSubject.JOB_OPENING, job=job, salary=job.salary_band_max
    )
    request = approval_request_create(
        company_id=job.company_id,
        subject=ApprovalSubject.JOB_OPENING,
        job=job,
        actor=actor,
        order=order,
        steps=steps,
    )
    _history(job, actor, "Approval asked for, to open the job")
    return request


def _history(job: Job, actor, reason: str) -> None:
    """A row in the job's history (django-simple-history), with the reason, without other change."""
    job._history_user = actor
    job._change_reason = reason
    job.save()


def _opening_decided(request: ApprovalRequest) -> None:
    job = Job.objects.select_for_update().get(pk=request.job_id)
    step = request.steps.exclude(decided_at=None).order_by("-decided_at", "-position").first()
    who = step.decided_by_name if step else ""
    actor = step.decided_by.user if step and step.decided_by_id else None
    if request.status == ApprovalStatus.APPROVED and job.status == JobStatus.DRAFT:
        job.status = JobStatus.OPEN
        job.opened_on = job.opened_on or timezone.localdate()
        _history(job, actor, f"Opened: approved by {who}"[:100])
    elif request.status == ApprovalStatus.REJECTED:
        _history(job, actor, f"Opening rejected by {who}: {step.comment}"[:100])


register_outcome(ApprovalSubject.JOB_OPENING, _opening_decided)
