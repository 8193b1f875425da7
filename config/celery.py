"""Celery application.

Without CELERY_BROKER_URL the settings switch Celery to eager mode: tasks run inline,
right after the transaction that scheduled them commits.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("hireloop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
