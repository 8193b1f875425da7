from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        # Pipeline moves reach notifications through the hiring app's one explicit registry.
        from hiring.services import register_move_handler

        from .notifications.services import notifications_for_stage_change

        register_move_handler(notifications_for_stage_change)
