"""The demo's outbox: the emails its history caused, written by the real producers and marked
sent.

A newcomer opens the outbox and reads what candidates and interviewers received over the demo's
months of history: application received, next steps, interview invitations (the upcoming
interviews' included), rejections, withdrawals and hires, and the interview reminders and
scorecard nudges due now. Nothing goes through the mail server: the send tasks are withheld and
each row is marked sent a minute after its cause (the move, the scheduling of the interview, the
nudge). Written inside the company's load transaction, so a second `demo` run (which loads
nothing) writes nothing. The invites' time zones are worked out once per zone
(`interviews.ics`), which keeps the whole history to a few seconds.
"""

import datetime
from datetime import timedelta

from django.db.models import F

from interviews.notifications import publishing
from interviews.notifications.models import Notification, NotificationStatus
from interviews.notifications.producers import (
    interview_notify_scheduled,
    interview_reminders_create,
    moves_batch_scope,
    scorecard_due_nudges_create,
    stage_change_notify,
)

# The mail worker picks a row up about a minute after its cause.
DELIVERY_DELAY = timedelta(minutes=1)
# An interview's invitation leaves a few days before it (never before the application).
INVITED_BEFORE = timedelta(days=3)


def _sent_at(cause: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    return min(cause + DELIVERY_DELAY, now)


def demo_outbox_write(rows, *, now: datetime.datetime) -> int:
    """Write the outbox rows of the history just loaded (stage changes, interviews, and the reminders
    and nudges due now) and mark them sent at plausible times. Returns how many were written."""
    sent: dict[int, datetime.datetime] = {}
    with moves_batch_scope(), publishing.withheld():
        for change in sorted(rows.changes, key=lambda c: (c.created_at, c.pk)):
            for pk in stage_change_notify(change):
                sent[pk] = _sent_at(change.created_at, now)
        for interview in sorted(rows.interviews, key=lambda i: (i.starts_at, i.pk)):
            invited = max(interview.application.applied_at, interview.starts_at - INVITED_BEFORE)
            for pk in interview_notify_scheduled(interview=interview):
                sent[pk] = _sent_at(invited, now)
        for pk in interview_reminders_create(now=now) + scorecard_due_nudges_create(now=now):
            sent.setdefault(pk, now - DELIVERY_DELAY)
    # The times first (a sent row has one), then the rest of the row from them, in one statement.
    Notification.objects.bulk_update(
        [Notification(pk=pk, sent_at=at) for pk, at in sent.items()], ["sent_at"], batch_size=500
    )
    Notification.objects.filter(pk__in=list(sent)).update(
        status=NotificationStatus.SENT,
        attempts=1,
        created_at=F("sent_at") - DELIVERY_DELAY,
        updated_at=F("sent_at"),
        claimed_at=F("sent_at"),
    )
    return len(sent)
