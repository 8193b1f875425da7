"""Sending batches on PostgreSQL: one claim statement per batch, concurrent claimers."""

import threading
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from interviews.models import Notification
from interviews.notifications import delivery
from tests.interviews.factories import NotificationFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED and row locks need PostgreSQL"),
]


def _deliver_queries(ids: list[int]) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        outcomes = delivery.notifications_deliver(notification_ids=ids).outcomes
    assert set(outcomes.values()) == {"sent"}
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_a_batch_is_claimed_in_one_statement_and_costs_one_update_per_row(company):
    small = [r.pk for r in NotificationFactory.create_batch(2, company=company)]
    large = [r.pk for r in NotificationFactory.create_batch(4, company=company)]
    small_queries, large_queries = _deliver_queries(small), _deliver_queries(large)
    # session setting, claim, reset; then per row: savepoint (the test's transaction), mark, release
    assert len(small_queries) == 3 + 3 * 2
    assert len(large_queries) == 3 + 3 * 4
    assert sum("SKIP LOCKED" in q for q in large_queries) == 1
    assert len(mail.outbox) == 6


class SlowBackend(LocmemBackend):
    def send_messages(self, messages):
        time.sleep(0.01)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_overlapping_batches_send_each_row_once(company, settings):
    # given 40 rows, and two workers handed overlapping batches (a duplicate and a sweep, say)
    settings.EMAIL_BACKEND = "tests.interviews.test_notifications_postgres.SlowBackend"
    ids = [r.pk for r in NotificationFactory.create_batch(40, company=company)]
    batches = [ids[:30], ids[10:]]
    outcomes: list[dict[int, str]] = []
    errors: list[BaseException] = []

    def worker(batch):
        try:
            outcomes.append(delivery.notifications_deliver(notification_ids=batch).outcomes)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(b,)) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    # then nobody waited for a lock or deadlocked, and every row was sent by exactly one of them
    assert errors == []
    sent_by = [pk for result in outcomes for pk, outcome in result.items() if outcome == "sent"]
    assert sorted(sent_by) == ids
    assert sorted(int(m.extra_headers["X-Hireloop-Notification"]) for m in mail.outbox) == ids
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
