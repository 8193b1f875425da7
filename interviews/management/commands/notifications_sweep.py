"""`python manage.py notifications_sweep`: hand the outbox rows that are due to the send task.

With a broker, celery beat runs the sweeper every minute. Without one (tasks inline), run
this from cron: it sends the rows whose retry time has come and the rows a failure left behind.
"""

from django.core.management.base import BaseCommand

from interviews.notifications.delivery import notifications_sweep


class Command(BaseCommand):
    help = "Send outbox rows whose retry time has come, whose message was lost or whose worker died."

    def handle(self, *args, **opts):
        ids = notifications_sweep()
        self.stdout.write(f"{len(ids)} notifications handed to the send task.")
