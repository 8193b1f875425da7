"""Self-scheduling: the open slots of a kit for one application, and the candidate's booking,
reschedule and cancellation.

The reads are a handful of queries whatever the window: the panel, its availability (three
queries with the weekly hours and exceptions) and one query for every busy interval of the panel
and the candidate; the search itself is slots.py's pure function. The writes go through the
scheduling services (interview_schedule, interview_reschedule, interview_cancel), so the candidate
and the panel get the usual invite, update or cancellation; the hiring team is told as well.

Refusals are ValidationErrors with a `code` (BOOKING_CODES) that candidate-facing pages turn into
their own words in the candidate's language; the message is the staff-facing English.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils import timezone

from hiring.models import Application, ApplicationStatus, ApplicationTrack, Membership

from .availability import AvailabilityException, SchedulingSettings
from .models import WINDOW_FORMATS, Availability, Interview, InterviewKit, InterviewStatus, Scorecard
from .notifications.producers import interview_notify_booking_team
from .services import interview_cancel, interview_reschedule, interview_schedule
from .slots import Calendar, DatedRange, Interval, WeeklyRange, open_slots, slot_is_open

SLOT_STEP = datetime.timedelta(minutes=30)

# Why a booking is refused, by code.
NOT_BOOKABLE = "not_bookable"
ALREADY_BOOKED = "already_booked"
SLOT_TAKEN = "slot_taken"
TOO_LATE = "too_late"
NOT_SCHEDULED = "not_scheduled"
BOOKING_CODES = (NOT_BOOKABLE, ALREADY_BOOKED, SLOT_TAKEN, TOO_LATE, NOT_SCHEDULED)


def scheduling_settings_for(company_id: int) -> SchedulingSettings:
    """The company's self-scheduling settings, or the defaults (unsaved) when it has none."""
    found = SchedulingSettings.objects.filter(company_id=company_id).first()
    return found or SchedulingSettings(company_id=company_id)


def kit_bookable(*, application: Application, kit: InterviewKit, chosen_track_id: int | None) -> bool:
    """Whether the candidate may book this kit now: self-scheduling on, a scheduled session the
    candidate takes part in, of the application's current stage (and of the track they chose,
    for a kit of a track), while the application is active."""
    return (
        kit.self_scheduling
        and not kit.is_internal
        and kit.format not in WINDOW_FORMATS
        and kit.stage_id == application.stage_id
        and kit.company_id == application.company_id
        and (kit.track_id is None or kit.track_id == chosen_track_id)
        and application.status == ApplicationStatus.ACTIVE
    )


def _chosen_track_id(application: Application) -> int | None:
    return (
        ApplicationTrack.objects.filter(application_id=application.pk, stage_id=application.stage_id)
        .values_list("track_id", flat=True)
        .first()
    )


# --- Reads --------------------------------------------------------------------------------------


def _calendars(member_ids: list[int], since: datetime.datetime, until: datetime.datetime) -> list[Calendar]:
    """The panel's calendars in panel order; a member without availability has no hours."""
    first, last = (since - datetime.timedelta(days=2)).date(), (until + datetime.timedelta(days=2)).date()
    rows = Availability.objects.filter(membership_id__in=member_ids).prefetch_related(
        "weekly_hours",
        Prefetch(
            "exceptions",
            queryset=AvailabilityException.objects.filter(ends_on__gte=first, starts_on__lte=last),
        ),
    )
    by_member = {
        a.membership_id: Calendar(
            time_zone=a.time_zone,
            weekly=tuple(WeeklyRange(w.weekday, w.starts_at, w.ends_at) for w in a.weekly_hours.all()),
            exceptions=tuple(
                DatedRange(e.starts_on, e.ends_on, e.starts_at, e.ends_at, extra=e.kind == "extra")
                for e in a.exceptions.all()
            ),
        )
        for a in rows
    }
    return [by_member.get(m, Calendar(time_zone="UTC")) for m in member_ids]


# Busy intervals are found by their start: an interview that started more than this long before
# the window cannot reach into it (a work trial lasts days, not a month).
LONGEST_INTERVIEW = datetime.timedelta(days=31)


def busy_intervals(
    *,
    company_id: int,
    member_ids: list[int],
    candidate_id: int,
    since: datetime.datetime,
    until: datetime.datetime,
    exclude_interview_id: int | None = None,
) -> list[Interval]:
    """Every interval in [since, until) when one of the members or the candidate has an interview
    that is not cancelled, in one query: the panel's through the scorecards' copy of the start
    (the company's scorecards by start, an index), the candidate's through their applications."""
    panel = Scorecard.objects.filter(
        company_id=company_id,
        interviewer_id__in=member_ids,
        interview_starts_at__gte=since - LONGEST_INTERVIEW,
        interview_starts_at__lt=until,
        interview__ends_at__gt=since,
    ).exclude(interview__status=InterviewStatus.CANCELLED)
    own = Interview.objects.filter(
        application__candidate_id=candidate_id, starts_at__lt=until, ends_at__gt=since
    ).exclude(status=InterviewStatus.CANCELLED)
    if exclude_interview_id is not None:
        panel = panel.exclude(interview_id=exclude_interview_id)
        own = own.exclude(pk=exclude_interview_id)
    rows = (
        panel.order_by()
        .values_list("interview__starts_at", "interview__ends_at")
        .union(own.order_by().values_list("starts_at", "ends_at"))
    )
    return sorted(rows)


@dataclass(frozen=True)
class _Search:
    calendars: list[Calendar]
    busy: list[Interval]
    duration: datetime.timedelta
    buffer: datetime.timedelta
    earliest: datetime.datetime
    latest: datetime.datetime


def _search(
    *,
    application: Application,
    kit: InterviewKit,
    member_ids: list[int],
    now: datetime.datetime,
    exclude_interview_id: int | None = None,
) -> _Search:
    duration = datetime.timedelta(minutes=kit.duration_minutes)
    buffer = datetime.timedelta(minutes=kit.buffer_minutes)
    earliest = now + datetime.timedelta(hours=kit.min_notice_hours)
    latest = now + datetime.timedelta(days=kit.booking_window_days)
    return _Search(
        calendars=_calendars(member_ids, earliest, latest + duration),
        busy=busy_intervals(
            company_id=application.company_id,
            member_ids=member_ids,
            candidate_id=application.candidate_id,
            since=earliest - buffer,
            until=latest + duration + buffer,
            exclude_interview_id=exclude_interview_id,
        ),
        duration=duration,
        buffer=buffer,
        earliest=earliest,
        latest=latest,
    )


def kit_panel_ids(kit: InterviewKit) -> list[int]:
    """The kit's panel (its default interviewers), in a fixed order: the order they are locked in."""
    return list(kit.default_interviewers.order_by("pk").values_list("pk", flat=True))


def kit_open_slots(
    *,
    application: Application,
    kit: InterviewKit,
    now: datetime.datetime | None = None,
    chosen_track_id: int | None = None,
    exclude_interview: Interview | None = None,
) -> list[datetime.datetime]:
    """The starts of the open slots of a kit for an application (UTC, in order); none when the kit
    cannot be booked or has no panel. For a reschedule, `exclude_interview` is not busy."""
    if kit.track_id is not None and chosen_track_id is None:
        chosen_track_id = _chosen_track_id(application)
    if not kit_bookable(application=application, kit=kit, chosen_track_id=chosen_track_id):
        return []
    member_ids = kit_panel_ids(kit)
    if not member_ids:
        return []
    search = _search(
        application=application,
        kit=kit,
        member_ids=member_ids,
        now=now or timezone.now(),
        exclude_interview_id=exclude_interview.pk if exclude_interview else None,
    )
    return open_slots(
        calendars=search.calendars,
        busy=search.busy,
        duration=search.duration,
        buffer=search.buffer,
        earliest=search.earliest,
        latest=search.latest,
        step=min(SLOT_STEP, search.duration),
    )


@dataclass(frozen=True)
class KitBooking:
    """A kit the candidate books themselves, with their booked interview (if any) and until when
    they may change it."""

    kit: InterviewKit
    interview: Interview | None
    change_until: datetime.datetime | None

    def can_change(self, now: datetime.datetime) -> bool:
        return self.interview is not None and self.change_until is not None and now < self.change_until


def application_kit_bookings(*, application: Application) -> list[KitBooking]:
    """The kits of the application's current stage the candidate may book, each with its booked
    interview: three queries (kits, track choice, interviews) plus the company's settings."""
    kits = list(
        InterviewKit.objects.filter(
            stage_id=application.stage_id, company_id=application.company_id, self_scheduling=True
        ).order_by("position", "id")
    )
    if not kits:
        return []
    track_id = _chosen_track_id(application) if any(k.track_id for k in kits) else None
    kits = [k for k in kits if kit_bookable(application=application, kit=k, chosen_track_id=track_id)]
    if not kits:
        return []
    booked = {}
    for interview in Interview.objects.filter(
        application_id=application.pk, kit__in=kits, status=InterviewStatus.SCHEDULED
    ).order_by("starts_at", "pk"):
        booked.setdefault(interview.kit_id, interview)
    notice = datetime.timedelta(hours=scheduling_settings_for(application.company_id).change_notice_hours)
    return [
        KitBooking(
            kit=k,
            interview=booked.get(k.pk),
            change_until=booked[k.pk].starts_at - notice if k.pk in booked else None,
        )
        for k in kits
    ]


# --- Writes ---------------------------------------------------------------------------------------


def _lock_panel(member_ids: list[int]) -> None:
    """Serialise bookings that share an interviewer. PostgreSQL: row locks on the panel's
    memberships, always taken in id order (two overlapping panels cannot deadlock). SQLite has no
    row locks: a write takes the database's one write lock until commit, which serialises every
    booking (the simpler lock SQLite allows)."""
    if connection.vendor == "postgresql":
        list(
            Membership.objects.select_for_update().filter(pk__in=member_ids).order_by("pk").values_list("pk")
        )
    else:
        Membership.objects.filter(pk__in=member_ids).update(display_name=F("display_name"))


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _check_slot(
    *,
    application: Application,
    kit: InterviewKit,
    member_ids: list[int],
    starts_at: datetime.datetime,
    now: datetime.datetime,
    exclude_interview_id: int | None = None,
) -> None:
    search = _search(
        application=application,
        kit=kit,
        member_ids=member_ids,
        now=now,
        exclude_interview_id=exclude_interview_id,
    )
    if not slot_is_open(
        calendars=search.calendars,
        busy=search.busy,
        start=starts_at,
        duration=search.duration,
        buffer=search.buffer,
        earliest=search.earliest,
        latest=search.latest,
    ):
        _refuse("This time is no longer available; choose another slot.", SLOT_TAKEN)


def _lock_application(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def interview_book(
    *,
    application: Application,
    kit: InterviewKit,
    starts_at: datetime.datetime,
    time_zone: str = "UTC",
    now: datetime.datetime | None = None,
) -> Interview:
    """Book the slot a candidate picked: the interview is scheduled with the kit's whole panel
    (everyone gets the invite) once the slot is re-checked under the panel's lock, and the hiring
    team is told. Refused (ValidationError with a code) when the slot was taken meanwhile."""
    now = now or timezone.now()
    locked = _lock_application(application)
    if not kit_bookable(application=locked, kit=kit, chosen_track_id=_chosen_track_id(locked)):
        _refuse(f"{kit.name} cannot be booked for this application.", NOT_BOOKABLE)
    if Interview.objects.filter(application=locked, kit=kit, status=InterviewStatus.SCHEDULED).exists():
        _refuse(f"{kit.name} is already booked; reschedule it instead.", ALREADY_BOOKED)
    member_ids = kit_panel_ids(kit)
    if not member_ids:
        _refuse(f"{kit.name} has no panel to book.", NOT_BOOKABLE)
    _lock_panel(member_ids)
    _check_slot(application=locked, kit=kit, member_ids=member_ids, starts_at=starts_at, now=now)
    interview = interview_schedule(
        application=locked,
        kit=kit,
        starts_at=starts_at,
        time_zone=time_zone,
        interviewers=Membership.objects.filter(pk__in=member_ids).order_by("pk"),
    )
    interview_notify_booking_team(interview=interview, change="booked")
    return interview


def _lock_own_change(interview: Interview, now: datetime.datetime) -> tuple[Interview, list[int]]:
    """The interview the candidate changes, with its panel locked, or the refusal: only a scheduled
    interview of a self-scheduled kit, until the company's notice before it starts."""
    _lock_application(interview.application)
    current = Interview.objects.select_related("kit", "application").get(pk=interview.pk)
    if current.status != InterviewStatus.SCHEDULED:
        _refuse("This interview is no longer scheduled.", NOT_SCHEDULED)
    if not current.kit.self_scheduling:
        _refuse("This interview is not booked by the candidate; the hiring team changes it.", NOT_BOOKABLE)
    notice = datetime.timedelta(hours=scheduling_settings_for(current.company_id).change_notice_hours)
    if now >= current.starts_at - notice:
        _refuse(
            f"Changes are possible online until {notice.total_seconds() / 3600:g} hours before the "
            "interview; contact the hiring team.",
            TOO_LATE,
        )
    member_ids = sorted(current.scorecards.values_list("interviewer_id", flat=True))
    _lock_panel(member_ids)
    return current, member_ids


@transaction.atomic
def interview_candidate_reschedule(
    *, interview: Interview, starts_at: datetime.datetime, now: datetime.datetime | None = None
) -> Interview:
    """Move a booked interview to another open slot, up to the company's notice; the candidate and
    the panel get the updated invite and the hiring team is told."""
    now = now or timezone.now()
    current, member_ids = _lock_own_change(interview, now)
    _check_slot(
        application=current.application,
        kit=current.kit,
        member_ids=member_ids,
        starts_at=starts_at,
        now=now,
        exclude_interview_id=current.pk,
    )
    previous_start = current.starts_at
    moved = interview_reschedule(
        interview=current,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=current.kit.duration_minutes),
    )
    interview_notify_booking_team(interview=moved, change="rescheduled", previous_start=previous_start)
    return moved


@transaction.atomic
def interview_candidate_cancel(*, interview: Interview, now: datetime.datetime | None = None) -> Interview:
    """Cancel a booked interview up to the company's notice; everyone gets the cancellation and the
    hiring team is told (the kit can then be booked again)."""
    now = now or timezone.now()
    current, _ = _lock_own_change(interview, now)
    cancelled = interview_cancel(interview=current)
    interview_notify_booking_team(interview=cancelled, change="cancelled")
    return cancelled
