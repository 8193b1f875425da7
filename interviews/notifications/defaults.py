"""The wording every company starts with; each can be edited (or switched off) in the admin."""

from .events import NotificationEvent as E

SIGNATURE = "\n-- \n{{ company_name }} hiring team\n"
# The candidate's own sign-in link, in every email a candidate receives (empty in staff copies).
PORTAL = "{% if portal_link %}\nSee your application and act on it: {{ portal_link }}\n{% endif %}"

DEFAULTS: dict[str, tuple[str, str]] = {
    E.APPLICATION_RECEIVED: (
        "We received your application for {{ job_title }}",
        "Hello {{ candidate_name }},\n\n"
        "Thank you for applying for {{ job_title }} at {{ company_name }}. We review every "
        "application and will come back to you soon.\n"
        "{% if stage_instructions %}\nFirst step, {{ stage_name }}:\n{{ stage_instructions }}\n{% endif %}"
        "{% if portal_link %}\nFollow your application here: {{ portal_link }}\n{% endif %}" + SIGNATURE,
    ),
    E.STAGE_ENTERED: (
        "{{ job_title }}: next step, {{ stage_name }}",
        "Hello {{ candidate_name }},\n\n"
        "Your application for {{ job_title }} moves on to {{ stage_name }}.\n"
        "{% if stage_instructions %}\n{{ stage_instructions }}\n{% endif %}"
        "{% if sessions %}\nWhat to expect:\n{% for s in sessions %}"
        "- {{ s.name }}: {{ s.format }}, {{ s.duration }}."
        "{% if s.deadline %} Due by {{ s.deadline }}.{% endif %} {{ s.ai_policy }}."
        "{% if s.ai_note %} {{ s.ai_note }}{% endif %}\n{% endfor %}{% endif %}"
        "{% if tracks %}\nYou can choose how to do this step: {{ tracks|join:', ' }}. "
        "Reply to this email with your choice.\n{% endif %}"
        "{% if is_paid %}\nThis step is paid{% if pay %}: {{ pay }}{% endif %}.\n{% endif %}"
        + PORTAL
        + SIGNATURE,
    ),
    E.STAGE_ENTERED_TEAM: (
        "{{ candidate_name }} is now in {{ stage_name }} ({{ job_title }})",
        "Hello {{ recipient_name }},\n\n"
        "{{ candidate_name }} has moved to {{ stage_name }} for {{ job_title }}, where you interview. "
        "Expect an invite once the interview is scheduled.\n" + SIGNATURE,
    ),
    E.INTERVIEW_SCHEDULED: (
        "Interview: {{ interview_name }} for {{ job_title }}, {{ interview_start }}",
        "Hello {{ recipient_name }},\n\n"
        "{{ interview_name }} for {{ job_title }} ({{ candidate_name }}) is scheduled:\n"
        "When: {{ interview_start }} to {{ interview_end }}\n"
        "Format: {{ format }}, {{ duration }}\n"
        "{% if interview_location %}Where: {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Link: {{ interview_link }}\n{% endif %}"
        "AI tools: {{ ai_policy }}{% if ai_note %}. {{ ai_note }}{% endif %}\n"
        "{% if interviewers %}With: {{ interviewers|join:', ' }}\n{% endif %}"
        "\nThe calendar invite is attached.\n" + PORTAL + SIGNATURE,
    ),
    E.INTERVIEW_RESCHEDULED: (
        "New time: {{ interview_name }} for {{ job_title }}, {{ interview_start }}",
        "Hello {{ recipient_name }},\n\n"
        "{{ interview_name }} for {{ job_title }} ({{ candidate_name }}) has moved from "
        "{{ previous_start }} to:\n"
        "When: {{ interview_start }} to {{ interview_end }}\n"
        "{% if interview_location %}Where: {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Link: {{ interview_link }}\n{% endif %}"
        "\nThe updated calendar invite is attached.\n" + PORTAL + SIGNATURE,
    ),
    E.INTERVIEW_CANCELLED: (
        "{% if off_panel %}Off the panel{% else %}Cancelled{% endif %}: {{ interview_name }} for "
        "{{ job_title }}, {{ interview_start }}",
        "Hello {{ recipient_name }},\n\n"
        "{% if off_panel %}You are no longer on the panel of {{ interview_name }} for {{ job_title }} "
        "({{ candidate_name }}) on {{ interview_start }}; the interview goes on without you."
        "{% else %}{{ interview_name }} for {{ job_title }} ({{ candidate_name }}) on "
        "{{ interview_start }} is cancelled.{% endif %} "
        "The attached invite removes it from your calendar.\n" + PORTAL + SIGNATURE,
    ),
    E.INTERVIEW_REMINDER: (
        "Tomorrow: {{ interview_name }} for {{ job_title }}, {{ interview_start }}",
        "Hello {{ recipient_name }},\n\n"
        "A reminder: {{ interview_name }} for {{ job_title }} ({{ candidate_name }}) starts "
        "{{ interview_start }}.\n"
        "{% if interview_location %}Where: {{ interview_location }}\n{% endif %}"
        "{% if interview_link %}Link: {{ interview_link }}\n{% endif %}"
        "AI tools: {{ ai_policy }}\n" + PORTAL + SIGNATURE,
    ),
    E.INTERVIEW_BOOKED_TEAM: (
        "{{ candidate_name }} {{ change }} {{ interview_name }} ({{ job_title }}), {{ interview_start }}",
        "Hello {{ recipient_name }},\n\n"
        "{{ candidate_name }} {{ change }} {{ interview_name }} for {{ job_title }} in the candidate "
        "portal.\n"
        "{% if change == 'cancelled' %}It was planned for {{ interview_start }}.\n"
        "{% else %}When: {{ interview_start }} to {{ interview_end }}\n"
        "{% if previous_start %}Before: {{ previous_start }}\n{% endif %}{% endif %}"
        "{% if interviewers %}Panel: {{ interviewers|join:', ' }}\n{% endif %}"
        "\n{{ application_link }}\n" + SIGNATURE,
    ),
    E.SCORECARD_DUE: (
        "Scorecard due: {{ candidate_name }}, {{ interview_name }}",
        "Hello {{ recipient_name }},\n\n"
        "Your scorecard for {{ candidate_name }} ({{ interview_name }}, {{ job_title }}) is not "
        "submitted yet{% if days_overdue != '0' %} ({{ days_overdue }} days after the interview)"
        "{% endif %}. Please fill it while your notes are fresh:\n{{ scorecard_link }}\n" + SIGNATURE,
    ),
    E.SLA_DIGEST: (
        "{{ count }} application{{ count|pluralize }} past the stage SLA",
        "Hello {{ recipient_name }},\n\n"
        "These applications have stayed in their stage longer than its SLA:\n\n"
        "{% for a in applications %}- {{ a.candidate_name }}, {{ a.job_title }}: {{ a.stage_name }} for "
        "{{ a.days_in_stage }} days (SLA {{ a.sla_days }})\n  {{ a.link }}\n{% endfor %}" + SIGNATURE,
    ),
    E.REJECTED: (
        "Your application for {{ job_title }}",
        "Hello {{ candidate_name }},\n\n"
        "Thank you for the time you gave us for {{ job_title }}. After careful consideration we "
        "have decided not to move forward with your application. We wish you the best in your "
        "search.\n" + PORTAL + SIGNATURE,
    ),
    E.WITHDRAWN: (
        "Your application for {{ job_title }} is withdrawn",
        "Hello {{ candidate_name }},\n\n"
        "As you asked, we have withdrawn your application for {{ job_title }}. Thank you for your "
        "interest in {{ company_name }}; you are welcome to apply again.\n" + PORTAL + SIGNATURE,
    ),
    E.HIRED: (
        "Welcome to {{ company_name }}!",
        "Hello {{ candidate_name }},\n\n"
        "We are delighted that you are joining {{ company_name }} as {{ job_title }}. Your "
        "onboarding details follow shortly.\n" + PORTAL + SIGNATURE,
    ),
    E.PORTAL_LINK: (
        "Your link to follow your applications at {{ company_name }}",
        "Hello {{ candidate_name }},\n\n"
        "Here is your personal link to see where your applications at {{ company_name }} stand, and "
        "act on them:\n{{ portal_link }}\n\n"
        "It works once, until {{ expires }}; you can ask for a new one at any time. If you did not "
        "ask for it, ignore this email: nothing happens without the link.\n" + SIGNATURE,
    ),
    E.PORTAL_EMAIL_CHANGE: (
        "Confirm your new email address",
        "Hello {{ candidate_name }},\n\n"
        "You asked {{ company_name }} to write to you at {{ new_email }} from now on. Confirm it with "
        "this link (it works once, until {{ expires }}):\n{{ confirm_link }}\n\n"
        "If you did not ask for this, ignore this email: your address stays as it is.\n" + SIGNATURE,
    ),
    E.PORTAL_DETAILS_CHANGED: (
        "Your contact details are updated",
        "Hello {{ candidate_name }},\n\n"
        "Your contact details at {{ company_name }} were changed: {{ changes|join:', ' }}.\n"
        "If you did not do this, tell us by replying to this email.\n" + PORTAL + SIGNATURE,
    ),
    E.PORTAL_ERASURE_REQUESTED: (
        "Your request to erase your data",
        "Hello {{ candidate_name }},\n\n"
        "{% if erased %}As you asked, {{ company_name }} has erased your personal data.{% else %}"
        "We received your request to erase your personal data. The hiring team of {{ company_name }} "
        "confirms it shortly; once it is done, you receive no more emails from us.{% endif %}\n" + SIGNATURE,
    ),
    E.PORTAL_ACTIVITY: (
        "{{ candidate_name }} {{ action }}{% if job_title %} ({{ job_title }}){% endif %}",
        "Hello {{ recipient_name }},\n\n"
        "In the candidate portal, {{ candidate_name }} {{ action }}{% if job_title %} ({{ job_title }})"
        "{% endif %}.\n{% for d in details %}- {{ d }}\n{% endfor %}"
        "{% if link %}\n{{ link }}\n{% endif %}" + SIGNATURE,
    ),
    E.TRACK_CHOSEN: (
        "{{ job_title }}: your choice for {{ track_stage }}",
        "Hello {{ candidate_name }},\n\n"
        "{% if previous_track %}Your choice for {{ track_stage }} changed from {{ previous_track }} to "
        "{{ track_name }}.{% else %}You chose {{ track_name }} for {{ track_stage }}.{% endif %} "
        "You can change it until the interviews of this step are scheduled.\n" + PORTAL + SIGNATURE,
    ),
    E.TRACK_CHOSEN_TEAM: (
        "{{ candidate_name }} chose {{ track_name }} ({{ job_title }}, {{ track_stage }})",
        "Hello {{ recipient_name }},\n\n"
        "{{ candidate_name }} ({{ job_title }}) will do {{ track_stage }} as {{ track_name }}"
        "{% if previous_track %} (before: {{ previous_track }}){% endif %}. Recorded by {{ changed_by }}."
        "{% if note %}\nNote: {{ note }}{% endif %}\n{% if link %}\n{{ link }}\n{% endif %}" + SIGNATURE,
    ),
    E.HANDIN_RECEIVED: (
        "We received your hand-in: {{ kit_name }}",
        "Hello {{ candidate_name }},\n\n"
        "Thank you: we received your hand-in for {{ kit_name }} ({{ job_title }})."
        "{% if is_late %} It arrived after the deadline ({{ deadline }}); the team will take it into "
        "account.{% endif %}\n"
        "{% for f in files %}- {{ f }}\n{% endfor %}{% for l in links %}- {{ l }}\n{% endfor %}"
        + PORTAL
        + SIGNATURE,
    ),
    E.HANDIN_RECEIVED_TEAM: (
        "Hand-in{% if is_late %} (late){% endif %}: {{ candidate_name }}, {{ kit_name }}",
        "Hello {{ recipient_name }},\n\n"
        "{{ candidate_name }} handed in {{ kit_name }} for {{ job_title }}"
        "{% if is_late %}, after the deadline ({{ deadline }}){% endif %}: "
        "{{ files|length }} file(s), {{ links|length }} link(s).\n"
        "{% for l in links %}- {{ l }}\n{% endfor %}{% if link %}\n{{ link }}\n{% endif %}" + SIGNATURE,
    ),
    E.EXTENSION_UPDATED: (
        "{{ kit_name }}: more time {% if extension_status == 'requested' %}asked{% else %}"
        "{{ extension_status }}{% endif %}",
        "Hello {{ candidate_name }},\n\n"
        "{% if extension_status == 'requested' %}We received your request for more time for "
        "{{ kit_name }} (until {{ requested_deadline }}); the team will answer soon."
        "{% elif extension_status == 'accepted' %}Your request for more time for {{ kit_name }} is "
        "accepted: the new deadline is {{ deadline }}."
        "{% else %}Your request for more time for {{ kit_name }} could not be accepted: the deadline "
        "stays {{ deadline }}.{% endif %}{% if note %}\n{{ note }}{% endif %}\n" + PORTAL + SIGNATURE,
    ),
    E.EXTENSION_UPDATED_TEAM: (
        "More time {{ extension_status }}: {{ candidate_name }}, {{ kit_name }}",
        "Hello {{ recipient_name }},\n\n"
        "{% if extension_status == 'requested' %}{{ candidate_name }} ({{ job_title }}) asks for more time "
        "for {{ kit_name }}: until {{ requested_deadline }} instead of {{ deadline }}."
        "{% if reason %}\nReason: {{ reason }}{% endif %}\nAccept or refuse it in Hireloop."
        "{% else %}The request of {{ candidate_name }} for more time for {{ kit_name }} was "
        "{{ extension_status }}; the deadline is {{ deadline }}.{% endif %}"
        "{% if link %}\n{{ link }}{% endif %}\n" + SIGNATURE,
    ),
    E.NOTE_MENTION: (
        "{{ author_name }} mentioned you in a note{% if job_title %} ({{ job_title }}){% endif %}",
        "Hello {{ recipient_name }},\n\n"
        "{{ author_name }} mentioned you in a note{% if is_private %} private to the hiring team{% endif %}"
        "{% if job_title %} on an application for {{ job_title }}{% else %} on a candidate{% endif %}.\n"
        "Read it in Hireloop: {{ link }}\n" + SIGNATURE,
    ),
    # The start of an email written to a candidate from the product (the writer completes it).
    E.CANDIDATE_EMAIL: (
        "{{ job_title }} at {{ company_name }}",
        "Hello {{ candidate_name }},\n\n\n\n{{ sender_name }}\n" + PORTAL + SIGNATURE,
    ),
    E.APPROVAL_REQUESTED: (
        "Approval needed: {{ subject }}",
        "Hello {{ recipient_name }},\n\n"
        "{{ requested_by }} asks for approval: {{ subject }}. You decide the step "
        "'{{ step_label }}'.\n\n"
        "Approve or reject it in Hireloop: {{ link }}\n" + SIGNATURE,
    ),
    E.APPROVAL_DECIDED: (
        "{{ subject }}: {{ outcome }}",
        "Hello {{ recipient_name }},\n\n"
        "{{ subject }} was {{ outcome }} by {{ decided_by }} ({{ step_label }})."
        "{% if comment %}\n\nTheir comment: {{ comment }}{% endif %}\n\n"
        "See it in Hireloop: {{ link }}\n" + SIGNATURE,
    ),
    E.OFFER_SENT: (
        "Your offer from {{ company_name }}: {{ job_title }}",
        "Hello {{ candidate_name }},\n\n"
        "We are happy to offer you the position of {{ job_title }}. Your offer letter is attached: "
        "{{ salary }}, starting {{ start_date }}.\n\n"
        "You can read it again, accept or decline it in your candidate portal until {{ expires_on }}.\n"
        + PORTAL
        + SIGNATURE,
    ),
    E.OFFER_ANSWERED_TEAM: (
        "Offer {{ answer }}: {{ candidate_name }} ({{ job_title }})",
        "Hello {{ recipient_name }},\n\n"
        "The offer to {{ candidate_name }} for {{ job_title }} was {{ answer }}."
        "{% if reason %}\nReason: {{ reason }}{% endif %}"
        "{% if note %}\nTheir words: {{ note }}{% endif %}\n\n"
        "The application in Hireloop: {{ link }}\n" + SIGNATURE,
    ),
}


# The platform's wording (events.PLATFORM_EVENTS): not offered as company templates.
PLATFORM_WORDING: dict[str, tuple[str, str]] = {
    E.INVITATION: (
        "You are invited to join {{ company_name }} on Hireloop",
        "Hello,\n\n"
        "{% if invited_by %}{{ invited_by }} invites{% else %}You are invited{% endif %} you to join "
        "{{ company_name }} on Hireloop as {{ role }}.\n\n"
        "Accept the invitation with this personal link (it works once, until {{ expires }}):\n"
        "{{ invitation_link }}\n\n"
        "If you already have a Hireloop account with this address, you will be asked to log in "
        "first. If you did not expect this email, ignore it: nothing happens without the link.\n" + SIGNATURE,
    ),
}
