"""Reads for the manager dashboard. Every figure is an aggregate computed by the database.

Which rows a figure counts:

- *Flow* figures follow the applications that applied within the date range (a cohort): stages
  reached, pass-through rates, days per stage, application to hire, sources, rejection reasons
  and outcomes. Feedback turnaround and calibration follow the interviews that ended in the range.
- *Now* figures describe the present, whatever the range: applications in each stage, stuck
  applications, overdue scorecards and the interviewer load (four weeks back to two ahead).

The page runs a fixed number of statements, whatever the data size: `dashboard_jobs`, then
`activity.activity_figures` (the summary, the weekly trends, the jobs with activity and the
longest-stuck applications), `pipeline_figures` (every application figure) and `interviewer_figures` (every
interviewer figure), each one statement whose parts are UNION ALL branches over shared CTEs.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Job,
    Membership,
    RejectionReason,
    Stage,
    StageChange,
)
from hiring.selectors import application_overdue_q
from interviews.models import (
    InterviewKit,
    InterviewStatus,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from interviews.selectors import scorecard_visibility

from .db import UnionColumns, days_sql, fetch_rows, percentile_sql
from .figures import (
    Agreement,
    Calibration,
    Duration,
    InterviewerFigures,
    MemberFigures,
    OutcomeCounts,
    PipelineFigures,
    ReasonCounts,
    SourceCounts,
    StageFigures,
)
from .stats import alpha_from_sums

# A scorecard is overdue when its interview ended this long ago and it is still a draft.
FEEDBACK_DUE_HOURS = 24
LOAD_WEEKS_BACK = 4
LOAD_WEEKS_AHEAD = 2
ONE_WEEK = datetime.timedelta(weeks=1)
CLOSING_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.HIRED)
NOT_HELD = (InterviewStatus.CANCELLED, InterviewStatus.NO_SHOW)

# Kinds of durations and of breakdowns.
STAGE_DAYS, HIRE_DAYS, FEEDBACK_HOURS = 1, 2, 3
OUTCOMES, SOURCES, REASONS = 1, 2, 3


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard shows: companies (None: every company), one job or all, a date range
    (both days included) and the moment "now" figures are measured at."""

    company_ids: tuple[int, ...] | None
    job_id: int | None
    date_from: datetime.date
    date_to: datetime.date
    now: datetime.datetime

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date_from, datetime.time.min))

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the range."""
        day_after = self.date_to + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day_after, datetime.time.min))

    def weeks(self) -> list[datetime.datetime]:
        """Start of each load week (Monday 00:00): four weeks back, this week and two ahead."""
        today = timezone.localtime(self.now).date()
        monday = today - datetime.timedelta(days=today.weekday())
        first = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
        return [first + datetime.timedelta(weeks=k) for k in range(-LOAD_WEEKS_BACK, LOAD_WEEKS_AHEAD + 1)]


def _scoped(queryset, filters: DashboardFilters, *, company: str, job: str | None):
    if filters.company_ids is not None:
        queryset = queryset.filter(**{f"{company}__in": filters.company_ids})
    if filters.job_id is not None and job is not None:
        queryset = queryset.filter(**{job: filters.job_id})
    return queryset


def dashboard_jobs(company_ids: tuple[int, ...] | None) -> list[Job]:
    """Jobs of the given companies (None: all) with their company, for the filter and the panels."""
    jobs = Job.objects.select_related("company").order_by("company__name", "title", "pk")
    if company_ids is not None:
        jobs = jobs.filter(company_id__in=company_ids)
    return list(jobs)


def cohort(filters: DashboardFilters):
    """Applications in view that applied within the date range."""
    apps = _scoped(Application.objects.order_by(), filters, company="company_id", job="job_id")
    return apps.filter(applied_at__gte=filters.start, applied_at__lt=filters.end)


def _sql(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


# Outcome counts: the column and the status it counts, in the order of the statement's parameters.
OUTCOME_STATUSES = {
    "active": ApplicationStatus.ACTIVE,
    "on_hold": ApplicationStatus.ON_HOLD,
    "rejected": ApplicationStatus.REJECTED,
    "withdrawn": ApplicationStatus.WITHDRAWN,
    "hired": ApplicationStatus.HIRED,
}
# The branches of pipeline_figures' statement and the named values each fills.
PIPELINE_ROWS = UnionColumns(texts=2, ints=8, floats=2)
STAGE_ROW = PIPELINE_ROWS.part(
    1,
    texts=("name", "kind"),
    ints=("company_id", "job_id", "position", "sla_days", "reached", "active", "on_hold", "stuck"),
)
DURATION_ROW = PIPELINE_ROWS.part(2, ints=("kind", "count"), floats=("p50", "p90"))
OUTCOMES_ROW = PIPELINE_ROWS.part(
    3, ints=("applications", "active", "on_hold", "rejected", "withdrawn", "hired")
)
SOURCES_ROW = PIPELINE_ROWS.part(4, texts=("source",), ints=("applications", "hired"))
REASONS_ROW = PIPELINE_ROWS.part(5, texts=("name", "kind"), ints=("applications",))


def _count_if(condition: str) -> str:
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def pipeline_figures(filters: DashboardFilters, *, job_ids: list[int] | None = None) -> PipelineFigures:
    """Every application figure of the page in one statement.

    - `stages`: the stages of the jobs in view (only `job_ids` when given), in plan order, with their
      funnel counts (see StageFigures); stage figures are computed for these stages only;
    - `durations`: median and 90th percentile keyed (kind, id), as (count, p50, p90):
      (STAGE_DAYS, id of one of those stages): days a cohort application spent in the stage, from
      the stage change that brought it in to the next one that moved it out or closed it (reject,
      withdraw, hire);
      holds and resumes stay inside the stage, stays still open are not counted.
      (HIRE_DAYS, job id): days from application to hire of the cohort's hires.
    - `breakdowns`: cohort counts by kind: OUTCOMES (job id, applications, active, on hold,
      rejected, withdrawn, hired), SOURCES (source, applications, hired), REASONS (rejection
      reason id, name, kind, applications).

    Each part reads only the company's rows through an index: the cohort by (company, applied_at),
    its stage changes by application, and the open applications by (company, status, stage).
    """
    cohort_sql, cohort_params = _sql(
        cohort(filters).values(
            "id", "job_id", "status", "source", "rejection_reason_id", "applied_at", "hired_at"
        )
    )
    stages = _scoped(Stage.objects.filter(job__isnull=False), filters, company="company_id", job="job_id")
    if job_ids is not None:
        stages = stages.filter(job_id__in=job_ids) if job_ids else stages.filter(pk__isnull=True)
    stages_sql, stages_params = _sql(
        stages.order_by().values("id", "company_id", "job_id", "position", "name", "kind", "sla_days")
    )
    # Open applications per stage, now, whatever the range.
    open_apps = _scoped(Application.objects.order_by(), filters, company="company_id", job="job_id").filter(
        status__in=(ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)
    )
    # Only the stages drawn (by stage rather than by job: the counts are then read from the index on
    # (company, status, stage, stage_entered_at) alone, without the applications' rows).
    open_apps = open_apps.filter(stage_id__in=stages.values("id"))
    now_sql, now_params = _sql(
        open_apps.values("stage_id")
        .annotate(
            active=Count("pk", filter=Q(status=ApplicationStatus.ACTIVE)),
            on_hold=Count("pk", filter=Q(status=ApplicationStatus.ON_HOLD)),
            stuck=Count("pk", filter=application_overdue_q(now=filters.now)),
        )
        .values_list("stage_id", "active", "on_hold", "stuck")
    )
    sc = StageChange._meta.db_table
    closing = ", ".join(["%s"] * len(CLOSING_STATUSES))
    stays_sql = (
        f"SELECT {STAGE_DAYS} AS kind, b.to_stage_id AS key, {days_sql('b.left_at', 'b.created_at')} AS v "  # noqa: S608
        "FROM (SELECT sc.to_stage_id, sc.created_at, "
        "CASE WHEN sc.from_stage_id IS NULL OR sc.from_stage_id <> sc.to_stage_id THEN 1 ELSE 0 END "
        "AS entry, "
        "LEAD(sc.created_at) OVER (PARTITION BY sc.application_id ORDER BY sc.created_at, sc.id) AS left_at "
        "FROM changes sc WHERE (sc.from_stage_id IS NULL OR sc.from_stage_id <> sc.to_stage_id "
        f"OR sc.to_status IN ({closing}))) b "
        "WHERE b.entry = 1 AND b.left_at IS NOT NULL "
        f"UNION ALL SELECT {HIRE_DAYS}, c.job_id, {days_sql('c.hired_at', 'c.applied_at')} "
        "FROM cohort c WHERE c.status = %s"
    )
    stays_params = (*CLOSING_STATUSES, ApplicationStatus.HIRED)
    reasons = RejectionReason._meta.db_table
    statuses = list(OUTCOME_STATUSES.values())
    sql = (
        f"WITH cohort (id, job_id, status, source, reason_id, applied_at, hired_at) AS ({cohort_sql}), "  # noqa: S608
        f"stages (id, company_id, job_id, position, name, kind, sla_days) AS ({stages_sql}), "
        f"now_counts (stage_id, active, on_hold, stuck) AS ({now_sql}), "
        # The cohort's stage changes, read once for the stages reached and the days in each.
        "changes AS (SELECT sc.id, sc.application_id, sc.from_stage_id, sc.to_stage_id, sc.to_status, "
        f"sc.created_at FROM {sc} sc WHERE sc.application_id IN "
        "(SELECT id FROM cohort WHERE job_id IN (SELECT job_id FROM stages))), "
        "reached (stage_id, n) AS (SELECT to_stage_id, COUNT(DISTINCT application_id) "
        "FROM changes GROUP BY to_stage_id), "
        f"durations (kind, key, n, p50, p90) AS ({percentile_sql(stays_sql)}) "
        "SELECT "
        + STAGE_ROW.select(
            "s.id",
            name="s.name",
            kind="s.kind",
            company_id="s.company_id",
            job_id="s.job_id",
            position="s.position",
            sla_days="s.sla_days",
            reached="COALESCE(r.n, 0)",
            active="COALESCE(w.active, 0)",
            on_hold="COALESCE(w.on_hold, 0)",
            stuck="COALESCE(w.stuck, 0)",
        )
        + " FROM stages s LEFT JOIN reached r ON r.stage_id = s.id "
        "LEFT JOIN now_counts w ON w.stage_id = s.id "
        "UNION ALL SELECT "
        + DURATION_ROW.select("d.key", kind="d.kind", count="d.n", p50="d.p50", p90="d.p90")
        + " FROM durations d UNION ALL SELECT "
        + OUTCOMES_ROW.select(
            "c.job_id",
            applications="COUNT(*)",
            **{status_name: _count_if("c.status = %s") for status_name in OUTCOME_STATUSES},
        )
        + " FROM cohort c GROUP BY c.job_id UNION ALL SELECT "
        + SOURCES_ROW.select(
            "0", source="c.source", applications="COUNT(*)", hired=_count_if("c.status = %s")
        )
        + " FROM cohort c GROUP BY c.source UNION ALL SELECT "
        + REASONS_ROW.select("c.reason_id", name="rr.name", kind="rr.kind", applications="COUNT(*)")
        + f" FROM cohort c JOIN {reasons} rr ON rr.id = c.reason_id GROUP BY c.reason_id, rr.name, rr.kind"
    )
    params = (
        *cohort_params,
        *stages_params,
        *now_params,
        *stays_params,
        *statuses,
        ApplicationStatus.HIRED,
    )
    figures = PipelineFigures(stages=[], durations={}, breakdowns={OUTCOMES: [], SOURCES: [], REASONS: []})
    for row in fetch_rows(sql, params):
        part, v = PIPELINE_ROWS.read(row)
        if part is STAGE_ROW:
            figures.stages.append(StageFigures(pk=v.pop("key"), **v))
        elif part is DURATION_ROW:
            figures.durations[(v["kind"], v["key"])] = Duration(v["count"], v["p50"], v["p90"])
        elif part is OUTCOMES_ROW:
            figures.breakdowns[OUTCOMES].append(OutcomeCounts(job_id=v.pop("key"), **v))
        elif part is SOURCES_ROW:
            figures.breakdowns[SOURCES].append(SourceCounts(v["source"], v["applications"], v["hired"]))
        else:
            figures.breakdowns[REASONS].append(
                ReasonCounts(v["key"], v["name"], v["kind"], v["applications"])
            )
    figures.stages.sort(key=lambda st: (st.job_id, st.position, st.pk))
    return figures


LOAD_COLUMNS = tuple(f"load_{k}" for k in range(LOAD_WEEKS_BACK + 1 + LOAD_WEEKS_AHEAD))
COUNT_COLUMNS = (*LOAD_COLUMNS, "overdue", "scored", "strong_yes", "strong_no")
# The branches of interviewer_figures' statement and the named values each fills.
INTERVIEWER_ROWS = UnionColumns(texts=1, ints=1 + len(COUNT_COLUMNS), floats=3)
MEMBER_ROW = INTERVIEWER_ROWS.part(1, texts=("display_name",), ints=("company_id", *COUNT_COLUMNS))
FEEDBACK_ROW = INTERVIEWER_ROWS.part(2, ints=("count",), floats=("p50", "p90"))
CALIBRATION_ROW = INTERVIEWER_ROWS.part(3, ints=("panels",), floats=("difference",))
MEAN_ROW = INTERVIEWER_ROWS.part(4, ints=("scores",), floats=("mean",))
AGREEMENT_ROW = INTERVIEWER_ROWS.part(5, ints=("n",), floats=("total", "total_squares", "within"))


def interviewer_figures(filters: DashboardFilters, *, user, roles=None) -> InterviewerFigures:
    """Every interviewer figure of the page in one statement, as `user` may see it.

    - `members`: members with figures in view, by name, with `load_0` .. `load_6` (interviews, not
      cancelled or no-show, starting in each load week), `overdue` (draft scorecards of interviews
      that ended more than FEEDBACK_DUE_HOURS ago), `scored`, `strong_yes`, `strong_no` (submitted
      scorecards of interviews that ended in the range, and how many recommended strong yes / no);
    - `feedback`: hours from the end of an interview that ended in the range to the interviewer's
      submitted scorecard, (count, median, 90th percentile) by membership id;
    - `calibration`, `means`, `agreement`: see below.

    Every figure computed from submitted scorecards (`scored`, `strong_yes`, `strong_no`, feedback,
    calibration, means, agreement) counts only those the user may read (`scorecard_visibility`, the
    rule of the scorecard pages): a user who owes a scorecard on an application sees none of its
    scorecards in them. Loads and overdue drafts count every interview and draft.

    Calibration comes from the scores of submitted scorecards of interviews that ended in the range.
    The mean difference of an interviewer is averaged over the panels they share with others: a
    panel is one application in one stage (every interview of that stage, a three-round onsite
    included). For each, their mean score minus the mean of every other panelist's scores there.
    Positive means lenient, negative severe. Comparing within a stage keeps the candidate's level at
    that point of the process out of the difference. `calibration` is {membership id: (panels
    compared, mean difference)}, `means` {membership id: mean of all their scores} and `agreement`
    {job id: (pairable scores, Krippendorff's alpha)}, whose units are (interview, competency).

    The scorecards read are those of the company's interviews that start in the load weeks or end
    in the range (indexes on interview (company, starts_at) and (company, ends_at)), and its draft
    scorecards (index on scorecard (company, status)). A scorecard has one interview and one
    interview has one scorecard per interviewer, so plain counts need no DISTINCT.
    """
    weeks = filters.weeks()
    due = filters.now - datetime.timedelta(hours=FEEDBACK_DUE_HOURS)
    # A scorecard belongs to its interview's company. Interviews in the time windows are found by
    # company first and their scorecards by interview; drafts by company first and their interviews
    # by id (each side read through its own index, rather than every scorecard of the company).
    cards = Scorecard.objects.order_by().filter(company_id=F("interview__company_id"))
    if filters.job_id is not None:
        cards = cards.filter(interview__application__job_id=filters.job_id)
    columns = (
        "id",
        "interviewer_id",
        "status",
        "recommendation",
        "submitted_at",
        "interview_id",
        "interview__application_id",
        "interview__kit_id",
        "interview__status",
        "interview__starts_at",
        "interview__ends_at",
        "readable",  # last: Django selects annotations after the columns
    )
    in_window = Q(interview__starts_at__gte=weeks[0], interview__starts_at__lt=weeks[-1] + ONE_WEEK) | Q(
        interview__ends_at__gte=filters.start, interview__ends_at__lt=filters.end
    )
    # Whether the user may read the scorecard (the rule of the scorecard pages): only the submitted
    # scorecards of the first part count towards figures computed from scores.
    readable = Case(
        When(scorecard_visibility(user, roles=roles), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    in_time = (
        _scoped(cards, filters, company="interview__company_id", job=None)
        .filter(in_window)
        .annotate(readable=readable)
    )
    # The other drafts that may be overdue; apart from the first part, so UNION ALL needs no DISTINCT.
    drafts = (
        _scoped(cards, filters, company="company_id", job=None)
        .filter(status=ScorecardStatus.DRAFT, interview__ends_at__lt=due)
        .exclude(in_window)
        .annotate(readable=Value(0, output_field=IntegerField()))
    )
    cards_sql, cards_params = _sql(in_time.values(*columns).union(drafts.values(*columns), all=True))

    held = f"c.i_status NOT IN ({', '.join(['%s'] * len(NOT_HELD))})"
    scored = "c.status = %s AND c.readable = 1 AND c.ends_at >= %s AND c.ends_at < %s"
    scored_params = (ScorecardStatus.SUBMITTED, filters.start, filters.end)
    loads, load_params = [], []
    for start in weeks:
        loads.append(_count_if(f"{held} AND c.starts_at >= %s AND c.starts_at < %s"))
        load_params += [*NOT_HELD, start, start + ONE_WEEK]
    member_counts = [
        *loads,
        _count_if(f"{held} AND c.status = %s AND c.ends_at < %s"),
        _count_if(scored),
        _count_if(f"{scored} AND c.recommendation = %s"),
        _count_if(f"{scored} AND c.recommendation = %s"),
    ]
    member_params = (
        *load_params,
        *NOT_HELD,
        ScorecardStatus.DRAFT,
        due,
        *scored_params,
        *scored_params,
        Recommendation.STRONG_YES,
        *scored_params,
        Recommendation.STRONG_NO,
    )
    feedback_sql = (
        f"SELECT {FEEDBACK_HOURS} AS kind, c.member_id AS key, "  # noqa: S608
        f"{days_sql('c.submitted_at', 'c.ends_at')} * 24.0 AS v FROM scored c"
    )
    rating, kit = Rating._meta.db_table, InterviewKit._meta.db_table
    application, membership = Application._meta.db_table, Membership._meta.db_table
    sql = (
        "WITH cards (id, member_id, status, recommendation, submitted_at, interview_id, application_id, "  # noqa: S608
        f"kit_id, i_status, starts_at, ends_at, readable) AS ({cards_sql}), "
        f"scored AS (SELECT * FROM cards c WHERE {scored}), "
        "base AS (SELECT c.member_id AS r_member, c.application_id AS r_application, k.stage_id AS r_stage, "
        "a.job_id AS r_job, c.interview_id AS r_interview, r.competency_id AS r_competency, "
        f"r.score AS r_score FROM scored c JOIN {rating} r ON r.scorecard_id = c.id "
        f"JOIN {kit} k ON k.id = c.kit_id JOIN {application} a ON a.id = c.application_id "
        "WHERE r.score IS NOT NULL), "
        "mine AS (SELECT r_member, r_application, r_stage, SUM(r_score) AS s, COUNT(*) AS c "
        "FROM base GROUP BY r_member, r_application, r_stage), "
        "everyone AS (SELECT r_application, r_stage, SUM(s) AS s, SUM(c) AS c, COUNT(*) AS k "
        "FROM mine GROUP BY r_application, r_stage), "
        "units AS (SELECT r_job, COUNT(*) AS m, SUM(r_score) AS s1, SUM(r_score * r_score) AS s2 "
        "FROM base GROUP BY r_job, r_interview, r_competency HAVING COUNT(*) > 1), "
        f"counts (member_id, {', '.join(COUNT_COLUMNS)}) AS "
        f"(SELECT c.member_id, {', '.join(member_counts)} FROM cards c GROUP BY c.member_id), "
        f"feedback (kind, key, n, p50, p90) AS ({percentile_sql(feedback_sql)}) "
        "SELECT "
        + MEMBER_ROW.select(
            "m.id",
            display_name="m.display_name",
            company_id="m.company_id",
            **{name: f"x.{name}" for name in COUNT_COLUMNS},
        )
        + f" FROM counts x JOIN {membership} m ON m.id = x.member_id "
        f"WHERE {' + '.join(f'x.{name}' for name in COUNT_COLUMNS[:-2])} > 0 "
        "UNION ALL SELECT "
        + FEEDBACK_ROW.select("f.key", count="f.n", p50="f.p50", p90="f.p90")
        + " FROM feedback f UNION ALL SELECT "
        + CALIBRATION_ROW.select(
            "mine.r_member",
            panels="COUNT(*)",
            difference="AVG(1.0 * mine.s / mine.c - 1.0 * (everyone.s - mine.s) / (everyone.c - mine.c))",
        )
        + " FROM mine JOIN everyone "
        "ON everyone.r_application = mine.r_application AND everyone.r_stage = mine.r_stage "
        "WHERE everyone.k > 1 GROUP BY mine.r_member UNION ALL SELECT "
        + AGREEMENT_ROW.select(
            "r_job",
            n="SUM(m)",
            total="1.0 * SUM(s1)",
            total_squares="1.0 * SUM(s2)",
            within="SUM(2.0 * (m * s2 - s1 * s1) / (m - 1))",
        )
        + " FROM units GROUP BY r_job UNION ALL SELECT "
        + MEAN_ROW.select("r_member", scores="SUM(c)", mean="1.0 * SUM(s) / SUM(c)")
        + " FROM mine GROUP BY r_member"
    )
    params = (*cards_params, *scored_params, *member_params)
    figures = InterviewerFigures(members=[], feedback={}, calibration={}, means={}, agreement={})
    for row in fetch_rows(sql, params):
        part, v = INTERVIEWER_ROWS.read(row)
        if part is MEMBER_ROW:
            figures.members.append(
                MemberFigures(
                    pk=v["key"],
                    company_id=v["company_id"],
                    display_name=v["display_name"],
                    overdue=v["overdue"],
                    scored=v["scored"],
                    strong_yes=v["strong_yes"],
                    strong_no=v["strong_no"],
                    loads=tuple(v[name] for name in LOAD_COLUMNS),
                )
            )
        elif part is FEEDBACK_ROW:
            figures.feedback[v["key"]] = Duration(v["count"], v["p50"], v["p90"])
        elif part is CALIBRATION_ROW:
            figures.calibration[v["key"]] = Calibration(int(v["panels"]), float(v["difference"]))
        elif part is MEAN_ROW:
            figures.means[v["key"]] = float(v["mean"])
        else:
            n = int(v["n"])
            alpha = alpha_from_sums(
                n=n,
                total=float(v["total"]),
                total_squares=float(v["total_squares"]),
                within=float(v["within"]),
            )
            figures.agreement[v["key"]] = Agreement(n, alpha)
    figures.members.sort(key=lambda m: (m.display_name, m.pk))
    return figures
