"""Celery application.

Without CELERY_BROKER_URL the settings switch Celery to eager mode: tasks run inline,
right after the transaction that scheduled them commits.

Database connections: Celery's Django fix-up closes every connection before and after each task
(unless CELERY_DB_REUSE_MAX is set, which the settings do). Instead a task is treated like a web
request: before and after it Django's `close_old_connections()` closes a connection that is
broken or older than CONN_MAX_AGE, and CONN_HEALTH_CHECKS checks a reused one before the task's
first query. `make worker` sets CONN_MAX_AGE=300, so a worker keeps its connection.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("hireloop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    if sender is not None and getattr(sender.request, "is_eager", False):
        return  # inline: the caller's connection, in the caller's transaction
    from django.db import close_old_connections

    close_old_connections()
