"""The periodic tasks of notifications in django-celery-beat, and the install a new company gets."""

from django.conf import settings
from django.db import transaction

from hiring.models import Company

from .templates import notification_templates_install

PERIODIC_TASKS = [
    # name, task, every (minutes) or a daily hour
    ("Notifications: re-send lost messages", "interviews.tasks.notifications_sweep_task", {"minutes": 1}),
    ("Notifications: scorecard due", "interviews.tasks.scorecard_due_nudges_task", {"minutes": 15}),
    ("Notifications: interview reminders", "interviews.tasks.interview_reminders_task", {"minutes": 15}),
    ("Notifications: SLA digest", "interviews.tasks.sla_digest_task", {"daily_at": 8}),
    # Hourly: an offer's last day ends at midnight in its company's zone, whichever zone it is.
    ("Offers: expire past their answer date", "interviews.tasks.offers_expire_task", {"minutes": 60}),
]


@transaction.atomic
def notification_schedules_install() -> int:
    """Create the periodic tasks of notifications in django-celery-beat (editable in the admin).

    Idempotent: a schedule that exists, edited or disabled, is left alone. Returns how many were added.
    """
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    added = 0
    for name, task, when_ in PERIODIC_TASKS:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if "minutes" in when_:
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=when_["minutes"], period=IntervalSchedule.MINUTES
            )
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute="0",
                hour=str(when_["daily_at"]),
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
        added += 1
    return added


def notifications_install(*, company: Company) -> None:
    """Default templates for a company and the periodic tasks (the demo loader calls this)."""
    notification_templates_install(company=company)
    notification_schedules_install()
