"""A move through the admin while the broker is down (refused port) or silent (a socket that
accepts connections and never answers): saved, answered within seconds with a warning, its
emails left pending for the sweeper."""

import datetime
import re
import signal
import socket
import threading
import time
from contextlib import contextmanager

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from hiring.services import application_create
from interviews.models import Notification
from interviews.notifications import delivery, outbox, publishing
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory

APPS = reverse("admin:hiring_application_changelist")
BANNER = "Email notifications are delayed"
WARNING = "email notifications are delayed"


def _refused_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there any more: connections are refused
    return port


@contextmanager
def _silent_port():
    """A broker that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        server.close()


def _use_broker(url: str | None) -> None:
    """Point this process's Celery app at a broker (not inline), or back to inline with None."""
    app.conf.update(broker_url=url or "memory://", task_always_eager=url is None)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(request):
    """The URL of an unreachable broker of the kind given by the parameter."""
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager")}
    publishing._skip_until = 0.0
    cache.delete(publishing.BROKER_DOWN_KEY)
    if request.param == "refused":
        yield f"redis://127.0.0.1:{_refused_port()}/0"
    else:
        with _silent_port() as port:
            yield f"redis://127.0.0.1:{port}/0"
    app.conf.update(**saved)
    app._pool = None
    app.amqp._producer_pool = None
    publishing._skip_until = 0.0
    cache.delete(publishing.BROKER_DOWN_KEY)


@contextmanager
def _deadline(seconds: float):
    """Fail instead of hanging when a request waits on the broker without a timeout."""

    def hung(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _advance(client, application):
    """Press Advance on the application page, with whatever the page's move form carries."""
    page = client.get(reverse("admin:hiring_application_change", args=[application.pk])).content.decode()
    form = re.search(r'<form[^>]*class="move-form".*?</form>', page, re.S).group(0)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    data.pop("csrfmiddlewaretoken", None)
    url = reverse("admin:hiring_application_move", args=[application.pk])
    return client.post(url, {**data, "move": "advance", "note": ""}, follow=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["refused", "silent"], indirect=True)
def test_a_move_while_the_broker_is_unreachable_is_saved_answered_fast_with_a_warning_and_swept_later(
    broker, recruiter_client, company, recruiter, settings
):
    # given an application in the first stage of a job (created while the broker was fine)
    job = JobFactory(company=company, title="Data engineer")
    for i in range(3):
        JobStageFactory(job=job, position=i, name=f"Step {i}")
    candidate = CandidateFactory(company=company, email="ada@example.org")
    application = application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
    mail.outbox.clear()
    # when the broker is unreachable and the recruiter advances the candidate
    _use_broker(broker)
    started = time.monotonic()
    with _deadline(10):
        response = _advance(recruiter_client, application)
    elapsed = time.monotonic() - started
    # then the page answers normally within 5 s, the move is saved, and the user is warned
    assert response.status_code == 200
    assert elapsed < 5, f"answered in {elapsed:.1f} s"
    application.refresh_from_db()
    assert application.stage.position == 1
    assert any(WARNING in str(m) for m in get_messages(response.wsgi_request)), response.content.decode()
    # and the stage email is in the outbox, pending, not sent
    stage_emails = Notification.objects.filter(application=application, event="stage_entered")
    assert list(stage_emails.values_list("status", flat=True)) == ["pending"]
    assert mail.outbox == []
    # and every admin page shows the banner while the broker is unreachable
    assert BANNER in recruiter_client.get(APPS).content.decode()
    # when the broker answers again, the next publish clears the banner
    _use_broker("memory://")
    publishing._skip_until = 0.0
    outbox.outbox_enqueue_on_commit([0])  # a message for no row: it only has to be published
    assert BANNER not in recruiter_client.get(APPS).content.decode()
    # and the sweeper sends the pending email, once
    _use_broker(None)
    later = timezone.now() + datetime.timedelta(seconds=settings.NOTIFICATIONS_SWEEP_AFTER + 1)
    delivery.notifications_sweep(now=later)
    assert list(stage_emails.values_list("status", flat=True)) == ["sent"]
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
