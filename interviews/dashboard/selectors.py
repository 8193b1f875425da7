"""Reads for the manager dashboard. Every figure is an aggregate computed by the database.

Which rows a figure counts:

- *Flow* figures follow the applications that applied within the date range (a cohort): stages
  reached, pass-through rates, days per stage, application to hire, sources, rejection reasons
  and outcomes. Feedback turnaround and calibration follow the interviews that ended in the range.
- *Now* figures describe the present, whatever the range: applications in each stage, stuck
  applications, overdue scorecards and the interviewer load (four weeks back to two ahead).

The page runs a fixed number of statements, whatever the data size: one per function below.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Job,
    Membership,
    Stage,
    StageChange,
)
from interviews.models import InterviewStatus, Rating, Recommendation, Scorecard, ScorecardStatus

from .db import DaysBetween, days_sql, fetch_rows, percentile_rows
from .stats import alpha_from_sums

# A scorecard is overdue when its interview ended this long ago and it is still a draft.
FEEDBACK_DUE_HOURS = 24
LOAD_WEEKS_BACK = 4
LOAD_WEEKS_AHEAD = 2
CLOSING_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.HIRED)
NOT_HELD = (InterviewStatus.CANCELLED, InterviewStatus.NO_SHOW)

# Kinds of rows in the combined statements.
STAGE_DAYS, HIRE_DAYS, FEEDBACK_HOURS = 1, 2, 3
OUTCOMES, SOURCES, REASONS = 1, 2, 3
CALIBRATION, AGREEMENT = 1, 2


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


def funnel_stages(filters: DashboardFilters, *, job_ids: list[int] | None = None) -> list[Stage]:
    """Stages of the jobs in view (only `job_ids` when given), in plan order, with `reached`
    (cohort applications that ever entered the stage), `active` and `on_hold` (in the stage now)
    and `stuck` (active and longer in the stage than its SLA)."""
    reached = (
        StageChange.objects.filter(
            to_stage_id=OuterRef("pk"),
            application__applied_at__gte=filters.start,
            application__applied_at__lt=filters.end,
        )
        .order_by()
        .values("to_stage_id")
        .annotate(n=Count("application_id", distinct=True))
        .values("n")
    )
    def in_stage(**conditions):
        return Coalesce(
            Subquery(
                Application.objects.filter(stage_id=OuterRef("pk"), **conditions)
                .order_by()
                .values("stage_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            0,
        )

    # Correlated subqueries rather than a join and GROUP BY: each is one index look-up per stage.
    stuck = (
        Application.objects.filter(stage_id=OuterRef("pk"), status=ApplicationStatus.ACTIVE)
        .annotate(days=DaysBetween(Value(filters.now), F("stage_entered_at")))
        .filter(days__gt=OuterRef("sla_days"))
        .order_by()
        .values("stage_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    stages = _scoped(Stage.objects.filter(job__isnull=False), filters, company="company_id", job="job_id")
    if job_ids is not None:
        stages = stages.filter(job_id__in=job_ids)
    return list(
        stages.annotate(
            reached=Coalesce(Subquery(reached, output_field=IntegerField()), 0),
            active=in_stage(status=ApplicationStatus.ACTIVE),
            on_hold=in_stage(status=ApplicationStatus.ON_HOLD),
            stuck=Coalesce(Subquery(stuck, output_field=IntegerField()), 0),
        ).order_by("job_id", "position", "pk")
    )


def _sql(queryset) -> tuple[str, tuple]:
    sql, params = queryset.query.sql_with_params()
    return sql, tuple(params)


def durations(filters: DashboardFilters) -> dict[tuple[int, int], tuple[int, float, float]]:
    """Median and 90th percentile, keyed (kind, id), as (count, p50, p90):

    - (STAGE_DAYS, stage id): days a cohort application spent in the stage, from the stage change
      that brought it in to the next one that moved it out or closed it (reject, withdraw, hire).
      Holds and resumes stay inside the stage. Stays still open are not counted.
    - (HIRE_DAYS, job id): days from application to hire of the cohort's hires.
    - (FEEDBACK_HOURS, membership id): hours from the end of an interview that ended in the range
      to the interviewer's submitted scorecard.
    """
    cohort_sql, cohort_params = _sql(cohort(filters).values("pk"))
    sc = StageChange._meta.db_table
    stays_sql = (
        f"SELECT {STAGE_DAYS} AS kind, b.to_stage_id AS key, {days_sql('b.left_at', 'b.created_at')} AS v "  # noqa: S608
        "FROM (SELECT sc.to_stage_id, sc.created_at, "
        "CASE WHEN sc.from_stage_id IS NULL OR sc.from_stage_id <> sc.to_stage_id THEN 1 ELSE 0 END "
        "AS entry, "
        "LEAD(sc.created_at) OVER (PARTITION BY sc.application_id ORDER BY sc.created_at, sc.id) AS left_at "
        f"FROM {sc} sc WHERE sc.application_id IN ({cohort_sql}) "
        "AND (sc.from_stage_id IS NULL OR sc.from_stage_id <> sc.to_stage_id "
        f"OR sc.to_status IN ({', '.join(['%s'] * len(CLOSING_STATUSES))}))) b "
        "WHERE b.entry = 1 AND b.left_at IS NOT NULL"
    )
    stays_params = (*cohort_params, *CLOSING_STATUSES)
    hires_sql, hires_params = _sql(
        cohort(filters)
        .filter(status=ApplicationStatus.HIRED)
        .annotate(kind=Value(HIRE_DAYS), key=F("job_id"), v=DaysBetween(F("hired_at"), F("applied_at")))
        .values_list("kind", "key", "v")
    )
    feedback = _scoped(
        Scorecard.objects.order_by(), filters, company="company_id", job="interview__application__job_id"
    ).filter(
        status=ScorecardStatus.SUBMITTED,
        interview__ends_at__gte=filters.start,
        interview__ends_at__lt=filters.end,
    )
    feedback_sql, feedback_params = _sql(
        feedback.annotate(
            kind=Value(FEEDBACK_HOURS),
            key=F("interviewer_id"),
            v=DaysBetween(F("submitted_at"), F("interview__ends_at")) * Value(24.0),
        ).values_list("kind", "key", "v")
    )
    rows = percentile_rows(
        f"{stays_sql} UNION ALL {hires_sql} UNION ALL {feedback_sql}",
        (*stays_params, *hires_params, *feedback_params),
    )
    return {(kind, key): (n, p50, p90) for kind, key, n, p50, p90 in rows}


def breakdowns(filters: DashboardFilters) -> dict[int, list[tuple]]:
    """Cohort counts in one statement, by kind:

    - OUTCOMES: (job id, applications, active, on hold, rejected, withdrawn, hired)
    - SOURCES: (source, applications, hired)
    - REASONS: (rejection reason id, name, kind, applications)
    """
    apps = cohort(filters)

    def status(value):
        return Count("pk", filter=Q(status=value))

    outcomes = (
        apps.values("job_id")
        .annotate(
            kind=Value(OUTCOMES),
            key=F("job_id"),
            label=Value(""),
            note=Value(""),
            c1=Count("pk"),
            c2=status(ApplicationStatus.ACTIVE),
            c3=status(ApplicationStatus.ON_HOLD),
            c4=status(ApplicationStatus.REJECTED),
            c5=status(ApplicationStatus.WITHDRAWN),
            c6=status(ApplicationStatus.HIRED),
        )
        .values_list("kind", "key", "label", "note", "c1", "c2", "c3", "c4", "c5", "c6")
    )
    sources = (
        apps.values("source")
        .annotate(
            kind=Value(SOURCES),
            key=Value(0),
            label=F("source"),
            note=Value(""),
            c1=Count("pk"),
            c2=status(ApplicationStatus.HIRED),
            c3=Value(0),
            c4=Value(0),
            c5=Value(0),
            c6=Value(0),
        )
        .values_list("kind", "key", "label", "note", "c1", "c2", "c3", "c4", "c5", "c6")
    )
    reasons = (
        apps.filter(rejection_reason__isnull=False)
        .values("rejection_reason_id", "rejection_reason__name", "rejection_reason__kind")
        .annotate(
            kind=Value(REASONS),
            key=F("rejection_reason_id"),
            label=F("rejection_reason__name"),
            note=F("rejection_reason__kind"),
            c1=Count("pk"),
            c2=Value(0),
            c3=Value(0),
            c4=Value(0),
            c5=Value(0),
            c6=Value(0),
        )
        .values_list("kind", "key", "label", "note", "c1", "c2", "c3", "c4", "c5", "c6")
    )
    parts = [_sql(q) for q in (outcomes, sources, reasons)]
    sql = " UNION ALL ".join(f"SELECT * FROM ({s}) p{i}" for i, (s, _) in enumerate(parts))  # noqa: S608
    result: dict[int, list[tuple]] = {OUTCOMES: [], SOURCES: [], REASONS: []}
    for kind, key, label, note, *counts in fetch_rows(sql, tuple(p for _, ps in parts for p in ps)):
        if kind == OUTCOMES:
            result[kind].append((key, *counts))
        elif kind == SOURCES:
            result[kind].append((label, counts[0], counts[1]))
        else:
            result[kind].append((key, label, note, counts[0]))
    return result


def interviewer_figures(filters: DashboardFilters) -> list[Membership]:
    """Members with interviews in view, each annotated with:

    - `load_0` .. `load_6`: interviews (not cancelled or no-show) starting in each load week;
    - `overdue`: draft scorecards of interviews that ended more than FEEDBACK_DUE_HOURS ago;
    - `scored`, `mean_score`, `strong_yes`, `strong_no`: submitted scorecards of interviews that
      ended in the range, the mean of their scores, and how many recommended strong yes / no.
    """
    in_view = Q()
    if filters.job_id is not None:
        in_view = Q(scorecards__interview__application__job_id=filters.job_id)
    held = in_view & ~Q(scorecards__interview__status__in=NOT_HELD)
    annotations = {}
    for index, start in enumerate(filters.weeks()):
        annotations[f"load_{index}"] = Count(
            "scorecards__interview",
            distinct=True,
            filter=held
            & Q(
                scorecards__interview__starts_at__gte=start,
                scorecards__interview__starts_at__lt=start + datetime.timedelta(weeks=1),
            ),
        )
    due = filters.now - datetime.timedelta(hours=FEEDBACK_DUE_HOURS)
    annotations["overdue"] = Count(
        "scorecards",
        distinct=True,
        filter=held & Q(scorecards__status=ScorecardStatus.DRAFT, scorecards__interview__ends_at__lt=due),
    )
    scored = in_view & Q(
        scorecards__status=ScorecardStatus.SUBMITTED,
        scorecards__interview__ends_at__gte=filters.start,
        scorecards__interview__ends_at__lt=filters.end,
    )
    annotations["scored"] = Count("scorecards", distinct=True, filter=scored)
    annotations["mean_score"] = Avg("scorecards__ratings__score", filter=scored)
    annotations["strong_yes"] = Count(
        "scorecards", distinct=True, filter=scored & Q(scorecards__recommendation=Recommendation.STRONG_YES)
    )
    annotations["strong_no"] = Count(
        "scorecards", distinct=True, filter=scored & Q(scorecards__recommendation=Recommendation.STRONG_NO)
    )
    any_figure = Q(overdue__gt=0) | Q(scored__gt=0)
    for index in range(len(filters.weeks())):
        any_figure |= Q(**{f"load_{index}__gt": 0})
    members = _scoped(Membership.objects.all(), filters, company="company_id", job=None)
    return list(members.annotate(**annotations).filter(any_figure).order_by("display_name", "pk"))


def agreement_figures(filters: DashboardFilters) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """Calibration from the scores of submitted scorecards of interviews that ended in the range.

    Returns ({membership id: (panels compared, mean difference)},
             {job id: (pairable scores, Krippendorff's alpha)}).

    The mean difference of an interviewer is averaged over the panels they share with others: a
    panel is one application in one stage (every interview of that stage, a three-round onsite
    included). For each, their mean score minus the mean of every other panelist's scores there.
    Positive means lenient, negative severe. Comparing within a stage keeps the candidate's level at
    that point of the process out of the difference. Agreement units are (interview, competency).
    """
    ratings = _scoped(
        Rating.objects.order_by(),
        filters,
        company="scorecard__company_id",
        job="scorecard__interview__application__job_id",
    ).filter(
        score__isnull=False,
        scorecard__status=ScorecardStatus.SUBMITTED,
        scorecard__interview__ends_at__gte=filters.start,
        scorecard__interview__ends_at__lt=filters.end,
    )
    base_sql, base_params = _sql(
        ratings.annotate(
            r_member=F("scorecard__interviewer_id"),
            r_application=F("scorecard__interview__application_id"),
            r_stage=F("scorecard__interview__kit__stage_id"),
            r_job=F("scorecard__interview__application__job_id"),
            r_interview=F("scorecard__interview_id"),
            r_competency=F("competency_id"),
            r_score=F("score"),
        ).values_list(
            "r_member", "r_application", "r_stage", "r_job", "r_interview", "r_competency", "r_score"
        )
    )
    # Columns of the combined rows: kind, key, count, x1, x2, x3.
    sql = (
        f"WITH base AS ({base_sql}), "  # noqa: S608
        "mine AS (SELECT r_member, r_application, r_stage, SUM(r_score) AS s, COUNT(*) AS c "
        "FROM base GROUP BY r_member, r_application, r_stage), "
        "everyone AS (SELECT r_application, r_stage, SUM(s) AS s, SUM(c) AS c, COUNT(*) AS k "
        "FROM mine GROUP BY r_application, r_stage), "
        "units AS (SELECT r_job, COUNT(*) AS m, SUM(r_score) AS s1, SUM(r_score * r_score) AS s2 "
        "FROM base GROUP BY r_job, r_interview, r_competency HAVING COUNT(*) > 1) "
        f"SELECT {CALIBRATION} AS kind, mine.r_member AS key, COUNT(*) AS n, "
        "AVG(1.0 * mine.s / mine.c - 1.0 * (everyone.s - mine.s) / (everyone.c - mine.c)) AS x1, "
        "NULL AS x2, NULL AS x3 "
        "FROM mine JOIN everyone "
        "ON everyone.r_application = mine.r_application AND everyone.r_stage = mine.r_stage "
        "WHERE everyone.k > 1 GROUP BY mine.r_member "
        f"UNION ALL SELECT {AGREEMENT}, r_job, SUM(m), 1.0 * SUM(s1), 1.0 * SUM(s2), "
        "SUM(2.0 * (m * s2 - s1 * s1) / (m - 1)) FROM units GROUP BY r_job"
    )
    calibration, agreement = {}, {}
    for kind, key, n, x1, x2, x3 in fetch_rows(sql, base_params):
        if kind == CALIBRATION:
            calibration[key] = (int(n), float(x1))
        else:
            alpha = alpha_from_sums(n=int(n), total=float(x1), total_squares=float(x2), within=float(x3))
            agreement[key] = (int(n), alpha)
    return calibration, agreement
