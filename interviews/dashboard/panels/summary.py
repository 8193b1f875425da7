"""The panels on top of the page: the company summary, the 12-week trends and the longest-stuck
applications (from `activity.activity_figures`)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from hiring.models import ApplicationStatus

from .. import activity as a
from .. import figures as fig
from .. import selectors as s
from ..links import OVERDUE_YES, P_OVERDUE, P_STATUS, Links
from ..svg import grid_chart
from . import Panel, cell

SUMMARY_TEMPLATE = "admin/dashboard/summary.html"
P_HIRED_FROM = "hired_at__gte"
P_HIRED_BEFORE = "hired_at__lt"


def summary_panel(f: s.DashboardFilters, activity: fig.ActivityFigures, overdue: int, links: Links) -> Panel:
    """Open, stuck, overdue feedback and hires this quarter against last, as figures a manager
    reads at a glance (each linked to its list)."""
    this_quarter, last_quarter = a.quarter_starts(timezone.localtime(f.now).date())
    figures = activity.summary
    panel = Panel(
        title="Summary",
        note="Now, whatever the date range: applications open (active or on hold), stuck past their "
        f"stage's SLA, scorecards overdue ({s.FEEDBACK_DUE_HOURS} hours after the interview), hires "
        "this calendar quarter so far and in the whole of the last one.",
        headers=["Figure", "Now"],
        anchor="summary",
        template_name=SUMMARY_TEMPLATE,
    )
    hired = {P_STATUS: ApplicationStatus.HIRED}
    panel.rows = [
        [cell("Open applications"), cell(figures.open, links.applications())],
        [cell("Stuck"), cell(figures.stuck, links.applications(**{P_OVERDUE: OVERDUE_YES}))],
        [cell("Overdue feedback"), cell(overdue, "#feedback")],
        [
            cell("Hires this quarter"),
            cell(
                figures.hires_this_quarter,
                links.applications(**hired, **{P_HIRED_FROM: this_quarter.isoformat()}),
            ),
        ],
        [
            cell("Hires last quarter"),
            cell(
                figures.hires_last_quarter,
                links.applications(
                    **hired,
                    **{P_HIRED_FROM: last_quarter.isoformat(), P_HIRED_BEFORE: this_quarter.isoformat()},
                ),
            ),
        ],
    ]
    return panel


def trends_panel(activity: fig.ActivityFigures, links: Links) -> Panel:
    weeks = activity.weeks
    labels = [w.strftime("%b %d") for w in weeks]
    panel = Panel(
        title=f"Trends ({a.TREND_WEEKS} weeks)",
        note=f"Per week (weeks start on Monday), the {a.TREND_WEEKS} weeks up to the end of the range: "
        "applications received, moves from one stage to another and hires.",
        headers=["Week of", *a.TREND_SERIES.values()],
        anchor="trends",
    )
    applied, moved, hired = (activity.trends[k] for k in a.TREND_SERIES)
    hrefs: dict[int, list[str]] = {k: [] for k in a.TREND_SERIES}
    for k, week in enumerate(weeks):
        start, end = week.isoformat(), (week + datetime.timedelta(weeks=1)).isoformat()
        applied_url = links.applications(applied_at__gte=start, applied_at__lt=end)
        hired_url = links.applications(
            **{P_STATUS: ApplicationStatus.HIRED, P_HIRED_FROM: start, P_HIRED_BEFORE: end}
        )
        hrefs[a.APPLIED].append(applied_url)
        hrefs[a.MOVED].append("")  # no list of stage changes to open
        hrefs[a.HIRED].append(hired_url)
        panel.rows.append(
            [cell(week.isoformat()), cell(applied[k], applied_url), cell(moved[k]), cell(hired[k], hired_url)]
        )
    panel.chart = grid_chart(
        list(a.TREND_SERIES.values()),
        labels,
        [applied, moved, hired],
        [hrefs[k] for k in a.TREND_SERIES],
        label="Applications, moves and hires per week",
        per_row=True,
    )
    return panel


def stuck_panel(activity: fig.ActivityFigures) -> Panel:
    """The applications longest past their stage's SLA, longest first."""
    panel = Panel(
        title="Stuck longest",
        note=f"The {a.STUCK_SHOWN} active applications longest in their stage among those past the "
        "stage's SLA, now.",
        headers=["Candidate", "Job", "Stage", "Days in stage", "SLA (days)"],
        empty="No application is past its stage's SLA.",
        anchor="stuck",
    )
    for app in activity.stuck:
        url = reverse("admin:hiring_application_change", args=[app.application_id])
        panel.rows.append(
            [
                cell(app.candidate, url),
                cell(app.job),
                cell(app.stage),
                cell(int(app.days)),
                cell(app.sla_days),
            ]
        )
    if activity.summary.stuck > len(activity.stuck):
        panel.note += (
            f" All {activity.summary.stuck} stuck applications are in the list linked from the summary."
        )
    return panel
