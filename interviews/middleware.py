"""Tell the admin user when the emails of the change they just made could not be queued."""

from django.contrib import messages

from interviews.notifications import publishing

DELAYED = (
    "Saved. Its email notifications are delayed: the task queue (broker) is unreachable. They wait "
    "in the outbox and go out automatically once it answers again."
)


class NotificationsDelayedMiddleware:
    """After an admin request whose notifications were left for the sweeper (the broker was down
    or silent), add a warning message; the change itself was saved and the request answers
    normally."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        publishing.delayed_reset()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if publishing.delayed_in_this_context() and match is not None and "admin" in match.namespaces:
            messages.warning(request, DELAYED, fail_silently=True)
        publishing.delayed_reset()
        return response
