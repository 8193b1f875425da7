"""`python manage.py import_previews_sweep`: delete import previews older than an hour.

With a broker, celery beat runs it every ten minutes (`import_sweep_schedule_install`); without one,
run it from cron. Each new preview also sweeps on the way. Idempotent.
"""

from django.core.management.base import BaseCommand

from hiring.import_previews import import_previews_sweep


class Command(BaseCommand):
    help = "Delete import previews (rows and files) older than an hour."

    def handle(self, *args, **options):
        removed = import_previews_sweep()
        self.stdout.write(f"{removed} stale import file{'s' if removed != 1 else ''} deleted.")
