"""The careers site's application form: every field bounded, the résumé checked by content, the
consent required, a honeypot, and the signed submission key that makes a replayed post harmless.
Every message a candidate reads is translatable."""

import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hiring.applicants import ApplicantDetails
from hiring.uploads import DOCUMENTS, UploadValidator

SUBMISSION_SALT = "careers.apply.submission"
SUBMISSION_MAX_AGE = 2 * 24 * 3600  # seconds a form stays valid once shown
HONEYPOT = "homepage"  # hidden by the careers style sheet; people leave it empty, bots fill it in


def submission_token(job_id: int) -> str:
    """A new random submission key for one job's form, signed (a visitor cannot choose it)."""
    return signing.dumps({"job": job_id, "key": secrets.token_hex(16)}, salt=SUBMISSION_SALT)


def submission_key(token: str, job_id: int) -> str | None:
    """The key behind a form's token, or None when the token is forged, expired or another job's."""
    try:
        data = signing.loads(token or "", salt=SUBMISSION_SALT, max_age=SUBMISSION_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("job") != job_id or not isinstance(data.get("key"), str):
        return None
    return data["key"][:64]


def _url(label, help_text):
    return forms.URLField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full web address, like https://example.com/you.")},
    )


class ApplicationForm(forms.Form):
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("We write to you at this address about your application."),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    location = forms.CharField(
        label=_("Where you live (optional)"),
        max_length=200,
        required=False,
        help_text=_("City and country are enough."),
    )
    linkedin_url = _url(_("LinkedIn profile (optional)"), "")
    github_url = _url(_("GitHub profile (optional)"), "")
    website_url = _url(_("Website or portfolio (optional)"), "")
    resume = forms.FileField(
        label=_("Résumé"),
        max_length=255,
        error_messages={
            "required": _("Choose your résumé file."),
            "empty": _("This file is empty. Choose your résumé file."),
            "invalid": _("Choose your résumé file."),
            "max_length": _("This file's name is too long; rename it and choose it again."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx,.odt,.rtf,.txt,application/pdf,text/plain"}
        ),
    )
    consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that my application is processed as it says."),
        error_messages={
            "required": _("Tick this box to agree to the privacy notice; we cannot apply without it.")
        },
    )
    submission = forms.CharField(widget=forms.HiddenInput, max_length=300)
    # The honeypot: no label a person sees, no tab stop, never filled by a browser's autofill.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    field_order = [
        "name",
        "email",
        "phone",
        "location",
        "linkedin_url",
        "github_url",
        "website_url",
        "resume",
        "consent",
    ]

    def __init__(self, *args, job_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resume"].help_text = gettext(
            "PDF, Word (.docx), OpenDocument (.odt), RTF or plain text, at most %(limit)s MB."
        ) % {"limit": settings.HIRELOOP_UPLOAD_MAX_MB}
        self.job_id = job_id
        self.key = None

    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())

    def visible(self):
        return [self[name] for name in self.field_order]

    def clean_submission(self):
        self.key = submission_key(self.cleaned_data["submission"], self.job_id)
        if self.key is None:
            raise ValidationError(_("This form has expired. Check your answers and send it again."))
        return self.cleaned_data["submission"]

    def clean_resume(self):
        resume = self.cleaned_data["resume"]
        try:
            UploadValidator(DOCUMENTS)(resume)
        except ValidationError as exc:
            if exc.code == "file_too_large":
                raise ValidationError(
                    _("This file is %(size).1f MB; a résumé may be at most %(limit)s MB."),
                    code="file_too_large",
                    params=exc.params,
                ) from exc
            raise ValidationError(
                _(
                    "This file is not accepted. Choose a PDF, Word (.docx), OpenDocument (.odt), RTF "
                    "or plain text file."
                ),
                code="file_type",
            ) from exc
        return resume

    def details(self, *, language: str) -> ApplicantDetails:
        data = self.cleaned_data
        return ApplicantDetails(
            name=data["name"].strip(),
            email=data["email"].strip(),
            phone=data["phone"].strip(),
            location=data["location"].strip(),
            linkedin_url=data["linkedin_url"],
            github_url=data["github_url"],
            website_url=data["website_url"],
            resume=data["resume"],
            language=language,
        )
