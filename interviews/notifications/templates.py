"""Company templates: the wording per event, installing the defaults, and previews."""

from django.db import transaction

from hiring.models import Application, Company, Track
from interviews.models import InterviewKit

from .context import application_context, stage_context
from .defaults import DEFAULTS
from .defaults_fr import DEFAULTS_FR
from .events import CANDIDATE_EVENTS
from .models import NotificationTemplate
from .rendering import render, render_subject

# The default wording per language; English has every event, the others the candidate events.
WORDING: dict[str, dict[str, tuple[str, str]]] = {"en": DEFAULTS, "fr": DEFAULTS_FR}
STAFF_LANGUAGE = "en"


def email_language(event: str, language: str | None) -> str:
    """The language an event's email is written in: the candidate's (when shipped) for the emails
    a candidate receives, English for every other."""
    if event in CANDIDATE_EVENTS and language in WORDING:
        return language
    return STAFF_LANGUAGE


def notification_templates_resolve(
    company_id: int, events, language: str | None = STAFF_LANGUAGE
) -> dict[str, tuple[str, str] | None]:
    """Subject and body per event for a company, in `language` for the candidate's emails (see
    `email_language`): the company's template in that language, else the default wording. None
    when the company switched the event off (a disabled template, in any language)."""
    chosen = {e: email_language(e, language) for e in events}
    result: dict[str, tuple[str, str] | None] = {e: WORDING[chosen[e]].get(e, DEFAULTS[e]) for e in events}
    switched_off = set()
    for t in NotificationTemplate.objects.filter(company_id=company_id, event__in=list(events)):
        if not t.enabled:
            switched_off.add(t.event)
        elif t.language == chosen[t.event]:
            result[t.event] = (t.subject, t.body)
    for event in switched_off:
        result[event] = None
    return result


@transaction.atomic
def notification_templates_install(*, company: Company) -> int:
    """Give a company the default wording for every event and language it has no template for yet
    (English for every event, French for the candidate's).

    Idempotent: existing templates, edited or not, are left alone. Returns how many were added.
    """
    existing = set(NotificationTemplate.objects.filter(company=company).values_list("event", "language"))
    rows = [
        NotificationTemplate(company=company, event=event, language=language, subject=subject, body=body)
        for language, wording in WORDING.items()
        for event, (subject, body) in wording.items()
        if (event, language) not in existing
    ]
    NotificationTemplate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def notification_template_preview(*, template: NotificationTemplate, application: Application | None):
    """Subject and body of a template rendered for a sample application (or sample values)."""
    from .rendering import sample_context

    context = sample_context(template.event)
    if application is not None:
        application = Application.objects.select_related("company", "candidate", "job", "stage").get(
            pk=application.pk
        )
        context.update(application_context(application))
        context["recipient_name"] = application.candidate.name
        if "stage_instructions" in context:
            kits = list(InterviewKit.objects.filter(stage_id=application.stage_id))
            tracks = list(Track.objects.filter(stage_id=application.stage_id).values_list("name", flat=True))
            context.update(stage_context(application.stage, kits, tracks))
    return render_subject(template.subject, context), render(template.body, context)
