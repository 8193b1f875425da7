"""Two concurrent moves of one application on PostgreSQL: exactly one wins."""

import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.urls import reverse

from hiring.models import Application, StageChange
from hiring.services import MoveError, application_advance, application_create
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (select_for_update) need PostgreSQL"
    ),
]

MEANWHILE = "Someone else moved this application meanwhile"


def test_two_concurrent_advances_exactly_one_wins(company, recruiter):
    # given an application in the first of three stages
    job = JobFactory(company=company)
    stages = [JobStageFactory(job=job, position=i, name=f"S{i}") for i in range(3)]
    app = application_create(
        candidate=CandidateFactory(company=company), job=job, source="other", actor=recruiter
    )
    first_locked, release = threading.Event(), threading.Event()
    outcomes = {}

    def first():
        try:
            with transaction.atomic():
                application_advance(application=Application.objects.get(pk=app.pk), actor=recruiter)
                first_locked.set()
                release.wait(10)  # hold the row lock while the second move tries
            outcomes["first"] = "moved"
        except Exception as exc:
            outcomes["first"] = exc
        finally:
            connection.close()

    def second():
        try:
            seen = Application.objects.get(pk=app.pk)
            first_locked.wait(10)
            application_advance(application=seen, actor=recruiter)
            outcomes["second"] = "moved"
        except Exception as exc:
            outcomes["second"] = exc
        finally:
            connection.close()

    # when both run on their own connections
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_locked.wait(10)
    threading.Event().wait(0.5)  # the second move is now blocked on the row lock
    assert "second" not in outcomes
    release.set()
    for t in threads:
        t.join(20)

    # then the first wins and the second is refused in words
    assert outcomes["first"] == "moved"
    assert isinstance(outcomes["second"], MoveError)
    assert "Someone else moved this application" in outcomes["second"].messages[0]
    assert Application.objects.get(pk=app.pk).stage == stages[1]
    assert StageChange.objects.filter(application=app).count() == 2


def test_two_tabs_posting_the_same_seen_state_at_once_through_the_admin_make_one_move(
    company, recruiter, admin_client_for
):
    """Two tabs showing S0 post "Advance" at (nearly) the same instant through the admin view, many
    times over: each time one move, one refusal in words, one history row.

    The second tab starts from 0 to 1.5 times the length of one move request later: from both
    requests waiting on the row lock to the second one loading the application after the first
    committed (the race the lock alone misses: only the state the tab carries refuses it).
    """
    job = JobFactory(company=company)
    for i in range(3):
        JobStageFactory(job=job, position=i, name=f"S{i}")

    def new_application():
        app = application_create(
            candidate=CandidateFactory(company=company), job=job, source="other", actor=recruiter
        )
        seen = {"move": "advance", "expected_stage_id": app.stage_id, "expected_status": app.status}
        return app, reverse("admin:hiring_application_move", args=[app.pk]), seen

    # how long one move takes on this machine
    _, url, seen = new_application()
    began = time.monotonic()
    admin_client_for(recruiter).post(url, seen)
    one_move = time.monotonic() - began

    trials = 12
    for trial in range(trials):
        app, url, seen = new_application()
        clients = [admin_client_for(recruiter), admin_client_for(recruiter)]
        start, said = threading.Barrier(2), [None, None]
        delays = [0.0, 1.5 * one_move * trial / (trials - 1)]

        def tab(i, url=url, seen=seen, clients=clients, start=start, said=said, delays=delays):
            try:
                start.wait(10)
                time.sleep(delays[i])
                response = clients[i].post(url, seen)
                said[i] = [str(m) for m in get_messages(response.wsgi_request)]
            except Exception as exc:
                said[i] = [repr(exc)]
            finally:
                connection.close()

        threads = [threading.Thread(target=tab, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)

        refused = [m for m in said if m == [f"{MEANWHILE} (it is now active in S1). Reload and try again."]]
        assert len(refused) == 1, (trial, delays, said)
        assert Application.objects.get(pk=app.pk).stage.name == "S1", (trial, said)
        assert StageChange.objects.filter(application=app).exclude(from_stage=None).count() == 1
