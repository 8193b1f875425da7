from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "interviews"
    verbose_name = "Interviews"

    def ready(self):
        # Pipeline moves reach notifications through the hiring app's one explicit registry.
        from hiring.imports import register_import_notifier
        from hiring.memberships import register_invitation_handler
        from hiring.middleware import register_access_logged_model
        from hiring.note_services import register_note_handler
        from hiring.services import register_move_batch_scope, register_move_handler
        from hiring.uploads import register_candidate_file_reader

        # The tasks module registers the Celery tasks, which the outbox publishes by name
        # (interviews.tasks imports the notification delivery and producers, which cannot import it back).
        # What an approved or rejected job opening or offer does (approvals.register_outcome).
        from . import (  # noqa: F401
            offers,
            openings,
            tasks,  # noqa: F401
        )
        from .notifications.producers import (
            invitation_notify,
            moves_batch_scope,
            note_mentions_notify,
            stage_change_notify,
        )
        from .selectors import user_interviews_candidate

        register_move_handler(stage_change_notify)
        # A bulk action's moves share their stage's reads and hand their emails over together.
        register_move_batch_scope(moves_batch_scope)
        # An import tells its candidates (application received) only when asked to.
        register_import_notifier(stage_change_notify)
        # Invitation emails leave through the same outbox.
        register_invitation_handler(invitation_notify)
        # Members mentioned in a note are told through the same outbox.
        register_note_handler(note_mentions_notify)
        # Interviewers on a candidate's interviews may download the candidate's résumé.
        register_candidate_file_reader(user_interviews_candidate)
        # Opening a scorecard page is logged like opening a candidate's.
        register_access_logged_model("interviews.scorecard")
