"""The demo's outbox: the emails of its whole history, written by the real producers, marked sent
at plausible times, never sent through the mail server, and written once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import F, Max, Min
from django.utils import timezone

from hiring.models import StageChange
from interviews.models import Notification
from interviews.notifications.events import NotificationEvent as E
from interviews.notifications.models import NotificationStatus

pytestmark = pytest.mark.django_db


def test_the_demo_outbox_holds_its_whole_history_as_sent_once():
    started = timezone.now()
    call_command("demo", stdout=StringIO())
    rows = Notification.objects.all()
    events = set(rows.values_list("event", flat=True))
    # what candidates and interviewers received: applications, next steps, invitations, decisions
    assert {E.APPLICATION_RECEIVED, E.STAGE_ENTERED, E.INTERVIEW_SCHEDULED, E.REJECTED} <= events
    assert set(rows.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert not mail.outbox  # marked sent, not sent
    span = rows.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    assert span["last"] <= timezone.now() <= started + timedelta(hours=1)
    # from the first move of the history on: its oldest entry wrote its email a minute later
    oldest = StageChange.objects.filter(from_stage__isnull=True).order_by("created_at", "pk").first()
    assert span["first"] == oldest.created_at + timedelta(minutes=1)
    assert rows.filter(application_id=oldest.application_id, event=E.APPLICATION_RECEIVED).exists()
    assert not rows.filter(created_at__gt=F("sent_at")).exists()
    # each move wrote its emails, sent a minute after the move
    received = rows.filter(event=E.APPLICATION_RECEIVED).select_related("application").first()
    entry = StageChange.objects.filter(application=received.application, from_stage__isnull=True).get()
    assert received.sent_at - entry.created_at == timedelta(minutes=1)
    assert received.recipient == received.application.candidate.email
    # a second run writes nothing
    count = rows.count()
    call_command("demo", stdout=StringIO())
    assert Notification.objects.count() == count
