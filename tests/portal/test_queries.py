"""The portal's pages cost the same number of queries for N and 2N applications and interviews."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interviews.models import InterviewStatus
from tests.careers.factories import job_with_loop
from tests.hiring.factories import CandidateFactory
from tests.interviews.factories import InterviewFactory
from tests.portal.conftest import applied
from tests.portal.helpers import portal_client

pytestmark = pytest.mark.django_db


def _add(candidate, n):
    """n more applications in their second stage, each with two upcoming interviews."""
    last = None
    for _ in range(n):
        job = job_with_loop(candidate.company)
        last = applied(candidate, job, advance=1)
        kit = last.stage.kits.first()
        for day in (2, 3):
            start = timezone.now() + datetime.timedelta(days=day)
            InterviewFactory(
                application=last,
                kit=kit,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                status=InterviewStatus.SCHEDULED,
            )
    return last


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_home_and_application_pages_cost_the_same_for_n_and_2n():
    candidate = CandidateFactory(time_zone="Europe/Paris")
    last = _add(candidate, 2)
    client = portal_client(candidate)
    home, page = (
        _count(client, reverse("portal:home")),
        _count(client, reverse("portal:application", args=[last.pk])),
    )
    last = _add(candidate, 2)
    assert _count(client, reverse("portal:home")) == home
    assert _count(client, reverse("portal:application", args=[last.pk])) == page
    # the session, the candidate, applications, stages, tracks, kits, interviews, emails
    assert home <= 9, home
