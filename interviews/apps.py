from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        # Pipeline moves reach notifications through the hiring app's one explicit registry.
        from hiring.services import register_invitation_handler, register_move_handler

        from .notifications.services import notifications_for_invitation, notifications_for_stage_change

        register_move_handler(notifications_for_stage_change)
        # Invitation emails leave through the same outbox.
        register_invitation_handler(notifications_for_invitation)
