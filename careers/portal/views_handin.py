"""The portal's take-home hand-in: the brief (text and files), the deadline in the candidate's
time zone, the hand-in (files checked by content and size, https links), and a request for more
time. Every id is looked up through the signed-in candidate's application."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from careers.markup import render_markdown
from careers.portal.sections import application_section
from careers.portal.session import portal_application, portal_required
from config.ratelimit import rate_limited
from hiring.uploads import file_response
from interviews.handins import HANDIN_MAX_FILES, KitBriefFile
from interviews.models import InterviewKit
from interviews.portal_actions import extension_request_create, handin_submit
from interviews.portal_selectors import application_take_homes
from interviews.selectors import candidate_time_zone

# Service refusals in the candidate's words (the services speak English to the admin).
REFUSALS = {
    "refused": gettext_lazy("This take-home is not open to you now."),
    "already": gettext_lazy("You already handed this in."),
    "empty": gettext_lazy("Hand in at least one file or one link."),
    "late": gettext_lazy("The deadline has passed: hand-ins are no longer accepted. Ask for more time."),
    "links": gettext_lazy("Links must be https:// addresses (at most 5)."),
    "files": gettext_lazy("At most 5 files."),
    "file_type": gettext_lazy("A file is not accepted: upload PDF, Word, OpenDocument, RTF, text or images."),
    "file_too_large": gettext_lazy("A file is too large: each may be at most %(limit)s MB."),
    "reason": gettext_lazy("Say why you need more time (at most 2000 characters)."),
    "date": gettext_lazy("Ask for a date after the current deadline, at most 30 days later."),
    "open": gettext_lazy("You already asked for more time; the team will answer soon."),
}


def _refusal(exc: ValidationError) -> str:
    codes = [e.code for e in exc.error_list if getattr(e, "code", None)]
    code = next((c for c in codes if c in REFUSALS), None)
    text = REFUSALS.get(code) if code else None
    if text is None:
        return _("This could not be saved.")
    return str(text) % {"limit": settings.HIRELOOP_UPLOAD_MAX_MB} if "%(limit)s" in str(text) else str(text)


def _zone(candidate) -> zoneinfo.ZoneInfo:
    """The zone the candidate's times are shown in (interviews.selectors.candidate_time_zone)."""
    return zoneinfo.ZoneInfo(candidate_time_zone(candidate))


class HandInForm(forms.Form):
    links = forms.CharField(
        label=gettext_lazy("Links (one per line, https:// only), e.g. your repository"),
        required=False,
        max_length=2600,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(
        label=gettext_lazy("A note for the team (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoreTimeForm(forms.Form):
    until = forms.DateField(
        label=gettext_lazy("New date you ask for"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=gettext_lazy("Why you need more time"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def handin_section(request, application) -> dict:
    """The take-homes of the current step (a constant number of queries)."""
    take_homes = application_take_homes(application=application)
    for t in take_homes:
        t.brief_html = render_markdown(t.kit.brief) if t.kit.brief else ""
    return {
        "take_homes": take_homes,
        "handin_form": HandInForm(),
        "more_time_form": MoreTimeForm(),
        "handin_max_files": HANDIN_MAX_FILES,
        "handin_max_mb": settings.HIRELOOP_UPLOAD_MAX_MB,
        "candidate_tz": _zone(request.portal_candidate).key,
    }


def _kit(application, kit_id) -> InterviewKit:
    kit = InterviewKit.objects.filter(pk=kit_id, stage_id=application.stage_id, is_internal=False).first()
    if kit is None:
        raise Http404("No such take-home.")
    return kit


def _back(application):
    return redirect("portal:application", application_id=application.pk)


@require_POST
@rate_limited("apply")
@portal_required
def handin_submit_view(request, application_id, kit_id):
    application = portal_application(request, application_id)
    kit = _kit(application, kit_id)
    form = HandInForm(request.POST)
    files = request.FILES.getlist("files")
    if not form.is_valid():
        messages.error(request, _("Please check the links and the note (they are too long)."))
        return _back(application)
    try:
        handin_submit(
            application=application,
            kit=kit,
            files=files,
            links=form.cleaned_data["links"].splitlines(),
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Thank you: your hand-in is received."))
    return _back(application)


@require_POST
@rate_limited("apply")
@portal_required
def more_time_view(request, application_id, kit_id):
    application = portal_application(request, application_id)
    kit = _kit(application, kit_id)
    form = MoreTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a date and a reason."))
        return _back(application)
    day = form.cleaned_data["until"]
    # The end of the day asked for, in the candidate's time zone.
    until = datetime.datetime.combine(day, datetime.time(23, 59), tzinfo=_zone(request.portal_candidate))
    try:
        extension_request_create(
            application=application, kit=kit, requested_until=until, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("Your request for more time is sent; the team will answer by email."))
    return _back(application)


@require_GET
@rate_limited("careers")
@portal_required
def brief_file_view(request, application_id, file_id):
    """A file of the brief of a take-home open to this application (a download, never rendered)."""
    application = portal_application(request, application_id)
    open_kits = [t.kit.pk for t in application_take_homes(application=application)]
    brief = KitBriefFile.objects.filter(pk=file_id, kit_id__in=open_kits).first()
    if brief is None or not brief.file:
        raise Http404("No such file.")
    try:
        return file_response(brief.file, filename=f"brief-{brief.pk}")
    except FileNotFoundError as exc:
        raise Http404("The file is missing.") from exc


# The application page's section of this feature (careers.portal.sections).
application_section(handin_section)
