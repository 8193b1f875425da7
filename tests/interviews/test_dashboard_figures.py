"""Each dashboard figure against values computed by hand on the fixed dataset of dashboard_data."""

import datetime

import pytest

from interviews.dashboard.selectors import (
    FEEDBACK_HOURS,
    HIRE_DAYS,
    OUTCOMES,
    REASONS,
    SOURCES,
    STAGE_DAYS,
    DashboardFilters,
    interviewer_figures,
    pipeline_figures,
)
from interviews.models import Recommendation, ScorecardStatus
from tests.interviews.dashboard_data import DATE_FROM, DATE_TO, NOW, build_interviews, build_pipeline
from tests.interviews.factories import InterviewFactory, InterviewKitFactory, RatingFactory, ScorecardFactory


def _reader():
    """A superuser on no panel: reads every submitted scorecard, as a company's readers do."""
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="dashboard-reader", defaults={"is_superuser": True, "is_staff": True}
    )
    return user


@pytest.fixture
def pipeline(company):
    return build_pipeline(company)


@pytest.fixture
def interviews(company, pipeline):
    return build_interviews(company, pipeline)


def funnel_stages(filters):
    return pipeline_figures(filters).stages


def durations(filters):
    """Days per stage and to hire (keyed by kind and id) and feedback hours (by interviewer)."""
    figures = dict(pipeline_figures(filters).durations)
    figures.update(
        {(FEEDBACK_HOURS, k): v for k, v in interviewer_figures(filters, user=_reader()).feedback.items()}
    )
    return figures


def breakdowns(filters):
    return pipeline_figures(filters).breakdowns


def members_of(filters):
    return interviewer_figures(filters, user=_reader()).members


def agreement_figures(filters):
    figures = interviewer_figures(filters, user=_reader())
    return figures.calibration, figures.means, figures.agreement


def filters_for(company, **overrides):
    values = {"company_ids": (company.pk,), "job_id": None, "date_from": DATE_FROM, "date_to": DATE_TO}
    return DashboardFilters(**{**values, "now": NOW, **overrides})


def test_funnel_counts_reached_current_and_stuck(company, pipeline):
    stages = funnel_stages(filters_for(company))

    # Reached: a1..a6 applied in the range (a7 did not); Technical: a1, a2, a4; Offer: a1.
    assert [(s.name, s.reached) for s in stages] == [("Review", 6), ("Technical", 3), ("Offer", 1)]
    # Now, whatever the range: a5 active and a6 on hold in Review; a4 and a7 active in Technical.
    assert [(s.active, s.on_hold) for s in stages] == [(1, 1), (2, 0), (0, 0)]
    # Stuck: a5 6.5 days in Review (SLA 5); a4 7.5 and a7 43.5 days in Technical (SLA 3).
    assert [s.stuck for s in stages] == [1, 2, 0]


def test_stuck_needs_more_than_the_sla(company, pipeline):
    # given "now" 4 days 12 hours after a5 entered Review (SLA 5 days)
    now = pipeline.apps[4].stage_entered_at + datetime.timedelta(days=4, hours=12)

    stages = funnel_stages(filters_for(company, now=now))

    assert stages[0].stuck == 0


def test_days_per_stage_median_and_p90(company, pipeline):
    figures = durations(filters_for(company))

    # Review stays of the cohort: a1 2, a2 4, a3 1 (withdrew), a4 1 day; a5 and a6 still there.
    # Sorted 1, 1, 2, 4: median at rank 2.5 = 1.5; p90 at rank 3.7 = 2 + 0.7 * 2 = 3.4.
    n, p50, p90 = figures[(STAGE_DAYS, pipeline.review.pk)]
    assert n == 4
    assert p50 == pytest.approx(1.5)
    assert p90 == pytest.approx(3.4)
    # Technical: a1 4, a2 2 (rejected); a4 is still there. Median 3, p90 at rank 1.9 = 2 + 0.9 * 2.
    n, p50, p90 = figures[(STAGE_DAYS, pipeline.tech.pk)]
    assert (n, p50, p90) == (2, pytest.approx(3.0), pytest.approx(3.8))
    n, p50, p90 = figures[(STAGE_DAYS, pipeline.offer.pk)]
    assert (n, p50, p90) == (1, pytest.approx(1.0), pytest.approx(1.0))


def test_days_from_application_to_hire(company, pipeline):
    figures = durations(filters_for(company))

    assert figures[(HIRE_DAYS, pipeline.job.pk)] == (1, pytest.approx(7.0), pytest.approx(7.0))


def test_feedback_turnaround_hours(company, pipeline, interviews):
    figures = durations(filters_for(company))

    # i1 submitted 2 and 4 hours after the end: median 3, p90 2 + 0.9 * 2 = 3.8.
    assert figures[(FEEDBACK_HOURS, interviews.i1.pk)] == (2, pytest.approx(3.0), pytest.approx(3.8))
    assert figures[(FEEDBACK_HOURS, interviews.i2.pk)] == (1, pytest.approx(10.0), pytest.approx(10.0))
    assert figures[(FEEDBACK_HOURS, interviews.i3.pk)] == (1, pytest.approx(24.0), pytest.approx(24.0))


def test_breakdowns_outcomes_sources_and_reasons(company, pipeline):
    figures = breakdowns(filters_for(company))

    # total, active, on hold, rejected, withdrawn, hired of the cohort a1..a6
    assert figures[OUTCOMES] == [(pipeline.job.pk, 6, 2, 1, 1, 1, 1)]
    assert sorted(figures[SOURCES]) == [("careers_site", 2, 0), ("linkedin", 2, 0), ("referral", 2, 1)]
    assert sorted(figures[REASONS]) == [
        (pipeline.not_enough.pk, "Not enough experience", "company", 1),
        (pipeline.other_offer.pk, "Took another offer", "candidate", 1),
    ]


def test_interviewer_load_overdue_and_calibration_counts(company, pipeline, interviews):
    members = {m.pk: m for m in members_of(filters_for(company))}

    # Weeks from Monday 02-16 to Monday 03-30; x1 and x2 in the week of 03-02, x3 and x4 this week.
    def load(m):
        return [getattr(m, f"load_{k}") for k in range(7)]

    i1, i2, i3 = (members[m.pk] for m in interviews.members)
    assert load(i1) == [0, 0, 2, 0, 1, 0, 0]
    assert load(i2) == [0, 0, 1, 0, 1, 0, 0]
    assert load(i3) == [0, 0, 1, 0, 0, 0, 0]  # x5 was cancelled
    assert (i1.overdue, i2.overdue, i3.overdue) == (0, 1, 0)
    assert (i1.scored, i2.scored, i3.scored) == (2, 1, 1)
    assert (i1.strong_yes, i1.strong_no, i3.strong_no) == (1, 0, 1)


def test_calibration_mean_difference_and_panel_agreement(company, pipeline, interviews):
    calibration, means, agreement = agreement_figures(filters_for(company))

    # i1 gave 4, 5 and 2 (one competency not assessed), i2 3 and 3, i3 1 and 2.
    assert means == {
        interviews.i1.pk: pytest.approx(11 / 3),
        interviews.i2.pk: pytest.approx(3.0),
        interviews.i3.pk: pytest.approx(1.5),
    }
    # a1: i1 mean 4.5 vs i2 3; a2: i1 2 vs i3 1.5. i1: (1.5 + 0.5) / 2 = 1.0.
    assert calibration[interviews.i1.pk] == (2, pytest.approx(1.0))
    assert calibration[interviews.i2.pk] == (1, pytest.approx(-1.5))
    assert calibration[interviews.i3.pk] == (1, pytest.approx(-0.5))
    # Pairable units: x1 C1 (4, 3), x1 C2 (5, 3), x2 C1 (2, 1); x2 C2 has one score.
    # n = 6, D_o = (2 + 8 + 2) / 6 = 2, D_e = 2 (6 * 64 - 18^2) / (6 * 5) = 4: alpha = 1 - 2/4.
    n, alpha = agreement[pipeline.job.pk]
    assert n == 6
    assert alpha == pytest.approx(0.5)


def test_job_filter_keeps_only_that_job(company, pipeline, interviews):
    other = build_pipeline(company, title="Frontend")

    stages = funnel_stages(filters_for(company, job_id=other.job.pk))
    figures = durations(filters_for(company, job_id=other.job.pk))
    members = members_of(filters_for(company, job_id=other.job.pk))

    assert {s.job_id for s in stages} == {other.job.pk}
    assert (FEEDBACK_HOURS, interviews.i1.pk) not in figures
    assert (HIRE_DAYS, pipeline.job.pk) not in figures
    assert members == []


def test_figures_of_another_company_stay_out(company, other_company, pipeline, interviews):
    build_interviews(other_company, build_pipeline(other_company))

    stages = funnel_stages(filters_for(company))
    calibration, _, agreement = agreement_figures(filters_for(company))
    members = members_of(filters_for(company))

    assert {s.company_id for s in stages} == {company.pk}
    assert set(agreement) == {pipeline.job.pk}
    assert set(calibration) == {m.pk for m in interviews.members}
    assert {m.company_id for m in members} == {company.pk}
    assert breakdowns(filters_for(company))[OUTCOMES] == [(pipeline.job.pk, 6, 2, 1, 1, 1, 1)]


def test_calibration_compares_panelists_within_the_same_stage(company, pipeline, interviews):
    # given a Review-stage interview of a1 that only i3 scored, high
    kit = InterviewKitFactory(company=company, stage=pipeline.review, rubric=interviews.rubric)
    start = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
    review = InterviewFactory(
        application=pipeline.apps[0], kit=kit, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    card = ScorecardFactory(
        interview=review,
        interviewer=interviews.i3,
        status=ScorecardStatus.SUBMITTED,
        recommendation=Recommendation.STRONG_YES,
        submitted_at=review.ends_at,
    )
    RatingFactory(scorecard=card, competency=interviews.c1, score=5)

    calibration, _, _ = agreement_figures(filters_for(company))

    # then i1 and i2 are still compared only with each other on a1's Technical panel
    assert calibration[interviews.i1.pk] == (2, pytest.approx(1.0))
    assert calibration[interviews.i2.pk] == (1, pytest.approx(-1.5))
    assert calibration[interviews.i3.pk] == (1, pytest.approx(-0.5))


def test_load_weeks_run_from_four_back_to_two_ahead(company):
    weeks = filters_for(company).weeks()

    assert [w.date().isoformat() for w in weeks] == [
        "2026-02-16",
        "2026-02-23",
        "2026-03-02",
        "2026-03-09",
        "2026-03-16",
        "2026-03-23",
        "2026-03-30",
    ]
