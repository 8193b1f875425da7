"""Template filters and tags for the admin: `{{ when|local_time }}`, `{{ user|person_name }}` and
`{% quick_result_list cl %}`."""

from django import template

from hiring import admin_rows, display

register = template.Library()


@register.filter
def local_time(value):
    """A datetime in the viewer's time zone, the zone named (hiring.display.local_time)."""
    return display.local_time(value)


@register.filter
def person_name(user):
    """Full name, else email, else username (hiring.display.person_name)."""
    return display.person_name(user)


@register.inclusion_tag("admin/change_list_results.html")
def quick_result_list(cl):
    """Django's {% result_list %}, with the rows of the big lists rendered by hiring.admin_rows."""
    return admin_rows.result_list_context(cl)
