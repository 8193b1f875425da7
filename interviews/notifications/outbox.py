"""Writing the outbox: one rendered row per recipient under an idempotency key, in the caller's
transaction, and their sending enqueued after commit (see delivery.py for what happens next)."""

import copy
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from hiring.models import Application

from . import publishing
from .candidate_links import personal_links_hidden
from .models import Notification, NotificationStatus
from .rendering import TemplateTooLarge, render, render_subject


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str


def _key(event: str, subject_of: str, occurrence, email: str) -> str:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:16]
    return f"{event}:{subject_of}:{occurrence}:{digest}"[:200]


def outbox_write(
    *,
    company_id: int,
    event: str,
    template: tuple[str, str] | None,
    recipients: list[Recipient],
    context: dict,
    subject_of: str,
    occurrence,
    application_id: int | None = None,
    interview_id: int | None = None,
    ics: str = "",
) -> list[int]:
    """Render and write one row per recipient, then enqueue their sending after commit."""
    if template is None:
        return []
    subject_src, body_src = template
    now = timezone.now()
    rows, keys = [], []
    seen = set()
    for r in recipients:
        if not r.email or r.email.lower() in seen:
            continue
        seen.add(r.email.lower())
        values = {**context, "recipient_name": r.name}
        key = _key(event, subject_of, occurrence, r.email)
        keys.append(key)
        rendered = _rendered(subject_src, body_src, values)
        rows.append(
            Notification(
                company_id=company_id,
                event=event,
                recipient=r.email,
                recipient_name=r.name,
                ics=ics,
                application_id=application_id,
                interview_id=interview_id,
                idempotency_key=key,
                updated_at=now,
                **rendered,
            )
        )
    if not rows:
        return []
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # Rows of an earlier run keep their own state: only rows written now (pending, just
    # created) are returned, for the caller to enqueue; the sweeper covers anything lost before.
    return list(
        Notification.objects.filter(
            idempotency_key__in=keys, status=NotificationStatus.PENDING, updated_at=now
        ).values_list("pk", flat=True)
    )


NOT_RENDERED = "Nothing sent, too large to render: "


def _rendered(subject_src: str, body_src: str, values: dict) -> dict:
    """Subject and body of one row; a template too large for the limit gives a failed row with
    the reason and nothing to send, and the change that caused it goes on."""
    fields = {}
    for name, source, render_one in (("subject", subject_src, render_subject), ("body", body_src, render)):
        try:
            fields[name] = render_one(source, values)
        except TemplateTooLarge as exc:
            return {
                "subject": "",
                "body": "",
                "status": NotificationStatus.FAILED,
                "last_error": f"{NOT_RENDERED}{name}. {exc} Shorten the template.",
            }
    return fields


# The send task by its registered name: tasks call these services, so these services name the task
# instead of importing it (interviews.apps imports the tasks module, registering it in every process).
SEND_TASK = "interviews.tasks.notifications_send_task"


def outbox_enqueue_on_commit(ids: list[int]) -> list[int]:
    """After commit, one send task per NOTIFICATIONS_SEND_BATCH rows (one task per transaction as
    a rule: a move's emails travel together, and the sweeper's backlog in a few messages)."""
    size = settings.NOTIFICATIONS_SEND_BATCH
    # A broker that is down or silent leaves the rows pending for the sweeper (see publishing).
    publishing.enqueue_on_commit(
        SEND_TASK, [list(ids[start : start + size]) for start in range(0, len(ids), size)]
    )
    return ids


def recipient_candidate(application: Application) -> Recipient:
    return Recipient(application.candidate.email, application.candidate.name)


def recipients_members(memberships) -> list[Recipient]:
    return [Recipient(m.user.email, m.display_name) for m in memberships]


def notification_shown_to_staff(notification: Notification) -> Notification:
    """The outbox row as staff (or the candidate, in the portal) may read it: every personal link
    (an invitation's, a candidate's sign-in link, see candidate_links) is hidden, so that nobody
    but its recipient can use it."""
    shown = copy.copy(notification)
    shown.body = personal_links_hidden(notification.body)
    return shown
