from django.apps import AppConfig


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self):
        # checks: the private storage checks; tasks: the Celery tasks, which hiring.bulk enqueues by name.
        from . import checks, tasks  # noqa: F401
