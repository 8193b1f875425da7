"""Every staff user sees every admin time in their own zone, the zone named: their profile's, else
their company's, else the site's. The zone is read with the request's user (no query of its own)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.memberships import staff_profile_set_time_zone
from hiring.models import Company, Role
from interviews.models import Scorecard
from tests.hiring.factories import MembershipFactory, UserFactory
from tests.interviews.factories import InterviewFactory, interview_setup

pytestmark = pytest.mark.django_db

# 13:30 UTC on a winter day: 14:30 in Paris (CET), 08:30 in New York (EST).
START = datetime.datetime(2031, 1, 7, 13, 30, tzinfo=datetime.UTC)
PARIS, NEW_YORK, UTC = "7 Jan 2031, 14:30 CET", "7 Jan 2031, 08:30 EST", "7 Jan 2031, 13:30 UTC"


@pytest.fixture
def paris_company(company):
    Company.objects.filter(pk=company.pk).update(time_zone="Europe/Paris")
    company.refresh_from_db()
    return company


def _recruiter(company, username, zone=None):
    user = UserFactory(username=username)
    membership = MembershipFactory(user=user, company=company, role=Role.RECRUITER)
    if zone:
        staff_profile_set_time_zone(user=user, time_zone=zone)
    return membership


@pytest.fixture
def panel(paris_company):
    """An interview with two recruiters on its panel: one who kept the company's zone (Paris),
    one who chose New York."""
    application, kits = interview_setup(paris_company)
    paris = _recruiter(paris_company, "in-paris")
    new_york = _recruiter(paris_company, "in-new-york", "America/New_York")
    interview = InterviewFactory(
        application=application, company=paris_company, kit=kits[0], starts_at=START, timezone="Europe/Paris"
    )
    for member in (paris, new_york):
        Scorecard.objects.create(
            company=paris_company, interview=interview, interviewer=member, interview_starts_at=START
        )
    return interview, paris.user, new_york.user


PAGES = (
    "admin:interviews_scorecard_changelist",
    "admin:interviews_interview_changelist",
    "admin:interviews_interview_my",
)


@pytest.mark.parametrize("page", PAGES)
def test_each_user_sees_the_same_interview_at_their_own_local_time_with_the_zone_named(
    panel, admin_client_for, page
):
    _interview, paris, new_york = panel
    seen_in_paris = admin_client_for(paris).get(reverse(page)).content.decode()
    seen_in_new_york = admin_client_for(new_york).get(reverse(page)).content.decode()
    assert PARIS in seen_in_paris and NEW_YORK not in seen_in_paris
    assert NEW_YORK in seen_in_new_york and PARIS not in seen_in_new_york
    assert UTC not in seen_in_paris + seen_in_new_york


def test_the_scorecard_page_shows_the_interview_in_the_viewers_zone(panel, admin_client_for):
    interview, _paris, new_york = panel
    scorecard = interview.scorecards.get(interviewer__user=new_york)
    page = admin_client_for(new_york).get(reverse("admin:interviews_scorecard_change", args=[scorecard.pk]))
    assert NEW_YORK in page.content.decode()


def test_the_default_is_the_first_companys_zone_then_the_sites(company, other_company, admin_client_for):
    # given a user of two companies, only the second of which has a zone, and a user of none
    user = UserFactory(username="two-companies")
    MembershipFactory(user=user, company=company, role=Role.RECRUITER)
    MembershipFactory(user=user, company=other_company, role=Role.RECRUITER)
    Company.objects.filter(pk=other_company.pk).update(time_zone="Asia/Tokyo")
    # when they open their preferences
    page = admin_client_for(user).get(reverse("admin:hiring_staffprofile_changelist"))
    # then times are shown in the first company that has one
    assert "Times are shown to you in <strong>Asia/Tokyo</strong>" in page.content.decode()
    Company.objects.filter(pk=company.pk).update(time_zone="Europe/Lisbon")
    page = admin_client_for(user).get(reverse("admin:hiring_staffprofile_changelist"))
    assert "Times are shown to you in <strong>Europe/Lisbon</strong>" in page.content.decode()
    Company.objects.update(time_zone="")
    page = admin_client_for(user).get(reverse("admin:hiring_staffprofile_changelist"))
    assert "Times are shown to you in <strong>UTC</strong>" in page.content.decode()


def test_a_user_chooses_their_zone_on_their_preferences_page(panel, admin_client_for):
    _interview, paris, _new_york = panel
    client = admin_client_for(paris)
    url = reverse("admin:hiring_staffprofile_changelist")
    response = client.post(url, {"time_zone": "America/New_York"})
    assert response.status_code == 302
    assert NEW_YORK in client.get(reverse("admin:interviews_scorecard_changelist")).content.decode()
    client.post(url, {"time_zone": ""})  # back to the company's
    assert PARIS in client.get(reverse("admin:interviews_scorecard_changelist")).content.decode()
    assert client.post(url, {"time_zone": "Mars/Olympus"}).status_code == 200  # refused, shown again
    assert paris.staff_profile.time_zone == ""


def test_the_zone_costs_no_query(panel, admin_client_for):
    _interview, paris, new_york = panel
    url = reverse("admin:interviews_scorecard_changelist")
    counts = []
    for user in (paris, new_york):
        client = admin_client_for(user)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert not any(
        "staffprofile" in q["sql"] and "auth_user" not in q["sql"] for q in queries.captured_queries
    )
