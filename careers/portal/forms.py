"""The portal's forms: every field bounded, every message translatable."""

from django import forms
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from interviews.availability import time_zone_choices


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


def _zones() -> tuple[tuple[str, str], ...]:
    """Every IANA zone of a region ("Europe/Paris"), and UTC (the list the staff forms offer too)."""
    return time_zone_choices()


def zone_options(selected: str):
    """The <option>s of the time zone select, the candidate's selected, escaped by format_html_join
    (the zone list is read once per process; the ~420 options cost the page more than everything
    else when rendered through the widget templates)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in _zones()),
    )


class TimeZoneForm(forms.Form):
    """The candidate's time zone, among the IANA names (the portal's script pre-selects the
    browser's own)."""

    time_zone = forms.ChoiceField(label=_("Your time zone"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", _("Choose your time zone")), *_zones()]


class WithdrawForm(forms.Form):
    reason = forms.ModelChoiceField(
        label=_("Why do you withdraw? (optional)"),
        queryset=None,
        required=False,
        empty_label=_("I would rather not say"),
    )
    note = forms.CharField(
        label=_("Anything you want to tell the hiring team (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw my application. This cannot be undone."),
        error_messages={"required": _("Tick this box to withdraw.")},
    )

    def __init__(self, *args, reasons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].queryset = reasons


def _url(label):
    return forms.URLField(
        label=label,
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, like https://example.com/you.")},
    )


class DetailsForm(forms.Form):
    """The candidate's contact details; a new email is only sent a confirmation link."""

    name = forms.CharField(
        label=_("Full name"), max_length=200, error_messages={"required": _("Enter your name.")}
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("A new address changes once you open the link we send to it."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
    )
    phone = forms.CharField(label=_("Phone (optional)"), max_length=50, required=False)
    location = forms.CharField(label=_("Where you live (optional)"), max_length=200, required=False)
    linkedin_url = _url(_("LinkedIn profile (optional)"))
    github_url = _url(_("GitHub profile (optional)"))
    website_url = _url(_("Website or portfolio (optional)"))

    CHANGEABLE = ("name", "phone", "location", "linkedin_url", "github_url", "website_url")

    def changes(self) -> dict[str, str]:
        return {name: (self.cleaned_data[name] or "").strip() for name in self.CHANGEABLE}


class ErasureForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, erase my personal data. My applications end and this cannot be undone."),
        error_messages={"required": _("Tick this box to ask for the erasure.")},
    )
