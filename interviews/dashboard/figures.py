"""What the dashboard's selectors return: one named type per kind of row, so the panels read
figures by name (`selectors` fills them from the rows of its statements)."""

from dataclasses import dataclass
from typing import NamedTuple


@dataclass
class StageFigures:
    """One stage of a job in view: `reached` (cohort applications that ever entered it), `active`
    and `on_hold` (in the stage now) and `stuck` (active and longer in it than its SLA)."""

    pk: int
    company_id: int
    job_id: int
    position: int
    name: str
    kind: str
    sla_days: int
    reached: int = 0
    active: int = 0
    on_hold: int = 0
    stuck: int = 0


class Duration(NamedTuple):
    """How many stays (or hires, or scorecards) and their median and 90th percentile."""

    count: int
    p50: float | None
    p90: float | None


NO_DURATION = Duration(0, None, None)


class OutcomeCounts(NamedTuple):
    job_id: int
    applications: int
    active: int
    on_hold: int
    rejected: int
    withdrawn: int
    hired: int


class SourceCounts(NamedTuple):
    source: str
    applications: int
    hired: int


class ReasonCounts(NamedTuple):
    reason_id: int
    name: str
    kind: str
    applications: int


class Calibration(NamedTuple):
    panels: int  # panels shared with other interviewers
    difference: float  # mean difference from the other panelists there


class Agreement(NamedTuple):
    scores: int  # pairable scores
    alpha: float | None


@dataclass
class PipelineFigures:
    """The application side of the dashboard (see `pipeline_figures`)."""

    stages: list[StageFigures]
    durations: dict[tuple[int, int], Duration]
    breakdowns: dict[int, list]  # OUTCOMES: [OutcomeCounts], SOURCES: [SourceCounts], REASONS: [ReasonCounts]


@dataclass
class MemberFigures:
    """One interviewer with figures in view (see `interviewer_figures`)."""

    pk: int
    company_id: int
    display_name: str
    overdue: int = 0
    scored: int = 0
    strong_yes: int = 0
    strong_no: int = 0
    loads: tuple[int, ...] = ()

    def __getattr__(self, name):
        # load_0 .. load_6, as the template and the panels read them
        if name.startswith("load_") and name[5:].isdigit():
            return self.loads[int(name[5:])]
        raise AttributeError(name)


@dataclass
class InterviewerFigures:
    """The interviewer side of the dashboard (see `interviewer_figures`)."""

    members: list[MemberFigures]
    feedback: dict[int, Duration]  # membership id: hours to the submitted scorecard
    calibration: dict[int, Calibration]  # membership id
    means: dict[int, float]  # membership id: mean score
    agreement: dict[int, Agreement]  # job id


@dataclass
class Summary:
    """The company summary on top of the page, now: open applications (active or on hold), stuck
    ones (active, past their stage's SLA), hires this calendar quarter so far and last quarter."""

    open: int = 0
    stuck: int = 0
    hires_this_quarter: int = 0
    hires_last_quarter: int = 0


class StuckApplication(NamedTuple):
    """One of the longest-stuck applications: active and past its stage's SLA."""

    application_id: int
    candidate: str
    job_id: int
    job: str
    stage: str
    sla_days: int
    days: float  # in the stage, now


@dataclass
class ActivityFigures:
    """The summary, the weekly trends and which jobs had activity (see `activity_figures`)."""

    summary: Summary
    weeks: list  # the first day (Monday) of each trend week, oldest first
    trends: dict[int, list[int]]  # APPLIED / MOVED / HIRED: one count per week, zeros included
    active_job_ids: set[int]  # jobs with an application or a stage change in the date range
    stuck: list[StuckApplication]  # longest in their stage first
