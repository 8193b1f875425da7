"""The one zone a candidate's times are shown in, on portal pages and in their emails."""

import pytest

from hiring.models import Company
from interviews.selectors import candidate_time_zone
from tests.hiring.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def test_the_candidates_own_zone_comes_first(company):
    Company.objects.filter(pk=company.pk).update(time_zone="America/New_York")
    assert candidate_time_zone(CandidateFactory(company=company, time_zone="Asia/Tokyo")) == "Asia/Tokyo"


def test_without_one_the_companys_zone_then_the_sites(company, other_company, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    Company.objects.filter(pk=company.pk).update(time_zone="America/New_York")
    assert candidate_time_zone(CandidateFactory(company=company, time_zone="")) == "America/New_York"
    assert candidate_time_zone(CandidateFactory(company=other_company, time_zone="")) == "Europe/Lisbon"


def test_an_unknown_stored_zone_falls_back(company):
    Company.objects.filter(pk=company.pk).update(time_zone="America/New_York")
    assert (
        candidate_time_zone(CandidateFactory(company=company, time_zone="Mars/Olympus")) == "America/New_York"
    )
