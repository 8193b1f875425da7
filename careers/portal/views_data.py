"""The candidate's actions on their data and applications: withdraw, download the export, ask
for erasure, change contact details (a new email only once confirmed). Thin: forms check, the
services in careers.portal.services write (with their emails)."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careers.portal import selectors
from careers.portal.forms import DetailsForm, ErasureForm, WithdrawForm
from careers.portal.services import (
    PortalLinkError,
    portal_application_withdraw,
    portal_details_change,
    portal_email_change_confirm,
    portal_email_change_request,
    portal_erasure_request,
    portal_token_check,
)
from careers.portal.session import portal_application, portal_required, portal_session_end
from careers.portal.views import LINK_REQUEST_KEYS, RETRY_AFTER, _page, _start_page
from config.ratelimit import limit_reached, rate_limited
from hiring.models import ApplicationStatus
from hiring.privacy import candidate_export_json


@require_http_methods(["GET", "POST"])
@rate_limited("careers")
@portal_required
def withdraw_view(request, application_id):
    application = portal_application(request, application_id)
    candidate = request.portal_candidate
    if application.status not in (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD):
        return redirect("portal:application", application.pk)
    reasons = selectors.withdrawal_reasons(candidate)
    form = WithdrawForm(request.POST or None, reasons=reasons)
    if request.method == "POST" and form.is_valid():
        application.candidate = candidate
        try:
            portal_application_withdraw(
                application=application, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
            )
        except ValidationError:
            form.add_error(None, _("This application cannot be withdrawn any more."))
        else:
            return redirect("portal:application", application.pk)
    return _page(request, "withdraw.html", {"application": application, "form": form})


def _data_page(request, details=None, erasure=None, status=200, notice=""):
    candidate = request.portal_candidate
    initial = {name: getattr(candidate, name) for name in (*DetailsForm.CHANGEABLE, "email")}
    context = {
        "details": details or DetailsForm(initial=initial),
        "erasure": erasure or ErasureForm(),
        "pending_erasure": candidate.erasure_requests.filter(status="pending").exists(),
        "notice": notice or request.GET.get("done", "")[:20],
    }
    return _page(request, "data.html", context, status=status)


@require_GET
@rate_limited("careers")
@portal_required
def data_view(request):
    return _data_page(request)


@require_GET
@rate_limited("careers")
@portal_required
def export_view(request):
    """Everything held about the candidate (hiring.privacy's export), as a JSON download."""
    candidate = request.portal_candidate
    response = HttpResponse(candidate_export_json(candidate=candidate), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="my-data-{candidate.company.slug}.json"'
    return response


@require_POST
@rate_limited("careers")
@portal_required
def details_view(request):
    candidate = request.portal_candidate
    form = DetailsForm(request.POST)
    if not form.is_valid():
        return _data_page(request, details=form)
    new_email = form.cleaned_data["email"].strip()
    email_changes = new_email.lower() != candidate.email.lower()
    # A link to any address typed: counted like the sign-in link requests (HIRELOOP_RATE_PORTAL).
    if email_changes and limit_reached(request, "portal", keys=LINK_REQUEST_KEYS, methods=("POST",)):
        response = _page(request, "too_many.html", status=429)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    portal_details_change(candidate=candidate, changes=form.changes())
    done = "details"
    if email_changes:
        portal_email_change_request(candidate=candidate, new_email=new_email)
        done = "email"
    return redirect(f"{reverse('portal:data')}?done={done}")


@require_POST
@rate_limited("careers")
@portal_required
def erase_view(request):
    form = ErasureForm(request.POST)
    if not form.is_valid():
        return _data_page(request, erasure=form)
    erasure = portal_erasure_request(candidate=request.portal_candidate)
    if erasure.status == "done":
        portal_session_end(request)
        return _page(request, "erased.html", {"company": None, "candidate": None})
    return redirect(f"{reverse('portal:data')}?done=erasure")


@require_http_methods(["GET", "POST"])
@rate_limited("link")
def confirm_email_view(request, token):
    """The link sent to a new address: GET asks to confirm, POST applies the change."""
    try:
        if request.method == "GET":
            row = portal_token_check(token=token, purpose="email_change")
            context = {"company": row.candidate.company, "token": token, "new_email": row.new_email}
            return _page(request, "confirm_email.html", context)
        candidate = portal_email_change_confirm(token=token)
    except PortalLinkError as exc:
        return _start_page(request, status=410 if exc.code != "unknown" else 404, link_problem=exc.code)
    except ValidationError:
        return _page(request, "confirm_email.html", {"taken": True}, status=409)
    return _page(request, "confirm_email.html", {"company": candidate.company, "done": True})
