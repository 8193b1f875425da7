"""The candidate portal's pages. Thin like the careers pages: parse, call a selector or a
service, render. Who the visitor is comes from careers.portal.session only."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careers.portal import sections, selectors
from careers.portal.forms import LinkRequestForm, TimeZoneForm, zone_options
from careers.portal.services import (
    PortalLinkError,
    portal_links_send,
    portal_time_zone_set,
    portal_token_check,
    portal_token_use,
)
from careers.portal.session import (
    portal_application,
    portal_interview,
    portal_required,
    portal_session_candidate,
    portal_session_end,
    portal_session_start,
)
from config.ratelimit import email_key, limit_reached, rate_limited
from interviews.ics import interview_ics

# Link requests count per client address and per email typed (HIRELOOP_RATE_LIMITS["portal"]).
LINK_REQUEST_KEYS = ("ip", email_key)
RETRY_AFTER = 600  # seconds, in the Retry-After of a refused request


def _page(request, template, context=None, status=200):
    candidate = getattr(request, "portal_candidate", None)
    base = {"candidate": candidate, "company": candidate.company if candidate else None}
    return render(request, f"careers/portal/{template}", {**base, **(context or {})}, status=status)


def _start_page(request, form=None, status=200, link_problem=""):
    context = {"form": form or LinkRequestForm(), "link_problem": link_problem}
    return _page(request, "start.html", context, status)


@require_GET
@rate_limited("careers")
def home_view(request):
    """The candidate's applications when signed in; the email form otherwise."""
    candidate = portal_session_candidate(request)
    if candidate is None:
        return _start_page(request)
    request.portal_candidate = candidate
    context = {
        "applications": selectors.portal_overview(candidate, detail=False),
        "emails": selectors.portal_emails(candidate),
        "zone_options": _zone_form(candidate),
    }
    return _page(request, "home.html", context)


def _zone_form(candidate):
    return zone_options(candidate.time_zone)


@require_http_methods(["GET", "POST"])
@rate_limited("careers")
def start_view(request):
    """The email form (GET) and its answer (POST): the same page whether the address is known, at
    one company or several, or unknown; each company it is known at sends its own link."""
    if request.method == "GET":
        return _start_page(request)
    if limit_reached(request, "portal", keys=LINK_REQUEST_KEYS, methods=("POST",)):
        response = _page(request, "too_many.html", status=429)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    form = LinkRequestForm(request.POST)
    if not form.is_valid():
        return _start_page(request, form)
    portal_links_send(email=form.cleaned_data["email"])
    return redirect("portal:sent")


@require_GET
@rate_limited("careers")
def sent_view(request):
    return _page(request, "sent.html")


@require_http_methods(["GET", "POST"])
@rate_limited("link")
def sign_in_view(request, token):
    """GET asks to confirm (a mail scanner that opens the link does not use it up); POST uses the
    link once and starts the session. A used, expired or unknown link says so and offers a new one."""
    try:
        if request.method == "GET":
            row = portal_token_check(token=token)
            return _page(request, "sign_in.html", {"company": row.candidate.company, "token": token})
        row = portal_token_use(token=token)
    except PortalLinkError as exc:
        return _start_page(request, status=410 if exc.code != "unknown" else 404, link_problem=exc.code)
    portal_session_start(request, row.candidate)
    response = redirect("portal:home")
    if row.candidate.language and not request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        # The portal opens in the language the candidate applied in, until they switch it.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            row.candidate.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    return response


@require_POST
def sign_out_view(request):
    portal_session_end(request)
    return redirect("portal:start")


@require_GET
@rate_limited("careers")
@portal_required
def application_view(request, application_id):
    application = portal_application(request, application_id)
    candidate = request.portal_candidate
    (overview,) = selectors.portal_overview(candidate, application_id=application.pk)
    context = {
        "application": application,
        "overview": overview,
        "emails": selectors.portal_emails(candidate, application_id=application.pk),
        "zone_options": _zone_form(candidate),
        **sections.application_sections(request, application),
    }
    return _page(request, "application.html", context)


@require_POST
@rate_limited("careers")
@portal_required
def time_zone_view(request):
    """Store the chosen time zone (the script sends the browser's once, when none is stored)."""
    form = TimeZoneForm(request.POST)
    if form.is_valid() and form.cleaned_data["time_zone"]:
        portal_time_zone_set(candidate=request.portal_candidate, time_zone=form.cleaned_data["time_zone"])
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/portal/") and "//" not in back else "portal:home")


@require_GET
@rate_limited("careers")
@portal_required
def interview_ics_view(request, interview_id):
    """The calendar invite of one of the candidate's interviews."""
    interview = portal_interview(request, interview_id)
    response = HttpResponse(interview_ics(interview), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response
