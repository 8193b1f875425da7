"""Notifications through a real Celery worker on Redis and PostgreSQL."""

import datetime
import time

import pytest
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from hiring.services import application_advance, application_create
from interviews.models import Notification
from interviews.notifications import delivery, outbox
from interviews.notifications.models import NotificationStatus
from interviews.tasks import notification_send_task
from tests.hiring.factories import (
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewKitFactory
from tests.worker.conftest import QUEUE, Workers, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _rows(**filters) -> int:
    return Notification.objects.filter(**filters).count()


def _outbox(company, recipients: list[str]) -> list[int]:
    now = timezone.now()
    rows = [
        Notification(
            company=company,
            event="hired",
            recipient=r,
            subject=f"Message {i}",
            body="Body",
            idempotency_key=f"worker-test:{i}:{r}",
            updated_at=now,
        )
        for i, r in enumerate(recipients)
    ]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, batch_size=500)
        ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
        outbox.outbox_enqueue_on_commit(ids)
    return ids


def test_stage_move_emails_candidate_and_interviewers_through_the_worker(
    workers, mail_sink, company, recruiter
):
    # given a job whose second stage has two interviewers, and a running worker
    job = JobFactory(company=company, title="Platform engineer")
    JobStageFactory(job=job, position=0, name="Review")
    onsite = JobStageFactory(job=job, position=1, name="Onsite")
    kit = InterviewKitFactory(stage=onsite)
    for name in ("grace", "alan"):
        kit.default_interviewers.add(
            MembershipFactory(company=company, user=UserFactory(username=name, email=f"{name}@acme.test"))
        )
    workers.start()
    candidate = CandidateFactory(company=company, email="ada@example.org")
    # when the application is created and advanced (each in its own committed transaction)
    app = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
    application_advance(application=app, actor=recruiter)
    # then the worker sends the received email and the three stage emails, each once
    assert wait_for(lambda: _rows(status="sent") == 4), list(Notification.objects.values("event", "status"))
    sent = sorted((r[1], r[2]) for r in mail_sink.sink_rows())
    assert sent == [
        ("ada@example.org", "Platform engineer: next step, Onsite"),
        ("ada@example.org", "We received your application for Platform engineer"),
        ("alan@acme.test", f"{candidate.name} is now in Onsite (Platform engineer)"),
        ("grace@acme.test", f"{candidate.name} is now in Onsite (Platform engineer)"),
    ]


def test_send_task_delivered_twice_sends_one_email(workers, mail_sink, company):
    workers.start()
    [pk] = _outbox(company, ["once@example.org"])
    notification_send_task.delay(pk)  # a second delivery of the same message
    assert wait_for(lambda: _rows(status="sent") == 1)
    time.sleep(1.5)  # let the duplicate run
    assert mail_sink.sink_count() == 1
    row = Notification.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("sent", 1)


def test_rolled_back_move_sends_nothing(workers, redis_broker, mail_sink, company, recruiter):
    job = JobFactory(company=company)
    JobStageFactory(job=job, position=0)
    workers.start()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            application_create(
                candidate=CandidateFactory(company=company), job=job, source="other", actor=recruiter
            )
            raise RuntimeError("the request failed after the move")
    time.sleep(1.5)
    assert Notification.objects.count() == 0
    assert redis_broker.llen(QUEUE) == 0
    assert mail_sink.sink_count() == 0


def test_transient_errors_retry_with_backoff_then_send_or_fail(workers, mail_sink, company):
    workers.start()
    ids = _outbox(company, ["flaky-2@example.org", "down@example.org"])
    # the flaky one succeeds on its third attempt, the other fails after the last one
    assert wait_for(lambda: _rows(status__in=["sent", "failed"]) == 2, timeout=40), list(
        Notification.objects.values_list(
            "recipient", "status", "attempts", "retry_at", "updated_at", "last_error"
        )
    )
    flaky, down = (Notification.objects.get(pk=pk) for pk in ids)
    assert (flaky.status, flaky.attempts) == ("sent", 3)
    assert "SMTPServerDisconnected" in flaky.last_error or flaky.last_error == ""
    assert (down.status, down.attempts) == ("failed", 3)
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in down.last_error
    assert [r[0] for r in mail_sink.sink_rows()] == [flaky.pk]


@pytest.mark.parametrize("pool, concurrency", [("prefork", 2), ("threads", 4)])  # threads: `make worker`
def test_crash_mid_way_every_notification_is_sent_exactly_once(
    workers, mail_sink, company, settings, pool, concurrency
):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 3
    settings.NOTIFICATIONS_SWEEP_AFTER = 3
    total = 1000
    # given 1,000 queued notifications and a worker that is SIGKILLed in the middle
    ids = _outbox(company, [f"person{i}@example.org" for i in range(total)])
    first = workers.start("first", concurrency=concurrency, pool=pool)
    assert wait_for(lambda: _rows(status="sent") >= 250, timeout=60)
    workers.kill(first)
    sent_at_crash = _rows(status="sent")
    assert sent_at_crash < total, "the worker finished before it could be killed"
    # when a new worker starts, and the sweeper recovers what the dead worker held
    workers.start("second", concurrency=concurrency, pool=pool)
    deadline = time.monotonic() + 90
    last = -1
    while time.monotonic() < deadline:
        done = _rows(status="sent")
        if done == total:
            break
        if done == last:  # the queue is drained: what is left was lost with the first worker
            time.sleep(settings.NOTIFICATIONS_CLAIM_TIMEOUT)
            with transaction.atomic():
                delivery.notifications_sweep(now=timezone.now() + datetime.timedelta(seconds=1))
        last = done
        time.sleep(1)
    # then every notification ended sent exactly once, in the outbox and in the sink
    assert _rows(status="sent") == total, list(
        Notification.objects.exclude(status="sent").values_list("pk", "status", "attempts", "last_error")[:10]
    )
    assert mail_sink.sink_count() == total
    assert mail_sink.sink_duplicates() == []
    assert sorted(r[0] for r in mail_sink.sink_rows()) == ids
    assert not Notification.objects.exclude(status=NotificationStatus.SENT).exists()
    print(
        f"crash test ({pool}): killed after {sent_at_crash} of {total} sent; all {total} sent once afterwards"
    )


@pytest.mark.parametrize("pool, concurrency", [("prefork", 2), ("threads", 4)])
def test_lost_database_connections_mid_batch_fail_nothing_and_send_nothing_twice(
    redis_broker, mail_sink, company, settings, pool, concurrency
):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 3
    settings.NOTIFICATIONS_SWEEP_AFTER = 3
    total = 300
    # given 300 queued notifications; for every 25th, the worker's database connection is
    # terminated right after the mail server accepted the message
    recipients = [f"cut-{i}@example.org" if i % 25 == 7 else f"person{i}@example.org" for i in range(total)]
    ids = _outbox(company, recipients)
    cut = {pk for pk, r in zip(ids, recipients, strict=True) if r.startswith("cut-")}
    pool_ = Workers({"EMAIL_BACKEND": "tests.worker.sink.CuttingSinkBackend"})
    try:
        pool_.start(concurrency=concurrency, pool=pool)
        # when the worker drains them, and the sweeper runs a few times afterwards
        assert wait_for(lambda: _rows(status__in=["sent", "unknown"]) == total, timeout=90), list(
            Notification.objects.values_list("status").annotate(n=Count("id"))
        )
        for _ in range(3):
            time.sleep(settings.NOTIFICATIONS_CLAIM_TIMEOUT)
            with transaction.atomic():
                delivery.notifications_sweep(now=timezone.now() + datetime.timedelta(seconds=4))
        time.sleep(2)
    finally:
        pool_.stop_all()
    # then no row is failed, the cut ones are "delivery unknown" (never failed), the rest sent, and
    # every message reached the mail server exactly once (the sweeper sent nothing again)
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert {pk for pk, s in statuses.items() if s == "unknown"} == cut
    assert {pk for pk, s in statuses.items() if s == "sent"} == set(ids) - cut
    assert mail_sink.sink_duplicates() == []
    assert sorted(r[0] for r in mail_sink.sink_rows()) == ids
    assert set(Notification.objects.filter(pk__in=cut).values_list("attempts", flat=True)) == {1}
