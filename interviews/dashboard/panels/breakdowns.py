"""The page-wide application panels: sources and rejection reasons (from
`selectors.pipeline_figures`)."""

from hiring.models import ApplicationStatus, Source

from .. import figures as fig
from .. import selectors as s
from ..links import P_REASON, P_SOURCE, P_STATUS, Links
from ..svg import COLORS, Bar, bar_chart
from . import Panel, cell


def sources_panel(pipeline: fig.PipelineFigures, links: Links, applied: dict) -> Panel:
    panel = Panel(
        title="Sources",
        note="Where the range's applications came from, and how many of them were hired.",
        headers=["Source", "Applications", "Hired"],
        anchor="sources",
    )
    bars = []
    for row in sorted(pipeline.breakdowns[s.SOURCES], key=lambda r: (-r.applications, r.source)):
        label = Source(row.source).label if row.source in Source.values else row.source
        url = links.applications(**{P_SOURCE: row.source, **applied})
        hired_url = links.applications(**{P_SOURCE: row.source, P_STATUS: ApplicationStatus.HIRED, **applied})
        panel.rows.append([cell(label), cell(row.applications, url), cell(row.hired, hired_url)])
        bars.append(Bar(label, row.applications, url))
    if bars:
        panel.chart = bar_chart(bars, label="Applications per source")
    return panel


def reasons_panel(pipeline: fig.PipelineFigures, links: Links, applied: dict) -> Panel:
    panel = Panel(
        title="Rejection and withdrawal reasons",
        note="Why the range's applications closed without a hire.",
        headers=["Reason", "Who", "Applications"],
        empty="No application of the range was rejected or withdrawn.",
        anchor="reasons",
    )
    bars = []
    for row in sorted(pipeline.breakdowns[s.REASONS], key=lambda r: (-r.applications, r.name, r.reason_id)):
        url = links.applications(**{P_REASON: row.reason_id, **applied})
        who = "Candidate" if row.kind == "candidate" else "Company"
        panel.rows.append([cell(row.name), cell(who), cell(row.applications, url)])
        bars.append(Bar(row.name, row.applications, url))
    if bars:
        panel.chart = bar_chart(bars, label="Applications per reason", color=COLORS[2])
    return panel
