"""The portal session: the one place that says who the visitor is, and the one place that scopes
what they may open.

A sign-in link (careers.portal.services.portal_token_use) starts a session bound to one
candidate, hence to that candidate's company, for HIRELOOP_PORTAL_SESSION_DAYS days. Every portal
view is wrapped in `portal_required`, which sets `request.portal_candidate`; every view that takes
an id looks it up through `portal_application` (or `portal_interview`), which answers 404 for
anything that is not the candidate's own. tests/portal/test_isolation_walk.py crosses it.
"""

import datetime
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

from hiring.models import Application, Candidate
from interviews.kits import kit_is_candidate_facing
from interviews.models import Interview

SESSION_CANDIDATE = "portal_candidate_id"
SESSION_STARTED = "portal_started_at"  # ISO timestamp, to end the session after its lifetime


def session_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.HIRELOOP_PORTAL_SESSION_DAYS)


def portal_session_start(request, candidate: Candidate) -> None:
    """Bind the browser's session to `candidate` (a new session key: no fixation)."""
    lifetime = int(session_lifetime().total_seconds())
    if request.user.is_authenticated:
        # A staff login shares this browser's session: the portal must not lengthen it.
        lifetime = min(lifetime, request.session.get_expiry_age())
    request.session.cycle_key()
    request.session[SESSION_CANDIDATE] = candidate.pk
    request.session[SESSION_STARTED] = timezone.now().isoformat()
    request.session.set_expiry(lifetime)


def portal_session_end(request) -> None:
    """Forget the candidate (a staff login in the same browser stays)."""
    for key in (SESSION_CANDIDATE, SESSION_STARTED):
        request.session.pop(key, None)
    request.session.cycle_key()


def portal_session_candidate(request) -> Candidate | None:
    """The candidate of a valid portal session (one query), else None. A session past its
    lifetime, or of a candidate erased or deleted since, is ended."""
    candidate_id = request.session.get(SESSION_CANDIDATE)
    if not candidate_id:
        return None
    try:
        started = datetime.datetime.fromisoformat(request.session.get(SESSION_STARTED, ""))
    except (TypeError, ValueError):
        started = None
    candidate = None
    if started is not None and timezone.now() - started < session_lifetime():
        candidate = (
            Candidate.objects.select_related("company")
            .filter(pk=candidate_id, anonymised_at__isnull=True)
            .first()
        )
    if candidate is None:
        portal_session_end(request)
    return candidate


def portal_required(view):
    """View decorator: without a valid portal session, redirect to `portal:start`; with one, set
    `request.portal_candidate` (its company is `request.portal_candidate.company`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        candidate = portal_session_candidate(request)
        if candidate is None:
            return redirect("portal:start")
        request.portal_candidate = candidate
        return view(request, *args, **kwargs)

    return wrapped


def portal_application(request, application_id: int) -> Application:
    """The signed-in candidate's application `application_id` (with its job, stage and company),
    or Http404: another candidate's, another company's or an unknown id all look the same."""
    application = (
        Application.objects.select_related("job", "stage", "company")
        .filter(pk=application_id, candidate_id=request.portal_candidate.pk)
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def portal_interview(request, interview_id: int) -> Interview:
    """One of the signed-in candidate's interviews (kit, application and job loaded), or Http404.
    Interviews of internal sessions (a kit the candidate takes no part in) are never theirs."""
    interview = (
        Interview.objects.select_related("kit", "application__job", "application__candidate")
        .filter(pk=interview_id, application__candidate_id=request.portal_candidate.pk)
        .first()
    )
    if interview is None or not kit_is_candidate_facing(interview.kit):
        raise Http404("No such interview.")
    return interview
