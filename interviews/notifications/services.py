"""Writes for notifications: fill the outbox in the caller's transaction, and send it.

Sent exactly once
-----------------
1. A notification row is written in the same transaction as the change that causes it, under a
   unique idempotency key (event, object, occurrence, recipient): a rolled-back change leaves no
   row, and a periodic job that runs twice writes nothing new.
2. After commit, one `notifications_send_task` receives the ids of every row the transaction
   wrote (the sweeper's backlog goes in tasks of NOTIFICATIONS_SEND_BATCH ids). Publishing it is
   bounded (CELERY_PUBLISH_TIMEOUT) and may fail (broker down or silent): the rows are committed
   already, so they stay pending and the sweeper enqueues them after NOTIFICATIONS_SWEEP_AFTER
   (see publishing.py); the change that wrote them is not undone and its request does not fail.
   `notifications_deliver` claims them in one conditional UPDATE (pending -> sending,
   claimed_at = now, attempts + 1; rows locked by someone else are skipped). The rows it returns
   are this worker's; the others are sent, failed, waiting for their retry time, or someone else
   is on them. A second delivery of the same task message therefore sends nothing.
3. Each claimed row is then sent in its own transaction, over one mail connection per batch: an
   UPDATE marks it sent (checked against the claim time, which locks the row), the backend
   sends, and the commit follows right after the backend accepted the message. While a worker is
   sending, nobody can re-claim the row. An error rolls back that row's mark only: a transient
   one leaves it pending with a next-try time (exponential backoff), after the last attempt it
   is failed; the rows already sent stay sent and the rest of the batch goes on.
4. A database error (connection lost, server restarting, failover) is the database's fault,
   never the message's: the row is never failed for it. If the backend had not accepted the
   message yet, the row goes back to pending with a next-try time and the claim does not count
   as an attempt. If the backend had accepted it and only the commit of "sent" failed, the
   message was most likely delivered: the row is marked "delivery unknown" (on a new connection;
   retried for about two seconds), which nothing sends again by itself; "send again" in the
   outbox asks for a confirmation first. If the database stays away, the batch stops and its
   rows keep their claims: point 5 applies.
5. A worker that dies mid-batch (SIGKILL, lost machine) leaves the row it was sending and the
   rows it had not reached yet in "sending"; the database rolls back its open transaction.
   After NOTIFICATIONS_CLAIM_TIMEOUT the claims are stale: the sweeper re-enqueues those rows and
   the next claim takes them over. Every claim counts as an attempt, so a message that kills its
   worker every time ends "failed".
6. Two windows remain, which no outbox can close with SMTP. (a) The server accepted the message
   and the worker died (or the database stayed away) before "sent" or "delivery unknown" could
   be committed: the message is sent again after the claim timeout. (b) With
   NOTIFICATIONS_ASYNCHRONOUS_COMMIT (the default), a crash of PostgreSQL itself or of its
   machine forgets the sender's commits of the last moments before it (at most three times
   wal_writer_delay, 600 ms by default): their messages are sent again too. A lost connection,
   a worker crash or a clean database restart forget nothing. Every message carries a
   Message-ID derived from its idempotency key, so a copy is recognisable as the same message.
   With a transactional sink (a database table written in the same transaction, as the worker
   tests use) delivery is exactly once.
"""

import copy
import datetime
import hashlib
import logging
import re
import smtplib
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Company,
    Invitation,
    Membership,
    StageChange,
    Track,
)
from hiring.selectors import application_overdue_q
from interviews.ics import interview_ics
from interviews.models import Interview, InterviewKit, InterviewStatus, Scorecard, ScorecardStatus

from . import publishing
from .context import absolute, admin_link, application_context, interview_context, stage_context, when
from .defaults import DEFAULTS, PLATFORM_WORDING
from .events import PLATFORM_EVENTS, NotificationEvent
from .models import Notification, NotificationStatus, NotificationTemplate
from .rendering import TemplateTooLarge, max_chars, render, render_subject

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


# --- Templates ----------------------------------------------------------------------------------


def _templates(company_id: int, events) -> dict[str, tuple[str, str] | None]:
    """Subject and body per event for a company; None when the company switched the event off."""
    result: dict[str, tuple[str, str] | None] = {e: DEFAULTS[e] for e in events}
    for t in NotificationTemplate.objects.filter(company_id=company_id, event__in=list(events)):
        result[t.event] = (t.subject, t.body) if t.enabled else None
    return result


@transaction.atomic
def notification_templates_install(*, company: Company) -> int:
    """Give a company the default wording for every event it has no template for yet.

    Idempotent: existing templates, edited or not, are left alone. Returns how many were added.
    """
    existing = set(NotificationTemplate.objects.filter(company=company).values_list("event", flat=True))
    rows = [
        NotificationTemplate(company=company, event=event, subject=subject, body=body)
        for event, (subject, body) in DEFAULTS.items()
        if event not in existing
    ]
    NotificationTemplate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notification_template_preview(*, template: NotificationTemplate, application: Application | None):
    """Subject and body of a template rendered for a sample application (or sample values)."""
    from .rendering import sample_context

    context = sample_context(template.event)
    if application is not None:
        application = Application.objects.select_related("company", "candidate", "job", "stage").get(
            pk=application.pk
        )
        context.update(application_context(application))
        context["recipient_name"] = application.candidate.name
        if "stage_instructions" in context:
            kits = list(InterviewKit.objects.filter(stage_id=application.stage_id))
            tracks = list(Track.objects.filter(stage_id=application.stage_id).values_list("name", flat=True))
            context.update(stage_context(application.stage, kits, tracks))
    return render_subject(template.subject, context), render(template.body, context)


# --- Writing the outbox -------------------------------------------------------------------------


def _key(event: str, subject_of: str, occurrence, email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
    return f"{event}:{subject_of}:{occurrence}:{digest}"[:200]


def _outbox_write(
    *,
    company_id: int,
    event: str,
    template: tuple[str, str] | None,
    recipients: list[Recipient],
    context: dict,
    subject_of: str,
    occurrence,
    application_id: int | None = None,
    interview_id: int | None = None,
    ics: str = "",
) -> list[int]:
    """Render and write one row per recipient, then enqueue their sending after commit."""
    if template is None:
        return []
    subject_src, body_src = template
    now = timezone.now()
    rows, keys = [], []
    seen = set()
    for r in recipients:
        if not r.email or r.email.lower() in seen:
            continue
        seen.add(r.email.lower())
        values = {**context, "recipient_name": r.name}
        key = _key(event, subject_of, occurrence, r.email)
        keys.append(key)
        rendered = _rendered(subject_src, body_src, values)
        rows.append(
            Notification(
                company_id=company_id,
                event=event,
                recipient=r.email,
                recipient_name=r.name,
                ics=ics,
                application_id=application_id,
                interview_id=interview_id,
                idempotency_key=key,
                updated_at=now,
                **rendered,
            )
        )
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # Rows of an earlier run keep their own state: only rows written now (pending, just
    # created) are returned, for the caller to enqueue; the sweeper covers anything lost before.
    return list(
        Notification.objects.filter(
            idempotency_key__in=keys, status=NotificationStatus.PENDING, updated_at=now
        ).values_list("pk", flat=True)
    )


NOT_RENDERED = "Nothing sent, too large to render: "


def _rendered(subject_src: str, body_src: str, values: dict) -> dict:
    """Subject and body of one row; a template too large for the limit gives a failed row with
    the reason and nothing to send, and the change that caused it goes on."""
    fields = {}
    for name, source, render_one in (("subject", subject_src, render_subject), ("body", body_src, render)):
        try:
            fields[name] = render_one(source, values)
        except TemplateTooLarge as exc:
            return {
                "subject": "",
                "body": "",
                "status": NotificationStatus.FAILED,
                "last_error": f"{NOT_RENDERED}{name}. {exc} Shorten the template.",
            }
    return fields


# The send task by its registered name: tasks call these services, so these services name the task
# instead of importing it (interviews.apps imports the tasks module, registering it in every process).
SEND_TASK = "interviews.tasks.notifications_send_task"


def _enqueue_on_commit(ids: list[int]) -> list[int]:
    """After commit, one send task per NOTIFICATIONS_SEND_BATCH rows (one task per transaction as
    a rule: a move's emails travel together, and the sweeper's backlog in a few messages)."""
    size = settings.NOTIFICATIONS_SEND_BATCH
    # A broker that is down or silent leaves the rows pending for the sweeper (see publishing).
    publishing.enqueue_on_commit(
        SEND_TASK, [list(ids[start : start + size]) for start in range(0, len(ids), size)]
    )
    return ids


def _candidate(application: Application) -> Recipient:
    return Recipient(application.candidate.email, application.candidate.name)


def _members(memberships) -> list[Recipient]:
    return [Recipient(m.user.email, m.display_name) for m in memberships]


# --- Pipeline moves -----------------------------------------------------------------------------

STATUS_EVENTS = {
    ApplicationStatus.REJECTED: NotificationEvent.REJECTED,
    ApplicationStatus.WITHDRAWN: NotificationEvent.WITHDRAWN,
    ApplicationStatus.HIRED: NotificationEvent.HIRED,
}


def notifications_for_stage_change(change: StageChange) -> list[int]:
    """Write the emails a pipeline move causes (the hiring app calls this inside the move).

    Entry: application received. Advance or move: the candidate gets the new stage's
    instructions, the interviewers of its kits a heads-up. Reject, withdraw, hire: the candidate.
    Hold and resume send nothing.
    """
    if change.from_stage_id is None:
        events = [NotificationEvent.APPLICATION_RECEIVED]
    elif change.to_status in STATUS_EVENTS:
        events = [STATUS_EVENTS[change.to_status]]
    elif change.to_status == ApplicationStatus.ACTIVE and change.from_stage_id != change.to_stage_id:
        events = [NotificationEvent.STAGE_ENTERED, NotificationEvent.STAGE_ENTERED_TEAM]
    else:
        return []
    templates = _templates(change.company_id, events)
    if not any(templates.values()):
        return []
    application = Application.objects.select_related(
        "company", "candidate", "job", "stage", "rejection_reason"
    ).get(pk=change.application_id)
    context = application_context(application)
    common = {
        "company_id": change.company_id,
        "subject_of": f"application-{application.pk}",
        "occurrence": f"change-{change.pk}",
        "application_id": application.pk,
    }
    ids = []
    if NotificationEvent.STAGE_ENTERED in events:
        stage = application.stage
        kits = list(InterviewKit.objects.filter(stage_id=stage.pk).order_by("position", "id"))
        tracks = list(Track.objects.filter(stage_id=stage.pk).values_list("name", flat=True))
        context.update(stage_context(stage, kits, tracks))
        ids += _outbox_write(
            event=NotificationEvent.STAGE_ENTERED,
            template=templates[NotificationEvent.STAGE_ENTERED],
            recipients=[_candidate(application)],
            context=context,
            **common,
        )
        team = []
        if templates[NotificationEvent.STAGE_ENTERED_TEAM]:
            team = _members(
                Membership.objects.filter(default_kits__stage_id=stage.pk)
                .select_related("user")
                .distinct()
                .order_by("pk")
            )
        ids += _outbox_write(
            event=NotificationEvent.STAGE_ENTERED_TEAM,
            template=templates[NotificationEvent.STAGE_ENTERED_TEAM],
            recipients=team,
            context=context,
            **common,
        )
        return _enqueue_on_commit(ids)
    event = events[0]
    if event in (NotificationEvent.REJECTED, NotificationEvent.WITHDRAWN):
        reason = application.rejection_reason
        context.update({"reason": reason.name if reason else "", "note": application.rejection_note})
    ids = _outbox_write(
        event=event,
        template=templates[event],
        recipients=[_candidate(application)],
        context=context,
        **common,
    )
    return _enqueue_on_commit(ids)


# --- Invitations ----------------------------------------------------------------------------------


def notifications_for_invitation(invitation: Invitation, token: str) -> list[int]:
    """Write the invitation email with its link (the hiring app calls this inside the invitation's
    transaction; a resend has a new token, hence a new row)."""
    inviter = invitation.invited_by
    context = {
        "company_name": invitation.company.name,
        "role": invitation.get_role_display(),
        "invited_by": (inviter.get_full_name() or inviter.get_username()) if inviter else "",
        "invitation_link": absolute(reverse("invitation_accept", args=[token])),
        "expires": when(invitation.expires_at, settings.TIME_ZONE),
    }
    ids = _outbox_write(
        company_id=invitation.company_id,
        event=NotificationEvent.INVITATION,
        template=PLATFORM_WORDING[NotificationEvent.INVITATION],
        recipients=[Recipient(invitation.email, "")],
        context=context,
        subject_of=f"invitation-{invitation.pk}",
        occurrence=f"link-{invitation.token_hash[:16]}",
    )
    return _enqueue_on_commit(ids)


_PERSONAL_LINK = re.compile(r"/accounts/invitation/[A-Za-z0-9_-]+/")


def notification_shown_to_staff(notification: Notification) -> Notification:
    """The outbox row as staff may read it: a personal link (an invitation's) is hidden, so that
    nobody but its recipient can accept it."""
    if notification.event not in PLATFORM_EVENTS:
        return notification
    shown = copy.copy(notification)
    shown.body = _PERSONAL_LINK.sub("/accounts/invitation/(personal link, hidden)/", notification.body)
    return shown


# --- Interviews ---------------------------------------------------------------------------------


def _interview_loaded(interview: Interview) -> tuple[Interview, list[Membership]]:
    interview = Interview.objects.select_related(
        "kit", "application__company", "application__candidate", "application__job", "application__stage"
    ).get(pk=interview.pk)
    interviewers = list(
        Membership.objects.filter(scorecards__interview_id=interview.pk).select_related("user").order_by("pk")
    )
    return interview, interviewers


def _notify_interview(interview: Interview, event: str, occurrence, extra: dict | None = None) -> list[int]:
    template = _templates(interview.company_id, [event])[event]
    if template is None:
        return []
    interview, interviewers = _interview_loaded(interview)
    recipients = [_candidate(interview.application), *_members(interviewers)]
    ics = interview_ics(interview).decode()
    return _outbox_write(
        company_id=interview.company_id,
        event=event,
        template=template,
        recipients=recipients,
        context={**interview_context(interview, interviewers), **(extra or {})},
        subject_of=f"interview-{interview.pk}",
        occurrence=occurrence,
        application_id=interview.application_id,
        interview_id=interview.pk,
        ics=ics,
    )


def notify_interview_scheduled(*, interview: Interview) -> list[int]:
    """Invite the candidate and the interviewers (call inside the scheduling transaction)."""
    return _enqueue_on_commit(
        _notify_interview(interview, NotificationEvent.INTERVIEW_SCHEDULED, f"seq-{interview.sequence}")
    )


def notify_interview_rescheduled(*, interview: Interview, previous_start: datetime.datetime) -> list[int]:
    """Send the updated invite (same UID, the interview's raised SEQUENCE) to everyone on it."""
    ids = _notify_interview(
        interview,
        NotificationEvent.INTERVIEW_RESCHEDULED,
        f"seq-{interview.sequence}",
        {"previous_start": when(previous_start, interview.timezone)},
    )
    return _enqueue_on_commit(ids)


def notify_interview_off_panel(*, interview: Interview, members: list[Membership]) -> list[int]:
    """Tell interviewers taken off the panel of an interview that goes on, with a cancellation
    invite naming only them (call inside the transaction that changes the panel)."""
    event = NotificationEvent.INTERVIEW_CANCELLED
    template = _templates(interview.company_id, [event])[event]
    if template is None or not members:
        return []
    interview, interviewers = _interview_loaded(interview)
    ids = _outbox_write(
        company_id=interview.company_id,
        event=event,
        template=template,
        recipients=_members(members),
        context={**interview_context(interview, interviewers), "off_panel": "yes"},
        subject_of=f"interview-{interview.pk}",
        occurrence=f"off-panel-seq-{interview.sequence}",
        application_id=interview.application_id,
        interview_id=interview.pk,
        ics=interview_ics(interview, cancel_for=members).decode(),
    )
    return _enqueue_on_commit(ids)


def notify_interview_cancelled(*, interview: Interview) -> list[int]:
    """Tell everyone the interview is off, with a CANCEL invite that removes it from calendars."""
    return _enqueue_on_commit(_notify_interview(interview, NotificationEvent.INTERVIEW_CANCELLED, "cancel"))


@transaction.atomic
def interview_reminders_create(*, now: datetime.datetime | None = None) -> list[int]:
    """Remind candidate and interviewers of interviews starting in the next 24 hours.

    Only interviews booked more than a day ahead get a reminder (the others just got the
    invite). A rescheduled interview gets a new reminder for its new time.
    """
    now = now or timezone.now()
    ids = []
    interviews = Interview.objects.filter(
        status=InterviewStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=24),
        created_at__lte=F("starts_at") - datetime.timedelta(hours=24),
    ).order_by("starts_at", "pk")
    for interview in interviews:
        ids += _notify_interview(
            interview, NotificationEvent.INTERVIEW_REMINDER, f"{interview.starts_at:%Y%m%dT%H%M}"
        )
    return _enqueue_on_commit(ids)


@transaction.atomic
def scorecard_due_nudges_create(*, now: datetime.datetime | None = None) -> list[int]:
    """Nudge interviewers whose scorecard is still a draft: one hour after the interview ends,
    then once a day for up to NOTIFICATIONS_SCORECARD_NUDGE_DAYS days."""
    now = now or timezone.now()
    first = datetime.timedelta(hours=1)
    days = settings.NOTIFICATIONS_SCORECARD_NUDGE_DAYS
    scorecards = (
        Scorecard.objects.filter(
            status=ScorecardStatus.DRAFT,
            interview__status__in=[InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED],
            interview__ends_at__lte=now - first,
            interview__ends_at__gt=now - first - datetime.timedelta(days=days + 1),
        )
        .select_related(
            "interviewer__user",
            "interview__kit",
            "interview__application__company",
            "interview__application__candidate",
            "interview__application__job",
            "interview__application__stage",
        )
        .order_by("interview__ends_at", "pk")
    )
    templates: dict[int, tuple[str, str] | None] = {}
    ids = []
    for card in scorecards:
        interview = card.interview
        if interview.company_id not in templates:
            templates[interview.company_id] = _templates(
                interview.company_id, [NotificationEvent.SCORECARD_DUE]
            )[NotificationEvent.SCORECARD_DUE]
        nudge = int((now - interview.ends_at - first) / datetime.timedelta(days=1))
        context = {
            **interview_context(interview, []),
            "scorecard_link": admin_link("admin:interviews_scorecard_change", card.pk),
            "days_overdue": str(nudge),
        }
        ids += _outbox_write(
            company_id=interview.company_id,
            event=NotificationEvent.SCORECARD_DUE,
            template=templates[interview.company_id],
            recipients=_members([card.interviewer]),
            context=context,
            subject_of=f"scorecard-{card.pk}",
            occurrence=f"nudge-{nudge}",
            application_id=interview.application_id,
            interview_id=interview.pk,
        )
    return _enqueue_on_commit(ids)


@transaction.atomic
def sla_digests_create(*, now: datetime.datetime | None = None) -> list[int]:
    """One email per hiring manager listing their jobs' active applications past the stage SLA."""
    now = now or timezone.now()
    stuck = (
        Application.objects.filter(application_overdue_q(now=now), job__hiring_manager__isnull=False)
        .select_related("candidate", "job__hiring_manager__user", "stage", "company")
        .order_by("job__hiring_manager_id", "stage_entered_at", "pk")
    )
    by_manager: dict[int, list[Application]] = {}
    for app in stuck:
        by_manager.setdefault(app.job.hiring_manager_id, []).append(app)
    ids = []
    day = timezone.localdate(now)
    for apps in by_manager.values():
        manager = apps[0].job.hiring_manager
        template = _templates(manager.company_id, [NotificationEvent.SLA_DIGEST])[
            NotificationEvent.SLA_DIGEST
        ]
        rows = [
            {
                "candidate_name": a.candidate.name,
                "job_title": a.job.title,
                "stage_name": a.stage.name,
                "days_in_stage": str((now - a.stage_entered_at).days),
                "sla_days": str(a.stage.sla_days),
                "link": admin_link("admin:hiring_application_change", a.pk),
            }
            for a in apps
        ]
        ids += _outbox_write(
            company_id=manager.company_id,
            event=NotificationEvent.SLA_DIGEST,
            template=template,
            recipients=_members([manager]),
            context={"company_name": apps[0].company.name, "applications": rows, "count": str(len(rows))},
            subject_of=f"manager-{manager.pk}",
            occurrence=day.isoformat(),
        )
    return _enqueue_on_commit(ids)


# --- Sending ------------------------------------------------------------------------------------

SENT, SKIPPED, RETRY, FAILED, UNKNOWN = "sent", "skipped", "retry", "failed", "unknown"


def message_id(notification: Notification) -> str:
    digest = hashlib.sha256(notification.idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"


def notification_email(notification: Notification, backend=None) -> EmailMessage:
    """The email of an outbox row, with its .ics invite when it has one."""
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        headers={"Message-ID": message_id(notification), "X-Hireloop-Notification": str(notification.pk)},
        connection=backend,
    )
    if notification.ics:
        message.attach("invite.ics", notification.ics, "text/calendar")
    return message


@contextmanager
def _asynchronous_commit():
    """Let PostgreSQL confirm the sender's commits before their WAL reaches the disk.

    Only a crash of the database server itself (not of a worker) can then forget the last
    fraction of a second of commits: a lost "sent" mark sends the message again (rows of a
    transactional sink are forgotten with it; a lost claim is a claim never made). In exchange
    the sender does not wait for a disk flush per email. Set for the session while a batch is
    sent (two statements per batch instead of one per transaction), then reset.
    """
    if not (settings.NOTIFICATIONS_ASYNCHRONOUS_COMMIT and connection.vendor == "postgresql"):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:  # a broken connection is closed anyway
            cursor.execute("RESET synchronous_commit")


def _claim(notification_ids: list[int], now: datetime.datetime) -> dict[int, int]:
    """pending -> sending (or take over a stale claim) for a batch, counting an attempt.

    One statement; returns {id: attempts} of the rows this worker now owns. Rows locked by
    another transaction (being claimed or sent right now) are skipped, not waited for, so two
    workers claiming overlapping batches neither wait nor deadlock. A row waiting for its retry
    time is left alone.
    """
    if connection.vendor != "postgresql":  # SQLite (tests): no SKIP LOCKED, one writer anyway
        stale = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
        rows = Notification.objects.filter(
            _claimable(now, stale), pk__in=notification_ids, attempts__lt=settings.NOTIFICATIONS_MAX_ATTEMPTS
        )
        ids = list(rows.values_list("pk", flat=True))
        Notification.objects.filter(_claimable(now, stale), pk__in=ids).update(
            status=NotificationStatus.SENDING,
            claimed_at=now,
            updated_at=now,
            retry_at=None,
            attempts=F("attempts") + 1,
        )
        return dict(Notification.objects.filter(pk__in=ids, claimed_at=now).values_list("pk", "attempts"))
    table = Notification._meta.db_table
    at = connection.ops.adapt_datetimefield_value
    stale = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH mine AS (SELECT id FROM {table} WHERE id = ANY(%s) AND attempts < %s "  # noqa: S608
            "AND ((status = %s AND (retry_at IS NULL OR retry_at <= %s)) "
            "OR (status = %s AND claimed_at < %s)) "
            "ORDER BY id FOR UPDATE SKIP LOCKED) "
            f"UPDATE {table} AS n SET status = %s, claimed_at = %s, updated_at = %s, retry_at = NULL, "
            "attempts = n.attempts + 1 FROM mine WHERE n.id = mine.id RETURNING n.id, n.attempts",
            [
                list(notification_ids),
                settings.NOTIFICATIONS_MAX_ATTEMPTS,
                NotificationStatus.PENDING,
                at(now),
                NotificationStatus.SENDING,
                at(stale),
                NotificationStatus.SENDING,
                at(now),
                at(now),
            ],
        )
        return dict(cursor.fetchall())


def _claimable(now: datetime.datetime, stale: datetime.datetime) -> Q:
    return (
        Q(status=NotificationStatus.PENDING, retry_at__isnull=True)
        | Q(status=NotificationStatus.PENDING, retry_at__lte=now)
        | Q(status=NotificationStatus.SENDING, claimed_at__lt=stale)
    )


def _mark_sent_returning(notification_id: int, claimed_at: datetime.datetime) -> Notification | None:
    """Inside the send transaction: mark our claimed row sent (which locks it) and read it back.

    One statement (UPDATE ... RETURNING). None when the claim is no longer ours.
    """
    table = Notification._meta.db_table
    columns = (
        "id",
        "company_id",
        "event",
        "recipient",
        "subject",
        "body",
        "ics",
        "idempotency_key",
        "attempts",
    )
    at = connection.ops.adapt_datetimefield_value
    sent, claimed_at = at(timezone.now()), at(claimed_at)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, updated_at = %s, last_error = '' "  # noqa: S608
            f"WHERE id = %s AND status = %s AND claimed_at = %s RETURNING {', '.join(columns)}",
            [NotificationStatus.SENT, sent, sent, notification_id, NotificationStatus.SENDING, claimed_at],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Notification(**dict(zip(columns, row, strict=True)))


@dataclass
class Delivery:
    """What a batch delivery did: an outcome per id, and when each row to retry is due."""

    outcomes: dict[int, str] = field(default_factory=dict)
    retry_in: dict[int, int] = field(default_factory=dict)  # id -> seconds

    def retries_by_countdown(self) -> dict[int, list[int]]:
        grouped: dict[int, list[int]] = {}
        for pk, seconds in sorted(self.retry_in.items()):
            grouped.setdefault(seconds, []).append(pk)
        return grouped


def notifications_deliver(*, notification_ids: list[int]) -> Delivery:
    """Claim a batch of outbox rows in one statement, then send each once over one mail connection.

    Not atomic as a whole on purpose: the claim commits first (see the module docstring). Each
    row is then sent in its own transaction that has already marked it sent: the row stays
    locked while the backend sends, "sent" commits right after the backend accepted it, and an
    error rolls the mark back for that row only. A worker killed mid-batch leaves the rows it
    had not sent yet claimed: the sweeper hands them to another worker after the claim timeout.
    """
    delivery = Delivery(outcomes=dict.fromkeys(notification_ids, SKIPPED))
    now = timezone.now()
    with _asynchronous_commit():
        claimed = _claim(notification_ids, now)
        if not claimed:
            return delivery
        backend = get_connection()
        _open_quietly(backend)
        try:
            for pk in sorted(claimed):
                try:
                    outcome, retry_in = _send_claimed(pk, now, claimed[pk], backend)
                except DatabaseError:
                    # Not even the row's release could be written: the database is away. This
                    # row and the rest of the batch stay claimed; the sweeper hands them to a
                    # worker after the claim timeout, once the database answers again.
                    logger.warning(
                        "Notifications %s: the database is unreachable; left for the sweeper",
                        [p for p in sorted(claimed) if p >= pk],
                        exc_info=True,
                    )
                    break
                delivery.outcomes[pk] = outcome
                if retry_in is not None:
                    delivery.retry_in[pk] = retry_in
                if outcome in (RETRY, FAILED):  # the SMTP session is in doubt: start a new one
                    _close_quietly(backend)
                    _open_quietly(backend)
        finally:
            _close_quietly(backend)
    return delivery


def _send_claimed(pk: int, claimed_at: datetime.datetime, attempts: int, backend) -> tuple[str, int | None]:
    """Send one claimed row: its outcome, and in how many seconds to try it again (or None)."""
    accepted = False
    try:
        with transaction.atomic():
            notification = _mark_sent_returning(pk, claimed_at)
            if notification is None:  # our claim went stale and another worker took over
                return SKIPPED, None
            _check_size(notification)
            notification_email(notification, backend).send()
            accepted = True
        return SENT, None
    except TemplateTooLarge as exc:  # a row written under a larger limit: never sent, not retried
        logger.warning("Notification %s not sent: %s", pk, exc)
        _release(pk, claimed_at, exc, failed=True)
        return FAILED, None
    except DatabaseError as exc:
        # The database failed, not the message (connection lost, server restarting, failover).
        _drop_broken_connection()
        if accepted:  # the mail server has the message; only its "sent" mark was lost
            _mark_delivery_unknown(pk, claimed_at, exc)
            return UNKNOWN, None
        # Nothing left the building: the row goes back to pending, and this claim does not count
        # as an attempt (a database outage never uses up a message's attempts).
        countdown = retry_countdown(max(attempts - 1, 1))
        _release(pk, claimed_at, exc, failed=False, retry_in=countdown, refund_attempt=True)
        logger.warning("Notification %s: database error before sending, retry in %ss: %s", pk, countdown, exc)
        return RETRY, countdown
    except TRANSIENT_ERRORS as exc:
        give_up = attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
        countdown = None if give_up else retry_countdown(attempts)
        _release(pk, claimed_at, exc, failed=give_up, retry_in=countdown)
        logger.warning("Notification %s: %s (attempt %s)", pk, exc, attempts)
        return (FAILED, None) if give_up else (RETRY, countdown)
    except Exception as exc:  # a bug or a message the backend refuses for good: no retry
        logger.exception("Notification %s failed", pk)
        _release(pk, claimed_at, exc, failed=True)
        return FAILED, None


def _drop_broken_connection() -> None:
    """After a database error outside any transaction, start the next statement on a new
    connection (Django reconnects on use) instead of a connection the server may have closed."""
    if not connection.in_atomic_block:
        with suppress(DatabaseError):
            connection.close()
        if settings.NOTIFICATIONS_ASYNCHRONOUS_COMMIT and connection.vendor == "postgresql":
            with suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO OFF")


UNKNOWN_ERROR = (
    "The mail server accepted this message, but the database connection was lost before it "
    "could be marked sent ({error}). It was most likely delivered; sending it again may deliver "
    "a duplicate."
)


def _mark_delivery_unknown(pk: int, claimed_at: datetime.datetime, exc: Exception) -> None:
    """Record that the row's message may have been delivered, so nobody sends it again unasked.

    Tried a few times over about two seconds (a new connection each time); if the database is
    still away, the error propagates and the row stays claimed: after the claim timeout it is
    sent again (the one remaining duplicate, with the same Message-ID), as after a worker crash.
    """
    delays = (0.2, 0.5, 1.0, None)
    for delay in delays:
        try:
            marked = Notification.objects.filter(
                pk=pk, status=NotificationStatus.SENDING, claimed_at=claimed_at
            ).update(
                status=NotificationStatus.UNKNOWN,
                claimed_at=None,
                retry_at=None,
                updated_at=timezone.now(),
                last_error=UNKNOWN_ERROR.format(error=f"{type(exc).__name__}: {exc}".strip())[:2000],
            )
        except DatabaseError:
            if delay is None:
                logger.error(
                    "Notification %s: accepted by the mail server, but neither 'sent' nor 'delivery "
                    "unknown' could be saved; it will be sent again after the claim timeout",
                    pk,
                )
                raise
            _drop_broken_connection()
            time.sleep(delay)
        else:
            if marked:
                logger.warning("Notification %s: delivery unknown (%s)", pk, exc)
            else:  # the commit had reached the server after all: the row is sent
                logger.info("Notification %s: sent, although its commit reported %s", pk, exc)
            return


def _check_size(notification: Notification) -> None:
    """Refuse to send a subject or body above HIRELOOP_TEMPLATE_MAX_CHARS (an older row)."""
    for name in ("subject", "body"):
        size = len(getattr(notification, name))
        if size > max_chars():
            raise TemplateTooLarge(
                f"Not sent: the {name} holds {size:,} characters, more than "
                f"HIRELOOP_TEMPLATE_MAX_CHARS ({max_chars():,}). Shorten the template."
            )


def _open_quietly(backend) -> None:
    try:
        backend.open()
    except TRANSIENT_ERRORS:
        pass  # the server is away: the next send opens the connection again and reports it per row


def _close_quietly(backend) -> None:
    try:
        backend.close()
    except Exception:  # noqa: BLE001 - closing a broken SMTP session may fail; it is gone either way
        logger.debug("Closing the mail connection failed", exc_info=True)


def _release(
    notification_id: int,
    claimed_at: datetime.datetime,
    exc: Exception,
    *,
    failed: bool,
    retry_in: int | None = None,
    refund_attempt: bool = False,
) -> None:
    now = timezone.now()
    Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.SENDING, claimed_at=claimed_at
    ).update(
        status=NotificationStatus.FAILED if failed else NotificationStatus.PENDING,
        claimed_at=None,
        retry_at=None if retry_in is None else now + datetime.timedelta(seconds=retry_in),
        updated_at=now,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        **({"attempts": F("attempts") - 1} if refund_attempt else {}),
    )


def retry_countdown(attempts: int) -> int:
    """Exponential backoff in seconds: base, 2x base, 4x base ... capped at ten minutes."""
    return min(settings.NOTIFICATIONS_RETRY_BASE * 2 ** max(attempts - 1, 0), 600)


@transaction.atomic
def notifications_retry(*, notification_ids: list[int], include_unknown: bool = False) -> int:
    """Put failed notifications back in the queue with a fresh set of attempts.

    Rows whose delivery is unknown (probably delivered) are queued only with include_unknown,
    once the person asking has confirmed that a duplicate is acceptable. A row whose template was
    too large to render has nothing to send: it stays failed.
    """
    statuses = [NotificationStatus.FAILED, *([NotificationStatus.UNKNOWN] if include_unknown else [])]
    ids = list(
        Notification.objects.filter(pk__in=notification_ids, status__in=statuses)
        .exclude(last_error__startswith=NOT_RENDERED)
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=ids, status__in=statuses).update(
        status=NotificationStatus.PENDING,
        attempts=0,
        claimed_at=None,
        retry_at=None,
        updated_at=timezone.now(),
    )
    _enqueue_on_commit(ids)
    return len(ids)


@transaction.atomic
def notifications_sweep(*, now: datetime.datetime | None = None) -> list[int]:
    """Re-enqueue rows whose message was lost (pending too long, or claimed by a worker that
    died) and rows whose retry time has come."""
    now = now or timezone.now()
    pending_before = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_AFTER)
    claimed_before = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT)
    max_attempts = settings.NOTIFICATIONS_MAX_ATTEMPTS
    # A row whose worker died on every attempt is not tried again: it may be what kills them.
    Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=claimed_before, attempts__gte=max_attempts
    ).update(
        status=NotificationStatus.FAILED,
        claimed_at=None,
        updated_at=now,
        last_error=f"Gave up after {max_attempts} attempts: the worker stopped while sending.",
    )
    ids = list(
        Notification.objects.filter(
            Q(status=NotificationStatus.PENDING, retry_at__isnull=True, updated_at__lt=pending_before)
            | Q(status=NotificationStatus.PENDING, retry_at__lte=now)
            | Q(status=NotificationStatus.SENDING, claimed_at__lt=claimed_before)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.NOTIFICATIONS_SWEEP_BATCH]
    )
    # Mark them as re-queued so that the next sweep does not enqueue them again right away.
    Notification.objects.filter(pk__in=ids, status=NotificationStatus.PENDING).update(
        updated_at=now, retry_at=None
    )
    _enqueue_on_commit(ids)
    return ids


# --- Set-up ---------------------------------------------------------------------------------------

PERIODIC_TASKS = [
    # name, task, every (minutes) or a daily hour
    ("Notifications: re-send lost messages", "interviews.tasks.notifications_sweep_task", {"minutes": 1}),
    ("Notifications: scorecard due", "interviews.tasks.scorecard_due_nudges_task", {"minutes": 15}),
    ("Notifications: interview reminders", "interviews.tasks.interview_reminders_task", {"minutes": 15}),
    ("Notifications: SLA digest", "interviews.tasks.sla_digest_task", {"daily_at": 8}),
]


@transaction.atomic
def notification_schedules_install() -> int:
    """Create the periodic tasks of notifications in django-celery-beat (editable in the admin).

    Idempotent: a schedule that exists, edited or disabled, is left alone. Returns how many were added.
    """
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    added = 0
    for name, task, when_ in PERIODIC_TASKS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if "minutes" in when_:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=when_["minutes"], period=IntervalSchedule.MINUTES
            )
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute="0",
                hour=str(when_["daily_at"]),
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
        added += 1
    return added


def notifications_install(*, company: Company) -> None:
    """Default templates for a company and the periodic tasks (the demo loader calls this)."""
    notification_templates_install(company=company)
    notification_schedules_install()
