"""Reads for the dashboard's top: the company summary, the 12-week trends, the jobs with activity
in the range and the longest-stuck applications, in one statement (`activity_figures`), with the
filters and helpers of `selectors`."""

import datetime

from django.db.models import Count, F
from django.db.models.functions import TruncWeek
from django.utils import timezone

from hiring.models import Application, ApplicationStatus, Stage, StageChange
from hiring.selectors import application_overdue_q

from .db import UnionColumns, days_sql, fetch_rows
from .figures import ActivityFigures, StuckApplication, Summary
from .selectors import ONE_WEEK, DashboardFilters, _scoped, _sql, cohort

TREND_WEEKS = 12
STUCK_SHOWN = 10
# The series of the weekly trends.
APPLIED, MOVED, HIRED = 1, 2, 3
TREND_SERIES = {APPLIED: "Applications", MOVED: "Moves", HIRED: "Hires"}
OPEN_STATUSES = (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)

ACTIVITY_ROWS = UnionColumns(texts=3, ints=4, floats=1)
SUMMARY_ROW = ACTIVITY_ROWS.part(1, ints=("open", "stuck", "hires_this_quarter", "hires_last_quarter"))
TREND_ROW = ACTIVITY_ROWS.part(2, texts=("week",), ints=("count",))
ACTIVE_JOB_ROW = ACTIVITY_ROWS.part(3, ints=("count",))
STUCK_ROW = ACTIVITY_ROWS.part(
    4, texts=("candidate", "job", "stage"), ints=("job_id", "sla_days"), floats=("days",)
)


def quarter_starts(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of the calendar quarter of `day` and of the quarter before it."""
    this = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = datetime.date(this.year - 1, 10, 1) if this.month == 1 else this.replace(month=this.month - 3)
    return this, last


def trend_weeks(filters: DashboardFilters) -> list[datetime.date]:
    """The Mondays of the TREND_WEEKS weeks that end with the week of the range's last day."""
    monday = filters.date_to - datetime.timedelta(days=filters.date_to.weekday())
    return [monday - datetime.timedelta(weeks=k) for k in range(TREND_WEEKS - 1, -1, -1)]


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def activity_figures(filters: DashboardFilters) -> ActivityFigures:
    """The summary, the trends, the jobs with activity and the stuck list, in one statement.

    - summary (now, whatever the range): open applications, stuck ones (`application_overdue_q`),
      hires of this calendar quarter and of the last one (by `hired_at`);
    - trends: applications (by `applied_at`), moves (stage changes from one stage to another) and
      hires (by `hired_at`) per week, the weeks truncated in SQL (TruncWeek), TREND_WEEKS weeks
      ending with the week of the range's last day; weeks without any count 0;
    - active jobs: jobs with an application that applied or a stage change within the range;
    - stuck: the STUCK_SHOWN applications longest in their stage among the stuck ones.

    Every part reads only the rows of its dates through an index: the applications by (company,
    applied_at), (company, status, ...) for open, stuck and hired, stage changes by (company,
    created_at), which the moves per week and the jobs with activity read.
    """
    apps = _scoped(Application.objects.order_by(), filters, company="company_id", job="job_id")
    changes = _scoped(StageChange.objects.order_by(), filters, company="company_id", job="to_stage__job_id")
    weeks = trend_weeks(filters)
    trend_start, trend_end = _midnight(weeks[0]), _midnight(weeks[-1] + ONE_WEEK)
    this_quarter, last_quarter = quarter_starts(timezone.localtime(filters.now).date())

    open_sql = _sql(apps.filter(status__in=OPEN_STATUSES).values("id"))
    # The stuck ones are read from (company, status, stage, stage_entered_at) and joined to the stages
    # of their companies only (an application's stage is one of its company's), not to every stage.
    stuck_apps = _scoped(
        apps.filter(application_overdue_q(now=filters.now)), filters, company="stage__company_id", job=None
    )
    stuck_sql = _sql(stuck_apps.values("id"))
    hires_sql = _sql(
        apps.filter(status=ApplicationStatus.HIRED, hired_at__gte=_midnight(last_quarter)).values("hired_at")
    )

    def weekly(queryset, field):
        return _sql(
            queryset.annotate(week=TruncWeek(field))
            .values("week")
            .annotate(n=Count("*"))
            .values("week", "n")
            .order_by()
        )

    applied_sql = weekly(apps.filter(applied_at__gte=trend_start, applied_at__lt=trend_end), "applied_at")
    moves = changes.filter(created_at__gte=trend_start, created_at__lt=trend_end, from_stage__isnull=False)
    moved_sql = weekly(moves.exclude(from_stage=F("to_stage")), "created_at")
    hired_sql = weekly(
        apps.filter(status=ApplicationStatus.HIRED, hired_at__gte=trend_start, hired_at__lt=trend_end),
        "hired_at",
    )
    cohort_jobs_sql = _sql(cohort(filters).values("job_id").annotate(n=Count("id")).values("job_id", "n"))
    # Counted by stage first ((company, created_at)), then the few stages joined to their jobs (the
    # stages of the companies in view).
    stages_sql = _sql(
        _scoped(Stage.objects.order_by(), filters, company="company_id", job="job_id").values("id", "job_id")
    )
    changed_stages_sql = _sql(
        changes.filter(created_at__gte=filters.start, created_at__lt=filters.end)
        .values("to_stage_id")
        .annotate(n=Count("*"))
        .values("to_stage_id", "n")
    )
    # The list walks (company, status, stage_entered_at) in order and stops at the tenth stuck one.
    stuck_list_sql = _sql(
        apps.filter(application_overdue_q(now=filters.now))
        .annotate(
            person=F("candidate__name"),
            job_name=F("job__title"),
            stage_name=F("stage__name"),
            sla=F("stage__sla_days"),
        )
        .values("id", "job_id", "stage_entered_at", "person", "job_name", "stage_name", "sla")
        .order_by("stage_entered_at", "id")[:STUCK_SHOWN]
    )
    count = "(SELECT COUNT(*) FROM {} x)"
    trend_branch = " UNION ALL SELECT " + TREND_ROW.select("{}", week="CAST(t.week AS TEXT)", count="t.n")
    sql = (
        f"WITH hires (hired_at) AS ({hires_sql[0]}), "  # noqa: S608
        f"applied (week, n) AS ({applied_sql[0]}), "
        f"moved (week, n) AS ({moved_sql[0]}), "
        f"hired (week, n) AS ({hired_sql[0]}), "
        f"cohort_jobs (job_id, n) AS ({cohort_jobs_sql[0]}), "
        f"changed_stages (stage_id, n) AS ({changed_stages_sql[0]}), "
        f"stages (id, job_id) AS ({stages_sql[0]}), "
        "changed_jobs (job_id, n) AS (SELECT st.job_id, CAST(SUM(c.n) AS BIGINT) FROM changed_stages c "
        "JOIN stages st ON st.id = c.stage_id GROUP BY st.job_id), "
        "stuck (id, job_id, entered, person, job_name, stage_name, sla) AS "
        f"({stuck_list_sql[0]}) "
        "SELECT "
        + SUMMARY_ROW.select(
            "0",
            open=count.format(f"({open_sql[0]})"),
            stuck=count.format(f"({stuck_sql[0]})"),
            hires_this_quarter="(SELECT COUNT(*) FROM hires h WHERE h.hired_at >= %s)",
            hires_last_quarter="(SELECT COUNT(*) FROM hires h WHERE h.hired_at < %s)",
        )
        + trend_branch.format(APPLIED)
        + " FROM applied t"
        + trend_branch.format(MOVED)
        + " FROM moved t"
        + trend_branch.format(HIRED)
        + " FROM hired t UNION ALL SELECT "
        + ACTIVE_JOB_ROW.select("j.job_id", count="j.n")
        + " FROM cohort_jobs j UNION ALL SELECT "
        + ACTIVE_JOB_ROW.select("j.job_id", count="j.n")
        + " FROM changed_jobs j UNION ALL SELECT "
        + STUCK_ROW.select(
            "s.id",
            candidate="s.person",
            job="s.job_name",
            stage="s.stage_name",
            job_id="s.job_id",
            sla_days="s.sla",
            days=days_sql("%s", "s.entered"),
        )
        + " FROM stuck s"
    )
    quarter_start = _midnight(this_quarter)
    params = (
        *hires_sql[1],
        *applied_sql[1],
        *moved_sql[1],
        *hired_sql[1],
        *cohort_jobs_sql[1],
        *changed_stages_sql[1],
        *stages_sql[1],
        *stuck_list_sql[1],
        *open_sql[1],
        *stuck_sql[1],
        quarter_start,
        quarter_start,
        filters.now,
    )
    summary = Summary()
    counts: dict[tuple[int, datetime.date], int] = {}
    active_job_ids: set[int] = set()
    stuck: list[StuckApplication] = []
    for row in fetch_rows(sql, params):
        part, v = ACTIVITY_ROWS.read(row)
        if part is SUMMARY_ROW:
            summary = Summary(
                open=v["open"],
                stuck=v["stuck"],
                hires_this_quarter=v["hires_this_quarter"],
                hires_last_quarter=v["hires_last_quarter"],
            )
        elif part is TREND_ROW:
            week = datetime.date.fromisoformat(str(v["week"])[:10])
            counts[(v["key"], week)] = counts.get((v["key"], week), 0) + v["count"]
        elif part is ACTIVE_JOB_ROW:
            active_job_ids.add(v["key"])
        else:
            stuck.append(
                StuckApplication(
                    application_id=v["key"],
                    candidate=v["candidate"],
                    job_id=v["job_id"],
                    job=v["job"],
                    stage=v["stage"],
                    sla_days=v["sla_days"],
                    days=float(v["days"]),
                )
            )
    stuck.sort(key=lambda a: (-a.days, a.application_id))
    trends = {series: [counts.get((series, week), 0) for week in weeks] for series in TREND_SERIES}
    return ActivityFigures(
        summary=summary, weeks=weeks, trends=trends, active_job_ids=active_job_ids, stuck=stuck
    )
