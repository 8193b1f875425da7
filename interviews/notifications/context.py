"""Plain values for templates: strings, lists of strings, small dicts of strings. No model objects."""

import zoneinfo

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from hiring.models import Application, Membership, Stage
from interviews.models import AIPolicy, Interview, InterviewKit, KitFormat


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


def _ai_policy(kit: InterviewKit) -> str:
    if kit.ai_policy == AIPolicy.NO_AI_BLOCK:
        return f"AI tools allowed except a {kit.no_ai_minutes}-minute block without AI"
    return AIPolicy(kit.ai_policy).label


def application_context(application: Application) -> dict:
    """Company, candidate, job and stage of an application (loaded with select_related)."""
    return {
        "company_name": application.company.name,
        "candidate_name": application.candidate.name,
        "job_title": application.job.title,
        "stage_name": application.stage.name,
    }


def stage_context(stage: Stage, kits: list[InterviewKit], tracks: list[str]) -> dict:
    """What a candidate needs to know about a stage: instructions, sessions, AI policy, tracks."""
    formats = list(dict.fromkeys(KitFormat(k.format).label for k in kits))
    policies = list(dict.fromkeys(_ai_policy(k) for k in kits))
    return {
        "stage_name": stage.name,
        "stage_instructions": stage.instructions,
        "format": ", ".join(formats),
        "duration": minutes(sum(k.duration_minutes for k in kits)) if kits else "",
        "ai_policy": "; ".join(policies),
        "tracks": list(tracks),
        "sessions": [
            {
                "name": k.name,
                "format": KitFormat(k.format).label,
                "duration": minutes(k.duration_minutes),
                "ai_policy": _ai_policy(k),
                "ai_note": k.ai_note,
            }
            for k in kits
        ],
        "is_paid": "yes" if stage.is_paid else "",
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
        "ai_note": kit.ai_note,
        "interviewers": [m.display_name for m in interviewers],
    }


def admin_link(viewname: str, *args) -> str:
    """An absolute admin URL; the admin index when that page is not registered (yet)."""
    try:
        return absolute(reverse(viewname, args=args))
    except NoReverseMatch:
        return absolute(reverse("admin:index"))
