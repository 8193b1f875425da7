"""The interviewer panels: feedback health, load, calibration and panel agreement (from
`selectors.interviewer_figures`)."""

import datetime

from django.utils import timezone

from interviews.models import ScorecardStatus

from .. import figures as fig
from .. import selectors as s
from ..calibration_view import calibration_url
from ..links import (
    INTERVIEW_LIST,
    P_ENDS_BEFORE,
    P_INTERVIEW_INTERVIEWER,
    P_SCORECARD_STATUS,
    P_STARTS_BEFORE,
    P_STARTS_FROM,
    Links,
)
from ..markup import Number
from ..svg import COLORS, Bar, bar_chart, diverging_chart, grid_chart, legend
from . import Panel, cell, num, pct


def feedback_panel(f: s.DashboardFilters, people: fig.InterviewerFigures, links: Links) -> Panel:
    panel = Panel(
        title="Feedback health",
        note=(
            f"Overdue: draft scorecards of interviews that ended more than {s.FEEDBACK_DUE_HOURS} hours ago. "
            "Hours from the end of an interview to the submitted scorecard, interviews of the range."
        ),
        headers=["Interviewer", "Overdue", "Submitted", "Median hours", "90th pct hours"],
        empty="No scorecards in this range.",
        anchor="feedback",
    )
    bars = []
    due = timezone.localtime(f.now - datetime.timedelta(hours=s.FEEDBACK_DUE_HOURS))
    for m in people.members:
        d = people.feedback.get(m.pk, fig.NO_DURATION)
        if not (d.count or m.overdue):
            continue
        # Drafts are private to their author, so the overdue figure links to the interviewer's
        # interviews that ended before the due time rather than to the scorecards themselves.
        overdue_url = links(
            INTERVIEW_LIST,
            **{P_INTERVIEW_INTERVIEWER: m.pk, P_ENDS_BEFORE: due.strftime("%Y-%m-%d %H:%M:%S")},
        )
        submitted_url = links.scorecards_of(m, **{P_SCORECARD_STATUS: ScorecardStatus.SUBMITTED})
        panel.rows.append(
            [
                cell(m.display_name),
                cell(m.overdue, overdue_url),
                cell(d.count, submitted_url),
                cell(num(d.p50)),
                cell(num(d.p90)),
            ]
        )
        bars.append(Bar(m.display_name, m.overdue, overdue_url))
    if bars:
        panel.chart = bar_chart(bars, label="Overdue scorecards per interviewer", color=COLORS[3])
    return panel


def load_panel(f: s.DashboardFilters, people: fig.InterviewerFigures, links: Links) -> Panel:
    weeks = f.weeks()
    labels = [w.strftime("%b %d") for w in weeks]
    panel = Panel(
        title="Interviewer load",
        note="Interviews per interviewer per week (weeks start on Monday): four weeks back, this week and "
        "two ahead. Cancelled interviews and no-shows are left out.",
        headers=["Interviewer", *[f"Week of {label}" for label in labels]],
        empty="No interviews in these six weeks.",
        anchor="load",
    )
    names, values, hrefs = [], [], []
    for m in people.members:
        row = list(m.loads)
        if not any(row):
            continue
        week_links = [
            links(
                INTERVIEW_LIST,
                **{
                    P_INTERVIEW_INTERVIEWER: m.pk,
                    P_STARTS_FROM: w.date().isoformat(),
                    P_STARTS_BEFORE: (w + datetime.timedelta(weeks=1)).date().isoformat(),
                },
            )
            for w in weeks
        ]
        names.append(m.display_name)
        values.append(row)
        hrefs.append(week_links)
        panel.rows.append([cell(m.display_name), *[cell(v, u) for v, u in zip(row, week_links, strict=True)]])
    if names:
        panel.chart = grid_chart(names, labels, values, hrefs, label="Interviews per interviewer per week")
    return panel


def calibration_panel(people: fig.InterviewerFigures, links: Links) -> Panel:
    panel = Panel(
        title="Calibration",
        note=(
            "Submitted scorecards of interviews in the range. Difference: the interviewer's mean score in a "
            "panel (one application in one stage) minus the other panelists' mean there, averaged over the "
            "panels they share (above zero lenient, below zero severe)."
        ),
        headers=[
            "Interviewer",
            "Scorecards",
            "Mean score",
            "Difference",
            "Shared",
            "Strong yes",
            "Strong no",
        ],
        empty="No submitted scorecards in this range.",
        anchor="calibration",
    )
    bars = []
    for m in people.members:
        if not m.scored:
            continue
        shared, diff = people.calibration.get(m.pk, (0, None))
        url = links.scorecards_of(m, **{P_SCORECARD_STATUS: ScorecardStatus.SUBMITTED})
        panel.rows.append(
            [
                cell(m.display_name, calibration_url(m.pk)),
                cell(m.scored, url),
                cell(num(people.means.get(m.pk), 2)),
                cell(Number(diff, "+.2f")),
                cell(shared),
                cell(pct(m.strong_yes, m.scored)),
                cell(pct(m.strong_no, m.scored)),
            ]
        )
        if diff is not None:
            bars.append(Bar(m.display_name, diff, url))
    if bars:
        panel.chart = diverging_chart(bars, label="Mean difference from the other panelists")
        panel.legend = legend([(COLORS[0], "lenient"), (COLORS[2], "severe")])
    return panel


def agreement_panel(sections) -> Panel:
    panel = Panel(
        title="Panel agreement",
        note=(
            "Krippendorff's alpha (interval) per job: the scores panelists of the same interview gave the "
            "same competency. 1 is perfect agreement, 0 no better than chance; below 0.67 is usually read as "
            "unreliable."
        ),
        headers=["Job", "Scores compared", "Alpha"],
        empty="No interview in this range had two panelists scoring the same competency.",
        anchor="agreement",
    )
    bars = []
    for section in sections:
        if not section.agreement:
            continue
        n, alpha = section.agreement
        panel.rows.append([cell(section.name), cell(n, section.agreement_url), cell(num(alpha, 2))])
        bars.append(Bar(section.name, alpha, section.agreement_url, text=num(alpha, 2)))
    if bars:
        panel.chart = diverging_chart(bars, label="Krippendorff's alpha per job")
    return panel
