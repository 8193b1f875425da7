"""Celery tasks of the interviews app: ids in, one service call each."""

from celery import shared_task
from celery.utils import uuid

from .notifications import delivery, producers


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notifications_send_task(self, notification_ids: list[int]) -> dict[int, str]:
    """Send a batch of outbox rows (those one transaction wrote, or a sweep's share of them).

    A row that hit a transient SMTP error is tried again alone after its backoff; the others
    are not touched again. Inline mode (no broker) has nothing to wait on: the row stays pending
    with its next-try time, and the sweeper sends it then.
    """
    return _deliver(self, notification_ids)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notification_send_task(self, notification_id: int) -> str:
    """Send one outbox row (the task of one id, kept for messages already queued)."""
    return _deliver(self, [notification_id])[notification_id]


def _deliver(task, notification_ids: list[int]) -> dict[int, str]:
    done = delivery.notifications_deliver(notification_ids=notification_ids)
    if not task.request.is_eager:
        # Back to the queue the message came from, as Task.retry() would, one message per delay.
        for countdown, ids in done.retries_by_countdown().items():
            notifications_send_task.signature_from_request(
                task.request, args=(ids,), kwargs={}, countdown=countdown, task_id=uuid()
            ).apply_async()
    return done.outcomes


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def notifications_sweep_task() -> int:
    """Re-enqueue outbox rows whose message was lost."""
    return len(delivery.notifications_sweep())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def scorecard_due_nudges_task() -> int:
    """Nudge interviewers about scorecards still in draft after their interview."""
    return len(producers.scorecard_due_nudges_create())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def interview_reminders_task() -> int:
    """Remind candidate and interviewers the day before an interview."""
    return len(producers.interview_reminders_create())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def sla_digest_task() -> int:
    """Send each hiring manager the daily digest of applications past their stage SLA."""
    return len(producers.sla_digests_create())


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def offers_expire_task() -> int:
    """Expire the sent offers past their last day to answer (their teams are told)."""
    from .offers import offers_expire

    return len(offers_expire())


__all__ = [
    "notifications_send_task",
    "notification_send_task",
    "notifications_sweep_task",
    "scorecard_due_nudges_task",
    "interview_reminders_task",
    "sla_digest_task",
    "offers_expire_task",
]
