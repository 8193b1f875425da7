"""Celery tasks of the hiring app: ids in, one service call."""

from celery import shared_task

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
