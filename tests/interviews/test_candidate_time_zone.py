"""The one zone a candidate's times are shown in, on portal pages and in their emails."""

import pytest

from careers.portal.services import portal_links_send
from hiring.models import Candidate
from interviews.models import Notification
from interviews.selectors import candidate_time_zone
from tests.hiring.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_the_candidates_own_zone_comes_first(company):
    company.time_zone = "America/New_York"
    company.save(update_fields=["time_zone"])
    assert candidate_time_zone(CandidateFactory(company=company, time_zone="Asia/Tokyo")) == "Asia/Tokyo"


def test_without_one_the_companys_zone_then_the_sites(company, other_company, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    company.time_zone = "America/New_York"
    company.save(update_fields=["time_zone"])
    assert candidate_time_zone(CandidateFactory(company=company, time_zone="")) == "America/New_York"
    assert candidate_time_zone(CandidateFactory(company=other_company, time_zone="")) == "Europe/Lisbon"


def test_an_unknown_stored_zone_falls_back(company):
    company.time_zone = "America/New_York"
    company.save(update_fields=["time_zone"])
    assert (
        candidate_time_zone(CandidateFactory(company=company, time_zone="Mars/Olympus")) == "America/New_York"
    )


def test_a_candidate_loaded_with_their_company_costs_no_query(company, django_assert_num_queries):
    company.time_zone = "Europe/Paris"
    company.save(update_fields=["time_zone"])
    candidate = Candidate.objects.select_related("company").get(pk=CandidateFactory(company=company).pk)
    with django_assert_num_queries(0):
        assert candidate_time_zone(candidate) == "Europe/Paris"


def test_the_sign_in_link_expires_in_the_companys_zone_for_a_candidate_without_one(company):
    company.time_zone = "Europe/Paris"
    company.save(update_fields=["time_zone"])
    CandidateFactory(company=company, email="ada@example.org", time_zone="")
    assert portal_links_send(email="ada@example.org") == 1
    assert "(Europe/Paris)" in Notification.objects.get(recipient="ada@example.org").body
