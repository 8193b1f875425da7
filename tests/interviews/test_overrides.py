"""A split critical score read by "any panelist", its evidence, and overriding it (only the job's
hiring manager, always with a written reason, recorded on the decision)."""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.admin.panels import interviews_panel
from interviews.models import ClauseOverride, Decision
from interviews.selectors import stage_verdict
from interviews.services import RatingInput, decision_record, interview_schedule, scorecard_submit
from rubrics.models import Aggregation, ClauseKind
from tests.hiring.factories import MembershipFactory, UserFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db

LOW_EVIDENCE = "Shipped the model without a privacy review, Zebra-7"


def _split_panel(company, manager_user):
    """Critical Skill 0 rated 2 by Ada and 5 by Grace; the other skills 5s: the mean passes."""
    application, kits = interview_setup(company)
    job = application.job
    job.hiring_manager = manager_user.memberships.get(company=company)
    job.save(update_fields=["hiring_manager"])
    rubric = kits[0].rubric
    rubric.hire_bar.filter(kind=ClauseKind.NO_CRITICAL_AT_OR_BELOW).update(aggregation=Aggregation.ANY)
    competencies = list(rubric.competencies.order_by("position", "id"))
    ada = MembershipFactory(company=company, role=Role.INTERVIEWER, user=UserFactory(first_name="Ada"))
    grace = MembershipFactory(company=company, role=Role.INTERVIEWER, user=UserFactory(first_name="Grace"))
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
        interviewers=[ada, grace],
    )
    for card in interview.scorecards.all():
        low = card.interviewer_id == ada.pk
        ratings = [
            RatingInput(c.pk, (2 if low else 5) if i == 0 else 5, LOW_EVIDENCE if low and i == 0 else "good")
            for i, c in enumerate(competencies)
        ]
        scorecard_submit(scorecard=card, ratings=ratings, recommendation="yes")
    ada.refresh_from_db()
    return application, ada, rubric.hire_bar.get(kind=ClauseKind.NO_CRITICAL_AT_OR_BELOW)


def _key(application, clause):
    return f"{application.stage_id}-{clause.pk}"


def test_a_split_critical_score_fails_the_bar_and_the_page_names_the_evidence(company, hiring_manager):
    application, ada, _ = _split_panel(company, hiring_manager)
    verdict = stage_verdict(application=application, stage_id=application.stage_id, user=hiring_manager)
    assert not verdict.passed
    request = RequestFactory().get("/")
    request.user = hiring_manager
    page = html.unescape(interviews_panel(request, application))
    assert "does not pass the hire bar" in page
    assert f"Skill 0: 2 by {ada.display_name}" in page and LOW_EVIDENCE in page


def test_the_hiring_manager_overrides_the_failing_clause_with_a_reason(company, hiring_manager):
    application, _, clause = _split_panel(company, hiring_manager)
    reason = "The privacy lapse was in a student project; references confirm reviews since."
    decision = decision_record(
        application=application,
        outcome="advance",
        actor=hiring_manager,
        overrides={_key(application, clause): reason},
    )
    assert decision.verdict_passed is False  # the verdict as the panel gave it
    assert decision.against_verdict is False  # the overridden clause was the only failing one
    override = ClauseOverride.objects.get(decision=decision)
    assert (override.clause, override.reason, override.overridden_by) == (clause, reason, hiring_manager)
    row = next(r for r in decision.verdict_snapshot if r["clause_id"] == clause.pk)
    assert row["override"] == reason and not row["passed"]
    assert row["evidence"][0]["text"] == LOW_EVIDENCE


def test_advancing_past_a_failing_clause_without_override_needs_a_reason(company, hiring_manager):
    application, _, _ = _split_panel(company, hiring_manager)
    with pytest.raises(ValidationError, match="does not pass the hire bar"):
        decision_record(application=application, outcome="advance", actor=hiring_manager)
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.HIRING_MANAGER])
def test_only_the_jobs_hiring_manager_can_override(company, hiring_manager, role):
    application, _, clause = _split_panel(company, hiring_manager)
    other = MembershipFactory(company=company, role=role).user  # a recruiter, another manager
    with pytest.raises(ValidationError, match="Only the job's hiring manager"):
        decision_record(
            application=application,
            outcome="advance",
            actor=other,
            overrides={_key(application, clause): "x"},
        )
    assert not Decision.objects.exists() and not ClauseOverride.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_needs_a_written_reason(company, hiring_manager, reason):
    application, _, clause = _split_panel(company, hiring_manager)
    with pytest.raises(ValidationError, match="Write why you override"):
        decision_record(
            application=application,
            outcome="advance",
            actor=hiring_manager,
            overrides={_key(application, clause): reason},
        )
    assert not Decision.objects.exists()


def test_a_passing_clause_cannot_be_overridden(company, hiring_manager):
    application, _, _ = _split_panel(company, hiring_manager)
    passing = (
        application.job.stages.first().kits.first().rubric.hire_bar.get(kind=ClauseKind.NO_BLOCKING_RED_FLAG)
    )
    with pytest.raises(ValidationError, match="nothing to override"):
        decision_record(
            application=application,
            outcome="advance",
            actor=hiring_manager,
            overrides={_key(application, passing): "why not"},
        )


def test_the_decision_form_offers_override_boxes_to_the_hiring_manager_only(
    company, hiring_manager, manager_client, recruiter_client
):
    application, _, clause = _split_panel(company, hiring_manager)
    url = reverse("admin:interviews_decision_add") + f"?application={application.pk}"
    field = f"override_{_key(application, clause)}"
    assert f'name="{field}"' in manager_client.get(url).content.decode()
    assert f'name="{field}"' not in recruiter_client.get(url).content.decode()
    response = manager_client.post(
        url,
        {
            "outcome": "advance",
            field: "Checked with two references.",
            "expected_stage_id": application.stage_id,
            "expected_status": application.status,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ClauseOverride.objects.get().reason == "Checked with two references."
    assert Decision.objects.get().against_verdict is False
