"""Interviews, scorecards and decisions through their services, against the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from icalendar import Calendar

from hiring.models import ApplicationStatus, Role
from interviews.ics import interview_ics
from interviews.models import Decision, InterviewStatus, Rating, Scorecard, ScorecardStatus
from interviews.selectors import interview_conflicts, stage_verdict
from interviews.services import (
    RatingInput,
    decision_record,
    interview_cancel,
    interview_complete,
    interview_reschedule,
    interview_schedule,
    interview_set_interviewers,
    scorecard_amend,
    scorecard_save_draft,
    scorecard_submit,
)
from tests.hiring.factories import MembershipFactory, RejectionReasonFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def member(user):
    return user.memberships.get()


def _past_interview(application, kit, members, *, hours_ago=3):
    start = timezone.now() - datetime.timedelta(hours=hours_ago)
    return interview_schedule(
        application=application, kit=kit, starts_at=start, ends_at=start + HOUR, interviewers=members
    )


def _ratings(rubric, score=4, evidence="Concrete example with numbers."):
    return [RatingInput(c.pk, score, evidence) for c in rubric.competencies.all()]


def test_schedule_creates_one_draft_scorecard_per_interviewer(company, interviewer, hiring_manager):
    application, kits = interview_setup(company)
    start = timezone.now() + datetime.timedelta(days=2)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        time_zone="Europe/Paris",
        video_url="https://meet.example.com/x",
        interviewers=[member(interviewer), member(hiring_manager)],
    )
    assert interview.ends_at == start + datetime.timedelta(minutes=kits[0].duration_minutes)
    cards = Scorecard.objects.filter(interview=interview)
    assert sorted(cards.values_list("interviewer__user__username", flat=True)) == [
        "acme-interviewer",
        "acme-manager",
    ]
    assert set(cards.values_list("status", flat=True)) == {ScorecardStatus.DRAFT}


def test_schedule_refuses_kit_of_another_job_and_members_of_another_company(
    company, interviewer, other_company_admin
):
    application, _ = interview_setup(company)
    _, other_kits = interview_setup(company)
    start = timezone.now() + HOUR
    with pytest.raises(ValidationError, match="not part of this job"):
        interview_schedule(
            application=application, kit=other_kits[0], starts_at=start, interviewers=[member(interviewer)]
        )
    with pytest.raises(ValidationError, match="Not members"):
        interview_schedule(
            application=application,
            kit=application.stage.kits.get(),
            starts_at=start,
            interviewers=[member(other_company_admin)],
        )
    with pytest.raises(ValidationError, match="time zone"):
        interview_schedule(
            application=application,
            kit=application.stage.kits.get(),
            starts_at=start,
            time_zone="Mars/Olympus",
            interviewers=[member(interviewer)],
        )


def test_removing_an_interviewer_deletes_only_an_untouched_draft(company, interviewer, hiring_manager):
    application, kits = interview_setup(company)
    interview = _past_interview(application, kits[0], [member(interviewer), member(hiring_manager)])
    later = MembershipFactory(company=company, role=Role.INTERVIEWER)
    # when a third interviewer is added, they get a draft too
    interview_set_interviewers(
        interview=interview, interviewers=[member(interviewer), member(hiring_manager), later]
    )
    assert interview.scorecards.count() == 3
    # the manager starts writing; the late addition has not
    manager_card = interview.scorecards.get(interviewer=member(hiring_manager))
    scorecard_save_draft(scorecard=manager_card, ratings=[], summary="Notes so far")
    with pytest.raises(ValidationError, match="already started"):
        interview_set_interviewers(interview=interview, interviewers=[member(interviewer)])
    interview_set_interviewers(
        interview=interview, interviewers=[member(interviewer), member(hiring_manager)]
    )
    assert set(interview.scorecards.values_list("interviewer_id", flat=True)) == {
        member(interviewer).pk,
        member(hiring_manager).pk,
    }


def test_reschedule_raises_the_sequence_and_cancel_ends_it(company, interviewer):
    application, kits = interview_setup(company)
    start = timezone.now() + datetime.timedelta(days=1)
    interview = interview_schedule(
        application=application, kit=kits[0], starts_at=start, interviewers=[member(interviewer)]
    )
    moved = interview_reschedule(interview=interview, starts_at=start + HOUR, ends_at=start + 2 * HOUR)
    assert moved.sequence == 1 and moved.starts_at == start + HOUR
    with pytest.raises(ValidationError, match="not started"):
        interview_complete(interview=moved)
    interview_cancel(interview=moved)
    moved.refresh_from_db()
    assert moved.status == InterviewStatus.CANCELLED and moved.sequence == 2
    with pytest.raises(ValidationError, match="cancelled"):
        interview_reschedule(interview=moved, starts_at=start, ends_at=start + HOUR)


def test_double_booked_interviewer_is_reported_as_a_conflict(company, interviewer, hiring_manager):
    application, kits = interview_setup(company)
    start = timezone.now() + datetime.timedelta(days=1)
    first = interview_schedule(
        application=application, kit=kits[0], starts_at=start, interviewers=[member(interviewer)]
    )
    second = interview_schedule(
        application=application,
        kit=kits[1],
        starts_at=start + datetime.timedelta(minutes=30),
        interviewers=[member(interviewer), member(hiring_manager)],
    )
    apart = interview_schedule(
        application=application, kit=kits[1], starts_at=start + 3 * HOUR, interviewers=[member(interviewer)]
    )
    assert [(m.pk, i.pk) for m, i in interview_conflicts(interview=second)] == [
        (member(interviewer).pk, first.pk)
    ]
    assert interview_conflicts(interview=apart) == []


def test_score_outside_the_scale_is_refused_by_the_database(company, interviewer):
    application, kits = interview_setup(company)
    interview = _past_interview(application, kits[0], [member(interviewer)])
    card = interview.scorecards.get()
    competency = kits[0].rubric.competencies.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(scorecard=card, competency=competency, score=6, scale_min=1, scale_max=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(scorecard=card, competency=competency, score=0, scale_min=1, scale_max=5)
    Rating.objects.create(scorecard=card, competency=competency, score=5, scale_min=1, scale_max=5)


def test_score_outside_the_scale_is_refused_by_the_service(company, interviewer):
    application, kits = interview_setup(company)
    card = _past_interview(application, kits[0], [member(interviewer)]).scorecards.get()
    competency = kits[0].rubric.competencies.first()
    with pytest.raises(ValidationError, match="from 1 to 5"):
        scorecard_save_draft(scorecard=card, ratings=[RatingInput(competency.pk, 9, "x")])
    assert not Rating.objects.exists()


def test_submit_needs_evidence_for_every_score_and_a_recommendation(company, interviewer):
    application, kits = interview_setup(company)
    rubric = kits[0].rubric
    card = _past_interview(application, kits[0], [member(interviewer)]).scorecards.get()
    # a draft may be incomplete
    scorecard_save_draft(scorecard=card, ratings=_ratings(rubric, evidence=""))
    with pytest.raises(ValidationError, match="evidence"):
        scorecard_submit(scorecard=card, ratings=_ratings(rubric, evidence=""), recommendation="yes")
    with pytest.raises(ValidationError, match="recommendation"):
        scorecard_submit(scorecard=card, ratings=_ratings(rubric), recommendation="")
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT
    # "not assessed" needs no evidence
    ratings = _ratings(rubric)[:-1] + [RatingInput(rubric.competencies.last().pk, None, "")]
    scorecard_submit(scorecard=card, ratings=ratings, recommendation="strong_yes", summary="Good")
    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED and card.submitted_at is not None
    assert list(card.ratings.values_list("score", flat=True)) == [4, 4, None]
    rubric.refresh_from_db()
    assert rubric.is_locked


def test_submitted_scorecard_changes_only_by_amend_which_keeps_the_previous_version(company, interviewer):
    application, kits = interview_setup(company)
    rubric = kits[0].rubric
    card = _past_interview(application, kits[0], [member(interviewer)]).scorecards.get()
    scorecard_submit(scorecard=card, ratings=_ratings(rubric, 2), recommendation="no", summary="Weak")
    with pytest.raises(ValidationError, match="amend"):
        scorecard_save_draft(scorecard=card, ratings=_ratings(rubric, 5))
    with pytest.raises(ValidationError, match="already been submitted"):
        scorecard_submit(scorecard=card, ratings=_ratings(rubric, 5), recommendation="yes")
    with pytest.raises(ValidationError, match="why"):
        scorecard_amend(
            scorecard=card, reason=" ", actor=interviewer, ratings=_ratings(rubric, 3), recommendation="yes"
        )
    amendment = scorecard_amend(
        scorecard=card,
        reason="Mixed up two candidates' notes.",
        actor=interviewer,
        ratings=_ratings(rubric, 3),
        recommendation="yes",
        summary="Solid",
    )
    card.refresh_from_db()
    assert card.recommendation == "yes" and set(card.ratings.values_list("score", flat=True)) == {3}
    assert amendment.previous["recommendation"] == "no"
    assert {r["score"] for r in amendment.previous["ratings"]} == {2}
    assert amendment.previous["summary"] == "Weak" and amendment.amended_by == interviewer


def test_no_scorecard_is_expected_for_a_cancelled_interview(company, interviewer):
    application, kits = interview_setup(company)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=timezone.now() + HOUR,
        interviewers=[member(interviewer)],
    )
    interview_cancel(interview=interview)
    with pytest.raises(ValidationError, match="cancelled"):
        scorecard_save_draft(scorecard=interview.scorecards.get(), ratings=[])


def _submitted_panel(company, users, score):
    application, kits = interview_setup(company)
    interview = _past_interview(application, kits[0], [member(u) for u in users])
    for card in interview.scorecards.all():
        scorecard_submit(
            scorecard=card,
            ratings=_ratings(kits[0].rubric, score),
            recommendation="yes" if score > 3 else "no",
        )
    return application, kits


def test_verdict_explains_every_clause(company, interviewer, hiring_manager):
    application, _ = _submitted_panel(company, [interviewer, hiring_manager], 2)
    verdict = stage_verdict(application=application, stage_id=application.stage_id, user=hiring_manager)
    assert verdict.passed is False
    reasons = [r.reason for r in verdict.rubrics[0].verdict.clauses]
    assert reasons == [
        "Weighted average 2 < required 3.5.",
        "Critical competencies at or below 2: Skill 0 (2).",
        "No blocking red flag raised.",
    ]


def test_decision_against_the_verdict_needs_a_reason(company, interviewer, hiring_manager):
    application, _ = _submitted_panel(company, [interviewer], 2)
    with pytest.raises(ValidationError, match="does not pass the hire bar"):
        decision_record(application=application, outcome="advance", actor=hiring_manager)
    assert not Decision.objects.exists()
    first_stage = application.stage
    decision = decision_record(
        application=application,
        outcome="advance",
        actor=hiring_manager,
        reason="The critical skill was shown in the take-home; test it again.",
    )
    application.refresh_from_db()
    assert application.stage != first_stage and application.stage.name == "Round 1"
    assert decision.against_verdict is True and decision.verdict_passed is False
    assert decision.reason.startswith("The critical skill")
    assert decision.stage == first_stage
    assert [row["passed"] for row in decision.verdict_snapshot] == [False, False, True]


def test_decision_with_the_verdict_needs_no_reason_and_rejects(company, interviewer, hiring_manager):
    application, _ = _submitted_panel(company, [interviewer], 2)
    reason = RejectionReasonFactory(company=company)
    decision = decision_record(
        application=application, outcome="reject", actor=hiring_manager, rejection_reason=reason
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert decision.against_verdict is False and decision.reason == ""


def test_decision_is_undone_when_the_move_is_refused(company, interviewer, hiring_manager):
    # given a passing panel in the last stage: advancing is impossible
    application, _ = _submitted_panel(company, [interviewer], 5)
    with pytest.raises(ValidationError, match="Choose a reason"):
        decision_record(application=application, outcome="reject", actor=hiring_manager, reason="Seat filled")
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE


def test_ics_invite_carries_time_zone_panel_and_sequence(company, interviewer):
    application, kits = interview_setup(company)
    start = datetime.datetime(2030, 3, 4, 9, 0, tzinfo=datetime.UTC)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        time_zone="Europe/Paris",
        video_url="https://meet.example.com/abc",
        interviewers=[member(interviewer)],
    )
    interview_reschedule(interview=interview, starts_at=start + HOUR, ends_at=start + 2 * HOUR)
    interview.refresh_from_db()
    ics = interview_ics(interview).decode()
    assert "BEGIN:VTIMEZONE" in ics and "TZID:Europe/Paris" in ics
    assert ics.index("BEGIN:VTIMEZONE") < ics.index("BEGIN:VEVENT")  # a zone is defined before its use
    assert "DTSTART;TZID=Europe/Paris:20300304T110000" in ics
    assert f"UID:interview-{interview.pk}@hireloop" in ics
    assert "SEQUENCE:1" in ics
    event = Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event.get("attendee")) == "mailto:acme-interviewer@example.com"
    assert "METHOD:REQUEST" in ics
    interview_cancel(interview=interview)
    interview.refresh_from_db()
    assert "METHOD:CANCEL" in interview_ics(interview).decode()


def test_scheduling_rescheduling_and_cancelling_send_invites_after_commit(
    company, interviewer, hiring_manager, django_capture_on_commit_callbacks, mailoutbox
):
    from interviews.notifications.models import Notification

    application, kits = interview_setup(company)
    start = timezone.now() + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        interview = interview_schedule(
            application=application, kit=kits[0], starts_at=start, interviewers=[member(interviewer)]
        )
    candidate = application.candidate.email
    assert sorted(m.to[0] for m in mailoutbox) == sorted([candidate, interviewer.email])
    assert "METHOD:REQUEST" in mailoutbox[0].attachments[0][1]
    # a later addition to the panel invites only the newcomer
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interview_set_interviewers(
            interview=interview, interviewers=[member(interviewer), member(hiring_manager)]
        )
    assert [m.to[0] for m in mailoutbox] == [hiring_manager.email]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interview_reschedule(interview=interview, starts_at=start + HOUR, ends_at=start + 2 * HOUR)
        interview_cancel(interview=interview)
    events = Notification.objects.filter(interview=interview).values_list("event", flat=True)
    assert sorted(set(events)) == ["interview_cancelled", "interview_rescheduled", "interview_scheduled"]
    assert len(mailoutbox) == 3 * 2
