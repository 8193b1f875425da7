"""The verdict for the whole loop: every stage with a bar passed, or which failed or miss one; a
hire against a failed or missing verdict needs a written reason."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.models import Decision
from interviews.selectors import application_scores
from interviews.services import RatingInput, decision_record, interview_schedule, scorecard_submit
from rubrics.verdicts import FAILED, MISSING, PASSED, SKIPPED, StageVerdict, loop_verdict
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def _score(application, kit, score, hours_ago):
    competencies = list(kit.rubric.competencies.order_by("position", "id"))
    member = MembershipFactory(company=application.company, role=Role.INTERVIEWER)
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    interview = interview_schedule(
        application=application,
        kit=kit,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=45),
        interviewers=[member],
    )
    card = interview.scorecards.get()
    scorecard_submit(
        scorecard=card, ratings=[RatingInput(c.pk, score, "seen") for c in competencies], recommendation="yes"
    )


def _at_last_stage(company, first_score, last_score=5):
    """An application in Round 1 of two rounds; Round 0 scored `first_score` (None: no scorecard)."""
    application, kits = interview_setup(company, stages=2)
    if first_score is not None:
        _score(application, kits[0], first_score, 30)
    application.stage = kits[1].stage
    application.save(update_fields=["stage"])
    _score(application, kits[1], last_score, 3)
    return application, kits


def test_the_loop_passes_only_when_every_stage_with_a_bar_passed():
    def stage(pk, passed):
        verdict = StageVerdict(pk, f"S{pk}")
        verdict.rubrics.append(type("R", (), {"verdict": type("V", (), {"passed": passed})()})())
        return verdict

    stages = [(1, "S1", False), (2, "S2", False), (3, "S3", True), (4, "S4", False)]
    loop = loop_verdict(stages=stages, verdicts=[stage(1, True), stage(2, False)])
    assert [s.status for s in loop.stages] == [PASSED, FAILED, SKIPPED, MISSING]
    assert not loop.passed
    assert loop.summary == "The loop does not pass (failed: S2; no verdict yet: S4)."
    passing = loop_verdict(stages=stages[:1] + stages[2:3], verdicts=[stage(1, True)])
    assert passing.passed and passing.summary == "Every stage with a hire bar passed it."
    assert not loop_verdict(stages=[], verdicts=[]).passed


def test_a_hire_at_the_last_stage_reads_the_earlier_failed_stage(company, hiring_manager):
    application, _ = _at_last_stage(company, first_score=2)
    with pytest.raises(ValidationError, match=r"failed: Round 0.*hire anyway"):
        decision_record(application=application, outcome="hire", actor=hiring_manager)
    assert not Decision.objects.exists()
    decision = decision_record(
        application=application,
        outcome="hire",
        actor=hiring_manager,
        reason="Round 0 was a bad day; re-tested.",
    )
    assert decision.against_verdict and decision.verdict_passed is False
    statuses = {(row["stage"], row["status"]) for row in decision.verdict_snapshot}
    assert statuses == {("Round 0", FAILED), ("Round 1", PASSED)}


def test_a_hire_with_a_missing_verdict_needs_a_reason(company, hiring_manager):
    application, _ = _at_last_stage(company, first_score=None)
    with pytest.raises(ValidationError, match="no verdict yet: Round 0"):
        decision_record(application=application, outcome="hire", actor=hiring_manager)
    decision = decision_record(
        application=application, outcome="hire", actor=hiring_manager, reason="Referral."
    )
    assert decision.against_verdict
    assert {"stage": "Round 0", "status": MISSING}.items() <= decision.verdict_snapshot[0].items()


def test_a_hire_after_every_stage_passed_needs_no_reason(company, hiring_manager):
    application, _ = _at_last_stage(company, first_score=5)
    decision = decision_record(application=application, outcome="hire", actor=hiring_manager)
    assert not decision.against_verdict and decision.verdict_passed is True


def test_advancing_reads_the_current_stage_only(company, hiring_manager):
    application, kits = interview_setup(company, stages=3)
    _score(application, kits[0], 2, 30)
    application.stage = kits[1].stage
    application.save(update_fields=["stage"])
    _score(application, kits[1], 5, 3)
    decision = decision_record(application=application, outcome="advance", actor=hiring_manager)
    assert not decision.against_verdict


def test_the_application_page_and_the_decision_form_show_every_stage_and_the_loop(
    company, hiring_manager, manager_client
):
    application, _ = _at_last_stage(company, first_score=2)
    scores = application_scores(application=application, user=hiring_manager)
    assert [s.status for s in scores.loop.stages] == [FAILED, PASSED]
    page = html.unescape(
        manager_client.get(reverse("admin:hiring_application_change", args=[application.pk])).content.decode()
    )
    form = html.unescape(
        manager_client.get(
            reverse("admin:interviews_decision_add") + f"?application={application.pk}"
        ).content.decode()
    )
    for body in (page, form):
        assert "Loop verdict:" in body and "The loop does not pass (failed: Round 0)." in body
        assert "<strong>Round 0:</strong>" in body and "<strong>Round 1:</strong>" in body
    response = manager_client.post(
        reverse("admin:interviews_decision_add") + f"?application={application.pk}",
        {"outcome": "hire", "expected_stage_id": application.stage_id, "expected_status": application.status},
    )
    assert response.status_code == 200 and "failed: Round 0" in html.unescape(response.content.decode())
    assert not Decision.objects.exists()
