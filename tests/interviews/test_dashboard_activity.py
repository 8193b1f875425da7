"""The dashboard's summary, 12-week trends, stuck list, collapsed jobs and CSV downloads, on the
hand-computed pipeline of `dashboard_data` ("now" is Wednesday 2026-03-18 12:00 UTC)."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hiring.models import ApplicationStatus
from interviews.dashboard import activity as act
from interviews.dashboard import selectors as s
from interviews.dashboard import views
from interviews.dashboard.export import csv_value
from interviews.dashboard.markup import Number
from tests.hiring.factories import ApplicationFactory, CandidateFactory, JobFactory, JobStageFactory
from tests.interviews.dashboard_data import DATE_FROM, DATE_TO, NOW, at, build_interviews, build_pipeline

URL = "/admin/dashboard/"
RANGE = {"date_from": DATE_FROM.isoformat(), "date_to": DATE_TO.isoformat()}
UTC = datetime.UTC


def filters_for(company, **extra) -> s.DashboardFilters:
    return s.DashboardFilters(
        company_ids=(company.pk,), job_id=None, date_from=DATE_FROM, date_to=DATE_TO, now=NOW, **extra
    )


@pytest.fixture
def clock(monkeypatch):
    """The page seen at the dataset's "now"."""

    class Clock:
        now = staticmethod(lambda: NOW)
        localdate = staticmethod(lambda: NOW.date())
        localtime = staticmethod(timezone.localtime)

    monkeypatch.setattr(views, "timezone", Clock)


@pytest.fixture
def pipeline(company):
    return build_pipeline(company)


@pytest.fixture
def interviews(company, pipeline):
    return build_interviews(company, pipeline)


def _hired(job, stage, when):
    return ApplicationFactory(
        company=job.company,
        job=job,
        candidate=CandidateFactory(company=job.company),
        stage=stage,
        status=ApplicationStatus.HIRED,
        applied_at=when - datetime.timedelta(days=20),
        stage_entered_at=when,
        hired_at=when,
        decided_at=when,
    )


@pytest.fixture
def other(other_company):
    pipeline = build_pipeline(other_company, title="Globex Secret Job")
    for app in pipeline.apps:
        app.candidate.name = f"Globex Person {app.pk}"
        app.candidate.save(update_fields=["name"])
    return pipeline


# --- figures ---------------------------------------------------------------------------------


def test_summary_counts_open_stuck_and_hires_by_quarter(company, pipeline):
    # given a hire of last quarter (Q4 2025) and one of the quarter before (Q3), not counted
    _hired(pipeline.job, pipeline.offer, datetime.datetime(2025, 11, 10, tzinfo=UTC))
    _hired(pipeline.job, pipeline.offer, datetime.datetime(2025, 9, 30, 12, tzinfo=UTC))

    summary = act.activity_figures(filters_for(company)).summary

    # a4, a5, a7 active and a6 on hold are open; a4 (Technical for 7.5 days, SLA 3), a5 (Review
    # for 6.5 days, SLA 5) and a7 (Technical since February) are stuck; a1 hired on March 8th
    assert summary.open == 4
    assert summary.stuck == 3
    assert summary.hires_this_quarter == 1
    assert summary.hires_last_quarter == 1


def test_quarters_start_in_january_april_july_and_october():
    assert act.quarter_starts(datetime.date(2026, 3, 31)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2025, 10, 1),
    )
    assert act.quarter_starts(datetime.date(2026, 4, 1)) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 1, 1),
    )
    assert act.quarter_starts(datetime.date(2026, 12, 7)) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 7, 1),
    )


def test_trends_have_twelve_weeks_with_the_empty_ones_at_zero(company, pipeline):
    figures = act.activity_figures(filters_for(company))

    assert len(figures.weeks) == 12
    assert figures.weeks[-1] == datetime.date(2026, 3, 16)  # the week of the range's last day
    assert figures.weeks[0] == datetime.date(2025, 12, 29)
    assert all(week.weekday() == 0 for week in figures.weeks)
    by_week = {
        week: (figures.trends[act.APPLIED][k], figures.trends[act.MOVED][k], figures.trends[act.HIRED][k])
        for k, week in enumerate(figures.weeks)
    }
    # applied: a7 Sun 02-01, a1 Sun 03-01, a2 and a3 in the week of 03-02, a4, a5, a6 in that of 03-09;
    # moves from one stage to another: a7 02-03; a1 twice and a2 in the week of 03-02; a4 03-11;
    # hired: a1 Sun 03-08
    assert by_week[datetime.date(2026, 1, 26)] == (1, 0, 0)
    assert by_week[datetime.date(2026, 2, 2)] == (0, 1, 0)
    assert by_week[datetime.date(2026, 2, 23)] == (1, 0, 0)
    assert by_week[datetime.date(2026, 3, 2)] == (2, 3, 1)
    assert by_week[datetime.date(2026, 3, 9)] == (3, 1, 0)
    assert by_week[datetime.date(2026, 3, 16)] == (0, 0, 0)
    assert sum(sum(v) for v in by_week.values()) == 7 + 5 + 1


def test_trends_leave_out_what_is_older_than_twelve_weeks(company, pipeline):
    # given a hire thirteen weeks before the last trend week
    _hired(pipeline.job, pipeline.offer, datetime.datetime(2025, 12, 22, 10, tzinfo=UTC))

    figures = act.activity_figures(filters_for(company))

    assert sum(figures.trends[act.HIRED]) == 1


def test_stuck_list_is_the_ten_longest_stuck_longest_first(company, pipeline):
    # given twelve more stuck applications in Review (SLA 5), 6 to 17 days in the stage
    for days in range(6, 18):
        ApplicationFactory(
            company=company,
            job=pipeline.job,
            candidate=CandidateFactory(company=company, name=f"Stuck {days:02}"),
            stage=pipeline.review,
            status=ApplicationStatus.ACTIVE,
            applied_at=NOW - datetime.timedelta(days=days + 1),
            stage_entered_at=NOW - datetime.timedelta(days=days),
        )

    figures = act.activity_figures(filters_for(company))

    assert figures.summary.stuck == 15
    assert len(figures.stuck) == act.STUCK_SHOWN == 10
    a7 = pipeline.apps[6]
    assert figures.stuck[0].application_id == a7.pk
    assert figures.stuck[0].stage == "Technical" and figures.stuck[0].job == "Backend"
    assert figures.stuck[0].days == pytest.approx(43.5)
    assert [a.candidate for a in figures.stuck[1:]] == [f"Stuck {d:02}" for d in range(17, 8, -1)]
    days = [a.days for a in figures.stuck]
    assert days == sorted(days, reverse=True)


def test_jobs_with_activity_are_those_with_an_application_or_a_change_in_the_range(company, pipeline):
    # given a job whose only application applied in January and never moved
    quiet = JobFactory(company=company, title="Quiet job")
    stage = JobStageFactory(job=quiet, position=0, name="Review", sla_days=400)
    ApplicationFactory(
        company=company,
        job=quiet,
        candidate=CandidateFactory(company=company),
        stage=stage,
        applied_at=at(1, 10),
        stage_entered_at=at(1, 10),
    )

    active = act.activity_figures(filters_for(company)).active_job_ids

    assert active == {pipeline.job.pk}


def test_figures_never_count_another_companys_rows(company, pipeline, other):
    mine = act.activity_figures(filters_for(company))

    assert mine.summary.open == 4
    assert other.job.pk not in mine.active_job_ids
    assert {a.job_id for a in mine.stuck} == {pipeline.job.pk}
    assert sum(mine.trends[act.APPLIED]) == 7


# --- the page ----------------------------------------------------------------------------------


def test_summary_is_on_top_of_the_page(manager_client, pipeline, interviews, clock):
    response = manager_client.get(URL, RANGE)

    summary = response.context["top_panels"][0]
    assert {r[0]["text"]: r[1]["text"] for r in summary.rows} == {
        "Open applications": 4,
        "Stuck": 3,
        "Overdue feedback": 1,
        "Hires this quarter": 1,
        "Hires last quarter": 0,
    }
    content = response.content.decode()
    assert content.index('id="summary"') < content.index('class="dashboard-job"')
    assert 'class="dashboard-figure-value">4<' in content


def test_jobs_without_activity_are_one_line(manager_client, company, pipeline, clock):
    # given three jobs with stages but nothing in the range
    for title in ("Quiet A", "Quiet B", "Quiet C"):
        JobStageFactory(job=JobFactory(company=company, title=title), position=0, name="Review")

    response = manager_client.get(URL, RANGE)

    assert [section.name for section in response.context["job_sections"]] == ["Backend"]
    assert [job["name"] for job in response.context["quiet_jobs"]] == ["Quiet A", "Quiet B", "Quiet C"]
    content = response.content.decode()
    assert "3 jobs without activity in this range" in content
    assert content.count('class="dashboard-job"') == 1


def test_a_quiet_job_chosen_in_the_filter_is_drawn(manager_client, company, pipeline, clock):
    quiet = JobFactory(company=company, title="Quiet A")
    JobStageFactory(job=quiet, position=0, name="Review")

    response = manager_client.get(URL, {**RANGE, "job": quiet.pk})

    assert [section.name for section in response.context["job_sections"]] == ["Quiet A"]
    assert response.context["quiet_jobs_count"] == 0


def test_stuck_panel_lists_applications_with_a_link_each(manager_client, pipeline, clock):
    response = manager_client.get(URL, RANGE)

    stuck = next(p for p in response.context["top_panels"] if p.anchor == "stuck")
    a4, a5, a7 = pipeline.apps[3], pipeline.apps[4], pipeline.apps[6]
    assert [r[0]["href"] for r in stuck.rows] == [
        f"/admin/hiring/application/{a.pk}/change/" for a in (a7, a4, a5)
    ]
    assert [[str(c["text"]) for c in r[1:]] for r in stuck.rows] == [
        ["Backend", "Technical", "43", "3"],
        ["Backend", "Technical", "7", "3"],
        ["Backend", "Review", "6", "5"],
    ]


# --- CSV ---------------------------------------------------------------------------------------


def _csv(client, panel, **params):
    response = client.get(URL, {**RANGE, **params, "panel": panel, "format": "csv"})
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(f'attachment; filename="dashboard-{panel}-')
    return list(csv.reader(io.StringIO(response.content.decode())))


def _all_panels(response):
    context = response.context
    return [
        *context["top_panels"],
        *(p for sec in context["job_sections"] for p in sec.panels),
        *context["panels"],
    ]


def test_summary_csv(manager_client, pipeline, interviews, clock):
    rows = _csv(manager_client, "summary")

    assert rows == [
        ["Figure", "Now"],
        ["Open applications", "4"],
        ["Stuck", "3"],
        ["Overdue feedback", "1"],
        ["Hires this quarter", "1"],
        ["Hires last quarter", "0"],
    ]


def test_trends_csv(manager_client, pipeline, clock):
    rows = _csv(manager_client, "trends")

    assert rows[0] == ["Week of", "Applications", "Moves", "Hires"]
    assert len(rows) == 13
    assert rows[1] == ["2025-12-29", "0", "0", "0"]
    assert ["2026-03-02", "2", "3", "1"] in rows
    assert rows[-1] == ["2026-03-16", "0", "0", "0"]


def test_stuck_csv(manager_client, pipeline, clock):
    rows = _csv(manager_client, "stuck")

    assert rows[0] == ["Candidate", "Job", "Stage", "Days in stage", "SLA (days)"]
    assert [r[0] for r in rows[1:]] == [pipeline.apps[i].candidate.name for i in (6, 3, 4)]
    assert rows[1][1:] == ["Backend", "Technical", "43", "3"]


def test_funnel_velocity_and_outcomes_csv(manager_client, pipeline, clock):
    job = pipeline.job.pk

    funnel = _csv(manager_client, f"funnel-{job}")
    velocity = _csv(manager_client, f"velocity-{job}")
    outcomes = _csv(manager_client, f"outcomes-{job}")

    assert funnel[1] == ["Review", "6", "50%", "1", "1", "1"]
    assert velocity[1] == ["Review", "4", "1.5", "3.4"]
    assert ["Hired", "1"] in outcomes


def test_interviewer_and_breakdown_csvs(manager_client, pipeline, interviews, clock):
    calibration = _csv(manager_client, "calibration")
    feedback = _csv(manager_client, "feedback")
    sources = _csv(manager_client, "sources")
    reasons = _csv(manager_client, "reasons")
    load = _csv(manager_client, "load")

    assert ["Ida One", "2", "3.67", "+1.00", "2", "50%", "0%"] in calibration
    assert next(r for r in feedback if r[0] == "Ivo Two")[:3] == ["Ivo Two", "1", "1"]
    assert {r[0] for r in sources[1:]} == {"Referral", "LinkedIn", "Careers site"}
    assert {r[0] for r in reasons[1:]} == {"Not enough experience", "Took another offer"}
    assert next(r for r in load if r[0] == "Ida One")[1:] == ["0", "0", "2", "0", "1", "0", "0"]


def test_every_panel_on_the_page_downloads_its_table(manager_client, pipeline, interviews, clock):
    panels = _all_panels(manager_client.get(URL, RANGE))

    assert len({p.anchor for p in panels}) == len(panels) >= 14
    for panel in panels:
        rows = _csv(manager_client, panel.anchor)
        assert rows[0] == panel.headers, panel.anchor
        assert rows[1:] == [[csv_value(c["text"]) for c in row] for row in panel.rows], panel.anchor


def test_the_page_links_each_panels_csv(manager_client, pipeline, clock):
    content = manager_client.get(URL, RANGE).content.decode()

    for anchor in ("summary", "trends", "stuck", f"funnel-{pipeline.job.pk}", "sources"):
        assert f"?date_from=2026-03-01&amp;date_to=2026-03-18&amp;panel={anchor}&amp;format=csv" in content, (
            anchor
        )


def test_no_csv_shows_another_companys_data(manager_client, pipeline, interviews, other, clock):
    panels = _all_panels(manager_client.get(URL, RANGE))

    for panel in panels:
        response = manager_client.get(URL, {**RANGE, "panel": panel.anchor, "format": "csv"})
        text = response.content.decode()
        assert "Globex" not in text, panel.anchor


def test_another_companys_job_panel_is_not_found(manager_client, pipeline, other, clock):
    response = manager_client.get(URL, {**RANGE, "panel": f"funnel-{other.job.pk}", "format": "csv"})

    assert response.status_code == 404
    assert b"Globex" not in response.content


def test_another_companys_job_filter_does_not_open_its_csv(manager_client, pipeline, other, clock):
    rows = _csv(manager_client, "stuck", job=other.job.pk)

    assert all("Globex" not in cell for row in rows for cell in row)
    assert len(rows) == 4  # the manager's own three stuck applications


def test_an_interviewer_gets_no_csv(interviewer_client, pipeline, clock):
    response = interviewer_client.get(URL, {**RANGE, "panel": "summary", "format": "csv"})

    assert response.status_code == 403


def test_an_unknown_panel_is_not_found(manager_client, pipeline, clock):
    assert manager_client.get(URL, {**RANGE, "panel": "nope", "format": "csv"}).status_code == 404


def test_text_cells_that_look_like_formulas_are_quoted():
    assert csv_value("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_value(Number(-0.5, "+.2f")) == "-0.50"
    assert csv_value(Number(None)) == ""
    assert csv_value(3) == "3"


def _count(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, params).status_code == 200
    return len(ctx.captured_queries)


def test_csv_query_count_is_the_same_for_n_and_2n(company, manager_client, clock):
    build_interviews(company, build_pipeline(company, title="Job 1"))
    params = {**RANGE, "panel": "stuck", "format": "csv"}
    n = _count(manager_client, params)

    build_interviews(company, build_pipeline(company, title="Job 2"))
    for _ in range(3):
        _hired(JobFactory(company=company), JobStageFactory(job=JobFactory(company=company)), at(3, 4))

    assert _count(manager_client, params) == n
