"""The iCalendar invite of an interview (.ics), downloaded from the admin and attached to emails."""

import functools
import zoneinfo

from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from .models import Interview, InterviewStatus

PRODID = "-//Hireloop//Interviews//EN"

_STATUS = {
    InterviewStatus.SCHEDULED: "CONFIRMED",
    InterviewStatus.COMPLETED: "CONFIRMED",
    InterviewStatus.CANCELLED: "CANCELLED",
    InterviewStatus.NO_SHOW: "CONFIRMED",
}


def interview_uid(interview: Interview) -> str:
    """Stable across reschedules, so that calendars update the event instead of adding one."""
    return f"interview-{interview.pk}@hireloop"


def interview_ics(interview: Interview, *, cancel_for=None) -> bytes:
    """The invite of one interview: times in the interview's time zone, the panel as attendees.

    Reads the kit, the application's candidate and job, and the interviewers (a few queries);
    a cancelled interview yields a cancellation with a higher sequence. `cancel_for` (memberships
    taken off the panel) yields a cancellation naming only them, for an interview that goes on.
    """
    kit = interview.kit
    application = interview.application
    candidate, job = application.candidate, application.job
    try:
        tz = zoneinfo.ZoneInfo(interview.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    cancelled = interview.status == InterviewStatus.CANCELLED or cancel_for is not None

    event = Event()
    event.add("uid", interview_uid(interview))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at.astimezone(tz))
    event.add("dtend", interview.ends_at.astimezone(tz))
    event.add("sequence", interview.sequence)
    event.add("status", "CANCELLED" if cancelled else _STATUS[interview.status])
    event.add("summary", f"{kit.name}: {candidate.name} ({job.title})")
    lines = [
        f"Candidate: {candidate.name}",
        f"Job: {job.title}",
        f"Interview: {kit.name} ({kit.get_format_display()}, {kit.duration_minutes} min)",
        f"AI policy: {kit.ai_policy_text()}",
    ]
    if kit.ai_note:
        lines.append(kit.ai_note)
    if interview.video_url:
        lines.append(f"Video link: {interview.video_url}")
        if interview.web_video_url:
            event.add("url", interview.web_video_url)
    event.add("description", "\n".join(lines))
    where = interview.location or interview.video_url
    if where:
        event["location"] = vText(where)
    if cancel_for is None:
        members = [
            sc.interviewer for sc in interview.scorecards.select_related("interviewer__user").order_by("id")
        ]
    else:
        members = list(cancel_for)
    for member in members:
        if not member.user.email:
            continue
        attendee = vCalAddress(f"mailto:{member.user.email}")
        attendee.params["cn"] = vText(member.display_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    calendar.add_component(event)
    _add_time_zones(calendar)
    return calendar.to_ical()


@functools.lru_cache(maxsize=128)
def _vtimezone(tzid: str) -> bytes | None:
    """The VTIMEZONE of a zone, as text: the same for every invite (icalendar's default span of
    years), and costly to work out (a few milliseconds a zone), so worked out once per process."""
    try:
        return Timezone.from_tzid(tzid).to_ical()
    except ValueError:
        return None


def _add_time_zones(calendar: Calendar) -> None:
    """Put the VTIMEZONE of every zone the invite names before its event."""
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        text = _vtimezone(tzid)
        if text is not None:
            calendar.subcomponents.insert(position, Timezone.from_ical(text))


def interview_ics_filename(interview: Interview) -> str:
    """The attachment's file name."""
    return f"interview-{interview.pk}.ics"
