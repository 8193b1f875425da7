"""What approvals write to the outbox: a step's approvers are asked, and whoever asked is told
the outcome. Called inside the transaction of the request or the decision."""

from .context import admin_link
from .events import NotificationEvent as E
from .outbox import Recipient, outbox_enqueue_on_commit, outbox_write, recipients_members
from .templates import STAFF_LANGUAGE, notification_templates_resolve


def _about(request) -> dict:
    """What is to be approved, in words, and where it is decided."""
    job = request.job
    if request.offer_version_id:
        application = request.offer_version.offer.application
        candidate = application.candidate.name
        return {
            "subject": f"The offer to {candidate} ({job.title})",
            "candidate_name": candidate,
            "job_title": job.title,
            "link": admin_link("admin:hiring_application_change", application.pk),
        }
    return {
        "subject": f"Opening the job {job.title}",
        "candidate_name": "",
        "job_title": job.title,
        "link": admin_link("admin:hiring_job_change", job.pk),
    }


def _requester_name(request) -> str:
    user = request.requested_by
    return (user.get_full_name() or user.get_username()) if user else "Hireloop"


def approval_step_notify(*, request, step) -> list[int]:
    """Ask the approvers of a step."""
    event = E.APPROVAL_REQUESTED
    template = notification_templates_resolve(request.company_id, [event], STAFF_LANGUAGE)[event]
    members = step.approvers.select_related("user")
    context = {
        "company_name": request.company.name,
        "step_label": step.label,
        "requested_by": _requester_name(request),
        **_about(request),
    }
    ids = outbox_write(
        company_id=request.company_id,
        event=event,
        template=template,
        recipients=recipients_members(members.order_by("pk")),
        context=context,
        subject_of=f"approval-{request.pk}",
        occurrence=f"step-{step.position}",
    )
    return outbox_enqueue_on_commit(ids)


def approval_outcome_notify(*, request, step) -> list[int]:
    """Tell whoever asked for the approval what was decided."""
    user = request.requested_by
    if user is None or not user.email:
        return []
    event = E.APPROVAL_DECIDED
    template = notification_templates_resolve(request.company_id, [event], STAFF_LANGUAGE)[event]
    context = {
        "company_name": request.company.name,
        "step_label": step.label,
        "requested_by": _requester_name(request),
        "outcome": request.get_status_display().lower(),
        "decided_by": step.decided_by_name,
        "comment": step.comment,
        **_about(request),
    }
    ids = outbox_write(
        company_id=request.company_id,
        event=event,
        template=template,
        recipients=[Recipient(user.email, user.get_full_name() or user.get_username())],
        context=context,
        subject_of=f"approval-{request.pk}",
        occurrence="outcome",
    )
    return outbox_enqueue_on_commit(ids)
