"""Two concurrent moves of one application on PostgreSQL: exactly one wins."""

import threading

import pytest
from django.db import connection, transaction

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
