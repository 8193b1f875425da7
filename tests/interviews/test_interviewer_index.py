"""The admin index as each user needs it: people who only interview find "My interviews" first and
none of the company's setup; recruiters and company admins still see the setup."""

import pytest
from django.urls import reverse

from hiring.models import Role
from tests.hiring.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

SETUP = (
    "Companies",
    "Process templates",
    "Rejection reasons",
    "Memberships",
    "Rubrics",
    "Notification templates",
)


def _index(client):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response


def _names(response):
    return [m["name"] for app in response.context["app_list"] for m in app["models"]]


def test_an_interviewer_finds_my_interviews_first_and_no_setup(interviewer_client):
    response = _index(interviewer_client)
    names = _names(response)
    assert names[0] == "My interviews"
    assert response.context["app_list"][0]["models"][0]["admin_url"] == reverse(
        "admin:interviews_interview_my"
    )
    assert "Scorecards" in names and "Availabilities" in names
    assert not set(SETUP) & set(names), names
    html = response.content.decode()
    assert html.index("My interviews") < html.index("Scorecards")
    assert 'href="/admin/hiring/company/"' not in html
    # The sidebar of the other pages is built from the same list.
    sidebar = interviewer_client.get(reverse("admin:interviews_interview_my")).content.decode()
    assert "My interviews" in sidebar and 'href="/admin/hiring/company/"' not in sidebar


def test_an_interviewer_in_two_companies_gets_the_same_index(interviewer, interviewer_client):
    MembershipFactory(user=interviewer, company=CompanyFactory(), role=Role.INTERVIEWER)
    names = _names(_index(interviewer_client))
    assert names[0] == "My interviews" and "Companies" not in names


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "company_admin_client"])
def test_recruiters_and_company_admins_still_see_the_setup(request, client_fixture):
    names = _names(_index(request.getfixturevalue(client_fixture)))
    assert "Companies" in names and "Process templates" in names and "Rubrics" in names
    assert "My interviews" not in names and "Applications" in names


def test_someone_who_interviews_here_and_recruits_there_keeps_the_full_index(interviewer, interviewer_client):
    MembershipFactory(user=interviewer, company=CompanyFactory(), role=Role.RECRUITER)
    names = _names(_index(interviewer_client))
    assert "Companies" in names and "Applications" in names
