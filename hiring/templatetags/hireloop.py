"""Template filters for the admin: `{{ when|local_time }}` and `{{ user|person_name }}`."""

from django import template

from hiring import display

register = template.Library()


@register.filter
def local_time(value):
    """A datetime in the viewer's time zone, the zone named (hiring.display.local_time)."""
    return display.local_time(value)


@register.filter
def person_name(user):
    """Full name, else email, else username (hiring.display.person_name)."""
    return display.person_name(user)
