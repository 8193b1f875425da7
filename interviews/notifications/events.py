"""The events that send email, who receives them, and the variables their templates may use.

Templates see only these variables, as plain strings and lists of strings (or lists of small
dicts of strings): never a model object, so a template cannot reach anything else.
"""

from django.db import models


class NotificationEvent(models.TextChoices):
    APPLICATION_RECEIVED = "application_received", "Application received (candidate)"
    STAGE_ENTERED = "stage_entered", "Moved to a stage (candidate)"
    STAGE_ENTERED_TEAM = "stage_entered_team", "Moved to a stage (interviewers of the stage)"
    INTERVIEW_SCHEDULED = "interview_scheduled", "Interview scheduled (candidate and interviewers)"
    INTERVIEW_RESCHEDULED = "interview_rescheduled", "Interview rescheduled (candidate and interviewers)"
    INTERVIEW_CANCELLED = "interview_cancelled", "Interview cancelled (candidate and interviewers)"
    INTERVIEW_REMINDER = "interview_reminder", "Interview tomorrow (candidate and interviewers)"
    SCORECARD_DUE = "scorecard_due", "Scorecard due (interviewer)"
    SLA_DIGEST = "sla_digest", "Stage SLA exceeded, daily digest (hiring manager)"
    REJECTED = "rejected", "Rejected (candidate)"
    WITHDRAWN = "withdrawn", "Withdrawn (candidate)"
    HIRED = "hired", "Hired (candidate)"
    INVITATION = "invitation", "Invitation to join the company (invitee)"


# Emails whose wording is the platform's, not a company template: the invitation carries a
# personal link that must stay in its body (never in a subject the outbox lists), and the outbox
# shows it to staff with that link hidden.
PLATFORM_EVENTS = frozenset({NotificationEvent.INVITATION})

# Events a candidate receives: written in the candidate's language (Candidate.language, the one
# they applied in), every other email in English. defaults_fr.py words each of them in French.
CANDIDATE_EVENTS = frozenset(
    {
        NotificationEvent.APPLICATION_RECEIVED,
        NotificationEvent.STAGE_ENTERED,
        NotificationEvent.INTERVIEW_SCHEDULED,
        NotificationEvent.INTERVIEW_RESCHEDULED,
        NotificationEvent.INTERVIEW_CANCELLED,
        NotificationEvent.INTERVIEW_REMINDER,
        NotificationEvent.REJECTED,
        NotificationEvent.WITHDRAWN,
        NotificationEvent.HIRED,
    }
)


COMMON = {
    "company_name": "The company's name.",
    "recipient_name": "The name of the person receiving this email.",
}
APPLICATION = {
    "candidate_name": "The candidate's name.",
    "job_title": "The job's title.",
    "stage_name": "The application's current stage.",
}
STAGE = {
    "stage_instructions": "The stage's instructions for the candidate.",
    "format": "Format of the stage's sessions, e.g. 'Video call' (comma-separated if several).",
    "duration": "Total length of the stage's sessions, e.g. '90 minutes'.",
    "ai_policy": "The AI policy of the stage's sessions, in words.",
    "tracks": "List of the tracks the candidate can choose from (names); empty if none.",
    "sessions": "List of sessions; each has name, format, duration (minutes, or the window of a "
    "take-home or trial), window (e.g. '5 days', '' for a scheduled session), deadline (when a "
    "take-home or trial is due, '' otherwise), ai_policy, no_ai_blocks (the minutes without AI, "
    "e.g. '30–50', '' if none are placed), ai_note.",
    "deadline": "When the stage's take-home or trial is due (the latest if several), else ''.",
    "is_paid": "'yes' if the candidate is paid for this stage, else ''.",
    "pay": "A paid stage's terms, e.g. '150 EUR per day, expenses reimbursed'; '' if unpaid.",
}
INTERVIEW = {
    "interview_name": "The session's name (the interview kit).",
    "interview_start": "Start, e.g. 'Tue 24 Nov 2026, 14:00 (Europe/Paris)'.",
    "interview_end": "End time, same format.",
    "interview_timezone": "The time zone of the invite.",
    "interview_location": "Where it takes place, if onsite.",
    "interview_link": "The video link, if any.",
    "format": "The session's format, e.g. 'Video call'.",
    "duration": "Its length, e.g. '60 minutes'.",
    "ai_policy": "Its AI policy, in words.",
    "ai_note": "The note that explains the AI policy.",
    "no_ai_blocks": "The minutes of the session without AI, e.g. '30–50, 70–80'; '' if none are placed.",
    "interviewers": "List of the interviewers' names.",
}
DECISION = {
    "reason": "The reason chosen (the company's rejection or withdrawal reason).",
    "note": "The note written with the decision, if any.",
}
SCORECARD = {
    "scorecard_link": "Link to the scorecard in Hireloop.",
    "days_overdue": "Whole days since the interview ended ('0' on the first reminder).",
}
DIGEST = {
    "applications": "List of stuck applications; each has candidate_name, job_title, stage_name, "
    "days_in_stage, sla_days, link.",
    "count": "How many applications are past their stage's SLA.",
}

RECEIVED = {
    "stage_instructions": "The first stage's instructions for the candidate.",
    # The candidate portal (a later issue) gives each candidate a link to follow their
    # applications; until it exists the value is empty and the default wording leaves it out.
    "portal_link": "The candidate's link to follow their application (empty until the candidate "
    "portal exists; wrap it in {% if portal_link %}).",
}

VARIABLES: dict[str, dict[str, str]] = {
    NotificationEvent.APPLICATION_RECEIVED: {**COMMON, **APPLICATION, **RECEIVED},
    NotificationEvent.STAGE_ENTERED: {**COMMON, **APPLICATION, **STAGE},
    NotificationEvent.STAGE_ENTERED_TEAM: {**COMMON, **APPLICATION, **STAGE},
    NotificationEvent.INTERVIEW_SCHEDULED: {**COMMON, **APPLICATION, **INTERVIEW},
    NotificationEvent.INTERVIEW_RESCHEDULED: {
        **COMMON,
        **APPLICATION,
        **INTERVIEW,
        "previous_start": "The start time before the change.",
    },
    NotificationEvent.INTERVIEW_CANCELLED: {
        **COMMON,
        **APPLICATION,
        **INTERVIEW,
        "off_panel": "Set ('yes') when the recipient was taken off the panel and the interview goes on.",
    },
    NotificationEvent.INTERVIEW_REMINDER: {**COMMON, **APPLICATION, **INTERVIEW},
    NotificationEvent.SCORECARD_DUE: {**COMMON, **APPLICATION, **INTERVIEW, **SCORECARD},
    NotificationEvent.SLA_DIGEST: {**COMMON, **DIGEST},
    NotificationEvent.REJECTED: {**COMMON, **APPLICATION, **DECISION},
    NotificationEvent.WITHDRAWN: {**COMMON, **APPLICATION, **DECISION},
    NotificationEvent.HIRED: {**COMMON, **APPLICATION},
    NotificationEvent.INVITATION: {
        **COMMON,
        "role": "The role offered, e.g. 'Recruiter'.",
        "invited_by": "The name of the person who sent the invitation.",
        "invitation_link": "The personal, single-use link to accept.",
        "expires": "When the link stops working.",
    },
}

# Names a template may bind itself ({% for x in ... %}, {% with x=... %}) are allowed as well;
# `forloop` comes with every loop.
LOOP_NAMES = frozenset({"forloop"})
