"""The dashboard's gate pass rates per job: counted by hand, hidden where the viewer still owes
a scorecard (independence), shown as a panel of the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.dashboard.gates import gate_pass_rates
from interviews.dashboard.selectors import DashboardFilters
from interviews.models import GateResult, ScorecardStatus
from rubrics.models import Gate
from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory, MembershipFactory
from tests.interviews.factories import InterviewFactory, InterviewKitFactory, ScorecardFactory

pytestmark = pytest.mark.django_db


def _filters(company):
    today = timezone.localdate()
    return DashboardFilters(
        company_ids=(company.pk,),
        job_id=None,
        date_from=today - datetime.timedelta(days=30),
        date_to=today,
        now=timezone.now(),
    )


def _readings(company, statuses, *, title="Coding"):
    job = JobFactory(company=company, title=title)
    stage = JobStageFactory(job=job, position=0)
    kit = InterviewKitFactory(stage=stage, company=company)
    gates = [Gate.objects.create(rubric=kit.rubric, position=i + 1, name=f"Level {i + 1}") for i in range(2)]
    ended = timezone.now() - datetime.timedelta(days=2)
    cards = []
    for row in statuses:
        interview = InterviewFactory(
            application=ApplicationFactory(company=company, job=job, stage=stage),
            kit=kit,
            starts_at=ended - datetime.timedelta(hours=1),
            ends_at=ended,
        )
        card = ScorecardFactory(
            interview=interview,
            interviewer=MembershipFactory(company=company),
            status=ScorecardStatus.SUBMITTED,
            submitted_at=ended,
            recommendation="yes",
        )
        for gate, status in zip(gates, row, strict=True):
            GateResult.objects.create(scorecard=card, gate=gate, status=status)
        cards.append(card)
    return job, cards


def test_pass_rates_per_job_and_gate(company, hiring_manager):
    _readings(company, [("passed", "passed"), ("passed", "not_passed"), ("not_passed", "not_reached")])
    rates = gate_pass_rates(_filters(company), user=hiring_manager)
    assert [(r.gate_position, r.readings, r.passed, r.not_passed, r.not_reached) for r in rates] == [
        (1, 3, 2, 1, 0),
        (2, 3, 1, 1, 1),
    ]


def test_a_viewer_who_owes_a_scorecard_on_the_application_does_not_count_it(company, hiring_manager):
    _, cards = _readings(company, [("passed", "passed"), ("not_passed", "not_reached")])
    ScorecardFactory(interview=cards[0].interview, interviewer=hiring_manager.memberships.get())
    rates = gate_pass_rates(_filters(company), user=hiring_manager)
    assert [(r.readings, r.passed) for r in rates] == [(1, 0), (1, 0)]


def test_the_dashboard_shows_the_panel(company, manager_client):
    _readings(company, [("passed", "not_passed")], title="Progressive coding")
    html = manager_client.get(reverse("admin:dashboard")).content.decode()
    assert 'id="gates"' in html and "Gate pass rates" in html and "1. Level 1" in html
