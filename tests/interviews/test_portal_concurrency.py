"""Two tabs at the same moment on PostgreSQL: one hand-in per kit, one survey answer per
application, one open request for more time; the other tab is refused with a message."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from interviews.handins import ExtensionRequest, HandIn, SurveyAnswer
from interviews.models import Decision, DecisionOutcome
from interviews.portal_actions import (
    application_track_choose,
    extension_request_create,
    handin_submit,
    survey_answer_create,
)
from interviews.portal_selectors import handin_deadline
from tests.hiring.factories import CompanyFactory
from tests.interviews.portal_data import loop

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL"),
]


def _race(action):
    start, results = threading.Barrier(2), [None, None]

    def run(i):
        try:
            start.wait(10)
            results[i] = action(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def _one_refused(results):
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and not [r for r in results if isinstance(r, Exception) and r not in refused], (
        results
    )


@pytest.fixture
def lp():
    lp = loop(CompanyFactory())
    application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)
    return lp


def test_two_handins_at_once_make_one(lp):
    results = _race(
        lambda i: handin_submit(
            application=lp.application, kit=lp.take_home_kit, files=[], links=[f"https://e.org/{i}"]
        )
    )
    _one_refused(results)
    assert HandIn.objects.count() == 1


def test_two_requests_for_more_time_at_once_make_one(lp):
    until = handin_deadline(application=lp.application, kit=lp.take_home_kit) + datetime.timedelta(days=2)
    results = _race(
        lambda i: extension_request_create(
            application=lp.application, kit=lp.take_home_kit, requested_until=until, reason="r"
        )
    )
    _one_refused(results)
    assert ExtensionRequest.objects.count() == 1


def test_two_survey_answers_at_once_make_one(lp):
    app = lp.application
    Decision.objects.create(
        company=app.company, application=app, stage=app.stage, outcome=DecisionOutcome.ADVANCE
    )
    results = _race(lambda i: survey_answer_create(application=app, score=i + 1))
    _one_refused(results)
    assert SurveyAnswer.objects.count() == 1
