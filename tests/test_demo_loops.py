"""The demo's evaluation loops (issue 20): a behavioural rubric with two questions and probes per
competency, a template with gates, a check and a no-AI block at an offset, one with an internal
debrief and a paid trial with a window in days, and panels with a split critical score."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Max, Min

from hiring.models import ProcessTemplate
from interviews.models import Rating, ScorecardStatus
from tools.demo.rubric import BEHAVIORAL, PROGRESSIVE

pytestmark = pytest.mark.django_db


def test_the_behavioural_rubric_has_two_questions_with_probes_per_competency():
    for competency in BEHAVIORAL.competencies:
        assert len(competency.questions) >= 2, competency.name
        assert all(q.follow_ups for q in competency.questions), competency.name
    assert len(PROGRESSIVE.gates) == 4 and PROGRESSIVE.checks
    assert ("min_gates_passed", None, 2, "any") in PROGRESSIVE.hire_bar


def test_the_demo_loops_use_gates_checks_no_ai_blocks_internal_kits_paid_trials_and_split_panels():
    call_command("demo", stdout=StringIO())
    loop = ProcessTemplate.objects.filter(name__contains="progressive rounds").first()
    coding = loop.stages.get(name="Progressive coding round").kits.get()
    assert coding.rubric.gates.count() == 4 and coding.rubric.checks.count() == 1
    assert {c.kind for c in coding.rubric.hire_bar.all()} >= {"min_gates_passed", "every_check_passed"}
    assert [(b.start_minute, b.end_minute) for b in coding.no_ai_blocks.all()] == [(30, 50)]
    assert "minutes 30–50 of 90" in coding.ai_policy_text()
    reference = loop.stages.get(kind="reference_check").kits.get()
    assert reference.format == "reference"
    posthog = ProcessTemplate.objects.filter(name__contains="PostHog").first()
    superday = posthog.stages.get(name__contains="SuperDay")
    kits = list(superday.kits.all())
    assert superday.is_paid and superday.pay_amount
    assert any(k.format == "trial" and k.window_days for k in kits) and any(k.is_internal for k in kits)
    # a critical competency one panelist rated 2 or less and another 4 or more, in the same interview
    split = (
        Rating.objects.filter(
            competency__is_critical=True, scorecard__status=ScorecardStatus.SUBMITTED, score__isnull=False
        )
        .values("scorecard__interview_id", "competency_id")
        .annotate(low=Min("score"), high=Max("score"))
        .filter(low__lte=2, high__gte=4)
    )
    assert split.exists()
