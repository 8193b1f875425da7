"""Staff see the portal's erasure requests of their company only and confirm or refuse them; the
candidate's chosen time zone is on the candidate's page."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import ErasureRequest
from careers.portal.services import portal_erasure_request
from tests.hiring.factories import CandidateFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:careers_erasurerequest_changelist")


def _requests(company, n, prefix="Asker"):
    return [
        portal_erasure_request(candidate=CandidateFactory(company=company, name=f"{prefix} {i}"))
        for i in range(n)
    ]


def test_the_list_shows_the_companys_requests_only(
    company, other_company, recruiter_client, interviewer_client
):
    _requests(company, 2)
    _requests(other_company, 1, prefix="Globex asker")
    page = recruiter_client.get(LIST).content.decode()
    assert "Asker 0" in page and "Asker 1" in page and "Globex asker" not in page
    theirs = ErasureRequest.objects.get(company=other_company)
    assert recruiter_client.get(
        reverse("admin:careers_erasurerequest_change", args=[theirs.pk])
    ).status_code in (
        302,
        404,
    )
    assert interviewer_client.get(LIST).status_code in (302, 403)


def test_a_company_admin_confirms_and_a_recruiter_cannot(company, company_admin_client, recruiter_client):
    (request,) = _requests(company, 1)
    data = {"action": "confirm_erasure", ACTION_CHECKBOX_NAME: [request.pk]}
    recruiter_client.post(LIST, data)
    request.refresh_from_db()
    assert request.status == "pending"
    company_admin_client.post(LIST, data)
    request.refresh_from_db()
    assert request.status == "done" and request.candidate.anonymised_at is not None


def test_a_request_can_be_refused(company, company_admin_client):
    (request,) = _requests(company, 1)
    company_admin_client.post(LIST, {"action": "refuse_erasure", ACTION_CHECKBOX_NAME: [request.pk]})
    request.refresh_from_db()
    assert request.status == "refused" and request.candidate.anonymised_at is None


def test_the_list_costs_the_same_for_n_and_2n(company, recruiter_client):
    _requests(company, 3)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert recruiter_client.get(LIST).status_code == 200
        return len(queries.captured_queries)

    small = count()
    _requests(company, 3, prefix="More")
    assert count() == small


def test_the_candidates_time_zone_is_on_their_admin_page(company, recruiter_client):
    candidate = CandidateFactory(company=company, time_zone="Asia/Tokyo")
    page = recruiter_client.get(
        reverse("admin:hiring_candidate_change", args=[candidate.pk])
    ).content.decode()
    assert "Candidate portal" in page and "Asia/Tokyo" in page
