"""Concurrent application forms on PostgreSQL: a double click (same key) and two forms of the same
address (different keys) each end with one candidate and one application."""

import threading

import pytest
from django.db import connection

from hiring.applicants import ApplicantDetails, application_submit
from hiring.models import Application, ApplicationSubmission, Candidate
from tests.careers.apply_helpers import job_to_apply

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writes need PostgreSQL"),
]


def _race(job, keys, emails):
    start, results = threading.Barrier(2), [None, None]

    def submit(i):
        try:
            start.wait(10)
            details = ApplicantDetails(name="Ada Lovelace", email=emails[i], language="en")
            results[i] = application_submit(job=job, key=keys[i], details=details)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_a_double_click_creates_one_application():
    job = job_to_apply()
    results = _race(job, ["same", "same"], ["ada@example.org", "ada@example.org"])
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.replayed for r in results) == [False, True]
    assert Application.objects.count() == 1 and ApplicationSubmission.objects.count() == 1


def test_two_forms_of_one_address_create_one_candidate_and_one_application():
    job = job_to_apply()
    results = _race(job, ["k1", "k2"], ["ada@example.org", "ADA@example.org"])
    assert not any(isinstance(r, Exception) for r in results), results
    assert Candidate.objects.count() == 1 and Application.objects.count() == 1
    assert ApplicationSubmission.objects.count() == 2
