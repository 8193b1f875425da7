"""The candidate portal's emails in the erasure: they name no application (a sign-in link, a
change of details), so interviews' outbox declaration does not reach them. Every portal email is
filed under its candidate ("...:candidate-<id>:..." in its idempotency key, see
careers.portal.services); this hook overwrites them as the outbox declaration does."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

from hiring.personal_data import REDACTED
from interviews.notifications.models import Notification, NotificationStatus


def portal_emails_forget(erasure) -> int:
    """Anonymise the candidate's portal emails and stop the unsent ones; returns how many."""
    rows = Notification.objects.filter(
        company_id=erasure.company_id, idempotency_key__contains=f":candidate-{erasure.candidate_id}:"
    )
    rows.filter(status=NotificationStatus.PENDING).update(
        status=NotificationStatus.FAILED, last_error="Not sent: the candidate's personal data was erased."
    )
    return rows.update(
        recipient="anonymised@invalid.example",
        recipient_name=REDACTED,
        subject=REDACTED,
        body=REDACTED,
        idempotency_key=Concat(Value("erased:"), Cast("id", CharField())),
    )
