"""Celery tasks of the interviews app: ids in, one service call each."""

from celery import shared_task

from .notifications import services


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None, ignore_result=True)
def notification_send_task(self, notification_id: int) -> str:
    """Send one outbox row; transient SMTP errors retry with exponential backoff."""
    outcome = services.notification_deliver(notification_id=notification_id)
    if outcome == services.RETRY and not self.request.is_eager:
        raise self.retry(countdown=services.retry_countdown(self.request.retries + 1))
    # Inline mode has no broker to wait on: try again at once; the row counts the attempts.
    while outcome == services.RETRY:
        outcome = services.notification_deliver(notification_id=notification_id)
    return outcome


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notifications_sweep_task() -> int:
    """Re-enqueue outbox rows whose message was lost."""
    return len(services.notifications_sweep())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def scorecard_due_nudges_task() -> int:
    """Nudge interviewers about scorecards still in draft after their interview."""
    return len(services.scorecard_due_nudges_create())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def interview_reminders_task() -> int:
    """Remind candidate and interviewers the day before an interview."""
    return len(services.interview_reminders_create())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sla_digest_task() -> int:
    """Send each hiring manager the daily digest of applications past their stage SLA."""
    return len(services.sla_digests_create())


__all__ = [
    "notification_send_task",
    "notifications_sweep_task",
    "scorecard_due_nudges_task",
    "interview_reminders_task",
    "sla_digest_task",
]
