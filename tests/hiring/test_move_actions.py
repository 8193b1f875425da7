"""One table maps each move's name to its service; the page and the bulk moves both read it."""

import pytest

from hiring.bulk import Seen, application_bulk_move_one
from hiring.models import APPLICATION_MOVES, ApplicationStatus, BulkAction, RejectionKind, StageChange
from hiring.moves import MOVE_ACTIONS, application_move_run
from hiring.services import MoveError, application_create, application_hold, application_move
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory, RejectionReasonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stages(company):
    job = JobFactory(company=company, title="Backend engineer")
    return [JobStageFactory(job=job, position=i, name=f"S{i}") for i in range(3)]


@pytest.fixture
def application(stages, recruiter):
    job = stages[0].job
    return application_create(
        candidate=CandidateFactory(company=job.company), job=job, source="referral", actor=recruiter
    )


def details_for(action, application, stages, recruiter):
    """Bring the application where the move may start and return the details the user would choose."""
    if action == "resume":
        application_hold(application=application, actor=recruiter)
    if action == "hire":
        application_move(application=application, to_stage=stages[-1], actor=recruiter, note="fast track")
    if action == "move":
        return {"to_stage": stages[1]}
    if action in ("reject", "withdraw"):
        kind = RejectionKind.COMPANY if action == "reject" else RejectionKind.CANDIDATE
        return {"reason": RejectionReasonFactory(company=application.company, kind=kind)}
    return {}


def test_every_move_of_the_state_machine_has_one_service():
    assert list(MOVE_ACTIONS) == ["advance", "move", "reject", "withdraw", "hold", "resume", "hire"]
    assert set(MOVE_ACTIONS) == set(APPLICATION_MOVES)


@pytest.mark.parametrize("action", list(MOVE_ACTIONS))
def test_each_move_action_runs_its_service(action, application, stages, recruiter):
    # given
    details = details_for(action, application, stages, recruiter)
    application.refresh_from_db()
    # when
    change = application_move_run(action=action, application=application, actor=recruiter, **details)
    # then
    application.refresh_from_db()
    assert change.application_id == application.pk
    assert change.to_status == application.status == APPLICATION_MOVES[action][1]
    if action in ("advance", "move"):
        assert application.stage_id == stages[1].pk


@pytest.mark.parametrize("action", list(MOVE_ACTIONS))
def test_each_move_action_passes_the_state_seen_to_its_service(action, application, stages, recruiter):
    details = details_for(action, application, stages, recruiter)
    application.refresh_from_db()
    before = StageChange.objects.filter(application=application).count()

    with pytest.raises(MoveError, match="Someone else moved this application meanwhile"):
        application_move_run(
            action=action,
            application=application,
            actor=recruiter,
            expected_stage_id=application.stage_id,
            expected_status=ApplicationStatus.WITHDRAWN,
            **details,
        )

    assert StageChange.objects.filter(application=application).count() == before


def test_a_move_to_a_stage_without_the_stage_says_what_to_choose(application, recruiter):
    with pytest.raises(MoveError, match="Choose the stage to move to."):
        application_move_run(action="move", application=application, actor=recruiter)


def test_an_unknown_move_is_refused(application, recruiter):
    with pytest.raises(MoveError, match="Unknown move 'promote'"):
        application_move_run(action="promote", application=application, actor=recruiter)


def test_a_bulk_rejection_whose_reason_was_deleted_moves_nothing(application, recruiter):
    seen = Seen(application.pk, application.company_id, application.stage_id, application.status)

    moved, why = application_bulk_move_one(seen=seen, action=BulkAction.REJECT, actor=recruiter, reason=None)

    assert (moved, why) == (False, "The rejection reason chosen no longer exists.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE
