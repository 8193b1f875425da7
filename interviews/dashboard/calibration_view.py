"""The calibration page of one interviewer, /admin/dashboard/calibration/<membership id>/: for
company admins and hiring managers of the interviewer's company (and superusers). Figures come
from `calibration.interviewer_calibration`."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from hiring.admin_scoping import request_roles
from hiring.models import Membership
from hiring.roles import CALIBRATORS

from .calibration import interviewer_calibration


def calibration_url(member_id: int) -> str:
    return reverse("admin:dashboard_calibration", args=[member_id])


def calibration_view(request, member_id: int, *, admin_site):
    """One interviewer's calibration; 404 outside the viewer's companies, 403 to other roles."""
    member = Membership.objects.select_related("company").filter(pk=member_id).first()
    roles = request_roles(request)
    if member is None or not (request.user.is_superuser or member.company_id in roles):
        raise Http404("No such interviewer.")
    if not request.user.is_superuser and roles[member.company_id] not in CALIBRATORS:
        raise PermissionDenied("Calibration pages are for company admins and hiring managers.")
    figures = interviewer_calibration(member=member, user=request.user, roles=roles, now=timezone.now())
    context = {
        **admin_site.each_context(request),
        "title": f"Calibration: {member.display_name}",
        "figures": figures,
        "dashboard_url": reverse("admin:dashboard") + "#calibration",
    }
    return TemplateResponse(request, "admin/dashboard/calibration.html", context)
