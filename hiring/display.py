"""How the admin shows a time and a person: one helper each, used by every list, page and template.

Times are shown in the zone activated for the request (the staff user's own, see
hiring.middleware.StaffTimeZoneMiddleware) and always name it, so that two people in different
zones reading the same page never take one time for the other.
"""

import zoneinfo

from django.utils import dateformat, timezone

TIME_FORMAT = "j M Y, H:i"
EMPTY = "—"


def time_zone_choices() -> list[tuple[str, str]]:
    """Every IANA time zone, as (name, label): "Europe/Paris" shown as "Europe/Paris"."""
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def zone_name(value) -> str:
    """The zone a local datetime is in, as people read it: "CET", "EDT"; the IANA name where the
    zone has no abbreviation (it would read "+03")."""
    abbreviation = value.tzname() or ""
    if abbreviation[:1].isalpha():
        return abbreviation
    key = getattr(value.tzinfo, "key", None)
    return key or abbreviation or "UTC"


def local_time(value, fmt: str = TIME_FORMAT) -> str:
    """A datetime in the request's zone with the zone named: "7 Dec 2026, 14:30 CET"."""
    if value is None:
        return EMPTY
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{dateformat.format(local, fmt)} {zone_name(local)}"


def valid_zone(name: str | None) -> str | None:
    """The IANA name if it names a zone, else None."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name).key
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def person_name(user) -> str:
    """How a person is named in the admin: their full name, else their email, else their username."""
    if user is None:
        return EMPTY
    return user.get_full_name().strip() or (user.email or "").strip() or user.get_username()


def job_label(title: str, team: str, location: str, status_label: str) -> str:
    """A job as it is offered wherever one is chosen, so two openings of one title differ:
    "Backend Engineer — Platform · Paris · Open"."""
    details = " · ".join(part for part in (location, status_label) if part)
    head = f"{title} — {team}" if team else title
    return f"{head} · {details}" if details else head
