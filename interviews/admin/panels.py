"""The interviews panel of the application page: interviews, the panel's score matrix, red flags,
competencies nobody covered, the hire-bar verdict per stage and the decisions taken."""

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from hiring.admin.extensions import (
    PANEL_INTERVIEWS,
    register_application_action,
    register_application_list,
    register_application_panel,
    register_plan_annotation,
)
from hiring.admin_scoping import request_roles
from hiring.json_rows import json_rows, own_fields, read_with, rows_from_json
from hiring.models import ApplicationStatus
from hiring.roles import DECIDERS, READERS, SCHEDULERS
from interviews.models import Decision, InterviewKit
from interviews.selectors import application_scores, decisions_visible_to

OPEN_STATUSES = (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)


def _has_kits():
    return Exists(InterviewKit.objects.filter(stage_id=OuterRef("pk")))


# The loop verdict reads which stages have a hire bar from the page's plan (no query of its own).
register_plan_annotation("has_hire_bar", _has_kits)


def _decisions_rows(request):
    decisions = decisions_visible_to(
        request.user, Decision.objects.filter(application_id=OuterRef("pk")), roles=request_roles(request)
    )
    return json_rows(decisions, group="application_id", fields=[*own_fields(Decision), "stage__name"])


# Read with the application on its page (hiring.json_rows).
register_application_list("page_decisions", _decisions_rows)


def _may(request, application) -> tuple[bool, bool]:
    """(may schedule, may decide) on this application, from the roles read with the user."""
    role = request_roles(request).get(application.company_id)
    superuser = request.user.is_superuser
    return (
        (superuser or role in SCHEDULERS) and application.status in OPEN_STATUSES,
        (superuser or role in DECIDERS) and application.status == ApplicationStatus.ACTIVE,
    )


@register_application_action
def interviews_actions(request, application) -> str:
    """The schedule and decide links of the page's actions bar, prefilled with the application."""
    can_schedule, can_decide = _may(request, application)
    links = []
    if can_schedule:
        links.append(("admin:interviews_interview_add", "hl-schedule", "Schedule interview"))
    if can_decide:
        links.append(("admin:interviews_decision_add", "hl-decide", "Record decision"))
    return format_html_join(
        " ",
        '<a class="button {}" href="{}?application={}">{}</a>',
        ((css, reverse(name), application.pk, label) for name, css, label in links),
    ) or format_html("")


@register_application_panel(position=PANEL_INTERVIEWS)
def interviews_panel(request, application) -> str:
    """Safe HTML for the application page; a constant number of queries whatever the panel size."""
    roles = request_roles(request)
    role = roles.get(application.company_id)
    superuser = request.user.is_superuser
    if not superuser and role not in READERS:
        return ""
    scores = application_scores(
        application=application, user=request.user, roles=roles, plan=getattr(application, "plan", None)
    )
    read = read_with(application, "page_decisions")
    if read is not None:
        decisions = sorted(rows_from_json(Decision, read), key=lambda d: (d.decided_at, d.pk))
    else:
        decisions = list(
            decisions_visible_to(
                request.user, Decision.objects.filter(application_id=application.pk), roles=roles
            )
            .select_related("stage")
            .order_by("decided_at")
        )
    context = {"application": application, "scores": scores, "decisions": decisions}
    return render_to_string("interviews/admin/application_panel.html", context, request=request)
