"""Writes for the hiring app: jobs, candidates and the moves of applications (memberships and
invitations are in memberships.py)."""

import contextvars
import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    APPLICATION_MOVES,
    Application,
    ApplicationStatus,
    ApplicationTrack,
    Candidate,
    Job,
    JobStatus,
    RejectionKind,
    RejectionReason,
    Source,
    Stage,
    StageChange,
    Track,
)

# --- Which moves a status allows, in words ---------------------------------------------------

MOVE_VERBS = {
    "advance": "advanced",
    "move": "moved to another stage",
    "hold": "put on hold",
    "resume": "resumed",
    "reject": "rejected",
    "withdraw": "withdrawn",
    "hire": "hired",
}


def application_move_refusal(move: str, status: str) -> str | None:
    """Why an application with this status may not make this move, or None when it may."""
    allowed_from, _ = APPLICATION_MOVES[move]
    if status in allowed_from:
        return None
    label = ApplicationStatus(status).label.lower()
    if status == ApplicationStatus.ON_HOLD:
        return f"This application is on hold and cannot be {MOVE_VERBS[move]}; resume it first."
    if move == "resume":
        return f"Only an application on hold can be resumed; this one is {label}."
    return f"This application is {label} and cannot be {MOVE_VERBS[move]}."


# --- Jobs ---------------------------------------------------------------------------------------


def job_stage_deletion_refusal(*, stage: Stage) -> str | None:
    """Why this stage may not be removed from its job's plan, or None when it may."""
    if stage.job_id is None:
        return "Only a stage of a job's plan can be removed here."
    held = Application.objects.filter(stage=stage).count()
    if held:
        return (
            f"The stage {stage.name} still holds {held} application{'s' if held != 1 else ''}; "
            "move them to another stage first."
        )
    if (
        StageChange.objects.filter(to_stage=stage).exists()
        or StageChange.objects.filter(from_stage=stage).exists()
    ):
        return (
            f"Applications have passed through the stage {stage.name}; it stays in the plan so that "
            "their history remains complete."
        )
    return None


@transaction.atomic
def job_stage_delete(*, stage: Stage) -> None:
    """Remove a stage from a job's plan; a stage that holds or held applications stays."""
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    refusal = job_stage_deletion_refusal(stage=stage)
    if refusal:
        raise ValidationError(refusal)
    stage.delete()


# --- Applications and their moves ---------------------------------------------------------------


class MoveError(ValidationError):
    """A move the pipeline refuses. The message says why, in words a recruiter understands."""


# Within a batch of moves (moves_batched), each job's plan is read once.
_batch_plans: contextvars.ContextVar[dict[int, list[Stage]] | None] = contextvars.ContextVar(
    "hiring_batch_plans", default=None
)


def _plan(job_id: int) -> list[Stage]:
    plans = _batch_plans.get()
    if plans is not None and job_id in plans:
        return plans[job_id]
    plan = list(Stage.objects.filter(job_id=job_id).order_by("position", "id"))
    if plans is not None:
        plans[job_id] = plan
    return plan


def _moved_meanwhile(current: Application) -> MoveError:
    return MoveError(
        "Someone else moved this application meanwhile (it is now "
        f"{current.get_status_display().lower()} in {current.stage.name}). Reload and try again."
    )


def application_check_expected(
    *, application: Application, expected_stage_id: int | None = None, expected_status: str | None = None
) -> None:
    """Refuse (MoveError) when the application is no longer in the stage and status the user saw.

    The move services check this again under their lock; a caller that does more than the move
    (a decision) checks first, so that a stale page is told so before anything else.
    """
    if expected_stage_id is not None and expected_stage_id != application.stage_id:
        raise _moved_meanwhile(application)
    if expected_status is not None and expected_status != application.status:
        raise _moved_meanwhile(application)


def _lock(
    application: Application,
    move: str,
    *,
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> Application:
    """Lock the application row and check it is still in the state the caller saw.

    The state seen is the caller's object, and also `expected_stage_id` / `expected_status` when
    given: what the page the user clicked on showed. A tab opened before someone else's move
    loads a fresh object when it posts, so only the expectation it carries catches it.
    """
    try:
        locked = Application.objects.select_for_update().get(pk=application.pk)
    except Application.DoesNotExist:
        raise MoveError("This application no longer exists.")
    if (locked.stage_id, locked.status) != (application.stage_id, application.status):
        raise _moved_meanwhile(locked)
    application_check_expected(
        application=locked, expected_stage_id=expected_stage_id, expected_status=expected_status
    )
    refusal = application_move_refusal(move, locked.status)
    if refusal:
        raise MoveError(refusal)
    return locked


# Move handlers: the one place the hiring app hands its moves to other apps (notifications),
# without importing them. The interviews app registers its handler in its AppConfig.ready().
# Handlers run INSIDE the move's transaction: they write their outbox rows there (a rolled-back
# move leaves none) and enqueue their tasks with on_commit only.
MOVE_HANDLERS: list[Callable[[StageChange], object]] = []


def register_move_handler(handler: Callable[[StageChange], object]) -> Callable[[StageChange], object]:
    """Call `handler(change)` for every move, inside its transaction. Registering twice is a no-op."""
    if handler not in MOVE_HANDLERS:
        MOVE_HANDLERS.append(handler)
    return handler


# Move batch scopes: entered around a batch of moves made in one transaction (an inline bulk
# action), so that the app behind a move handler can share work between the moves (the stage's
# sessions and team, the company's templates) and gather what they schedule after commit (one send
# task for all their emails). Registered in AppConfig.ready(), like the handlers.
MOVE_BATCH_SCOPES: list[Callable[[], AbstractContextManager]] = []


def register_move_batch_scope(
    scope: Callable[[], AbstractContextManager],
) -> Callable[[], AbstractContextManager]:
    """Enter `scope()` around every batch of moves (see `moves_batched`). Registering twice is a no-op."""
    if scope not in MOVE_BATCH_SCOPES:
        MOVE_BATCH_SCOPES.append(scope)
    return scope


@contextmanager
def moves_batched() -> Iterator[None]:
    """A batch of moves in the caller's transaction: enter it inside `transaction.atomic()`."""
    token = _batch_plans.set({})
    try:
        with ExitStack() as stack:
            for scope in MOVE_BATCH_SCOPES:
                stack.enter_context(scope())
            yield
    finally:
        _batch_plans.reset(token)


def _schedule_move_side_effects(change: StageChange) -> None:
    """Side effects of a move (candidate and team notifications), scheduled after commit.

    Every move passes here once, right before the service returns its StageChange.
    """
    for handler in MOVE_HANDLERS:
        handler(change)


def _apply_move(
    *,
    application: Application,
    locked: Application,
    move: str,
    actor,
    note: str,
    to_stage: Stage | None = None,
    **changes,
) -> StageChange:
    """Save the move on the locked row, write its StageChange and refresh the caller's object."""
    now = timezone.now()
    from_stage_id, from_status = locked.stage_id, locked.status
    to_status = APPLICATION_MOVES[move][1]
    if to_stage is not None and to_stage.pk != locked.stage_id:
        locked.stage = to_stage
        locked.stage_entered_at = now
    locked.status = to_status
    for name, value in changes.items():
        setattr(locked, name, value)
    # A move changes the stage, the status and the decision fields; the company, candidate and job
    # stay, so neither their existence nor the one-application-per-job constraint is asked again.
    locked.full_clean(exclude=["company", "candidate", "job"], validate_unique=False)
    locked._history_user = actor
    locked.save()
    change = StageChange.objects.create(
        company_id=locked.company_id,
        application=locked,
        from_stage_id=from_stage_id,
        to_stage_id=locked.stage_id,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note.strip(),
        created_at=now,
    )
    for field in (
        "stage",
        "stage_entered_at",
        "status",
        "rejection_reason",
        "rejection_note",
        "decided_at",
        "hired_at",
    ):
        setattr(application, field, getattr(locked, field))
    _schedule_move_side_effects(change)
    return change


def application_create_check(*, candidate: Candidate, job: Job, source: str, plan=None) -> None:
    """Refuse an application that cannot be made (the admin's add form shows the same refusal):
    a ValidationError with the first reason. `plan` is the job's stages when already read."""
    if candidate.company_id != job.company_id:
        raise ValidationError("The candidate and the job belong to different companies.")
    if job.status == JobStatus.CLOSED:
        raise ValidationError(f"The job {job.title} is closed and takes no new applications.")
    if source not in Source.values:
        raise ValidationError(f"Unknown source {source!r}.")
    if not (plan if plan is not None else job.stages.exists()):
        raise ValidationError(f"The job {job.title} has no stages yet.")
    if Application.objects.filter(candidate=candidate, job=job).exists():
        raise ValidationError(f"{candidate.name} has already applied to {job.title}.")


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    job: Job,
    source: str,
    actor,
    applied_at: datetime.datetime | None = None,
) -> Application:
    """Put a candidate into the first stage of a job's plan and record the entry."""
    plan = _plan(job.pk)
    application_create_check(candidate=candidate, job=job, source=source, plan=plan)
    applied_at = applied_at or timezone.now()
    application = Application(
        company_id=job.company_id,
        candidate=candidate,
        job=job,
        stage=plan[0],
        status=ApplicationStatus.ACTIVE,
        source=source,
        applied_at=applied_at,
        stage_entered_at=applied_at,
    )
    application.full_clean()
    application._history_user = actor
    application.save()
    change = StageChange.objects.create(
        company_id=job.company_id,
        application=application,
        from_stage=None,
        to_stage=plan[0],
        from_status="",
        to_status=ApplicationStatus.ACTIVE,
        actor=actor,
        note="Applied.",
        created_at=applied_at,
    )
    _schedule_move_side_effects(change)
    return application


@transaction.atomic
def application_advance(
    *,
    application: Application,
    actor,
    note: str = "",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Move an active application to the next stage of its job's plan."""
    locked = _lock(
        application, "advance", expected_stage_id=expected_stage_id, expected_status=expected_status
    )
    plan = _plan(locked.job_id)
    index = [s.pk for s in plan].index(locked.stage_id)
    if index == len(plan) - 1:
        raise MoveError(f"{plan[index].name} is the last stage: hire or reject from here.")
    return _apply_move(
        application=application,
        locked=locked,
        move="advance",
        actor=actor,
        note=note,
        to_stage=plan[index + 1],
    )


@transaction.atomic
def application_move(
    *,
    application: Application,
    to_stage: Stage,
    actor,
    note: str = "",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Move an active application to any stage of its job's plan.

    Moving backwards, or past a stage that is not optional, needs a note saying why.
    """
    locked = _lock(application, "move", expected_stage_id=expected_stage_id, expected_status=expected_status)
    plan = _plan(locked.job_id)
    ids = [s.pk for s in plan]
    if to_stage.pk not in ids:
        raise MoveError(f"The stage {to_stage.name} is not part of this job's plan.")
    current, target = ids.index(locked.stage_id), ids.index(to_stage.pk)
    if current == target:
        raise MoveError(f"The application is already in {to_stage.name}.")
    skipped = [s for s in plan[current + 1 : target] if not s.is_optional]
    if not note.strip():
        if target < current:
            raise MoveError(f"Moving back to {to_stage.name} needs a note saying why.")
        if skipped:
            names = ", ".join(s.name for s in skipped)
            raise MoveError(f"Moving to {to_stage.name} skips {names}: add a note saying why.")
    return _apply_move(
        application=application, locked=locked, move="move", actor=actor, note=note, to_stage=plan[target]
    )


def rejection_reason_check(*, company_id: int, reason: RejectionReason | None, kind: str) -> None:
    """Refuse a rejection (`kind` COMPANY) or a withdrawal (CANDIDATE) reason that is missing, of
    another company, retired or of the other kind (MoveError); the one home of the rule, asked by
    the moves, the decision service and the forms."""
    if reason is None:
        if kind == RejectionKind.COMPANY:
            raise MoveError("Choose a reason to reject.")
        raise MoveError("Choose a reason for the withdrawal.")
    if reason.company_id != company_id:
        raise MoveError("That reason belongs to another company.")
    if not reason.is_active:
        raise MoveError(f"The reason {reason.name} is no longer in use.")
    if reason.kind != kind:
        if kind == RejectionKind.COMPANY:
            raise MoveError(f"{reason.name} is a reason for a candidate withdrawing, not for a rejection.")
        raise MoveError(f"{reason.name} is a reason for rejecting, not for a candidate withdrawing.")


@transaction.atomic
def application_reject(
    *,
    application: Application,
    reason: RejectionReason | None,
    actor,
    note: str = "",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Reject an active or held application, with one of the company's rejection reasons."""
    locked = _lock(
        application, "reject", expected_stage_id=expected_stage_id, expected_status=expected_status
    )
    rejection_reason_check(company_id=locked.company_id, reason=reason, kind=RejectionKind.COMPANY)
    return _apply_move(
        application=application,
        locked=locked,
        move="reject",
        actor=actor,
        note=note,
        rejection_reason=reason,
        rejection_note=note.strip(),
        decided_at=timezone.now(),
    )


@transaction.atomic
def application_withdraw(
    *,
    application: Application,
    reason: RejectionReason | None,
    actor,
    note: str = "",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Record that the candidate withdrew, with one of the company's withdrawal reasons."""
    locked = _lock(
        application, "withdraw", expected_stage_id=expected_stage_id, expected_status=expected_status
    )
    rejection_reason_check(company_id=locked.company_id, reason=reason, kind=RejectionKind.CANDIDATE)
    return _apply_move(
        application=application,
        locked=locked,
        move="withdraw",
        actor=actor,
        note=note,
        rejection_reason=reason,
        rejection_note=note.strip(),
        decided_at=timezone.now(),
    )


@transaction.atomic
def application_hold(
    *,
    application: Application,
    actor,
    note: str = "",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Pause an active application where it stands."""
    locked = _lock(application, "hold", expected_stage_id=expected_stage_id, expected_status=expected_status)
    return _apply_move(application=application, locked=locked, move="hold", actor=actor, note=note)


@transaction.atomic
def application_resume(
    *,
    application: Application,
    actor,
    note: str = "",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Make an application on hold active again, in the same stage."""
    locked = _lock(
        application, "resume", expected_stage_id=expected_stage_id, expected_status=expected_status
    )
    return _apply_move(application=application, locked=locked, move="resume", actor=actor, note=note)


@transaction.atomic
def application_hire(
    *,
    application: Application,
    actor,
    note: str = "",
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Hire the candidate; only from the last stage of the job's plan."""
    locked = _lock(application, "hire", expected_stage_id=expected_stage_id, expected_status=expected_status)
    plan = _plan(locked.job_id)
    if plan[-1].pk != locked.stage_id:
        raise MoveError(
            f"Hiring happens from the last stage ({plan[-1].name}); advance the application first."
        )
    now = timezone.now()
    return _apply_move(
        application=application,
        locked=locked,
        move="hire",
        actor=actor,
        note=note,
        decided_at=now,
        hired_at=now,
    )


@transaction.atomic
def application_choose_track(*, application: Application, track: Track) -> ApplicationTrack:
    """Record the track the candidate chose in a stage of the job's plan that offers tracks."""
    stage = track.stage
    if stage.job_id != application.job_id:
        raise ValidationError(f"The track {track.name} belongs to another job's plan.")
    choice, _ = ApplicationTrack.objects.update_or_create(
        application=application, stage=stage, defaults={"track": track}
    )
    return choice
