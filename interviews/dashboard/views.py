"""The manager dashboard at /admin/dashboard/: filters, then one panel per question a hiring
manager asks. Figures come from `selectors` (one function per set of figures); the panels
(`panels/`) shape them into charts, tables and links to the admin lists behind them; this module
reads the filters and puts the page together.

To add a panel: a selector function for its figures (or a new part of an existing statement, see
`selectors`), a function in `panels/` that returns a `Panel`, and a line in `_panels` below; a panel
that needs more than a chart and a table names its own template extending
`admin/dashboard/panel.html` (a template draws a list of panels: see `panels`).

Every panel's table is also a CSV file: the page's URL with `panel=<the panel's anchor>&format=csv`,
the same filters and scoping (see `export`).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone

from hiring.admin_scoping import company_ids_for, request_roles
from hiring.roles import READERS

from . import selectors as s
from .activity import activity_figures
from .export import panel_csv
from .forms import DashboardFilterForm
from .gates import gate_pass_rates, gates_panel
from .links import Links, applied_in
from .panels import panel_runs
from .panels.breakdowns import reasons_panel, sources_panel
from .panels.interviewers import agreement_panel, calibration_panel, feedback_panel, load_panel
from .panels.jobs import job_sections
from .panels.summary import stuck_panel, summary_panel, trends_panel
from .survey import survey_figures, survey_panel

DEFAULT_DAYS = 90
MAX_JOB_SECTIONS = 30  # per-job panels shown at once; choose a company or a job to see the others
MAX_QUIET_JOBS = 100  # jobs without activity named in their one line; the others are counted


def may_see_dashboard(request) -> bool:
    """Company admins, hiring managers and recruiters of some company, and superusers."""
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return user.is_superuser or bool(company_ids_for(request, READERS))


def dashboard_view(request, *, admin_site):
    """The dashboard page; interviewers and users without a reading role get 403."""
    if not may_see_dashboard(request):
        raise PermissionDenied("The dashboard is for company admins, hiring managers and recruiters.")
    allowed = None if request.user.is_superuser else tuple(sorted(company_ids_for(request, READERS)))
    jobs = s.dashboard_jobs(allowed)
    companies = list({job.company_id: job.company for job in jobs}.values())
    today = timezone.localdate()
    params = request.GET.copy()
    params.setdefault("date_to", today.isoformat())
    params.setdefault("date_from", (today - datetime.timedelta(days=DEFAULT_DAYS - 1)).isoformat())
    form = DashboardFilterForm(params, jobs=jobs, companies=companies)
    # Invalid values (another company's job, a bad date) are reported on the form and ignored.
    form.is_valid()
    data = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
    date_to = data.get("date_to") or today
    date_from = data.get("date_from") or date_to - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if date_from > date_to:
        date_from = date_to
    company_ids = (data["company"],) if data.get("company") else allowed
    filters = s.DashboardFilters(
        company_ids=company_ids,
        job_id=data.get("job"),
        date_from=date_from,
        date_to=date_to,
        now=timezone.now(),
    )
    activity = activity_figures(filters)
    jobs_in_view = [
        job
        for job in jobs
        if (company_ids is None or job.company_id in company_ids)
        and (filters.job_id is None or job.pk == filters.job_id)
    ]
    # A job chosen in the filter is always drawn; under "All jobs" the jobs without an application
    # or a stage change in the range are named in one line instead of a block each.
    busy = [job for job in jobs_in_view if filters.job_id or job.pk in activity.active_job_ids]
    quiet = [job for job in jobs_in_view if not (filters.job_id or job.pk in activity.active_job_ids)]
    shown = busy[:MAX_JOB_SECTIONS]
    sections, top, panels = _panels(
        filters,
        shown,
        activity,
        multi_company=len(companies) > 1,
        company_id=data.get("company"),
        user=request.user,
        roles=request_roles(request),
    )
    query = request.GET.copy()
    for name in ("panel", "format"):
        query.pop(name, None)
    if request.GET.get("format") == "csv":
        every = [*top, *(p for section in sections for p in section.panels), *panels]
        wanted = next((p for p in every if p.anchor == request.GET.get("panel")), None)
        if wanted is None:
            raise Http404("No such panel on the dashboard.")
        return panel_csv(wanted, date_from=filters.date_from, date_to=filters.date_to)
    multi = len(companies) > 1
    context = {
        **admin_site.each_context(request),
        "title": "Dashboard",
        "form": form,
        "filters": filters,
        "top_panel_runs": panel_runs(top),
        "top_panels": top,
        "job_sections": sections,
        "panels": panels,
        "panel_runs": panel_runs(panels),
        "multi_company": multi,
        "jobs_not_shown": len(busy) - len(shown),
        "quiet_jobs": [_quiet_job(job, query, multi=multi) for job in quiet[:MAX_QUIET_JOBS]],
        "quiet_jobs_count": len(quiet),
        "csv_query": query.urlencode(),
    }
    return TemplateResponse(request, "admin/dashboard.html", context)


def _quiet_job(job, query, *, multi: bool) -> dict:
    """A job without activity: its name and the dashboard filtered to it."""
    params = query.copy()
    params["job"] = job.pk
    name = f"{job.title} ({job.company.name})" if multi else job.title
    return {"name": name, "url": f"?{params.urlencode()}"}


def _panels(
    f: s.DashboardFilters,
    jobs,
    activity,
    *,
    multi_company: bool,
    company_id: int | None,
    user,
    roles,
):
    """The job sections (one per job with stages, in `jobs` order), the panels on top of them
    (summary, trends, stuck list) and the page-wide panels under them."""
    pipeline = s.pipeline_figures(f, job_ids=[job.pk for job in jobs])
    people = s.interviewer_figures(f, user=user, roles=roles)
    links = Links(company_id=company_id)
    applied = applied_in(f)
    sections = job_sections(
        jobs, pipeline, people.agreement, links=links, applied=applied, multi_company=multi_company
    )
    overdue = sum(member.overdue for member in people.members)
    top = [summary_panel(f, activity, overdue, links), trends_panel(activity, links), stuck_panel(activity)]
    panels = [
        feedback_panel(f, people, links),
        load_panel(f, people, links),
        calibration_panel(people, links),
        agreement_panel(sections),
        gates_panel(gate_pass_rates(f, user=user, roles=roles)),
        sources_panel(pipeline, links, applied),
        reasons_panel(pipeline, links, applied),
        survey_panel(survey_figures(f)),
    ]
    return sections, top, panels
