"""Reads of the candidate portal, always of one candidate (request.portal_candidate): their
applications with the job, the loop in their words, their interviews and the emails sent to them.

Nothing internal is read: kits marked internal (and stages made only of them) are left out by
careers.selectors' loop, interviews of internal kits are filtered out, and no note, scorecard,
decision or other candidate is ever queried here.

Query budget (tests/portal/test_queries.py, `manage.py bench` "portal home"): the home page costs
the same for 1 application as for 10: applications, stages, tracks, kits, interviews, emails.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from careers import selectors as careers_selectors
from careers.views import loop_context
from hiring.models import Application, ApplicationStatus, Candidate, RejectionKind, RejectionReason
from interviews.kits import kit_is_candidate_facing
from interviews.models import Interview, InterviewStatus
from interviews.notifications.models import Notification
from interviews.notifications.outbox import notification_shown_to_staff

EMAILS_SHOWN = 100  # the newest emails the portal lists


def candidate_zone(candidate: Candidate) -> zoneinfo.ZoneInfo | None:
    """The candidate's chosen time zone, or None when none (or an unknown one) is stored."""
    try:
        return zoneinfo.ZoneInfo(candidate.time_zone) if candidate.time_zone else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def portal_applications(candidate: Candidate) -> QuerySet:
    """The candidate's applications, newest first, with job and stage (one query)."""
    return (
        Application.objects.filter(candidate=candidate)
        .select_related("job", "stage")
        .order_by("-applied_at", "-id")
    )


@dataclass
class PortalInterview:
    interview: Interview
    starts_at: datetime.datetime  # in the zone shown
    ends_at: datetime.datetime
    zone: str


@dataclass
class PortalApplication:
    application: Application
    loop: list[dict] = field(default_factory=list)  # careers.views.loop_context + "state"
    current: dict | None = None
    upcoming: list[PortalInterview] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.application.status in (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)


def _states(application: Application, loop, *, detail: bool = True) -> list[dict]:
    """Each stage of the loop marked "done", "current" or "next" from the application's stage
    (an internal current stage, hidden from the loop, leaves the stages before it done). Without
    `detail`, only each stage's name (the home page's summary)."""
    stages = loop_context(loop) if detail else [{"name": item.stage.name} for item in loop]
    position = (application.stage.position, application.stage_id)
    for item, shown in zip(loop, stages, strict=True):
        here = (item.stage.position, item.stage.pk)
        shown["id"] = item.stage.pk
        shown["instructions"] = item.stage.instructions
        shown["state"] = "done" if here < position else "current" if here == position else "next"
    return stages


def _shown_interview(interview: Interview, zone: zoneinfo.ZoneInfo | None) -> PortalInterview:
    if zone is None:
        try:
            zone = zoneinfo.ZoneInfo(interview.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
    return PortalInterview(
        interview=interview,
        starts_at=timezone.localtime(interview.starts_at, zone),
        ends_at=timezone.localtime(interview.ends_at, zone),
        zone=str(zone),
    )


def portal_overview(
    candidate: Candidate, *, application_id: int | None = None, detail: bool = True
) -> list[PortalApplication]:
    """Every application of the candidate (or the one `application_id`, already checked to be
    theirs) with its loop, current stage and upcoming interviews of candidate-facing sessions, in
    the candidate's time zone. Five queries, whatever the number of applications and interviews (a
    sixth with `detail`: the no-AI blocks named in the loop)."""
    applications = portal_applications(candidate)
    if application_id is not None:
        applications = applications.filter(pk=application_id)
    applications = list(applications)
    loops = careers_selectors.jobs_loops({a.job_id for a in applications}, blocks=detail)
    zone = candidate_zone(candidate)
    interviews: dict[int, list[PortalInterview]] = {}
    upcoming = (
        Interview.objects.filter(
            application__in=[a.pk for a in applications],
            status=InterviewStatus.SCHEDULED,
            ends_at__gt=timezone.now(),
        )
        .select_related("kit")
        .order_by("starts_at", "pk")
    )
    for interview in upcoming:
        if not kit_is_candidate_facing(interview.kit):
            continue  # an internal session (a debrief) is never the candidate's
        interviews.setdefault(interview.application_id, []).append(_shown_interview(interview, zone))
    result = []
    for application in applications:
        loop = _states(application, loops.get(application.job_id, []), detail=detail)
        current = next((s for s in loop if s["state"] == "current"), None)
        result.append(
            PortalApplication(
                application=application,
                loop=loop,
                current=current,
                upcoming=interviews.get(application.pk, []),
            )
        )
    return result


def portal_emails(candidate: Candidate, *, application_id: int | None = None) -> list[Notification]:
    """The emails written to the candidate (their address, their company), newest first, as they
    may be shown: every personal link hidden (a shown sign-in link must not work for whoever reads
    the screen). One query."""
    emails = Notification.objects.filter(company_id=candidate.company_id, recipient=candidate.email)
    if application_id is not None:
        emails = emails.filter(application_id=application_id)
    emails = emails.only(
        "id", "event", "subject", "body", "created_at", "sent_at", "status", "application_id"
    )
    return [notification_shown_to_staff(n) for n in emails.order_by("-created_at", "-id")[:EMAILS_SHOWN]]


def withdrawal_reasons(candidate: Candidate) -> QuerySet:
    """The company's active candidate-side reasons (kind "candidate withdrew"), by name."""
    return RejectionReason.objects.filter(
        company_id=candidate.company_id, kind=RejectionKind.CANDIDATE, is_active=True
    ).order_by("name", "id")
