"""The calibration page of one interviewer: figures computed by hand, the same number of queries
for N and 2N panels, who may open it (company admins and hiring managers of the company only) and
the independence rule (a viewer who owes a scorecard on an application does not see its scores)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.dashboard.calibration import interviewer_calibration
from interviews.models import Decision, InterviewStatus, ScorecardStatus
from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory, MembershipFactory
from tests.interviews.factories import InterviewFactory, InterviewKitFactory, RatingFactory, ScorecardFactory
from tests.rubrics.factories import CompetencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loop(company):
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job, position=0, name="Technical")
    kit = InterviewKitFactory(stage=stage, company=company)
    competency = CompetencyFactory(rubric=kit.rubric)
    member = MembershipFactory(company=company, role=Role.INTERVIEWER, display_name="Ines")
    peer = MembershipFactory(company=company, role=Role.INTERVIEWER, display_name="Paul")
    return job, stage, kit, competency, member, peer


def _panels(company, loop, n, *, outcome="advance"):
    job, stage, kit, competency, member, peer = loop
    ended = timezone.now() - datetime.timedelta(days=3)
    for _ in range(n):
        application = ApplicationFactory(company=company, job=job, stage=stage)
        interview = InterviewFactory(
            application=application, kit=kit, starts_at=ended - datetime.timedelta(hours=1), ends_at=ended
        )
        for who, score, recommendation in ((member, 4, "yes"), (peer, 2, "no")):
            card = ScorecardFactory(
                interview=interview,
                interviewer=who,
                status=ScorecardStatus.SUBMITTED,
                submitted_at=ended,
                recommendation=recommendation,
            )
            RatingFactory(scorecard=card, competency=competency, score=score, evidence="seen")
        Decision.objects.create(company=company, application=application, stage=stage, outcome=outcome)


def _overdue(company, loop):
    job, stage, kit, _, member, _ = loop
    ended = timezone.now() - datetime.timedelta(days=2)
    interview = InterviewFactory(
        application=ApplicationFactory(company=company, job=job, stage=stage),
        kit=kit,
        starts_at=ended - datetime.timedelta(hours=1),
        ends_at=ended,
        status=InterviewStatus.COMPLETED,
    )
    return ScorecardFactory(interview=interview, interviewer=member)


def test_the_figures_against_the_company_the_co_panelists_and_the_decisions(company, loop, hiring_manager):
    _panels(company, loop, 3)
    _panels(company, loop, 1, outcome="reject")
    _overdue(company, loop)
    member = loop[4]
    figures = interviewer_calibration(member=member, user=hiring_manager, now=timezone.now())
    assert figures.scores == 4 and figures.company_scores == 8
    assert figures.distribution == [(2, 0.0, 50.0), (4, 100.0, 50.0)]
    assert [(n, d) for _, n, d in figures.leniency] == [(4, 2.0)]
    assert (figures.decided, figures.matched) == (4, 3) and figures.match_rate == 75.0
    assert figures.overdue_count == 1 and figures.overdue[0].interviewer_id == member.pk


def _page(client, member):
    return client.get(reverse("admin:dashboard_calibration", args=[member.pk]))


def test_the_page_costs_the_same_queries_for_n_and_2n_panels(company, loop, manager_client):
    counts = []
    for n in (3, 3):  # 3 panels, then 6
        _panels(company, loop, n)
        _overdue(company, loop)
        _page(manager_client, loop[4])
        with CaptureQueriesContext(connection) as ctx:
            response = _page(manager_client, loop[4])
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    html = response.content.decode()
    assert "Calibration: Ines" in html and "decision on <strong>6 of 6</strong>" in html


def test_only_company_admins_and_hiring_managers_open_it(
    company,
    loop,
    company_admin_client,
    manager_client,
    recruiter_client,
    interviewer_client,
    admin_client_for,
    other_company_admin,
):
    _panels(company, loop, 1)
    assert _page(company_admin_client, loop[4]).status_code == 200
    assert _page(manager_client, loop[4]).status_code == 200
    assert _page(recruiter_client, loop[4]).status_code == 403
    assert _page(interviewer_client, loop[4]).status_code == 403
    assert _page(admin_client_for(other_company_admin), loop[4]).status_code == 404
    assert _page(admin_client_for(loop[4].user), loop[4]).status_code == 403  # not their own either


def test_a_viewer_who_owes_a_scorecard_does_not_see_those_scores(company, loop, hiring_manager):
    _panels(company, loop, 2)
    job, stage, kit, competency, member, peer = loop
    # The hiring manager sits on the first panel and has not submitted: its scores are hidden.
    interview = loop[2].interviews.order_by("pk").first()
    ScorecardFactory(interview=interview, interviewer=hiring_manager.memberships.get())
    figures = interviewer_calibration(member=member, user=hiring_manager, now=timezone.now())
    assert figures.scores == 1 and figures.company_scores == 2
    assert figures.decided == 1


def test_the_dashboard_calibration_table_links_to_the_page(company, loop, manager_client):
    _panels(company, loop, 1)
    html = manager_client.get(reverse("admin:dashboard")).content.decode()
    assert reverse("admin:dashboard_calibration", args=[loop[4].pk]) in html
