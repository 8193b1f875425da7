"""Celery tasks of the hiring app: ids in, one service call."""

from celery import shared_task
from django.db import DatabaseError

from .bulk import bulk_job_enqueue, bulk_job_run
from .import_previews import import_previews_sweep
from .privacy import candidates_anonymise_past_retention


@shared_task(name="hiring.tasks.candidates_anonymise_past_retention_task")
def candidates_anonymise_past_retention_task() -> int:
    """Daily: anonymise candidates past their company's retention period (idempotent)."""
    return candidates_anonymise_past_retention()


@shared_task(name="hiring.tasks.import_previews_sweep_task")
def import_previews_sweep_task() -> int:
    """Every ten minutes: delete import previews older than an hour (idempotent)."""
    return import_previews_sweep()


@shared_task(
    name="hiring.tasks.bulk_job_run_task",
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    max_retries=5,
    acks_late=True,  # a re-run moves nothing twice (each application's result commits with its move)
)
def bulk_job_run_task(job_id: int) -> int:
    """Run a bulk job's remaining applications; enqueue the rest when its time budget is spent."""
    job, more = bulk_job_run(job_id=job_id)
    if more:
        bulk_job_enqueue(job_id=job_id)
    return job.done if job is not None else 0
