"""Bulk moves of applications: a confirmed selection, each application moved by itself.

The selection carries the state the user saw when confirming (stage and status of each
application); one that changed since is refused with the reason, never moved on top of the other
change. Small selections are moved inline, in one transaction; bigger ones
(`HIRELOOP_BULK_INLINE_MAX`) become a BulkJob that a worker runs a chunk at a time, each
application in its own transaction together with its result row, so that a re-run (a redelivered
task, a resumed job) moves nothing twice.
"""

import logging
import time
from dataclasses import dataclass
from functools import partial

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import (
    Application,
    BulkAction,
    BulkJob,
    BulkJobResult,
    BulkJobStatus,
    RejectionReason,
    Stage,
)
from .moves import MOVE_ACTIONS, application_move_run
from .roles import MOVERS
from .selectors import roles_by_company
from .services import moves_batched

logger = logging.getLogger(__name__)

CHUNK_SIZE = 25
# A task stops after this many seconds of work and enqueues the rest (far below the time limit).
RUN_BUDGET_SECONDS = 30.0

GONE = "This application no longer exists, or is no longer one you may move."
NOT_ALLOWED = "You no longer hold a role that moves applications in this company."
# What a job says when a detail chosen at confirmation was deleted before the worker got to it.
DETAIL_GONE = {
    "to_stage": "The stage chosen for this move no longer exists.",
    "reason": "The rejection reason chosen no longer exists.",
}


_UNLOCKED = object()


@dataclass(frozen=True)
class Seen:
    """One application of a confirmed selection, as the user saw it."""

    application_id: int
    company_id: int
    stage_id: int
    status: str

    def as_row(self) -> list:
        return [self.application_id, self.company_id, self.stage_id, self.status]

    @classmethod
    def from_row(cls, row) -> "Seen":
        application_id, company_id, stage_id, status = row
        return cls(int(application_id), int(company_id), int(stage_id), str(status))


def application_bulk_move_one(
    *,
    seen: Seen,
    action: str,
    actor,
    company_ids=None,
    to_stage: Stage | None = None,
    reason: RejectionReason | None = None,
    note: str = "",
    locked=_UNLOCKED,
) -> tuple[bool, str]:
    """Move one application of a selection if it is still as the user saw it; (moved, why not).

    Runs in the caller's transaction (the application row stays locked until it commits).
    `locked`: the caller has locked the selection already (None for a row not found then)."""
    if locked is not _UNLOCKED:
        current = locked
    else:
        rows = Application.objects.select_for_update().filter(pk=seen.application_id)
        if company_ids is not None:
            rows = rows.filter(company_id__in=company_ids)
        current = rows.first()
    if current is None:
        return False, GONE
    if (current.stage_id, current.status) != (seen.stage_id, seen.status):
        return False, (
            "Someone else moved this application meanwhile (it is now "
            f"{current.get_status_display().lower()} in {current.stage.name}); it was left as it is."
        )
    if action not in BulkAction.values:
        return False, f"Unknown bulk action {action!r}."
    chosen = {"to_stage": to_stage, "reason": reason}
    gone = [DETAIL_GONE[detail] for detail in MOVE_ACTIONS[action].takes if chosen[detail] is None]
    if gone:
        return False, gone[0]
    try:
        application_move_run(action=action, application=current, actor=actor, note=note, **chosen)
    except ValidationError as exc:  # MoveError and the model's own checks
        return False, " ".join(exc.messages)
    return True, ""


def applications_bulk_move(
    *, items: list[Seen], action: str, actor, company_ids=None, to_stage=None, reason=None, note: str = ""
) -> list[tuple[Seen, bool, str]]:
    """Move a small confirmed selection now, in one transaction.

    The selection's rows are locked in one query (in id order, so two bulk actions over the same
    applications queue behind each other instead of deadlocking), then each application is moved
    by its service, in a savepoint of its own: a refused move leaves nothing, the others go on.
    The moves' emails are written with them and handed over together after commit."""
    rows = Application.objects.select_for_update(of=("self",)).filter(
        pk__in=[seen.application_id for seen in items]
    )
    if company_ids is not None:
        rows = rows.filter(company_id__in=company_ids)
    results = []
    with transaction.atomic(), moves_batched():
        locked = {application.pk: application for application in rows.order_by("pk")}
        for seen in items:
            moved, why = application_bulk_move_one(
                seen=seen,
                action=action,
                actor=actor,
                company_ids=company_ids,
                to_stage=to_stage,
                reason=reason,
                note=note,
                locked=locked.get(seen.application_id),
            )
            results.append((seen, moved, why))
    return results


@transaction.atomic
def bulk_job_create(
    *, company_id: int, actor, action: str, items: list[Seen], to_stage=None, reason=None, note: str = ""
) -> BulkJob:
    """Record a bulk move of one company's applications and have a worker run it after commit."""
    if action not in BulkAction.values:
        raise ValidationError(f"Unknown bulk action {action!r}.")
    if any(seen.company_id != company_id for seen in items):
        raise ValidationError("A bulk job moves the applications of one company.")
    job = BulkJob.objects.create(
        company_id=company_id,
        user=actor,
        action=action,
        parameters={
            "to_stage": to_stage.pk if to_stage is not None else None,
            "reason": reason.pk if reason is not None else None,
            "note": note,
        },
        items=[seen.as_row() for seen in items],
        total=len(items),
    )
    transaction.on_commit(partial(bulk_job_enqueue, job_id=job.pk))
    return job


# The task by its registered name (hiring.tasks calls this module, which cannot import it back;
# hiring.apps imports the tasks module, registering it in every process).
RUN_TASK = "hiring.tasks.bulk_job_run_task"


def bulk_job_enqueue(*, job_id: int) -> bool:
    """Hand a job to a worker (inline without a broker). A broker that cannot be reached leaves
    the job waiting: its page offers to resume it. Returns whether it was handed over."""
    from kombu.exceptions import OperationalError as BrokerError

    try:
        current_app.tasks[RUN_TASK].delay(job_id)
    except (BrokerError, OSError):
        logger.exception("Bulk job %s could not be queued; it waits to be resumed.", job_id)
        return False
    return True


def bulk_job_is_stalled(job: BulkJob, *, after_seconds: int = 120) -> bool:
    """A job not finished and without progress for a while (its task was lost or the broker was down)."""
    if job.status not in (BulkJobStatus.PENDING, BulkJobStatus.RUNNING):
        return False
    return (timezone.now() - job.updated_at).total_seconds() > after_seconds


def _actor_may_move(job: BulkJob) -> bool:
    actor = job.user
    if actor is None or not actor.is_active or not actor.is_staff:
        return False
    return actor.is_superuser or roles_by_company(actor).get(job.company_id) in MOVERS


def _record(job: BulkJob, seen: Seen, run) -> None:
    """One application of a job: its move and its result row commit together, or neither."""
    try:
        with transaction.atomic():
            if BulkJobResult.objects.filter(job_id=job.pk, application_ref=seen.application_id).exists():
                return
            moved, why = run(seen)
            exists = Application.objects.filter(pk=seen.application_id).exists()
            BulkJobResult.objects.create(
                job_id=job.pk,
                application_ref=seen.application_id,
                application_id=seen.application_id if exists else None,
                moved=moved,
                reason=why,
            )
            BulkJob.objects.filter(pk=job.pk).update(
                done=F("done") + 1,
                moved=F("moved") + int(moved),
                refused=F("refused") + int(not moved),
                updated_at=timezone.now(),
            )
    except IntegrityError:
        # Another run recorded this application first (its transaction holds the move, this
        # one's move was rolled back with it); anything else is a real error.
        if not BulkJobResult.objects.filter(job_id=job.pk, application_ref=seen.application_id).exists():
            raise


def bulk_job_run(
    *, job_id: int, chunk_size: int = CHUNK_SIZE, budget_seconds: float = RUN_BUDGET_SECONDS
) -> tuple[BulkJob | None, bool]:
    """Run a job's remaining applications, a chunk at a time, for up to `budget_seconds`.

    Returns the job and whether applications remain (the task then enqueues itself again). A
    re-run continues where the last one stopped: an application with a result is not touched."""
    claimed = BulkJob.objects.filter(
        pk=job_id, status__in=[BulkJobStatus.PENDING, BulkJobStatus.RUNNING]
    ).update(status=BulkJobStatus.RUNNING, updated_at=timezone.now())
    job = BulkJob.objects.select_related("user").filter(pk=job_id).first()
    if not claimed or job is None:
        return job, False
    params = job.parameters or {}
    # Checked against each application by the move services (same job's plan, same company).
    to_stage = Stage.objects.filter(pk=params["to_stage"]).first() if params.get("to_stage") else None
    reason = RejectionReason.objects.filter(pk=params["reason"]).first() if params.get("reason") else None
    allowed = _actor_may_move(job)

    def run(seen: Seen) -> tuple[bool, str]:
        if not allowed:
            return False, NOT_ALLOWED
        return application_bulk_move_one(
            seen=seen,
            action=job.action,
            actor=job.user,
            company_ids=[job.company_id],
            to_stage=to_stage,
            reason=reason,
            note=params.get("note") or "",
        )

    items = [Seen.from_row(row) for row in job.items]
    started = time.monotonic()
    try:
        while True:
            results = BulkJobResult.objects.filter(job_id=job.pk)
            finished = set(results.values_list("application_ref", flat=True))
            chunk = [seen for seen in items if seen.application_id not in finished][:chunk_size]
            if not chunk:
                break
            for seen in chunk:
                _record(job, seen, run)
            if time.monotonic() - started > budget_seconds:
                job.refresh_from_db()
                return job, True
    except Exception as exc:
        if not isinstance(exc, DatabaseError):  # a database error is retried by the task
            BulkJob.objects.filter(pk=job.pk).update(
                status=BulkJobStatus.FAILED,
                error=f"{type(exc).__name__}: {exc}"[:1000],
                updated_at=timezone.now(),
            )
        raise
    now = timezone.now()
    BulkJob.objects.filter(pk=job.pk, status=BulkJobStatus.RUNNING).update(
        status=BulkJobStatus.DONE, finished_at=now, updated_at=now
    )
    job.refresh_from_db()
    return job, False
