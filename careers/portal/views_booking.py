"""The portal's self-scheduling pages: the open slots of a kit in the candidate's time zone,
grouped by day; booking one; the confirmation; rescheduling and cancelling a booked interview.

Every page starts from `portal_application` (the signed-in candidate's own application, else
404); a kit or an interview id is then looked up inside that application only. The rules and the
locking are interviews.booking's; refusals are shown in the candidate's words by their code.
"""

import datetime
import zoneinfo
from itertools import groupby

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from careers.portal.sections import application_section
from careers.portal.session import portal_application, portal_interview, portal_required
from config.ratelimit import limit_reached, rate_limited
from interviews import booking
from interviews.models import InterviewKit, InterviewStatus
from interviews.selectors import candidate_time_zone

REFUSALS = {
    booking.SLOT_TAKEN: _("Sorry, this time is no longer available. Please choose another one."),
    booking.ALREADY_BOOKED: _("You have already booked this interview; you can change its time instead."),
    booking.NOT_BOOKABLE: _("This interview cannot be booked online. Please contact the hiring team."),
    booking.TOO_LATE: _("It is too late to change this interview online. Please contact the hiring team."),
    booking.NOT_SCHEDULED: _("This interview is no longer scheduled."),
}
NO_CHOICE = _("Choose one of the times offered.")
TOO_MANY = _("Too many attempts. Please wait a little and try again.")
RETRY_AFTER = 600


def _candidate_key(group, request) -> str:
    return str(request.portal_candidate.pk)


def _zone_name(request, application) -> str:
    """The zone the candidate's times are shown in (interviews.selectors.candidate_time_zone)."""
    return candidate_time_zone(request.portal_candidate)


def booking_section(request, application) -> dict:
    """The application page's booking section: each kit the candidate books, with their booking
    (one query when the stage has no self-scheduled kit)."""
    bookings = booking.application_kit_bookings(application=application)
    if not bookings:
        return {"bookings": []}
    return {
        "bookings": bookings,
        "booking_zone": _zone_name(request, application),
        "booking_now": timezone.now(),
    }


application_section(booking_section)


def _kit(application, kit_id: int) -> InterviewKit:
    kit = InterviewKit.objects.filter(
        pk=kit_id,
        company_id=application.company_id,
        stage_id=application.stage_id,
        self_scheduling=True,
        is_internal=False,
    ).first()
    if kit is None:
        raise Http404("No such session to book.")
    return kit


def _interview(request, application, interview_id: int):
    interview = portal_interview(request, interview_id)
    if interview.application_id != application.pk:
        raise Http404("No such interview.")
    return interview


def _days(slots, zone_name):
    """The slots grouped by local day: [(date, [(value, local datetime), ...]), ...]."""
    zone = zoneinfo.ZoneInfo(zone_name)
    local = [(s.astimezone(datetime.UTC).isoformat(), s.astimezone(zone)) for s in slots]
    return [(day, list(group)) for day, group in groupby(local, key=lambda pair: pair[1].date())]


def _chosen(request, slots) -> datetime.datetime | None:
    """The posted start, if it is one of the slots offered (a bounded ISO value)."""
    value = request.POST.get("start", "")[:40]
    try:
        start = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return start if start.tzinfo is not None and start in slots else None


def _slots_page(request, application, kit, *, interview=None, error="", status=200):
    zone = _zone_name(request, application)
    slots = booking.kit_open_slots(application=application, kit=kit, exclude_interview=interview)
    context = {
        "application": application,
        "kit": kit,
        "interview": interview,
        "days": _days(slots, zone),
        "zone": zone,
        "error": error,
    }
    return _render(request, "booking_slots.html", context, status), slots


def _render(request, template, context, status=200):
    candidate = request.portal_candidate
    base = {"candidate": candidate, "company": candidate.company}
    return render(request, f"careers/portal/{template}", {**base, **context}, status=status)


def _too_many(request, application):
    response = _render(request, "booking_refused.html", {"application": application, "error": TOO_MANY}, 429)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _refusal(exc: ValidationError) -> str:
    code = exc.error_list[0].code if exc.error_list else None
    return REFUSALS.get(code, REFUSALS[booking.NOT_BOOKABLE])


@require_http_methods(["GET", "POST"])
@rate_limited("careers")
@portal_required
def book_view(request, application_id, kit_id):
    """GET: the open slots of the kit; POST: book the one chosen."""
    application = portal_application(request, application_id)
    kit = _kit(application, kit_id)
    if request.method == "GET":
        return _slots_page(request, application, kit)[0]
    if limit_reached(request, "booking", keys=("ip", _candidate_key), methods=("POST",)):
        return _too_many(request, application)
    start = _chosen(request, booking.kit_open_slots(application=application, kit=kit))
    if start is None:
        return _slots_page(request, application, kit, error=NO_CHOICE, status=400)[0]
    try:
        interview = booking.interview_book(
            application=application, kit=kit, starts_at=start, time_zone=_zone_name(request, application)
        )
    except ValidationError as exc:
        return _slots_page(request, application, kit, error=_refusal(exc), status=409)[0]
    return redirect("portal:booked", application.pk, interview.pk)


@require_GET
@rate_limited("careers")
@portal_required
def booked_view(request, application_id, interview_id):
    """The confirmation: when, in the candidate's time zone, with the invite to download."""
    application = portal_application(request, application_id)
    interview = _interview(request, application, interview_id)
    context = {"application": application, "interview": interview, "zone": _zone_name(request, application)}
    return _render(request, "booking_done.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited("careers")
@portal_required
def reschedule_view(request, application_id, interview_id):
    """GET: the open slots for a new time; POST: move the interview to the one chosen."""
    application = portal_application(request, application_id)
    interview = _interview(request, application, interview_id)
    kit = _kit(application, interview.kit_id)
    if interview.status != InterviewStatus.SCHEDULED:
        raise Http404("No such interview to reschedule.")
    if request.method == "GET":
        return _slots_page(request, application, kit, interview=interview)[0]
    if limit_reached(request, "booking", keys=("ip", _candidate_key), methods=("POST",)):
        return _too_many(request, application)
    slots = booking.kit_open_slots(application=application, kit=kit, exclude_interview=interview)
    start = _chosen(request, slots)
    if start is None:
        return _slots_page(request, application, kit, interview=interview, error=NO_CHOICE, status=400)[0]
    try:
        booking.interview_candidate_reschedule(interview=interview, starts_at=start)
    except ValidationError as exc:
        return _slots_page(request, application, kit, interview=interview, error=_refusal(exc), status=409)[0]
    return redirect("portal:booked", application.pk, interview.pk)


@require_http_methods(["GET", "POST"])
@rate_limited("careers")
@portal_required
def cancel_view(request, application_id, interview_id):
    """GET asks to confirm; POST cancels the interview (up to the company's notice)."""
    application = portal_application(request, application_id)
    interview = _interview(request, application, interview_id)
    _kit(application, interview.kit_id)
    context = {"application": application, "interview": interview, "zone": _zone_name(request, application)}
    if request.method == "GET":
        return _render(request, "booking_cancel.html", context)
    if limit_reached(request, "booking", keys=("ip", _candidate_key), methods=("POST",)):
        return _too_many(request, application)
    try:
        booking.interview_candidate_cancel(interview=interview)
    except ValidationError as exc:
        return _render(request, "booking_cancel.html", {**context, "error": _refusal(exc)}, status=409)
    return redirect("portal:application", application.pk)
