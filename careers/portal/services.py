"""The portal's writes: sign-in links (made, sent, used) and the candidate's own actions. Every
email goes through the outbox, written in the transaction of its cause."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from careers.models import ErasureRequest, ErasureRequestStatus, PortalToken, PortalTokenPurpose
from hiring.applicants import candidate_details_update, candidate_email_change
from hiring.models import Application, Candidate, Membership, RejectionKind, RejectionReason, Role
from hiring.privacy import candidate_erase
from hiring.services import application_withdraw
from interviews.notifications.context import absolute, admin_link, when
from interviews.notifications.events import NotificationEvent
from interviews.notifications.outbox import (
    Recipient,
    outbox_enqueue_on_commit,
    outbox_write,
    recipients_members,
)
from interviews.notifications.templates import notification_templates_resolve
from interviews.selectors import candidate_time_zone

# The links' paths, as the outbox hides them from everyone but their recipient (registered with
# interviews.notifications.candidate_links in careers.apps).
PERSONAL_LINK_PATTERN = r"/portal/(?:sign-in|confirm-email)/[A-Za-z0-9_-]+/"
PERSONAL_LINK_HIDDEN = "/portal/(personal link, hidden)/"


class PortalLinkError(Exception):
    """A link that cannot be used: `code` is "unknown", "used" or "expired"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.HIRELOOP_PORTAL_LINK_HOURS)


def _token_create(*, candidate: Candidate, purpose: str, new_email: str = "") -> tuple[str, PortalToken]:
    token = secrets.token_urlsafe(32)
    row = PortalToken.objects.create(
        company_id=candidate.company_id,
        candidate=candidate,
        purpose=purpose,
        token_hash=token_hash(token),
        new_email=new_email,
        expires_at=timezone.now() + link_lifetime(),
    )
    return token, row


def portal_link_create(*, candidate: Candidate) -> str:
    """A fresh single-use sign-in link for the candidate (absolute URL); only its hash is kept.
    One insert, in the caller's transaction (every candidate email makes one, see careers.apps)."""
    token, _ = _token_create(candidate=candidate, purpose=PortalTokenPurpose.SIGN_IN)
    return absolute(reverse("portal:sign_in", args=[token]))


def portal_token_check(*, token: str, purpose: str = PortalTokenPurpose.SIGN_IN) -> PortalToken:
    """The link's row, unused and unexpired, or PortalLinkError (nothing is written)."""
    row = (
        PortalToken.objects.select_related("candidate__company")
        .filter(token_hash=token_hash(token or ""), purpose=purpose)
        .first()
    )
    if row is None or row.candidate.anonymised_at is not None:
        raise PortalLinkError("unknown")
    if row.used_at is not None:
        raise PortalLinkError("used")
    if row.expires_at <= timezone.now():
        raise PortalLinkError("expired")
    return row


@transaction.atomic
def portal_token_use(*, token: str, purpose: str = PortalTokenPurpose.SIGN_IN) -> PortalToken:
    """Use a link once: the conditional update lets exactly one of two racing requests through;
    the other gets PortalLinkError("used")."""
    row = portal_token_check(token=token, purpose=purpose)
    now = timezone.now()
    unused = PortalToken.objects.filter(pk=row.pk, used_at__isnull=True, expires_at__gt=now)
    claimed = unused.update(used_at=now)
    if claimed != 1:
        raise PortalLinkError("used")
    row.used_at = now
    return row


def _candidate_templates(company_id: int, event: str, language: str):
    return notification_templates_resolve(company_id, [event], language or "en")[event]


@transaction.atomic
def portal_links_send(*, email: str) -> int:
    """Email a fresh sign-in link to every candidate row of this address (one per company it is
    known at; an erased candidate gets none). Returns how many were written; the visitor is told
    the same whatever the number (see views.start_view)."""
    email = (email or "").strip()
    if not email:
        return 0
    candidates = list(
        Candidate.objects.select_related("company")
        .filter(email__iexact=email, anonymised_at__isnull=True)
        .order_by("pk")
    )
    ids = []
    for candidate in candidates:
        event = NotificationEvent.PORTAL_LINK
        template = _candidate_templates(candidate.company_id, event, candidate.language)
        token, row = _token_create(candidate=candidate, purpose=PortalTokenPurpose.SIGN_IN)
        ids += outbox_write(
            company_id=candidate.company_id,
            event=NotificationEvent.PORTAL_LINK,
            template=template,
            recipients=[Recipient(candidate.email, candidate.name)],
            context={
                "company_name": candidate.company.name,
                "candidate_name": candidate.name,
                "portal_link": absolute(reverse("portal:sign_in", args=[token])),
                "expires": when(row.expires_at, candidate_time_zone(candidate)),
            },
            subject_of=f"candidate-{candidate.pk}",
            occurrence=f"link-{row.token_hash[:16]}",
        )
    return len(outbox_enqueue_on_commit(ids))


# --- The candidate's own actions: each writes its emails (the candidate's confirmation, the
# recruiters' and hiring managers' notice) in its own transaction. ---------------------------------

# The reason recorded when a candidate withdraws in the portal without choosing one (a withdrawal
# needs a candidate-side reason, see hiring.services.rejection_reason_check).
NO_REASON_GIVEN = "No reason given (candidate portal)"


def _staff(candidate: Candidate, job_ids=None) -> list[Recipient]:
    """The company's recruiters and the hiring managers of the candidate's jobs (or of `job_ids`)."""
    if job_ids is None:
        job_ids = Application.objects.filter(candidate=candidate).values("job_id")
    members = (
        Membership.objects.filter(company_id=candidate.company_id)
        .filter(models.Q(role=Role.RECRUITER) | models.Q(managed_jobs__in=job_ids))
        .select_related("user")
        .distinct()
        .order_by("pk")
    )
    return recipients_members(members)


def _activity(
    *, candidate: Candidate, action: str, key: str, job_title="", details=(), link="", job_ids=None, name=""
):
    """The recruiters' and hiring managers' email about a portal action (English, staff wording).
    Filed under the candidate (careers.erasure forgets it with them) unless `name` stands in for
    theirs (after an erasure)."""
    event = NotificationEvent.PORTAL_ACTIVITY
    return outbox_write(
        company_id=candidate.company_id,
        event=event,
        template=notification_templates_resolve(candidate.company_id, [event])[event],
        recipients=_staff(candidate, job_ids),
        context={
            "company_name": candidate.company.name,
            "candidate_name": name or candidate.name,
            "action": action,
            "job_title": job_title,
            "details": list(details),
            "link": link or admin_link("admin:hiring_candidate_change", candidate.pk),
        },
        subject_of=f"erased-{candidate.pk}" if name else f"candidate-{candidate.pk}",
        occurrence=key,
    )


def _to_candidate(*, candidate: Candidate, event: str, context: dict, key: str, email: str = "") -> list[int]:
    return outbox_write(
        company_id=candidate.company_id,
        event=event,
        template=_candidate_templates(candidate.company_id, event, candidate.language),
        recipients=[Recipient(email or candidate.email, candidate.name)],
        context={"company_name": candidate.company.name, "candidate_name": candidate.name, **context},
        subject_of=f"candidate-{candidate.pk}",
        occurrence=key,
    )


def _reason_not_given(company_id: int) -> RejectionReason:
    reason = RejectionReason.objects.filter(company_id=company_id, name__iexact=NO_REASON_GIVEN).first()
    if reason is None:
        reason = RejectionReason.objects.create(
            company_id=company_id, name=NO_REASON_GIVEN, kind=RejectionKind.CANDIDATE
        )
    return reason


@transaction.atomic
def portal_application_withdraw(*, application: Application, reason: RejectionReason | None, note: str = ""):
    """The candidate withdraws their application through hiring's withdraw service (its history and
    the candidate's "withdrawn" email); their recruiters and the job's hiring manager are told."""
    candidate = application.candidate
    change = application_withdraw(
        application=application,
        reason=reason or _reason_not_given(application.company_id),
        actor=None,
        note=note.strip() or "Withdrawn by the candidate in the candidate portal.",
    )
    details = [f"Reason: {reason.name}" if reason else "No reason given"]
    if note.strip():
        details.append(f"Note: {note.strip()}")
    ids = _activity(
        candidate=candidate,
        action="withdrew their application",
        key=f"withdraw-{change.pk}",
        job_title=application.job.title,
        details=details,
        link=admin_link("admin:hiring_application_change", application.pk),
        job_ids=[application.job_id],
    )
    outbox_enqueue_on_commit(ids)
    return change


@transaction.atomic
def portal_time_zone_set(*, candidate: Candidate, time_zone: str) -> bool:
    """Store the candidate's time zone (an IANA name, checked by the form). No email."""
    return bool(candidate_details_update(candidate=candidate, changes={"time_zone": time_zone}))


FIELD_NAMES = {
    "name": "Name",
    "phone": "Phone",
    "location": "Location",
    "linkedin_url": "LinkedIn",
    "github_url": "GitHub",
    "website_url": "Website",
}


@transaction.atomic
def portal_details_change(*, candidate: Candidate, changes: dict[str, str]) -> list[str]:
    """Change the candidate's contact details; when something changed, the candidate gets a
    confirmation and their recruiters and hiring managers a notice. Returns the changed fields."""
    changed = candidate_details_update(candidate=candidate, changes=changes)
    if not changed:
        return []
    labels = [FIELD_NAMES.get(name, name) for name in changed]
    key = f"details-{timezone.now():%Y%m%dT%H%M%S%f}"
    ids = _to_candidate(
        candidate=candidate,
        event=NotificationEvent.PORTAL_DETAILS_CHANGED,
        context={"changes": labels, "portal_link": portal_link_create(candidate=candidate)},
        key=key,
    )
    ids += _activity(candidate=candidate, action="changed their contact details", key=key, details=labels)
    outbox_enqueue_on_commit(ids)
    return changed


@transaction.atomic
def portal_email_change_request(*, candidate: Candidate, new_email: str) -> None:
    """Send a confirmation link to the new address; nothing changes until it is opened (so that a
    typo, or someone at an open session, cannot take the candidate's emails elsewhere)."""
    token, row = _token_create(
        candidate=candidate, purpose=PortalTokenPurpose.EMAIL_CHANGE, new_email=new_email
    )
    ids = _to_candidate(
        candidate=candidate,
        event=NotificationEvent.PORTAL_EMAIL_CHANGE,
        context={
            "new_email": new_email,
            "confirm_link": absolute(reverse("portal:confirm_email", args=[token])),
            "expires": when(row.expires_at, candidate_time_zone(candidate)),
        },
        key=f"email-{row.token_hash[:16]}",
        email=new_email,
    )
    outbox_enqueue_on_commit(ids)


@transaction.atomic
def portal_email_change_confirm(*, token: str) -> Candidate:
    """Apply a confirmed new address (PortalLinkError for a used or expired link, ValidationError
    when the address is taken meanwhile); the candidate's old address and the staff are told."""
    row = portal_token_use(token=token, purpose=PortalTokenPurpose.EMAIL_CHANGE)
    candidate = row.candidate
    old = candidate.email
    candidate_email_change(candidate=candidate, email=row.new_email)
    key = f"email-changed-{row.pk}"
    ids = _to_candidate(
        candidate=candidate,
        event=NotificationEvent.PORTAL_DETAILS_CHANGED,
        context={"changes": ["Email"], "portal_link": ""},
        key=key,
        email=old,
    )
    ids += _activity(candidate=candidate, action="changed their email address", key=key, details=["Email"])
    outbox_enqueue_on_commit(ids)
    return candidate


@transaction.atomic
def portal_erasure_request(*, candidate: Candidate) -> ErasureRequest:
    """The candidate asks to be erased. Where the company chose so (portal_erasure_immediate) it
    runs at once; otherwise the request waits for staff (erasure_request_confirm). Either way the
    candidate gets a confirmation (unless erased at once: there is no address left to write to)
    and their recruiters and hiring managers a notice, in the same transaction."""
    now = timezone.now()
    existing = ErasureRequest.objects.filter(candidate=candidate, status=ErasureRequestStatus.PENDING).first()
    if existing is not None:
        return existing
    request = ErasureRequest.objects.create(
        company_id=candidate.company_id, candidate=candidate, requested_at=now
    )
    key = f"erasure-{request.pk}"
    link = admin_link("admin:careers_erasurerequest_change", request.pk)
    if candidate.company.portal_erasure_immediate:
        job_ids = list(Application.objects.filter(candidate=candidate).values_list("job_id", flat=True))
        candidate_erase(candidate=candidate, actor=None)
        ErasureRequest.objects.filter(pk=request.pk).update(status=ErasureRequestStatus.DONE, decided_at=now)
        request.status = ErasureRequestStatus.DONE
        # Written after the erasure, naming no one: nothing of the candidate is left to tell.
        staff_ids = _activity(
            candidate=candidate,
            action="was erased at their request",
            key=key,
            link=link,
            job_ids=job_ids,
            name=f"Candidate #{candidate.pk}",
        )
        outbox_enqueue_on_commit(staff_ids)
        return request
    staff_ids = _activity(
        candidate=candidate,
        action="asked for their data to be erased",
        key=key,
        details=["Confirm it in Careers site > Erasure requests."],
        link=link,
    )
    ids = _to_candidate(
        candidate=candidate, event=NotificationEvent.PORTAL_ERASURE_REQUESTED, context={"erased": ""}, key=key
    )
    outbox_enqueue_on_commit(ids + staff_ids)
    return request


@transaction.atomic
def erasure_request_confirm(*, request: ErasureRequest, actor) -> ErasureRequest:
    """Staff confirm a pending erasure request: the candidate is erased (hiring.privacy), the
    request marked done. A second confirmation changes nothing."""
    locked = (
        ErasureRequest.objects.select_for_update().select_related("candidate__company").get(pk=request.pk)
    )
    if locked.status != ErasureRequestStatus.PENDING:
        return locked
    candidate_erase(candidate=locked.candidate, actor=actor)
    locked.status = ErasureRequestStatus.DONE
    locked.decided_at = timezone.now()
    locked.decided_by = actor
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked


@transaction.atomic
def erasure_request_refuse(*, request: ErasureRequest, actor) -> ErasureRequest:
    """Staff refuse a pending erasure request (a legal hold, a hire in progress): nothing is erased."""
    locked = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status == ErasureRequestStatus.PENDING:
        locked.status = ErasureRequestStatus.REFUSED
        locked.decided_at = timezone.now()
        locked.decided_by = actor
        locked.save(update_fields=["status", "decided_at", "decided_by"])
    return locked
