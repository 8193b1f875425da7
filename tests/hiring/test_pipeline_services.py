"""Moves of applications through a job's plan: every move and every refusal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    JobStatus,
    RejectionKind,
    StageChange,
)
from hiring.services import (
    MoveError,
    application_advance,
    application_choose_track,
    application_create,
    application_hire,
    application_hold,
    application_move,
    application_reject,
    application_resume,
    application_withdraw,
    job_stage_delete,
)
from tests.hiring.factories import (
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    RejectionReasonFactory,
    TrackFactory,
)


@pytest.fixture
def job(company):
    job = JobFactory(company=company, title="Backend engineer")
    for position, (name, optional) in enumerate(
        [("Review", False), ("Screen", False), ("Take-home", True), ("Onsite", False), ("Offer", False)]
    ):
        JobStageFactory(job=job, position=position, name=name, is_optional=optional)
    return job


@pytest.fixture
def stages(job):
    return list(job.stages.order_by("position"))


@pytest.fixture
def application(job, recruiter):
    candidate = CandidateFactory(company=job.company, name="Ada Lovelace")
    return application_create(candidate=candidate, job=job, source="referral", actor=recruiter)


@pytest.fixture
def reason(company):
    return RejectionReasonFactory(company=company, name="Not enough depth", kind=RejectionKind.COMPANY)


@pytest.fixture
def withdrawal(company):
    return RejectionReasonFactory(company=company, name="Took another offer", kind=RejectionKind.CANDIDATE)


def fresh(application):
    return Application.objects.get(pk=application.pk)


# --- creating ---


def test_create_puts_application_in_first_stage_and_records_entry(application, stages, recruiter):
    assert application.stage == stages[0]
    assert application.status == ApplicationStatus.ACTIVE
    change = application.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.from_status, change.to_status) == (
        None,
        stages[0],
        "",
        ApplicationStatus.ACTIVE,
    )
    assert change.actor == recruiter


def test_create_keeps_a_past_application_date(job, recruiter):
    applied = timezone.now() - datetime.timedelta(days=30)
    candidate = CandidateFactory(company=job.company)
    app = application_create(candidate=candidate, job=job, source="linkedin", actor=None, applied_at=applied)
    assert app.stage_entered_at == applied
    assert app.stage_changes.get().created_at == applied


def test_create_refuses_a_second_application_to_the_same_job(application, job, recruiter):
    with pytest.raises(ValidationError, match="already applied"):
        application_create(candidate=application.candidate, job=job, source="other", actor=recruiter)
    assert Application.objects.count() == 1


def test_create_refuses_a_candidate_of_another_company(job, other_company, recruiter):
    outsider = CandidateFactory(company=other_company)
    with pytest.raises(ValidationError, match="different companies"):
        application_create(candidate=outsider, job=job, source="other", actor=recruiter)
    assert not Application.objects.exists()


def test_create_refuses_a_closed_job_and_a_job_without_stages(job, company, recruiter):
    candidate = CandidateFactory(company=company)
    job.status = JobStatus.CLOSED
    job.save()
    with pytest.raises(ValidationError, match="closed"):
        application_create(candidate=candidate, job=job, source="other", actor=recruiter)
    empty = JobFactory(company=company)
    with pytest.raises(ValidationError, match="no stages"):
        application_create(candidate=candidate, job=empty, source="other", actor=recruiter)
    with pytest.raises(ValidationError, match="Unknown source"):
        application_create(candidate=candidate, job=JobFactory(company=company), source="x", actor=recruiter)
    assert not Application.objects.exists()


# --- advance ---


def test_advance_moves_to_next_stage_and_writes_stage_change(application, stages, recruiter):
    before = application.stage_entered_at
    change = application_advance(application=application, actor=recruiter, note="Strong CV")
    app = fresh(application)
    assert app.stage == stages[1]
    assert app.stage_entered_at > before
    assert (change.from_stage, change.to_stage, change.actor, change.note) == (
        stages[0],
        stages[1],
        recruiter,
        "Strong CV",
    )
    assert (change.from_status, change.to_status) == ("active", "active")
    # the caller's object follows, so the next move works with it
    application_advance(application=application, actor=recruiter)
    assert fresh(application).stage == stages[2]


def test_advance_refuses_from_the_last_stage(application, stages, recruiter):
    application_move(
        application=application, to_stage=stages[-1], actor=recruiter, note="Referral fast track"
    )
    with pytest.raises(MoveError, match="last stage"):
        application_advance(application=application, actor=recruiter)
    assert fresh(application).stage == stages[-1]


@pytest.mark.parametrize("closing", ["reject", "withdraw", "hold"])
def test_advance_refuses_closed_or_held_applications(application, reason, withdrawal, recruiter, closing):
    if closing == "reject":
        application_reject(application=application, reason=reason, actor=recruiter)
    elif closing == "withdraw":
        application_withdraw(application=application, reason=withdrawal, actor=recruiter)
    else:
        application_hold(application=application, actor=recruiter)
    count = StageChange.objects.count()
    with pytest.raises(MoveError, match="cannot be advanced"):
        application_advance(application=application, actor=recruiter)
    assert StageChange.objects.count() == count


# --- move ---


def test_move_forward_by_one_needs_no_note(application, stages, recruiter):
    application_move(application=application, to_stage=stages[1], actor=recruiter)
    assert fresh(application).stage == stages[1]


def test_move_backwards_needs_a_note(application, stages, recruiter):
    application_advance(application=application, actor=recruiter)
    with pytest.raises(MoveError, match="needs a note"):
        application_move(application=application, to_stage=stages[0], actor=recruiter)
    assert fresh(application).stage == stages[1]
    change = application_move(application=application, to_stage=stages[0], actor=recruiter, note="Wrong job")
    assert change.note == "Wrong job"
    assert fresh(application).stage == stages[0]


def test_move_skipping_a_required_stage_needs_a_note(application, stages, recruiter):
    with pytest.raises(MoveError, match="skips Screen"):
        application_move(application=application, to_stage=stages[3], actor=recruiter)
    assert fresh(application).stage == stages[0]


def test_move_skipping_only_an_optional_stage_needs_no_note(application, stages, recruiter):
    application_advance(application=application, actor=recruiter)
    application_move(application=application, to_stage=stages[3], actor=recruiter)
    assert fresh(application).stage == stages[3]


def test_move_refuses_a_stage_of_another_job_and_the_current_stage(application, stages, company, recruiter):
    other_stage = JobStageFactory(job=JobFactory(company=company), name="Elsewhere")
    with pytest.raises(MoveError, match="not part of this job"):
        application_move(application=application, to_stage=other_stage, actor=recruiter, note="x")
    with pytest.raises(MoveError, match="already in"):
        application_move(application=application, to_stage=stages[0], actor=recruiter, note="x")
    assert application.stage_changes.count() == 1


# --- reject / withdraw ---


def test_reject_records_reason_note_and_decision_time(application, reason, recruiter):
    change = application_reject(application=application, reason=reason, actor=recruiter, note="Weak design")
    app = fresh(application)
    assert app.status == ApplicationStatus.REJECTED
    assert app.rejection_reason == reason
    assert app.rejection_note == "Weak design"
    assert app.decided_at is not None
    assert (change.from_status, change.to_status, change.to_stage) == ("active", "rejected", app.stage)


def test_reject_requires_a_company_reason_of_the_same_company(
    application, withdrawal, other_company, recruiter
):
    with pytest.raises(MoveError, match="Choose a reason"):
        application_reject(application=application, reason=None, actor=recruiter)
    with pytest.raises(MoveError, match="withdrawing, not for a rejection"):
        application_reject(application=application, reason=withdrawal, actor=recruiter)
    foreign = RejectionReasonFactory(company=other_company)
    with pytest.raises(MoveError, match="another company"):
        application_reject(application=application, reason=foreign, actor=recruiter)
    inactive = RejectionReasonFactory(company=application.company, is_active=False, name="Old")
    with pytest.raises(MoveError, match="no longer in use"):
        application_reject(application=application, reason=inactive, actor=recruiter)
    assert fresh(application).status == ApplicationStatus.ACTIVE


def test_reject_refuses_an_already_rejected_application(application, reason, recruiter):
    application_reject(application=application, reason=reason, actor=recruiter)
    with pytest.raises(MoveError, match="is rejected and cannot be rejected"):
        application_reject(application=application, reason=reason, actor=recruiter)


def test_withdraw_needs_a_candidate_reason(application, reason, withdrawal, recruiter):
    with pytest.raises(MoveError, match="rejecting, not for a candidate withdrawing"):
        application_withdraw(application=application, reason=reason, actor=recruiter)
    application_withdraw(application=application, reason=withdrawal, actor=recruiter, note="Moved abroad")
    app = fresh(application)
    assert (app.status, app.rejection_reason, app.rejection_note) == ("withdrawn", withdrawal, "Moved abroad")


def test_held_application_can_be_rejected_or_withdrawn(application, reason, recruiter):
    application_hold(application=application, actor=recruiter)
    application_reject(application=application, reason=reason, actor=recruiter)
    assert fresh(application).status == ApplicationStatus.REJECTED


# --- hold / resume ---


def test_hold_and_resume_keep_the_stage(application, stages, recruiter):
    hold = application_hold(application=application, actor=recruiter, note="Hiring freeze")
    assert fresh(application).status == ApplicationStatus.ON_HOLD
    assert (hold.from_stage, hold.to_stage, hold.to_status) == (stages[0], stages[0], "on_hold")
    with pytest.raises(MoveError, match="on hold and cannot be put on hold"):
        application_hold(application=application, actor=recruiter)
    resume = application_resume(application=application, actor=recruiter)
    assert fresh(application).status == ApplicationStatus.ACTIVE
    assert (resume.from_status, resume.to_status) == ("on_hold", "active")


def test_resume_refuses_an_active_application(application, recruiter):
    with pytest.raises(MoveError, match="Only an application on hold can be resumed"):
        application_resume(application=application, actor=recruiter)


def test_moves_of_a_held_application_are_refused(application, stages, recruiter):
    application_hold(application=application, actor=recruiter)
    with pytest.raises(MoveError, match="resume it first"):
        application_move(application=application, to_stage=stages[1], actor=recruiter)
    with pytest.raises(MoveError, match="resume it first"):
        application_hire(application=application, actor=recruiter)


# --- hire ---


def test_hire_only_from_the_last_stage(application, stages, recruiter):
    with pytest.raises(MoveError, match="last stage \\(Offer\\)"):
        application_hire(application=application, actor=recruiter)
    application_move(application=application, to_stage=stages[-1], actor=recruiter, note="Fast track")
    change = application_hire(application=application, actor=recruiter)
    app = fresh(application)
    assert app.status == ApplicationStatus.HIRED
    assert app.hired_at is not None and app.decided_at is not None
    assert change.to_status == "hired"


def test_hired_application_cannot_move_or_be_rejected(application, stages, reason, recruiter):
    application_move(application=application, to_stage=stages[-1], actor=recruiter, note="Fast track")
    application_hire(application=application, actor=recruiter)
    for call in (
        lambda: application_move(application=application, to_stage=stages[0], actor=recruiter, note="x"),
        lambda: application_reject(application=application, reason=reason, actor=recruiter),
        lambda: application_hold(application=application, actor=recruiter),
        lambda: application_hire(application=application, actor=recruiter),
    ):
        with pytest.raises(MoveError, match="is hired and cannot be"):
            call()
    assert fresh(application).status == ApplicationStatus.HIRED


# --- stale objects, tracks, plan edits ---


def test_a_move_based_on_a_stale_view_is_refused(application, stages, recruiter):
    stale = Application.objects.get(pk=application.pk)
    application_advance(application=application, actor=recruiter)
    with pytest.raises(MoveError, match="Someone else moved this application"):
        application_advance(application=stale, actor=recruiter)
    assert fresh(application).stage == stages[1]


def test_move_error_is_a_validation_error_with_words(application, recruiter):
    application_hold(application=application, actor=recruiter)
    with pytest.raises(ValidationError) as info:
        application_hold(application=application, actor=recruiter)
    assert "on hold" in " ".join(info.value.messages)


def test_services_work_with_bulk_created_applications(job, stages, recruiter):
    now = timezone.now()
    candidates = [CandidateFactory(company=job.company) for _ in range(3)]
    Application.objects.bulk_create(
        Application(
            company=job.company,
            candidate=c,
            job=job,
            stage=stages[1],
            applied_at=now,
            stage_entered_at=now - datetime.timedelta(days=9),
        )
        for c in candidates
    )
    for app in Application.objects.all():
        application_advance(application=app, actor=recruiter)
    assert set(Application.objects.values_list("stage", flat=True)) == {stages[2].pk}
    assert StageChange.objects.count() == 3


def test_choose_track_only_of_a_stage_of_the_job(application, stages, company):
    track = TrackFactory(stage=stages[2], name="Live coding")
    choice = application_choose_track(application=application, track=track)
    assert choice.stage == stages[2]
    other = TrackFactory(stage=JobStageFactory(job=JobFactory(company=company)))
    with pytest.raises(ValidationError, match="another job"):
        application_choose_track(application=application, track=other)


def test_a_stage_holding_applications_cannot_be_deleted(application, stages):
    with pytest.raises(ValidationError, match="still holds 1 application"):
        job_stage_delete(stage=stages[0])
    assert stages[0].__class__.objects.filter(pk=stages[0].pk).exists()
    job_stage_delete(stage=stages[4])
    assert not stages[0].__class__.objects.filter(pk=stages[4].pk).exists()


def test_a_stage_with_history_cannot_be_deleted(application, stages, recruiter):
    application_advance(application=application, actor=recruiter)
    with pytest.raises(ValidationError, match="history"):
        job_stage_delete(stage=stages[0])
