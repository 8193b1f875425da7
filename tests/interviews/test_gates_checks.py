"""Gates (ordered, each optionally unlocking the next) and pass/fail checks: the hire-bar clauses
that read them, the scorecard rules, and the verdict built from submitted scorecards."""

import datetime
import random
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hiring.models import Role
from interviews.outcomes import CheckInput, GateInput
from interviews.selectors import scorecard_sheet, stage_verdict
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from rubrics.hire_bar import ANY, MEAN, CheckScore, Clause, GateScore, Reading, evaluate_hire_bar
from rubrics.models import Check, ClauseKind, Gate, HireBarClause
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def _gates(*statuses):
    return [
        GateScore(f"Level {i + 1}", i + 1, tuple(Reading(s) for s in row)) for i, row in enumerate(statuses)
    ]


def test_k_of_n_gates_gate_i_and_every_check_read_the_panel():
    rng = random.Random(20)
    for _ in range(500):
        n = rng.randint(1, 5)
        panel = rng.randint(1, 4)
        rows = [[rng.choice(["passed", "not_passed", "not_reached"]) for _ in range(panel)] for _ in range(n)]
        gates = _gates(*rows)
        k = rng.randint(1, n)
        every = sum(all(s == "passed" for s in row) for row in rows)
        majority = sum(sum(s == "passed" for s in row) * 2 > len(row) for row in rows)
        assert evaluate_hire_bar(
            [Clause("min_gates_passed", count=k, aggregation=ANY)], [], gates=gates
        ).passed is (every >= k)
        assert evaluate_hire_bar(
            [Clause("min_gates_passed", count=k, aggregation=MEAN)], [], gates=gates
        ).passed is (majority >= k)
        i = rng.randint(1, n)
        gate_i = evaluate_hire_bar([Clause("gate_passed", count=i, aggregation=ANY)], [], gates=gates)
        assert gate_i.passed is all(s == "passed" for s in rows[i - 1])
        checks = [
            CheckScore(f"C{j}", tuple(Reading(rng.choice(["passed", "failed"])) for _ in range(panel)))
            for j in range(n)
        ]
        every_check = evaluate_hire_bar([Clause("every_check_passed", aggregation=ANY)], [], checks=checks)
        assert every_check.passed is all(r.status == "passed" for c in checks for r in c.readings)
        if not every_check.passed:
            assert every_check.clauses[0].evidence


def test_clear_two_of_four_and_the_tests_stayed_green(company):
    gates = _gates(["passed"], ["passed"], ["not_passed"], ["not_reached"])
    checks = [CheckScore("Tests stayed green", (Reading("failed", who="Ada", evidence="2 tests red"),))]
    bar = [Clause("min_gates_passed", count=2), Clause("every_check_passed")]
    verdict = evaluate_hire_bar(bar, [], gates=gates, checks=checks)
    assert [c.passed for c in verdict.clauses] == [True, False]
    assert verdict.clauses[0].reason == "2 of 4 gates passed (Level 1, Level 2); at least 2 required."
    assert (
        verdict.clauses[1].evidence[0].who == "Ada" and verdict.clauses[1].evidence[0].text == "2 tests red"
    )


def _gated_kit(company):
    application, kits = interview_setup(company, competencies=1)
    rubric = kits[0].rubric
    for i in range(1, 4):
        Gate.objects.create(rubric=rubric, position=i, name=f"Level {i}", anchor=f"Level {i} works")
    Check.objects.create(rubric=rubric, name="Tests stayed green", anchor="The suite passes at the end")
    HireBarClause.objects.filter(rubric=rubric).delete()
    HireBarClause.objects.create(rubric=rubric, kind=ClauseKind.MIN_GATES_PASSED, count=2)
    HireBarClause.objects.create(rubric=rubric, kind=ClauseKind.EVERY_CHECK_PASSED)
    HireBarClause.objects.create(rubric=rubric, kind=ClauseKind.MIN_AVERAGE, score=Decimal("1"))
    member = MembershipFactory(company=company, role=Role.INTERVIEWER)
    start = timezone.now() - datetime.timedelta(hours=2)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=[member],
    )
    return application, kits[0], interview.scorecards.get()


def _inputs(card, statuses, check):
    gates = list(card.interview.kit.rubric.gates.order_by("position"))
    check_row = card.interview.kit.rubric.checks.get()
    return (
        [
            GateInput(g.pk, s, "seen" if s in ("passed", "not_passed") else "")
            for g, s in zip(gates, statuses)
        ],
        [CheckInput(check_row.pk, check, "ran the suite")],
    )


def test_a_locked_gate_can_only_be_not_reached_and_submit_needs_every_reading(company):
    _, kit, card = _gated_kit(company)
    competency = kit.rubric.competencies.get()
    ratings = [RatingInput(competency.pk, 4, "ok")]
    gates, checks = _inputs(card, ["not_passed", "passed", "not_reached"], True)
    with pytest.raises(ValidationError, match="Gate 2 .* is locked until gate 1 is passed"):
        scorecard_submit(scorecard=card, ratings=ratings, recommendation="yes", gates=gates, checks=checks)
    gates, checks = _inputs(card, ["passed", "passed", None], True)
    with pytest.raises(ValidationError, match="Gate 3 .* say whether it was passed"):
        scorecard_submit(scorecard=card, ratings=ratings, recommendation="yes", gates=gates, checks=checks)
    card.refresh_from_db()
    assert card.status == "draft" and not card.gate_results.exists()


def test_the_verdict_reads_submitted_gates_and_checks(company, hiring_manager):
    application, kit, card = _gated_kit(company)
    competency = kit.rubric.competencies.get()
    gates, checks = _inputs(card, ["passed", "passed", "not_passed"], False)
    scorecard_submit(
        scorecard=card,
        ratings=[RatingInput(competency.pk, 4, "ok")],
        recommendation="yes",
        gates=gates,
        checks=checks,
    )
    verdict = stage_verdict(application=application, stage_id=kit.stage_id, user=hiring_manager)
    results = {r.clause.kind: r for r in verdict.rubrics[0].verdict.clauses}
    assert results["min_gates_passed"].passed
    assert not results["every_check_passed"].passed and not verdict.passed
    sheet = scorecard_sheet(scorecard_id=card.pk)
    assert [g.result.status for g in sheet.gates] == ["passed", "passed", "not_passed"]
    assert sheet.checks[0].result.passed is False
