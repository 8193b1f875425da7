"""Plain values for templates: strings, lists of strings, small dicts of strings. No model objects."""

import datetime
import zoneinfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from hiring.models import Application, Membership, PayUnit, Stage
from interviews.kits import kit_ai_policy_text, kit_deadline, placed_blocks
from interviews.models import WINDOW_FORMATS, Interview, InterviewKit, KitFormat


def absolute(path: str) -> str:
    return settings.NOTIFICATIONS_BASE_URL.rstrip("/") + path


def when(moment, tz_name: str) -> str:
    try:
        tz = zoneinfo.ZoneInfo(tz_name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz, tz_name = zoneinfo.ZoneInfo("UTC"), "UTC"
    local = moment.astimezone(tz)
    return f"{local:%a %d %b %Y, %H:%M} ({tz_name})"


def minutes(total: int) -> str:
    return f"{total} minutes"


def days(total: int) -> str:
    if total >= 7 and total % 7 == 0:
        weeks = total // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{total} day{'s' if total != 1 else ''}"


def _length(kit: InterviewKit) -> str:
    """Minutes for a scheduled session, the window for a take-home or a trial."""
    if kit.format in WINDOW_FORMATS and kit.window_days:
        return days(kit.window_days)
    return minutes(kit.duration_minutes)


_PER = {PayUnit.HOUR: "per hour", PayUnit.DAY: "per day", PayUnit.PROJECT: "for the whole project"}


def amount(value) -> str:
    """150.00 -> '150', 37.50 -> '37.50'."""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def pay_text(stage: Stage) -> str:
    """A paid stage's terms, e.g. '150 EUR per day, expenses reimbursed'; '' for an unpaid stage."""
    if not stage.is_paid or stage.pay_amount is None:
        return ""
    text = f"{amount(stage.pay_amount)} {stage.pay_currency} {_PER.get(stage.pay_unit, '')}".strip()
    return text + (", expenses reimbursed" if stage.pay_expenses else "")


def _ai_policy(kit: InterviewKit) -> str:
    """With the placed no-AI blocks (minutes 30–50 of 90) when the kit has them."""
    return kit_ai_policy_text(kit)


def _no_ai_blocks(kit: InterviewKit) -> str:
    """The placed blocks as minute ranges ('30–50, 70–80'), for templates in any language."""
    return ", ".join(f"{b.start_minute}–{b.end_minute}" for b in placed_blocks(kit))


def application_context(application: Application) -> dict:
    """Company, candidate, job and stage of an application (loaded with select_related)."""
    return {
        "company_name": application.company.name,
        "candidate_name": application.candidate.name,
        "job_title": application.job.title,
        "stage_name": application.stage.name,
    }


def stage_context(
    stage: Stage, kits: list[InterviewKit], tracks: list[str], entered_at: datetime.datetime | None = None
) -> dict:
    """What a candidate needs to know about a stage: instructions, sessions (with the deadline of a
    take-home or trial, from `entered_at`), AI policy, tracks and pay."""
    formats = list(dict.fromkeys(KitFormat(k.format).label for k in kits))
    policies = list(dict.fromkeys(_ai_policy(k) for k in kits))
    scheduled = [k for k in kits if k.format not in WINDOW_FORMATS]
    deadlines = {k.pk: kit_deadline(k, entered_at) for k in kits}
    due = [d for d in deadlines.values() if d is not None]
    return {
        "stage_name": stage.name,
        "stage_instructions": stage.instructions,
        "format": ", ".join(formats),
        "duration": minutes(sum(k.duration_minutes for k in scheduled)) if scheduled else "",
        "ai_policy": "; ".join(policies),
        "tracks": list(tracks),
        "sessions": [
            {
                "name": k.name,
                "format": KitFormat(k.format).label,
                "duration": _length(k),
                "window": days(k.window_days) if k.format in WINDOW_FORMATS and k.window_days else "",
                "deadline": when(deadlines[k.pk], settings.TIME_ZONE) if deadlines[k.pk] else "",
                "ai_policy": _ai_policy(k),
                "no_ai_blocks": _no_ai_blocks(k),
                "ai_note": k.ai_note,
            }
            for k in kits
        ],
        "deadline": when(max(due), settings.TIME_ZONE) if due else "",
        "is_paid": "yes" if stage.is_paid else "",
        "pay": pay_text(stage),
    }


def interview_context(interview: Interview, interviewers: list[Membership]) -> dict:
    """The session, its time in the invite's time zone, place, link and AI policy."""
    kit = interview.kit
    return {
        **application_context(interview.application),
        "interview_name": kit.name,
        "interview_start": when(interview.starts_at, interview.timezone),
        "interview_end": when(interview.ends_at, interview.timezone),
        "interview_timezone": interview.timezone,
        "interview_location": interview.location,
        "interview_link": interview.web_video_url,
        "format": KitFormat(kit.format).label,
        "duration": minutes(int((interview.ends_at - interview.starts_at).total_seconds() // 60)),
        "ai_policy": _ai_policy(kit),
        "no_ai_blocks": _no_ai_blocks(kit),
        "ai_note": kit.ai_note,
        "interviewers": [m.display_name for m in interviewers],
    }


def admin_link(viewname: str, *args) -> str:
    """An absolute admin URL; the admin index when that page is not registered (yet)."""
    try:
        return absolute(reverse(viewname, args=args))
    except NoReverseMatch:
        return absolute(reverse("admin:index"))
