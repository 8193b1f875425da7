"""The panels of each job in view: funnel, velocity and outcomes (from `selectors.pipeline_figures`)."""

from dataclasses import dataclass, field

from hiring.models import ApplicationStatus, StageKind

from .. import figures as fig
from .. import selectors as s
from ..links import OVERDUE_YES, P_JOB, P_OVERDUE, P_STAGE, P_STATUS, Links
from ..markup import Number
from ..svg import COLORS, LIGHT, Bar, bar_chart, legend
from . import Panel, cell, num, panel_runs, pct


@dataclass
class JobSection:
    """One job's part of the page: its panels, and what the page-wide panels take from it."""

    job: object
    name: str
    panels: list[Panel]
    agreement: fig.Agreement | None
    agreement_url: str
    stuck: list[tuple[str, fig.StageFigures, str]] = field(default_factory=list)  # (job name, stage, url)

    @property
    def panel_runs(self) -> list[dict]:
        return panel_runs(self.panels)


def job_sections(
    jobs, pipeline: fig.PipelineFigures, agreement: dict, *, links: Links, applied: dict, multi_company: bool
) -> list[JobSection]:
    """One section per job with stages, in the order of `jobs`."""
    by_job: dict[int, list[fig.StageFigures]] = {job.pk: [] for job in jobs}
    for stage in pipeline.stages:
        if stage.job_id in by_job:
            by_job[stage.job_id].append(stage)
    outcomes = {row.job_id: row for row in pipeline.breakdowns[s.OUTCOMES]}
    sections = []
    for job in jobs:
        plan = by_job[job.pk]
        if not plan:
            continue
        name = f"{job.title} ({job.company.name})" if multi_company else job.title
        section = JobSection(
            job=job,
            name=name,
            panels=[],
            agreement=agreement.get(job.pk),
            # The scorecard list has no job filter: the job's applications carry their panels.
            agreement_url=links.applications(**{P_JOB: job.pk, **applied}),
        )
        section.panels = [
            _funnel_panel(job, name, plan, section, links=links, applied=applied),
            _velocity_panel(job, name, plan, pipeline.durations, links=links, applied=applied),
            _outcomes_panel(job, name, plan, outcomes.get(job.pk), links=links, applied=applied),
        ]
        sections.append(section)
    return sections


def _funnel_panel(job, name, plan, section: JobSection, *, links: Links, applied: dict) -> Panel:
    panel = Panel(
        title="Funnel",
        note="Applications of the range that reached each stage; in stage now counts every open one.",
        headers=["Stage", "Reached", "On to next", "In stage now", "On hold", "Stuck"],
        anchor=f"funnel-{job.pk}",
    )
    # The application list has no "passed through this stage" filter: flow figures link to the
    # job's applications of the range, "now" figures to the stage's applications.
    cohort_url = links.applications(**{P_JOB: job.pk, **applied})
    bars = []
    for i, stage in enumerate(plan):
        nxt = plan[i + 1] if i + 1 < len(plan) else None
        in_stage = {P_JOB: job.pk, P_STAGE: stage.pk}
        stuck_url = links.applications(**in_stage, **{P_OVERDUE: OVERDUE_YES})
        bars.append(Bar(stage.name, stage.reached, cohort_url))
        panel.rows.append(
            [
                cell(stage.name),
                cell(stage.reached, cohort_url),
                cell(pct(nxt.reached, stage.reached) if nxt else Number(None)),
                cell(stage.active, links.applications(**in_stage, **{P_STATUS: ApplicationStatus.ACTIVE})),
                cell(stage.on_hold, links.applications(**in_stage, **{P_STATUS: ApplicationStatus.ON_HOLD})),
                cell(stage.stuck, stuck_url),
            ]
        )
        if stage.stuck:
            section.stuck.append((name, stage, stuck_url))
    panel.chart = bar_chart(bars, label=f"Funnel of {name}")
    return panel


def _velocity_panel(job, name, plan, durations: dict, *, links: Links, applied: dict) -> Panel:
    panel = Panel(
        title="Velocity (days)",
        note="Days in each stage: median and 90th percentile of the finished stays of the range's "
        "applications.",
        headers=["Stage", "Stays", "Median", "90th pct"],
        anchor=f"velocity-{job.pk}",
    )
    cohort_url = links.applications(**{P_JOB: job.pk, **applied})
    hired_url = links.applications(**{P_JOB: job.pk, P_STATUS: ApplicationStatus.HIRED, **applied})
    lines = [
        (stage.name, durations.get((s.STAGE_DAYS, stage.pk), fig.NO_DURATION), cohort_url) for stage in plan
    ]
    lines.append(("Application to hire", durations.get((s.HIRE_DAYS, job.pk), fig.NO_DURATION), hired_url))
    bars = []
    for label, d, url in lines:
        panel.rows.append([cell(label), cell(d.count, url), cell(num(d.p50)), cell(num(d.p90))])
        bars.append(Bar(label, d.p50, url, text=(num(d.p50), num(d.p90)), secondary=d.p90))
    panel.chart = bar_chart(bars, label=f"Days per stage of {name}", color=COLORS[1])
    panel.legend = legend([(COLORS[1], "median"), (LIGHT, "90th percentile")])
    return panel


def _outcomes_panel(
    job, name, plan, counts: fig.OutcomeCounts | None, *, links: Links, applied: dict
) -> Panel:
    counts = counts or fig.OutcomeCounts(job.pk, 0, 0, 0, 0, 0, 0)
    offers = sum(st.reached for st in plan if st.kind == StageKind.OFFER)
    lines = [
        ("Applications", counts.applications, {}),
        ("Offers (reached an offer stage)", offers, None),
        ("Hired", counts.hired, {P_STATUS: ApplicationStatus.HIRED}),
        ("Withdrawn", counts.withdrawn, {P_STATUS: ApplicationStatus.WITHDRAWN}),
        ("Rejected", counts.rejected, {P_STATUS: ApplicationStatus.REJECTED}),
        ("Active", counts.active, {P_STATUS: ApplicationStatus.ACTIVE}),
        ("On hold", counts.on_hold, {P_STATUS: ApplicationStatus.ON_HOLD}),
    ]
    panel = Panel(title="Outcomes", headers=["Outcome", "Applications"], anchor=f"outcomes-{job.pk}")
    bars = []
    for label, value, params in lines:
        url = links.applications(**{P_JOB: job.pk, **applied, **params}) if params is not None else ""
        panel.rows.append([cell(label), cell(value, url)])
        bars.append(Bar(label, value, url))
    panel.chart = bar_chart(bars, label=f"Outcomes of {name}", color=COLORS[4])
    return panel
