"""The notes panel of the candidate page (its change form extends Django's)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def candidate_notes(context):
    from hiring.admin.notes import candidate_notes_panel

    original, request = context.get("original"), context.get("request")
    if original is None or request is None:
        return ""
    return candidate_notes_panel(request, original)
