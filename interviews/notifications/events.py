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
    INTERVIEW_BOOKED_TEAM = (
        "interview_booked_team",
        "Interview booked, moved or cancelled by the candidate (recruiters and hiring manager)",
    )
    SCORECARD_DUE = "scorecard_due", "Scorecard due (interviewer)"
    SLA_DIGEST = "sla_digest", "Stage SLA exceeded, daily digest (hiring manager)"
    REJECTED = "rejected", "Rejected (candidate)"
    WITHDRAWN = "withdrawn", "Withdrawn (candidate)"
    HIRED = "hired", "Hired (candidate)"
    INVITATION = "invitation", "Invitation to join the company (invitee)"
    TRACK_CHOSEN = "track_chosen", "Track chosen (candidate)"
    TRACK_CHOSEN_TEAM = "track_chosen_team", "Track chosen (recruiters and hiring manager)"
    HANDIN_RECEIVED = "handin_received", "Take-home handed in (candidate)"
    HANDIN_RECEIVED_TEAM = "handin_received_team", "Take-home handed in (team and the kit's interviewers)"
    EXTENSION_UPDATED = "extension_updated", "More time asked, accepted or refused (candidate)"
    EXTENSION_UPDATED_TEAM = "extension_updated_team", "More time asked, accepted or refused (team)"
    PORTAL_LINK = "portal_link", "Candidate portal: sign-in link (candidate)"
    PORTAL_EMAIL_CHANGE = "portal_email_change", "Candidate portal: confirm a new email address (candidate)"
    PORTAL_DETAILS_CHANGED = "portal_details_changed", "Candidate portal: contact details changed (candidate)"
    PORTAL_ERASURE_REQUESTED = "portal_erasure_requested", "Candidate portal: erasure asked for (candidate)"
    PORTAL_ACTIVITY = "portal_activity", "Candidate portal: a candidate acted (recruiter and hiring manager)"
    NOTE_MENTION = "note_mention", "Mentioned in a note (the member mentioned)"
    CANDIDATE_EMAIL = "candidate_email", "Written by the hiring team (candidate)"
    APPROVAL_REQUESTED = (
        "approval_requested",
        "Approval asked: a job opening or an offer (the step's approvers)",
    )
    APPROVAL_DECIDED = "approval_decided", "Approval given or refused (who asked for it)"
    OFFER_SENT = "offer_sent", "Offer sent, with its letter (candidate)"
    OFFER_ANSWERED_TEAM = (
        "offer_answered_team",
        "Offer accepted, declined or expired (recruiters and hiring manager)",
    )


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
        NotificationEvent.TRACK_CHOSEN,
        NotificationEvent.HANDIN_RECEIVED,
        NotificationEvent.EXTENSION_UPDATED,
        NotificationEvent.PORTAL_LINK,
        NotificationEvent.PORTAL_EMAIL_CHANGE,
        NotificationEvent.PORTAL_DETAILS_CHANGED,
        NotificationEvent.PORTAL_ERASURE_REQUESTED,
        NotificationEvent.CANDIDATE_EMAIL,
        NotificationEvent.OFFER_SENT,
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

# Every email a candidate receives carries their own fresh sign-in link to the candidate portal
# (candidate_links.py); it is empty in the same email's copies to staff, and without the portal.
PORTAL = {
    "portal_link": "The candidate's own sign-in link to the candidate portal, single use, valid "
    "HIRELOOP_PORTAL_LINK_HOURS hours (empty in the copies to staff; wrap it in {% if portal_link %}).",
}
RECEIVED = {"stage_instructions": "The first stage's instructions for the candidate.", **PORTAL}
PORTAL_LINK = {
    "portal_link": "The candidate's sign-in link (single use).",
    "expires": "When the link stops working.",
}
EMAIL_CHANGE = {
    "confirm_link": "The link that confirms the new address (single use).",
    "new_email": "The new address asked for.",
    "expires": "When the link stops working.",
}
PORTAL_DETAILS = {"changes": "List of what changed, e.g. 'Phone', 'Location'.", **PORTAL}
PORTAL_ERASURE = {
    "erased": "'yes' when the data was erased at once, '' when the hiring team confirms it first.",
}
ACTIVITY = {
    "candidate_name": "The candidate's name.",
    "action": "What the candidate did, e.g. 'withdrew their application'.",
    "job_title": "The job concerned, '' when the action concerns every application.",
    "details": "List of details (the reason, the changed fields...).",
    "link": "Link to the candidate (or the application) in Hireloop.",
}

TRACK = {
    "track_stage": "The stage the track belongs to.",
    "track_name": "The track chosen.",
    "previous_track": "The track chosen before, '' for a first choice.",
    "changed_by": "Who recorded the choice: 'the candidate' or the staff member's name.",
    "note": "The note written with a choice recorded by staff, if any.",
    "link": "Link to the application in Hireloop (staff emails; '' in the candidate's).",
}
HANDIN = {
    "kit_name": "The take-home or trial (the interview kit).",
    "deadline": "When it is (or was) due, e.g. 'Tue 24 Nov 2026, 18:00 (UTC)'.",
    "is_late": "'yes' when handed in after the deadline (companies that accept late hand-ins), else ''.",
    "files": "List of the names of the files handed in.",
    "links": "List of the links handed in.",
    "link": "Link to the application in Hireloop (staff emails; '' in the candidate's).",
}
EXTENSION = {
    "kit_name": "The take-home or trial (the interview kit).",
    "extension_status": "'requested', 'accepted' or 'refused'.",
    "deadline": "The deadline now in force.",
    "requested_deadline": "The deadline the candidate asked for.",
    "reason": "The candidate's reason.",
    "note": "The note written by staff when deciding, if any.",
    "link": "Link to the application in Hireloop (staff emails; '' in the candidate's).",
}
# The email tells who mentioned whom and where, not what the note says: the note stays in Hireloop,
# where who may read it is checked (and where it is erased with the candidate).
MENTION = {
    "author_name": "The name of the person who wrote the note.",
    "job_title": "The job of the application the note is on; '' for a note on the candidate.",
    "is_private": "'yes' when the note is private to the hiring team, else ''.",
    "link": "Link to the application (or the candidate) in Hireloop, where the note is.",
}
WRITTEN = {"sender_name": "The name of the person who writes the email."}
APPROVAL = {
    "subject": "What is to be approved, e.g. 'Opening the job Backend Engineer' or 'The offer to "
    "Ada Lovelace (Backend Engineer)'.",
    "job_title": "The job concerned.",
    "step_label": "The step waiting (requests) or decided (outcomes), e.g. 'Finance'.",
    "requested_by": "Who asked for the approval.",
    "link": "Link to the job (or the application) in Hireloop, where the approval is decided.",
}
APPROVAL_OUTCOME = {
    "outcome": "'approved' or 'rejected'.",
    "decided_by": "Who decided the last step.",
    "comment": "Their comment, if any.",
}
# An offer's terms, in the offer email and in the letter (both in the company's words).
OFFER = {
    "salary": "The base salary with its currency and period, e.g. '85,000 EUR per year'.",
    "base_salary": "The amount alone, e.g. '85,000'.",
    "currency": "The currency code, e.g. 'EUR'.",
    "pay_period": "E.g. 'per year'.",
    "bonus": "The bonus, in the offer's words; '' if none.",
    "equity": "The equity, in the offer's words; '' if none.",
    "start_date": "The start date, e.g. 'Monday 04 January 2027'.",
    "location": "Where the job is based.",
    "contract_type": "E.g. 'Permanent'.",
    "expires_on": "The last day to answer.",
    "extra": "The company's own offer fields by key, e.g. {{ extra.relocation }}.",
    "offer_version": "The version of the terms, e.g. '2'.",
}
OFFER_ANSWER = {
    "answer": "'accepted', 'declined' or 'expired'.",
    "reason": "The reason given with a decline.",
    "note": "What the candidate wrote with a decline, if anything.",
    "link": "Link to the application in Hireloop.",
}

VARIABLES: dict[str, dict[str, str]] = {
    NotificationEvent.APPLICATION_RECEIVED: {**COMMON, **APPLICATION, **RECEIVED},
    NotificationEvent.STAGE_ENTERED: {**COMMON, **APPLICATION, **STAGE, **PORTAL},
    NotificationEvent.STAGE_ENTERED_TEAM: {**COMMON, **APPLICATION, **STAGE},
    NotificationEvent.INTERVIEW_SCHEDULED: {**COMMON, **APPLICATION, **INTERVIEW, **PORTAL},
    NotificationEvent.INTERVIEW_RESCHEDULED: {
        **COMMON,
        **APPLICATION,
        **INTERVIEW,
        **PORTAL,
        "previous_start": "The start time before the change.",
    },
    NotificationEvent.INTERVIEW_CANCELLED: {
        **COMMON,
        **APPLICATION,
        **INTERVIEW,
        **PORTAL,
        "off_panel": "Set ('yes') when the recipient was taken off the panel and the interview goes on.",
    },
    NotificationEvent.INTERVIEW_REMINDER: {**COMMON, **APPLICATION, **INTERVIEW, **PORTAL},
    NotificationEvent.INTERVIEW_BOOKED_TEAM: {
        **COMMON,
        **APPLICATION,
        **INTERVIEW,
        "change": "What the candidate did in the portal: 'booked', 'rescheduled' or 'cancelled'.",
        "previous_start": "The start time before a reschedule ('' otherwise).",
        "application_link": "Link to the application in Hireloop.",
    },
    NotificationEvent.SCORECARD_DUE: {**COMMON, **APPLICATION, **INTERVIEW, **SCORECARD},
    NotificationEvent.SLA_DIGEST: {**COMMON, **DIGEST},
    NotificationEvent.REJECTED: {**COMMON, **APPLICATION, **DECISION, **PORTAL},
    NotificationEvent.WITHDRAWN: {**COMMON, **APPLICATION, **DECISION, **PORTAL},
    NotificationEvent.HIRED: {**COMMON, **APPLICATION, **PORTAL},
    NotificationEvent.INVITATION: {
        **COMMON,
        "role": "The role offered, e.g. 'Recruiter'.",
        "invited_by": "The name of the person who sent the invitation.",
        "invitation_link": "The personal, single-use link to accept.",
        "expires": "When the link stops working.",
    },
    NotificationEvent.TRACK_CHOSEN: {**COMMON, **APPLICATION, **TRACK, **PORTAL},
    NotificationEvent.TRACK_CHOSEN_TEAM: {**COMMON, **APPLICATION, **TRACK},
    NotificationEvent.HANDIN_RECEIVED: {**COMMON, **APPLICATION, **HANDIN, **PORTAL},
    NotificationEvent.HANDIN_RECEIVED_TEAM: {**COMMON, **APPLICATION, **HANDIN},
    NotificationEvent.EXTENSION_UPDATED: {**COMMON, **APPLICATION, **EXTENSION, **PORTAL},
    NotificationEvent.EXTENSION_UPDATED_TEAM: {**COMMON, **APPLICATION, **EXTENSION},
    NotificationEvent.PORTAL_LINK: {**COMMON, "candidate_name": "The candidate's name.", **PORTAL_LINK},
    NotificationEvent.PORTAL_EMAIL_CHANGE: {
        **COMMON,
        "candidate_name": "The candidate's name.",
        **EMAIL_CHANGE,
    },
    NotificationEvent.PORTAL_DETAILS_CHANGED: {
        **COMMON,
        "candidate_name": "The candidate's name.",
        **PORTAL_DETAILS,
    },
    NotificationEvent.PORTAL_ERASURE_REQUESTED: {
        **COMMON,
        "candidate_name": "The candidate's name.",
        **PORTAL_ERASURE,
    },
    NotificationEvent.PORTAL_ACTIVITY: {**COMMON, **ACTIVITY},
    NotificationEvent.NOTE_MENTION: {**COMMON, **MENTION},
    NotificationEvent.CANDIDATE_EMAIL: {**COMMON, **APPLICATION, **WRITTEN, **PORTAL},
    NotificationEvent.APPROVAL_REQUESTED: {
        **COMMON,
        "candidate_name": "The candidate, for an offer ('' for a job).",
        **APPROVAL,
    },
    NotificationEvent.APPROVAL_DECIDED: {
        **COMMON,
        "candidate_name": "The candidate, for an offer ('' for a job).",
        **APPROVAL,
        **APPROVAL_OUTCOME,
    },
    NotificationEvent.OFFER_SENT: {**COMMON, **APPLICATION, **OFFER, **PORTAL},
    NotificationEvent.OFFER_ANSWERED_TEAM: {**COMMON, **APPLICATION, **OFFER_ANSWER},
}

# The letter of an offer: the offer's terms and who it is for (no link: it is a document).
LETTER_VARIABLES = {**COMMON, **APPLICATION, **OFFER}

# Names a template may bind itself ({% for x in ... %}, {% with x=... %}) are allowed as well;
# `forloop` comes with every loop.
LOOP_NAMES = frozenset({"forloop"})
