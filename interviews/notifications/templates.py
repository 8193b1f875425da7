"""Company templates: the wording per event, installing the defaults, and previews."""

from django.db import transaction

from hiring.models import Application, Company, Track
from interviews.models import InterviewKit

from .context import application_context, stage_context
from .defaults import DEFAULTS
from .models import NotificationTemplate
from .rendering import render, render_subject


def notification_templates_resolve(company_id: int, events) -> dict[str, tuple[str, str] | None]:
    """Subject and body per event for a company; None when the company switched the event off."""
    result: dict[str, tuple[str, str] | None] = {e: DEFAULTS[e] for e in events}
    for t in NotificationTemplate.objects.filter(company_id=company_id, event__in=list(events)):
        result[t.event] = (t.subject, t.body) if t.enabled else None
    return result


@transaction.atomic
def notification_templates_install(*, company: Company) -> int:
    """Give a company the default wording for every event it has no template for yet.

    Idempotent: existing templates, edited or not, are left alone. Returns how many were added.
    """
    existing = set(NotificationTemplate.objects.filter(company=company).values_list("event", flat=True))
    rows = [
        NotificationTemplate(company=company, event=event, subject=subject, body=body)
        for event, (subject, body) in DEFAULTS.items()
        if event not in existing
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
