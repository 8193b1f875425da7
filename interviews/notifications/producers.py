"""What each event writes to the outbox: pipeline moves, invitations, interviews, scorecard
nudges, interview reminders and SLA digests (each inside the transaction of its cause)."""

import contextvars
import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Invitation,
    Membership,
    Role,
    StageChange,
    Track,
)
from hiring.selectors import application_overdue_q
from interviews.ics import interview_ics
from interviews.kits import candidate_facing_kits, kit_is_candidate_facing, stage_is_candidate_facing
from interviews.models import Interview, InterviewKit, InterviewStatus, Scorecard, ScorecardStatus

from . import publishing
from .candidate_links import candidate_link
from .context import absolute, admin_link, application_context, interview_context, stage_context, when
from .defaults import PLATFORM_WORDING
from .events import NotificationEvent
from .outbox import Recipient, outbox_enqueue_on_commit, outbox_write, recipient_candidate, recipients_members
from .templates import STAFF_LANGUAGE, email_language, notification_templates_resolve

# --- Pipeline moves -----------------------------------------------------------------------------

STATUS_EVENTS = {
    ApplicationStatus.REJECTED: NotificationEvent.REJECTED,
    ApplicationStatus.WITHDRAWN: NotificationEvent.WITHDRAWN,
    ApplicationStatus.HIRED: NotificationEvent.HIRED,
}


# What the moves of one batch share (see `moves_batch_scope`): templates per company and events,
# the sessions, tracks and team of a stage. None outside a batch: every move reads its own.
_shared: contextvars.ContextVar[dict | None] = contextvars.ContextVar("notifications_shared", default=None)


@contextmanager
def moves_batch_scope() -> Iterator[None]:
    """Around a batch of moves in one transaction (hiring.services.moves_batched): the company's
    templates and each stage's sessions and team are read once for the batch, and the emails of
    every move are handed to one send task after commit."""
    token = _shared.set({})
    try:
        with publishing.together():
            yield
    finally:
        _shared.reset(token)


def _once(key, read):
    """`read()`, or within a batch of moves the value the batch read first under `key`."""
    shared = _shared.get()
    if shared is None:
        return read()
    if key not in shared:
        shared[key] = read()
    return shared[key]


def _stage_shared(stage_id: int, with_team: bool) -> tuple[list, list[str], list[Recipient]]:
    kits = list(
        InterviewKit.objects.filter(stage_id=stage_id)
        .order_by("position", "id")
        .prefetch_related("no_ai_blocks")
    )
    tracks = list(Track.objects.filter(stage_id=stage_id).values_list("name", flat=True))
    team = []
    if with_team:
        team = recipients_members(
            Membership.objects.filter(default_kits__stage_id=stage_id)
            .select_related("user")
            .distinct()
            .order_by("pk")
        )
    return kits, tracks, team


def _templates(company_id: int, events: list[str], language: str) -> dict:
    return _once(
        ("templates", company_id, tuple(events), language),
        lambda: notification_templates_resolve(company_id, events, language),
    )


def stage_change_notify(change: StageChange) -> list[int]:
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
    templates = _templates(change.company_id, events, STAFF_LANGUAGE)
    if not any(templates.values()):  # switched off, whatever the language
        return []
    application = Application.objects.select_related(
        "company", "candidate", "job", "stage", "rejection_reason"
    ).get(pk=change.application_id)
    if application.candidate.language not in ("", STAFF_LANGUAGE):
        # The candidate's emails in their language; the team's stay English (email_language).
        templates = _templates(change.company_id, events, application.candidate.language)
    context = application_context(application)
    if events == [NotificationEvent.APPLICATION_RECEIVED]:
        context["stage_instructions"] = application.stage.instructions
    common = {
        "company_id": change.company_id,
        "subject_of": f"application-{application.pk}",
        "occurrence": f"change-{change.pk}",
        "application_id": application.pk,
    }
    ids = []
    if NotificationEvent.STAGE_ENTERED in events:
        stage = application.stage
        with_team = bool(templates[NotificationEvent.STAGE_ENTERED_TEAM])
        kits, tracks, team = _once(("stage", stage.pk, with_team), lambda: _stage_shared(stage.pk, with_team))
        # The candidate hears only of the sessions they take part in; a stage whose every session
        # is internal (a hiring committee) sends them nothing. The team's email names every session.
        if stage_is_candidate_facing(kits) and templates[NotificationEvent.STAGE_ENTERED]:
            ids += outbox_write(
                event=NotificationEvent.STAGE_ENTERED,
                template=templates[NotificationEvent.STAGE_ENTERED],
                recipients=[recipient_candidate(application)],
                context={
                    **context,
                    **stage_context(
                        stage, candidate_facing_kits(kits), tracks, entered_at=application.stage_entered_at
                    ),
                    "portal_link": candidate_link(application.candidate),
                },
                **common,
            )
        ids += outbox_write(
            event=NotificationEvent.STAGE_ENTERED_TEAM,
            template=templates[NotificationEvent.STAGE_ENTERED_TEAM],
            recipients=team,
            context={
                **context,
                **stage_context(stage, kits, tracks, entered_at=application.stage_entered_at),
            },
            **common,
        )
        return outbox_enqueue_on_commit(ids)
    event = events[0]
    if event in (NotificationEvent.REJECTED, NotificationEvent.WITHDRAWN):
        reason = application.rejection_reason
        context.update({"reason": reason.name if reason else "", "note": application.rejection_note})
    if templates[event]:  # the candidate's own portal link (candidate_links), made only for an email sent
        context["portal_link"] = candidate_link(application.candidate)
    ids = outbox_write(
        event=event,
        template=templates[event],
        recipients=[recipient_candidate(application)],
        context=context,
        **common,
    )
    return outbox_enqueue_on_commit(ids)


# --- Invitations ----------------------------------------------------------------------------------


def invitation_notify(invitation: Invitation, token: str) -> list[int]:
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
    ids = outbox_write(
        company_id=invitation.company_id,
        event=NotificationEvent.INVITATION,
        template=PLATFORM_WORDING[NotificationEvent.INVITATION],
        recipients=[Recipient(invitation.email, "")],
        context=context,
        subject_of=f"invitation-{invitation.pk}",
        occurrence=f"link-{invitation.token_hash[:16]}",
    )
    return outbox_enqueue_on_commit(ids)


# --- Interviews ---------------------------------------------------------------------------------


def _interview_loaded(interview: Interview) -> tuple[Interview, list[Membership]]:
    interview = (
        Interview.objects.select_related(
            "kit", "application__company", "application__candidate", "application__job", "application__stage"
        )
        .prefetch_related("kit__no_ai_blocks")
        .get(pk=interview.pk)
    )
    interviewers = list(
        Membership.objects.filter(scorecards__interview_id=interview.pk).select_related("user").order_by("pk")
    )
    return interview, interviewers


def _interview_outbox_write(
    interview: Interview, event: str, occurrence, extra: dict | None = None
) -> list[int]:
    template = notification_templates_resolve(interview.company_id, [event])[event]
    if template is None:
        return []
    interview, interviewers = _interview_loaded(interview)
    language = email_language(event, interview.application.candidate.language)
    candidate_template = template
    if language != STAFF_LANGUAGE:  # the candidate reads it in their language, the panel in English
        candidate_template = notification_templates_resolve(interview.company_id, [event], language)[event]
    common = {
        "company_id": interview.company_id,
        "event": event,
        "context": {**interview_context(interview, interviewers), **(extra or {})},
        "subject_of": f"interview-{interview.pk}",
        "occurrence": occurrence,
        "application_id": interview.application_id,
        "interview_id": interview.pk,
        "ics": interview_ics(interview).decode(),
    }
    ids = outbox_write(template=template, recipients=recipients_members(interviewers), **common)
    if kit_is_candidate_facing(interview.kit) and candidate_template:  # internal: interviewers only
        # The candidate's copy carries their own portal link (candidate_links); the panel's does not.
        candidate_common = {
            **common,
            "context": {**common["context"], "portal_link": candidate_link(interview.application.candidate)},
        }
        ids = (
            outbox_write(
                template=candidate_template,
                recipients=[recipient_candidate(interview.application)],
                **candidate_common,
            )
            + ids
        )
    return ids


def interview_notify_scheduled(*, interview: Interview) -> list[int]:
    """Invite the candidate and the interviewers (call inside the scheduling transaction)."""
    return outbox_enqueue_on_commit(
        _interview_outbox_write(interview, NotificationEvent.INTERVIEW_SCHEDULED, f"seq-{interview.sequence}")
    )


def interview_notify_rescheduled(*, interview: Interview, previous_start: datetime.datetime) -> list[int]:
    """Send the updated invite (same UID, the interview's raised SEQUENCE) to everyone on it."""
    ids = _interview_outbox_write(
        interview,
        NotificationEvent.INTERVIEW_RESCHEDULED,
        f"seq-{interview.sequence}",
        {"previous_start": when(previous_start, interview.timezone)},
    )
    return outbox_enqueue_on_commit(ids)


def interview_notify_off_panel(*, interview: Interview, members: list[Membership]) -> list[int]:
    """Tell interviewers taken off the panel of an interview that goes on, with a cancellation
    invite naming only them (call inside the transaction that changes the panel)."""
    event = NotificationEvent.INTERVIEW_CANCELLED
    template = notification_templates_resolve(interview.company_id, [event])[event]
    if template is None or not members:
        return []
    interview, interviewers = _interview_loaded(interview)
    ids = outbox_write(
        company_id=interview.company_id,
        event=event,
        template=template,
        recipients=recipients_members(members),
        context={**interview_context(interview, interviewers), "off_panel": "yes"},
        subject_of=f"interview-{interview.pk}",
        occurrence=f"off-panel-seq-{interview.sequence}",
        application_id=interview.application_id,
        interview_id=interview.pk,
        ics=interview_ics(interview, cancel_for=members).decode(),
    )
    return outbox_enqueue_on_commit(ids)


def interview_notify_cancelled(*, interview: Interview) -> list[int]:
    """Tell everyone the interview is off, with a CANCEL invite that removes it from calendars."""
    return outbox_enqueue_on_commit(
        _interview_outbox_write(interview, NotificationEvent.INTERVIEW_CANCELLED, "cancel")
    )


def interview_notify_booking_team(
    *, interview: Interview, change: str, previous_start: datetime.datetime | None = None
) -> list[int]:
    """Tell the job's hiring manager and the company's recruiters that the candidate booked,
    rescheduled or cancelled an interview in the portal (call inside the booking's transaction;
    the candidate and the panel get the interview's own invite, update or cancellation)."""
    event = NotificationEvent.INTERVIEW_BOOKED_TEAM
    template = notification_templates_resolve(interview.company_id, [event])[event]
    if template is None:
        return []
    interview, interviewers = _interview_loaded(interview)
    team = Membership.objects.filter(company_id=interview.company_id).filter(
        Q(role=Role.RECRUITER) | Q(managed_jobs=interview.application.job_id)
    )
    context = {
        **interview_context(interview, interviewers),
        "change": change,
        "previous_start": when(previous_start, interview.timezone) if previous_start else "",
        "application_link": admin_link("admin:hiring_application_change", interview.application_id),
    }
    ids = outbox_write(
        company_id=interview.company_id,
        event=event,
        template=template,
        recipients=recipients_members(team.select_related("user").distinct().order_by("pk")),
        context=context,
        subject_of=f"interview-{interview.pk}",
        occurrence=f"{change}-seq-{interview.sequence}",
        application_id=interview.application_id,
        interview_id=interview.pk,
    )
    return outbox_enqueue_on_commit(ids)


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
        ids += _interview_outbox_write(
            interview, NotificationEvent.INTERVIEW_REMINDER, f"{interview.starts_at:%Y%m%dT%H%M}"
        )
    return outbox_enqueue_on_commit(ids)


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
            templates[interview.company_id] = notification_templates_resolve(
                interview.company_id, [NotificationEvent.SCORECARD_DUE]
            )[NotificationEvent.SCORECARD_DUE]
        nudge = int((now - interview.ends_at - first) / datetime.timedelta(days=1))
        context = {
            **interview_context(interview, []),
            "scorecard_link": admin_link("admin:interviews_scorecard_change", card.pk),
            "days_overdue": str(nudge),
        }
        ids += outbox_write(
            company_id=interview.company_id,
            event=NotificationEvent.SCORECARD_DUE,
            template=templates[interview.company_id],
            recipients=recipients_members([card.interviewer]),
            context=context,
            subject_of=f"scorecard-{card.pk}",
            occurrence=f"nudge-{nudge}",
            application_id=interview.application_id,
            interview_id=interview.pk,
        )
    return outbox_enqueue_on_commit(ids)


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
        template = notification_templates_resolve(manager.company_id, [NotificationEvent.SLA_DIGEST])[
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
        ids += outbox_write(
            company_id=manager.company_id,
            event=NotificationEvent.SLA_DIGEST,
            template=template,
            recipients=recipients_members([manager]),
            context={"company_name": apps[0].company.name, "applications": rows, "count": str(len(rows))},
            subject_of=f"manager-{manager.pk}",
            occurrence=day.isoformat(),
        )
    return outbox_enqueue_on_commit(ids)


# --- Notes ----------------------------------------------------------------------------------------


def note_mentions_notify(note, mentioned: list[Membership]) -> list[int]:
    """Tell each member mentioned in a note where to read it (the hiring app calls this inside the
    note's transaction). The email names the author and the job, never the note's text."""
    event = NotificationEvent.NOTE_MENTION
    template = notification_templates_resolve(note.company_id, [event])[event]
    if template is None or not mentioned:
        return []
    author = note.author
    if note.application_id:
        job_title = Application.objects.filter(pk=note.application_id).values_list("job__title", flat=True)[0]
        link = admin_link("admin:hiring_application_change", note.application_id)
    else:
        job_title, link = "", admin_link("admin:hiring_candidate_change", note.candidate_id)
    context = {
        "company_name": note.company.name,
        "author_name": (author.get_full_name() or author.get_username()) if author else "",
        "job_title": job_title,
        "is_private": "yes" if note.private_to_hiring_team else "",
        "link": link,
    }
    ids = outbox_write(
        company_id=note.company_id,
        event=event,
        template=template,
        recipients=recipients_members(mentioned),
        context=context,
        subject_of=f"note-{note.pk}",
        occurrence="mention",
        application_id=note.application_id,
    )
    return outbox_enqueue_on_commit(ids)
