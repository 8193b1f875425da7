"""The candidate-experience survey on the dashboard: the average score and the number of answers
per job and stage, over the range's answers (interviews.handins.SurveyAnswer, anonymous)."""

from dataclasses import dataclass

from django.db.models import Avg, Count

from interviews.handins import SurveyAnswer

from .panels import Panel, cell, num
from .selectors import DashboardFilters
from .svg import Bar, bar_chart

# Below this many answers a group's average is not shown: with one or two answers, the staff who
# know which candidates were decided there could tell whose answer it is.
SURVEY_MIN_ANSWERS = 3


@dataclass(frozen=True)
class SurveyRow:
    job_id: int
    job_title: str
    stage_id: int
    stage_name: str
    stage_position: int
    answers: int
    average: float


def survey_figures(f: DashboardFilters) -> list[SurveyRow]:
    """Average score and count of the range's survey answers, per job and stage (one query)."""
    qs = SurveyAnswer.objects.filter(answered_on__gte=f.date_from, answered_on__lte=f.date_to)
    if f.company_ids is not None:
        qs = qs.filter(company_id__in=f.company_ids)
    if f.job_id is not None:
        qs = qs.filter(job_id=f.job_id)
    rows = (
        qs.values("job_id", "job__title", "stage_id", "stage__name", "stage__position")
        .annotate(answers=Count("id"), average=Avg("score"))
        .order_by("job__title", "job_id", "stage__position", "stage_id")
    )
    return [
        SurveyRow(
            job_id=r["job_id"],
            job_title=r["job__title"],
            stage_id=r["stage_id"],
            stage_name=r["stage__name"],
            stage_position=r["stage__position"],
            answers=r["answers"],
            average=float(r["average"]),
        )
        for r in rows
    ]


def survey_panel(rows: list[SurveyRow]) -> Panel:
    panel = Panel(
        title="Candidate experience",
        note="What candidates answered after a decision (1 to 5), per job and the stage decided. "
        "Answers are anonymous: no candidate and no interviewer is named, and a stage with fewer "
        f"than {SURVEY_MIN_ANSWERS} answers shows no average.",
        headers=["Job", "Stage", "Answers", "Average (1–5)"],
        empty="No candidate answered the survey in this range.",
        anchor="survey",
    )
    bars = []
    for r in rows:
        if r.answers < SURVEY_MIN_ANSWERS:
            panel.rows.append(
                [cell(r.job_title), cell(r.stage_name), cell(r.answers), cell("too few answers")]
            )
            continue
        panel.rows.append([cell(r.job_title), cell(r.stage_name), cell(r.answers), cell(num(r.average))])
        bars.append(Bar(f"{r.job_title}: {r.stage_name}", round(r.average, 1), ""))
    if bars:
        panel.chart = bar_chart(bars, label="Average score")
    return panel
