"""Notifications: the outbox written with the move, sent once, retried, refused templates."""

import datetime
import io
import smtplib
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from hiring.models import RejectionKind
from hiring.services import (
    application_advance,
    application_create,
    application_hire,
    application_hold,
    application_reject,
    application_withdraw,
)
from interviews.models import InterviewStatus, Notification, NotificationTemplate, ScorecardStatus
from interviews.notifications import delivery, producers, schedules, templates
from interviews.notifications.models import NotificationStatus
from interviews.services import (
    interview_cancel,
    interview_reschedule,
    interview_schedule,
    interview_set_interviewers,
)
from interviews.tasks import notification_send_task, notifications_send_task
from tests.hiring.factories import (
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    RejectionReasonFactory,
    TrackFactory,
    UserFactory,
)
from tests.interviews.factories import (
    InterviewFactory,
    InterviewKitFactory,
    NotificationFactory,
    NotificationTemplateFactory,
    ScorecardFactory,
)


@pytest.fixture
def job(company):
    job = JobFactory(company=company, title="Backend engineer")
    JobStageFactory(job=job, position=0, name="Review")
    onsite = JobStageFactory(
        job=job,
        position=1,
        name="Onsite",
        instructions="Bring your laptop.",
        is_paid=True,
        pay_amount=Decimal("37.50"),
        pay_currency="EUR",
        pay_unit="hour",
    )
    JobStageFactory(job=job, position=2, name="Offer")
    kit = InterviewKitFactory(
        stage=onsite, name="Live coding", duration_minutes=90, format="video", ai_policy="not_allowed"
    )
    for name in ("grace", "alan"):
        member = MembershipFactory(
            company=company, user=UserFactory(username=name, email=f"{name}@acme.test"), role="interviewer"
        )
        kit.default_interviewers.add(member)
    TrackFactory(stage=onsite, name="Pair programming")
    TrackFactory(stage=onsite, name="Take-home")
    return job


@pytest.fixture
def application(job, recruiter, django_capture_on_commit_callbacks):
    candidate = CandidateFactory(company=job.company, name="Ada Lovelace", email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        app = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
    return app


def test_application_received_emails_the_candidate(application):
    # then the received email went out after commit
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert mail.outbox[0].subject == "We received your application for Backend engineer"
    row = Notification.objects.get()
    assert (row.event, row.status, row.attempts) == ("application_received", "sent", 1)
    assert row.sent_at is not None


def test_stage_move_emails_candidate_with_stage_details_and_the_stage_interviewers(
    application, recruiter, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    # when the application advances to the onsite
    with django_capture_on_commit_callbacks(execute=True):
        application_advance(application=application, actor=recruiter)
    # then the candidate learns the stage, its format, length, AI policy and tracks
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"ada@example.org", "grace@acme.test", "alan@acme.test"}
    candidate_mail = by_recipient["ada@example.org"]
    assert candidate_mail.subject == "Backend engineer: next step, Onsite"
    for text in ("Bring your laptop.", "Live coding: Video call, 90 minutes", "AI tools not allowed"):
        assert text in candidate_mail.body
    assert "Pair programming, Take-home" in candidate_mail.body
    assert "This step is paid: 37.50 EUR per hour." in candidate_mail.body
    assert "Ada Lovelace has moved to Onsite" in by_recipient["grace@acme.test"].body
    assert Notification.objects.filter(status="sent").count() == 4


def test_rolled_back_move_leaves_no_notification_and_sends_nothing(
    application, recruiter, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    before = Notification.objects.count()
    # when the move's transaction rolls back after the move
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                application_advance(application=application, actor=recruiter)
                raise RuntimeError("something later in the request failed")
    # then nothing was written, nothing enqueued, nothing sent
    assert Notification.objects.count() == before
    assert callbacks == []
    assert mail.outbox == []


def test_reject_withdraw_and_hire_use_the_company_wording(
    company, job, recruiter, django_capture_on_commit_callbacks
):
    NotificationTemplateFactory(
        company=company,
        event="rejected",
        subject="About {{ job_title }}",
        body="Dear {{ candidate_name }}, we stop here ({{ reason }}).",
    )
    reason = RejectionReasonFactory(company=company, name="Skills gap")
    withdrawal = RejectionReasonFactory(
        company=company, name="Took another offer", kind=RejectionKind.CANDIDATE
    )
    apps = [
        application_create(
            candidate=CandidateFactory(company=company), job=job, source="other", actor=recruiter
        )
        for _ in range(3)
    ]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_reject(application=apps[0], reason=reason, actor=recruiter)
        application_withdraw(application=apps[1], reason=withdrawal, actor=recruiter)
        application_advance(application=apps[2], actor=recruiter)
        application_advance(application=apps[2], actor=recruiter)
        application_hire(application=apps[2], actor=recruiter)
    subjects = {m.to[0]: m.subject for m in mail.outbox if m.to[0].startswith("candidate")}
    assert subjects[apps[0].candidate.email] == "About Backend engineer"
    assert "we stop here (Skills gap)" in next(
        m.body for m in mail.outbox if m.to == [apps[0].candidate.email]
    )
    assert subjects[apps[1].candidate.email] == "Your application for Backend engineer is withdrawn"
    assert subjects[apps[2].candidate.email] == f"Welcome to {company.name}!"


def test_hold_sends_nothing(application, recruiter, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_hold(application=application, actor=recruiter)
    assert mail.outbox == []


def test_a_switched_off_event_sends_nothing(company, job, recruiter, django_capture_on_commit_callbacks):
    NotificationTemplateFactory(company=company, event="application_received", enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        application_create(
            candidate=CandidateFactory(company=company), job=job, source="other", actor=recruiter
        )
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_send_task_twice_sends_one_email(company):
    row = NotificationFactory(company=company, recipient="x@example.org")
    # when the same message is delivered twice
    first = notification_send_task.delay(row.pk).get()
    second = notification_send_task.delay(row.pk).get()
    # then one email, and the second run changed nothing
    assert (first, second) == ("sent", "skipped")
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert mail.outbox[0].extra_headers["Message-ID"] == delivery.message_id(row)


class FlakyBackend(BaseEmailBackend):
    """A mail backend that fails with a transient SMTP error the first `failures` times, and
    always for recipients in `down`; it counts the connections it opens."""

    failures = 0
    calls = 0
    opened = 0
    down: set[str] = set()

    def open(self):
        FlakyBackend.opened += 1
        return True

    def send_messages(self, messages):
        FlakyBackend.calls += 1
        if FlakyBackend.calls <= FlakyBackend.failures or messages[0].to[0] in FlakyBackend.down:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.interviews.test_notifications.FlakyBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    FlakyBackend.calls = FlakyBackend.opened = FlakyBackend.failures = 0
    FlakyBackend.down = set()
    return FlakyBackend


def _sweep_at(seconds_from_now: float, capture) -> list[int]:
    with capture(execute=True):
        return delivery.notifications_sweep(now=timezone.now() + datetime.timedelta(seconds=seconds_from_now))


def test_inline_transient_error_waits_for_its_backoff_then_the_sweeper_sends(
    company, flaky, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_RETRY_BASE = 30
    flaky.failures = 1
    row = NotificationFactory(company=company)
    # when the task runs inline and the server drops the connection
    before = timezone.now()
    notification_send_task.delay(row.pk)
    # then it is not tried again at once: the row waits, pending, for its next-try time
    row.refresh_from_db()
    assert (row.status, row.attempts, flaky.calls) == ("pending", 1, 1)
    assert (
        before + datetime.timedelta(seconds=30)
        <= row.retry_at
        <= timezone.now() + datetime.timedelta(seconds=30)
    )
    assert "SMTPServerDisconnected" in row.last_error
    # a delivery before that time does nothing, nor does a sweep
    assert delivery.notifications_deliver(notification_ids=[row.pk]).outcomes[row.pk] == delivery.SKIPPED
    assert _sweep_at(20, django_capture_on_commit_callbacks) == []
    assert (flaky.calls, mail.outbox) == (1, [])
    # and once the backoff has passed, the sweeper sends it, once
    assert _sweep_at(31, django_capture_on_commit_callbacks) == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.retry_at) == ("sent", 2, None)
    assert len(mail.outbox) == 1
    assert _sweep_at(3600, django_capture_on_commit_callbacks) == []


def test_sweep_command_sends_a_row_whose_retry_time_has_come(
    company, flaky, django_capture_on_commit_callbacks
):
    # given a row that failed once inline and whose backoff has passed
    flaky.failures = 1
    row = NotificationFactory(company=company)
    notification_send_task.delay(row.pk)
    Notification.objects.filter(pk=row.pk).update(retry_at=timezone.now() - datetime.timedelta(seconds=1))
    # when cron runs the sweep command (inline: the send runs after its commit)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications_sweep", stdout=out)
    # then it is sent, and a second run does nothing
    row.refresh_from_db()
    assert (row.status, row.attempts, len(mail.outbox)) == ("sent", 2, 1)
    assert out.getvalue().startswith("1 notifications")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notifications_sweep", stdout=io.StringIO())
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_row_is_failed_with_the_error(
    company, flaky, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_RETRY_BASE = 30
    flaky.failures = 99
    row = NotificationFactory(company=company)
    notification_send_task.delay(row.pk)
    # the backoff doubles: 30 s after the first attempt, 60 s after the second
    assert _sweep_at(31, django_capture_on_commit_callbacks) == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 2)
    assert row.retry_at - row.updated_at >= datetime.timedelta(seconds=59)
    assert _sweep_at(31 + 61, django_capture_on_commit_callbacks) == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.retry_at) == ("failed", 3, None)
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in row.last_error
    assert mail.outbox == []
    # and a retry from the admin sends it once the server is back
    flaky.failures = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.notifications_retry(notification_ids=[row.pk]) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1


def test_deliver_reports_retry_and_keeps_the_row_pending(company, flaky):
    flaky.failures = 1
    row = NotificationFactory(company=company)
    assert delivery.notifications_deliver(notification_ids=[row.pk]).outcomes[row.pk] == delivery.RETRY
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_at) == ("pending", 1, None)
    assert delivery.retry_countdown(1) < delivery.retry_countdown(2) < delivery.retry_countdown(3)


# --- Batches ---------------------------------------------------------------------------------------


def test_a_move_enqueues_one_send_task_for_all_its_emails(
    application, recruiter, django_capture_on_commit_callbacks
):
    # when the application advances (an email to the candidate and one to each interviewer)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_advance(application=application, actor=recruiter)
    # then one task carries the three rows
    assert len(callbacks) == 1
    ids = set(Notification.objects.filter(status="pending").values_list("pk", flat=True))
    assert len(ids) == 3
    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()
    assert Notification.objects.filter(pk__in=ids, status="sent").count() == 3


def test_a_batch_sends_each_row_once_over_one_mail_connection(company, flaky):
    rows = NotificationFactory.create_batch(4, company=company)
    ids = [r.pk for r in rows]
    # when the batch task runs, and its message is delivered a second time
    first = notifications_send_task.delay(ids).get()
    second = notifications_send_task.delay(ids).get()
    # then each row was sent once, through one connection, and the second run changed nothing
    assert first == dict.fromkeys(ids, "sent")
    assert second == dict.fromkeys(ids, "skipped")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.recipient for r in rows)
    assert flaky.opened == 1
    assert set(Notification.objects.filter(pk__in=ids).values_list("attempts", flat=True)) == {1}


def test_a_transient_error_on_one_row_retries_that_row_only(
    company, flaky, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_RETRY_BASE = 30
    rows = NotificationFactory.create_batch(3, company=company)
    flaky.down = {rows[1].recipient}
    # when the middle row's server hangs up
    outcomes = notifications_send_task.delay([r.pk for r in rows]).get()
    # then the others are sent, and the next connection is a fresh one
    assert outcomes == {rows[0].pk: "sent", rows[1].pk: "retry", rows[2].pk: "sent"}
    assert flaky.opened == 2
    # and after the backoff only the failed row is sent
    flaky.down = set()
    assert _sweep_at(31, django_capture_on_commit_callbacks) == [rows[1].pk]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.recipient for r in rows)
    attempts = Notification.objects.filter(company=company).order_by("pk").values_list("attempts", flat=True)
    assert list(attempts) == [1, 2, 1]


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs in this process."""


class DyingBackend(BaseEmailBackend):
    sent = 0

    def send_messages(self, messages):
        if DyingBackend.sent == 1:
            raise WorkerKilled
        DyingBackend.sent += 1
        mail.outbox.extend(messages)
        return len(messages)


def test_a_worker_killed_mid_batch_leaves_the_rest_claimed_for_the_sweeper(
    company, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.interviews.test_notifications.DyingBackend"
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 60
    DyingBackend.sent = 0
    rows = NotificationFactory.create_batch(3, company=company)
    # when the worker dies while sending the second row of its batch
    with pytest.raises(WorkerKilled):
        delivery.notifications_deliver(notification_ids=[r.pk for r in rows])
    # then the first is sent, the second's mark was rolled back, and both others stay claimed
    statuses = list(
        Notification.objects.filter(company=company).order_by("pk").values_list("status", flat=True)
    )
    assert statuses == ["sent", "sending", "sending"]
    # which nobody takes before the claim times out
    assert delivery.notifications_deliver(notification_ids=[rows[1].pk]).outcomes == {rows[1].pk: "skipped"}
    assert _sweep_at(30, django_capture_on_commit_callbacks) == []
    # then (a minute later) the sweeper hands them to another worker, and each is sent once
    DyingBackend.sent = -99
    Notification.objects.filter(status="sending").update(
        claimed_at=timezone.now() - datetime.timedelta(seconds=61)
    )
    assert _sweep_at(0, django_capture_on_commit_callbacks) == [rows[1].pk, rows[2].pk]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.recipient for r in rows)
    assert set(Notification.objects.filter(company=company).values_list("status", flat=True)) == {"sent"}


def test_a_row_claimed_by_a_live_worker_is_not_taken_over(company):
    now = timezone.now()
    row = NotificationFactory(company=company, status=NotificationStatus.SENDING, claimed_at=now, attempts=1)
    assert delivery.notifications_deliver(notification_ids=[row.pk]).outcomes[row.pk] == delivery.SKIPPED
    assert mail.outbox == []


def test_a_stale_claim_is_taken_over_and_sent_once(company, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT = 60
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    row = NotificationFactory(
        company=company, status=NotificationStatus.SENDING, claimed_at=long_ago, attempts=1
    )
    # the sweeper finds it and re-enqueues it
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.notifications_sweep() == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(mail.outbox) == 1
    assert delivery.notifications_sweep() == []


def test_a_row_that_keeps_killing_its_worker_ends_failed(company, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    row = NotificationFactory(
        company=company, status=NotificationStatus.SENDING, claimed_at=long_ago, attempts=2
    )
    # no worker takes it again
    assert delivery.notifications_deliver(notification_ids=[row.pk]).outcomes[row.pk] == delivery.SKIPPED
    # and the sweeper marks it failed instead of re-enqueueing it
    assert delivery.notifications_sweep() == []
    row.refresh_from_db()
    assert row.status == "failed" and "Gave up after 2 attempts" in row.last_error
    assert mail.outbox == []


def test_sweeper_re_enqueues_rows_pending_too_long_only(company, settings):
    settings.NOTIFICATIONS_SWEEP_AFTER = 300
    old = NotificationFactory(company=company, updated_at=timezone.now() - datetime.timedelta(minutes=10))
    NotificationFactory(company=company, status=NotificationStatus.SENDING, claimed_at=timezone.now())
    fresh = NotificationFactory(company=company)
    assert delivery.notifications_sweep() == [old.pk]
    fresh.refresh_from_db()
    assert fresh.status == "pending"


# --- Templates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, message",
    [
        ("{% if candidate_name %}Hello", "Unclosed tag"),
        ("{% if %}x{% endif %}", "Unexpected end of expression"),
        ("Hi {{ candidate.email }}", "Unknown variable: candidate"),
        ("{{ settings.SECRET_KEY }}", "Unknown variable: settings"),
        ("{% load static %}", "tag {% load %} is not available"),
        ("{% debug %}", "tag {% debug %} is not available"),
        ("{% include 'admin/base.html' %}", "tag {% include %} is not available"),
        ("{% for t in tracks %}{{ t }}{% endfor %}", None),
    ],
)
def test_template_refused_on_save_when_it_does_not_render(company, body, message):
    template = NotificationTemplate(company=company, event="stage_entered", subject="Hi", body=body)
    if message is None:
        template.full_clean()
        return
    with pytest.raises(ValidationError) as excinfo:
        template.full_clean()
    assert message in str(excinfo.value.message_dict["body"])


def test_variables_depend_on_the_event(company):
    # reason exists for rejections, not for the received email
    NotificationTemplate(company=company, event="rejected", subject="x", body="{{ reason }}").full_clean()
    with pytest.raises(ValidationError):
        NotificationTemplate(
            company=company, event="application_received", subject="{{ reason }}", body="x"
        ).full_clean()


def test_templates_install_is_idempotent_and_keeps_edits(company):
    # Every event in English (the portal's booking, track, hand-in and survey emails since issue 19,
    # mentions in notes and emails written to candidates since issue 21; approvals and offers since
    # issue 22), 30 in English, the 18 a candidate receives in French as well
    assert templates.notification_templates_install(company=company) == 48
    assert NotificationTemplate.objects.filter(company=company, language="fr").count() == 18
    NotificationTemplate.objects.filter(company=company, event="hired").update(subject="Edited")
    assert templates.notification_templates_install(company=company) == 0
    assert NotificationTemplate.objects.filter(company=company, event="hired", subject="Edited").count() == 2
    for template in NotificationTemplate.objects.filter(company=company):
        template.full_clean()


def test_preview_renders_on_a_real_application(application):
    template = NotificationTemplateFactory(
        company=application.company, event="stage_entered", subject="{{ candidate_name }}: {{ stage_name }}"
    )
    subject, body = templates.notification_template_preview(template=template, application=application)
    assert subject == "Ada Lovelace: Review"
    assert body == "Thanks for applying to Backend engineer."


# --- Interviews and periodic jobs ------------------------------------------------------------------


@pytest.fixture
def interview(application, company):
    interview = InterviewFactory(
        application=application,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        ends_at=timezone.now() + datetime.timedelta(days=2, hours=1),
        timezone="Europe/Paris",
        video_url="https://meet.example.com/xyz",
    )
    member = MembershipFactory(
        company=company, user=UserFactory(username="eve", email="eve@acme.test"), display_name="Eve"
    )
    ScorecardFactory(interview=interview, interviewer=member)
    return interview


@pytest.fixture
def eve(company):
    return MembershipFactory(
        company=company, user=UserFactory(username="eve", email="eve@acme.test"), display_name="Eve"
    )


def _schedule(application, eve, **extra):
    kit = application.job.stages.get(name="Onsite").kits.get()
    return interview_schedule(
        application=application,
        kit=kit,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        time_zone="Europe/Paris",
        video_url="https://meet.example.com/xyz",
        interviewers=[eve],
        **extra,
    )


def test_interview_scheduled_sends_an_ics_invite_to_candidate_and_interviewers(
    application, eve, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interview = _schedule(application, eve)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "eve@acme.test"]
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("invite.ics", "text/calendar")
    assert "METHOD:REQUEST" in content and f"UID:interview-{interview.pk}@" in content
    assert "https://meet.example.com/xyz" in mail.outbox[0].body
    assert "(Europe/Paris)" in mail.outbox[0].body


def test_a_rolled_back_scheduling_sends_nothing(application, eve, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                _schedule(application, eve)
                raise RuntimeError("later step failed")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.filter(event="interview_scheduled").exists()


def test_panel_change_invites_only_the_new_interviewer(
    application, eve, company, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = _schedule(application, eve)
    mail.outbox.clear()
    bob = MembershipFactory(company=company, user=UserFactory(username="bob", email="bob@acme.test"))
    with django_capture_on_commit_callbacks(execute=True):
        interview_set_interviewers(interview=interview, interviewers=[eve, bob])
    assert [m.to for m in mail.outbox] == [["bob@acme.test"]]


def test_an_interviewer_taken_off_the_panel_gets_a_cancellation_naming_only_them(
    application, eve, company, django_capture_on_commit_callbacks
):
    bob = MembershipFactory(company=company, user=UserFactory(username="bob", email="bob@acme.test"))
    with django_capture_on_commit_callbacks(execute=True):
        interview = _schedule(application, eve)
        interview_set_interviewers(interview=interview, interviewers=[eve, bob])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interview_set_interviewers(interview=interview, interviewers=[eve])
        # the same panel again changes nothing and sends nothing more
        interview_set_interviewers(interview=interview, interviewers=[eve])
    assert [m.to for m in mail.outbox] == [["bob@acme.test"]]
    message = mail.outbox[0]
    assert message.subject.startswith("Off the panel: ")
    assert "the interview goes on without you" in message.body
    ics = message.attachments[0][1]
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and f"UID:interview-{interview.pk}@" in ics
    unfolded = ics.replace("\r\n ", "")  # iCalendar folds lines over 75 octets
    assert "bob@acme.test" in unfolded and "eve@acme.test" not in unfolded
    # the candidate and the remaining interviewer keep their invite: nothing was sent to them
    interview.refresh_from_db()
    assert interview.status == "scheduled"


def test_a_rolled_back_panel_change_tells_nobody(
    application, eve, company, django_capture_on_commit_callbacks
):
    bob = MembershipFactory(company=company, user=UserFactory(username="bob2", email="bob2@acme.test"))
    with django_capture_on_commit_callbacks(execute=True):
        interview = _schedule(application, eve)
        interview_set_interviewers(interview=interview, interviewers=[eve, bob])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            interview_set_interviewers(interview=interview, interviewers=[eve])
            raise RuntimeError("later step failed")
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient="bob2@acme.test", event="interview_cancelled").exists()


def test_interview_reschedule_and_cancel_send_updated_invites(
    application, eve, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interview = _schedule(application, eve)
    mail.outbox.clear()
    start = interview.starts_at + datetime.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        interview = interview_reschedule(
            interview=interview, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
        # the same times again: not a reschedule, no email
        interview_reschedule(
            interview=interview, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        )
    assert len(mail.outbox) == 2
    assert all(m.subject.startswith("New time: ") for m in mail.outbox)
    assert "SEQUENCE:1" in mail.outbox[0].attachments[0][1]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        interview_cancel(interview=interview)
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "eve@acme.test"]
    cancel = mail.outbox[0].attachments[0][1]
    assert "METHOD:CANCEL" in cancel and "SEQUENCE:2" in cancel
    events = sorted(Notification.objects.filter(interview=interview).values_list("event", flat=True))
    assert events == ["interview_cancelled"] * 2 + ["interview_rescheduled"] * 2 + ["interview_scheduled"] * 2


def test_scorecard_due_nudges_one_hour_after_then_daily_up_to_n_days(interview, settings):
    settings.NOTIFICATIONS_SCORECARD_NUDGE_DAYS = 2
    end = interview.ends_at
    runs = {
        "30 minutes after": end + datetime.timedelta(minutes=30),
        "1h after": end + datetime.timedelta(hours=1, minutes=5),
        "1h after, again": end + datetime.timedelta(hours=1, minutes=20),
        "day 1": end + datetime.timedelta(days=1, hours=2),
        "day 2": end + datetime.timedelta(days=2, hours=2),
        "day 3": end + datetime.timedelta(days=3, hours=2),
    }
    counts = {label: len(producers.scorecard_due_nudges_create(now=now)) for label, now in runs.items()}
    assert counts == {
        "30 minutes after": 0,
        "1h after": 1,
        "1h after, again": 0,
        "day 1": 1,
        "day 2": 1,
        "day 3": 0,
    }
    # a submitted scorecard gets no nudge
    interview.scorecards.update(status=ScorecardStatus.SUBMITTED, submitted_at=end, recommendation="yes")
    assert producers.scorecard_due_nudges_create(now=end + datetime.timedelta(days=1, hours=3)) == []


def test_interview_reminder_once_the_day_before(interview):
    Interview = type(interview)
    Interview.objects.filter(pk=interview.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    day_before = interview.starts_at - datetime.timedelta(hours=23)
    assert len(producers.interview_reminders_create(now=day_before)) == 2
    assert producers.interview_reminders_create(now=day_before + datetime.timedelta(minutes=15)) == []
    Interview.objects.filter(pk=interview.pk).update(status=InterviewStatus.CANCELLED)
    assert producers.interview_reminders_create(now=day_before) == []


def test_sla_digest_is_one_email_per_manager_per_day(company, job, recruiter, hiring_manager):
    manager = hiring_manager.memberships.get()
    job.hiring_manager = manager
    job.save()
    old = timezone.now() - datetime.timedelta(days=9)
    apps = [
        application_create(
            candidate=CandidateFactory(company=company),
            job=job,
            source="other",
            actor=recruiter,
            applied_at=old,
        )
        for _ in range(3)
    ]
    type(apps[0]).objects.filter(pk=apps[2].pk).update(stage_entered_at=timezone.now())  # within its SLA
    ids = producers.sla_digests_create()
    assert len(ids) == 1
    digest = Notification.objects.get(pk=ids[0])
    assert digest.recipient == hiring_manager.email
    assert digest.subject == "2 applications past the stage SLA"
    assert apps[0].candidate.name in digest.body and apps[2].candidate.name not in digest.body
    assert producers.sla_digests_create() == []


def test_schedules_install_is_idempotent_and_keeps_admin_edits(db):
    from django_celery_beat.models import PeriodicTask

    # The four of notifications and the hourly expiry of offers.
    assert schedules.notification_schedules_install() == 5
    PeriodicTask.objects.filter(name="Notifications: SLA digest").update(enabled=False)
    assert schedules.notification_schedules_install() == 0
    assert PeriodicTask.objects.filter(task__startswith="interviews.tasks.").count() == 5
    assert PeriodicTask.objects.get(task="interviews.tasks.offers_expire_task").interval.every == 60
    assert not PeriodicTask.objects.get(name="Notifications: SLA digest").enabled
    # every scheduled task exists
    from config.celery import app

    app.loader.import_default_modules()
    for task in PeriodicTask.objects.values_list("task", flat=True):
        assert task in app.tasks


def test_move_handlers_are_registered_once_and_run_inside_the_move(application, recruiter, monkeypatch):
    from hiring import services as hiring_services
    from hiring.models import StageChange

    # the interviews app registered its handler exactly once
    assert hiring_services.MOVE_HANDLERS.count(producers.stage_change_notify) == 1
    hiring_services.register_move_handler(producers.stage_change_notify)
    assert hiring_services.MOVE_HANDLERS.count(producers.stage_change_notify) == 1

    # a handler that fails takes the move down with it: it runs inside the move's transaction
    def failing(change):
        raise RuntimeError("handler failed")

    monkeypatch.setattr(hiring_services, "MOVE_HANDLERS", [*hiring_services.MOVE_HANDLERS, failing])
    changes = StageChange.objects.count()
    with pytest.raises(RuntimeError):
        application_advance(application=application, actor=recruiter)
    assert StageChange.objects.count() == changes
    assert Notification.objects.filter(event="stage_entered").count() == 0
