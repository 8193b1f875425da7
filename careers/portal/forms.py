"""The portal's forms: every field bounded, every message translatable."""

from django import forms
from django.utils.translation import gettext_lazy as _


class LinkRequestForm(forms.Form):
    """The email the visitor wants a sign-in link sent to."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("The address you applied with."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
