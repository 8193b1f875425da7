"""The .ics invite attached to interview emails (RFC 5545 REQUEST or CANCEL)."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


def interview_ics(interview, *, attendees: list[tuple[str, str]], cancelled: bool = False) -> str:
    """An iCalendar invite for an interview; the same UID with a higher SEQUENCE updates it."""
    cal = Calendar()
    cal.add("prodid", "-//Hireloop//Interviews//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"interview-{interview.pk}@{settings.NOTIFICATIONS_ICS_DOMAIN}")
    event.add("sequence", interview.sequence + (1 if cancelled else 0))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.ends_at)
    event.add("summary", f"{interview.kit.name}: {interview.application.candidate.name}")
    if interview.location:
        event.add("location", interview.location)
    if interview.video_url:
        event.add("url", interview.video_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].rstrip('>')}")
    organizer.params["cn"] = vText(interview.application.company.name)
    event["organizer"] = organizer
    for email, name in attendees:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical().decode()
