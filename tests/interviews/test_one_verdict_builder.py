"""One anchor and verdict builder (rubrics.verdicts): the application page, the decision form, the
demo and the dashboard read the same verdict and the same anchors for the same panel."""

import datetime
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from hiring.models import Role
from interviews.models import Decision
from interviews.selectors import application_scores, scorecard_sheet, stage_verdict
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from rubrics.models import LevelAnchor
from rubrics.verdicts import anchor_table, anchor_text, clause_of
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup
from tools.demo.evaluations import EvaluationsMixin
from tools.demo.pipeline import RubricInfo

pytestmark = pytest.mark.django_db


def _panel(company, patterns, *, flag=False):
    application, kits = interview_setup(company)
    rubric = kits[0].rubric
    competencies = list(rubric.competencies.order_by("position", "id"))
    members = [MembershipFactory(company=company, role=Role.INTERVIEWER) for _ in patterns]
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
        interviewers=members,
    )
    cards = {sc.interviewer_id: sc for sc in interview.scorecards.all()}
    for m, pattern in zip(members, patterns, strict=True):
        ratings = [RatingInput(c.pk, s, f"evidence {s}" if s else "") for c, s in zip(competencies, pattern)]
        flags = [rubric.red_flags.get(is_blocking=True).pk] if flag and m == members[0] else []
        scorecard_submit(scorecard=cards[m.pk], ratings=ratings, red_flag_ids=flags, recommendation="yes")
    return application, kits[0], list(interview.scorecards.order_by("id"))


def _demo_snapshot(company, application, kit, scorecards):
    """The demo generator's decision for the same panel, from its in-memory rows."""
    rubric = kit.rubric
    info = RubricInfo(
        rubric,
        list(rubric.competencies.order_by("position", "id")),
        list(rubric.red_flags.all()),
        [clause_of(c) for c in rubric.hire_bar.order_by("id")],
    )
    demo = EvaluationsMixin()
    demo.rubrics, demo.rng, demo.company = {rubric.pk: info}, random.Random(1), company
    demo.rows = SimpleNamespace(decisions=[])
    for sc in scorecards:
        sc._demo_ratings = list(sc.ratings.select_related("competency"))
        sc._demo_flags = list(sc.red_flags.all())
    demo._decide(application.job, application, kit.stage, scorecards, advance=True, at=timezone.now())
    decision: Decision = demo.rows.decisions[0]
    return decision.verdict_passed, decision.verdict_snapshot


@pytest.mark.parametrize(
    "patterns, flag, passes",
    [
        ([(4, 4, 4), (5, 4, 3)], False, True),
        ([(2, 5, 5), (4, 5, 5)], False, True),  # the mean of the critical one is 3
        ([(4, 4, 4), (4, 4, 4)], True, False),  # a blocking flag
        ([(3, 3, None), (2, 3, 3)], False, False),
    ],
)
def test_application_page_decision_form_and_demo_read_the_same_verdict(
    company, hiring_manager, patterns, flag, passes
):
    application, kit, scorecards = _panel(company, patterns, flag=flag)
    page = application_scores(application=application, user=hiring_manager).stages
    form = stage_verdict(application=application, stage_id=kit.stage_id, user=hiring_manager)
    demo_passed, demo_snapshot = _demo_snapshot(company, application, kit, scorecards)
    assert len(page) == 1
    assert page[0].passed is form.passed is demo_passed is passes
    assert page[0].snapshot() == form.snapshot() == demo_snapshot
    assert len(form.snapshot()) == 3


def test_the_scorecard_form_and_page_read_anchors_from_the_one_table(company):
    application, kit, scorecards = _panel(company, [(5, 2, 3)])
    sheet = scorecard_sheet(scorecard_id=scorecards[0].pk)
    table = anchor_table(LevelAnchor.objects.filter(rubric=kit.rubric))
    for c in sheet.competencies:
        assert c.level_anchors == [(s, anchor_text(table, c.pk, s)) for s in kit.rubric.scores]
    first = sheet.competencies[0]
    # the competency's own text wins over the rubric-wide one; the others inherit
    assert dict(first.level_anchors)[5] == "Outstanding at 0"
    assert dict(first.level_anchors)[2] == "Level 2 in general"
    assert anchor_text(table, first.pk, None) == ""
