"""Emails the hiring team writes to candidates from the product: one or many applications, from a
company template or free text, with the template variables of the candidate's application.

The same sandboxed rendering as every notification (rendering.py); previewed per recipient before
anything is written; sent through the outbox, one row per recipient in one transaction, under a key
made of the application and the compose form's own token, so that a form posted twice sends once.
Each email is recorded in its application's timeline (hiring.note_services) with its sender.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from hiring.models import Application
from hiring.note_services import application_email_record
from hiring.roles import RECRUITERS
from hiring.selectors import roles_by_company

from .candidate_links import candidate_link
from .context import application_context
from .events import CANDIDATE_EVENTS, NotificationEvent
from .models import Notification, NotificationTemplate
from .outbox import outbox_enqueue_on_commit, outbox_write, recipient_candidate
from .rendering import TemplateTooLarge, render, render_subject, template_errors

EVENT = NotificationEvent.CANDIDATE_EMAIL
# Shown in the previews where each candidate's own sign-in link will be.
PREVIEW_PORTAL_LINK = "(the candidate's own sign-in link)"


def compose_token() -> str:
    """A new compose form's token: the emails it sends are written once, however often it is posted."""
    return uuid.uuid4().hex


def composable_templates(company_ids):
    """The company templates a writer may start from: the enabled wording of candidate emails."""
    return (
        NotificationTemplate.objects.filter(
            company_id__in=list(company_ids), enabled=True, event__in=sorted(CANDIDATE_EVENTS)
        )
        .only("pk", "company_id", "event", "language", "subject", "body")
        .order_by("company_id", "event", "language")
    )


def _sender_name(sender) -> str:
    return sender.get_full_name() or sender.get_username()


def candidate_emails_check(*, applications: list[Application], subject: str, body: str, sender) -> None:
    """Refuse an email that cannot be sent: nobody chosen, more than the bulk cap, a sender who is
    not a recruiter (or company admin) of every application's company, or wording that uses a tag or
    a variable a written email does not offer."""
    if not applications:
        raise ValidationError("Choose at least one application.")
    cap = settings.HIRELOOP_BULK_MAX
    if len(applications) > cap:
        raise ValidationError(
            f"{len(applications)} applications chosen: at most {cap} are written to at once. "
            "Nothing was sent; narrow the list (filter by job or stage) and send again."
        )
    if not sender.is_superuser:
        roles = roles_by_company(sender)
        if any(roles.get(a.company_id) not in RECRUITERS for a in applications):
            raise ValidationError("Only company admins and recruiters write to candidates.")
    if not subject.strip():
        raise ValidationError("The email has no subject.")
    if not body.strip():
        raise ValidationError("The email is empty.")
    problems = [f"Subject: {p}" for p in template_errors(subject, event=EVENT)]
    problems += [f"Body: {p}" for p in template_errors(body, event=EVENT)]
    if problems:
        raise ValidationError(problems)


def _context(application: Application, sender, portal_link: str) -> dict:
    return {
        **application_context(application),
        "recipient_name": application.candidate.name,
        "sender_name": _sender_name(sender),
        "portal_link": portal_link,
    }


@dataclass(frozen=True)
class Preview:
    application: Application
    recipient: str
    subject: str
    body: str


def candidate_email_previews(
    *, applications: list[Application], subject: str, body: str, sender
) -> list[Preview]:
    """The subject and body each candidate would receive (applications loaded with company,
    candidate, job and stage); writes nothing. Erased candidates are left out."""
    candidate_emails_check(applications=applications, subject=subject, body=body, sender=sender)
    previews = []
    for application in applications:
        if application.candidate.anonymised_at is not None:
            continue
        values = _context(application, sender, PREVIEW_PORTAL_LINK)
        try:
            previews.append(
                Preview(
                    application,
                    application.candidate.email,
                    render_subject(subject, values),
                    render(body, values),
                )
            )
        except TemplateTooLarge as exc:
            raise ValidationError(f"{exc} Shorten the email.") from exc
    return previews


@transaction.atomic
def candidate_emails_send(
    *, applications: list[Application], subject: str, body: str, sender, token: str
) -> list[int]:
    """Write one email per application's candidate to the outbox and record it in the application's
    timeline, all in one transaction; their sending is enqueued after commit. A token already used
    (the same form posted again) writes nothing new. Returns the ids of the rows written."""
    candidate_emails_check(applications=applications, subject=subject, body=body, sender=sender)
    if not token or len(token) > 64:
        raise ValidationError("This form is out of date; open it again.")
    ids = []
    for application in applications:
        if application.candidate.anonymised_at is not None:
            continue
        ids += outbox_write(
            company_id=application.company_id,
            event=EVENT,
            template=(subject, body),
            recipients=[recipient_candidate(application)],
            context=_context(application, sender, candidate_link(application.candidate)),
            subject_of=f"application-{application.pk}",
            occurrence=f"written-{token}",
            application_id=application.pk,
        )
    by_application = dict(Notification.objects.filter(pk__in=ids).values_list("application_id", "subject"))
    for application in applications:
        if application.pk in by_application:
            application_email_record(
                application=application, actor=sender, subject=by_application[application.pk]
            )
    return outbox_enqueue_on_commit(ids)
