"""Sending while the database connection is lost (PostgreSQL: the connection is terminated by
the server, as a restart, a failover or an administrator would)."""

import datetime
import time

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from interviews.models import Notification
from interviews.notifications import delivery
from tests.interviews.factories import NotificationFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_terminate_backend needs PostgreSQL"),
]

# What the fake mail server accepted (notification ids), and when to cut the sender's connection.
delivered: list[int] = []
cut_after_accepting: set[int] = set()
cut_on_open: list[bool] = []


def terminate_sender_connection() -> None:
    """From another connection, terminate the one the sender uses, and wait until it is gone."""
    pid = connection.connection.info.backend_pid
    other = connection.get_new_connection(connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(100):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone()[0] == 0:
                    return
                time.sleep(0.02)
    finally:
        other.close()


class CuttingBackend(BaseEmailBackend):
    """A mail server that accepts everything, and cuts the sender's database connection when
    told to: right after the batch's claim (on open), or right after accepting a message (before
    the sender could commit its "sent" mark)."""

    def open(self):
        if cut_on_open:
            cut_on_open.pop()
            terminate_sender_connection()
        return True

    def send_messages(self, email_messages):
        for message in email_messages:
            pk = int(message.extra_headers["X-Hireloop-Notification"])
            delivered.append(pk)
            if pk in cut_after_accepting:
                terminate_sender_connection()
        return len(email_messages)


@pytest.fixture
def cutting_backend(settings):
    settings.EMAIL_BACKEND = "tests.interviews.test_notifications_db_faults.CuttingBackend"
    settings.NOTIFICATIONS_RETRY_BASE = 0  # the retry is due at once: the sweep below sends it
    delivered.clear()
    cut_after_accepting.clear()
    cut_on_open.clear()
    yield
    connection.close()


def _statuses(ids: list[int]) -> dict[int, str]:
    return dict(Notification.objects.filter(pk__in=ids).values_list("pk", "status"))


@pytest.mark.django_db(transaction=True)
def test_a_lost_database_connection_mid_batch_fails_nothing_and_sends_nothing_twice(company, cutting_backend):
    # given a batch of 20 rows; the connection is cut after the claim (before the first row is
    # sent) and twice right after the mail server accepted a message
    ids = sorted(r.pk for r in NotificationFactory.create_batch(20, company=company))
    cut_on_open.append(True)
    cut_after_accepting.update({ids[5], ids[12]})
    # when the batch is delivered
    outcomes = delivery.notifications_deliver(notification_ids=ids).outcomes
    # then no row is failed; the two accepted ones are "delivery unknown", never failed, the first
    # one went back to pending without using up an attempt, and the rest were sent
    statuses = _statuses(ids)
    assert "failed" not in statuses.values()
    assert {pk for pk, s in statuses.items() if s == "unknown"} == {ids[5], ids[12]}
    assert statuses[ids[0]] == "pending"
    assert outcomes[ids[0]] == "retry"
    first = Notification.objects.get(pk=ids[0])
    assert first.attempts == 0
    assert "delivered" not in first.last_error
    assert {pk for pk, s in statuses.items() if s == "sent"} == set(ids) - {ids[0], ids[5], ids[12]}
    # every message the mail server accepted is marked sent or delivery unknown
    assert {statuses[pk] for pk in delivered} <= {"sent", "unknown"}
    unknown = Notification.objects.get(pk=ids[5])
    assert "most likely delivered" in unknown.last_error
    assert unknown.claimed_at is None
    # when the sweeper runs once the connection is back (and again, later)
    delivery.notifications_sweep(now=timezone.now() + datetime.timedelta(hours=1))
    delivery.notifications_sweep(now=timezone.now() + datetime.timedelta(hours=2))
    # then the pending row is sent, the "delivery unknown" ones are left alone, nothing is failed,
    # and every message reached the mail server exactly once
    statuses = _statuses(ids)
    assert statuses[ids[0]] == "sent"
    assert {pk for pk, s in statuses.items() if s == "unknown"} == {ids[5], ids[12]}
    assert sorted(delivered) == ids


@pytest.mark.django_db(transaction=True)
def test_a_row_whose_delivery_is_unknown_is_sent_again_only_when_asked_with_the_confirmation(
    company, cutting_backend
):
    # given a row whose "sent" mark was lost with the connection
    row = NotificationFactory(company=company)
    cut_after_accepting.add(row.pk)
    assert delivery.notifications_deliver(notification_ids=[row.pk]).outcomes[row.pk] == "unknown"
    cut_after_accepting.clear()
    # when it is sent again without the confirmation, nothing happens
    assert delivery.notifications_retry(notification_ids=[row.pk]) == 0
    assert delivered == [row.pk]
    # and with it, it is sent (a second copy, as the person asking accepted)
    assert delivery.notifications_retry(notification_ids=[row.pk], include_unknown=True) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert delivered == [row.pk, row.pk]
