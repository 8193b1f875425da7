"""A video link is offered as a link only when it is an http(s) address."""

import datetime

import pytest
from django.urls import reverse

from hiring.models import Membership
from interviews.ics import interview_ics
from interviews.services import interview_schedule
from tests.interviews.factories import interview_setup

START = datetime.datetime(2031, 1, 15, 9, 0, tzinfo=datetime.UTC)


def _schedule(company, interviewer, video_url):
    application, kits = interview_setup(company)
    me = Membership.objects.get(user=interviewer, company=company)
    # The service takes the link as given (an import or an API could write anything).
    return interview_schedule(
        application=application, kit=kits[0], starts_at=START, video_url=video_url, interviewers=[me]
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>x</b>"])
def test_a_link_that_is_not_http_is_never_a_link(company, interviewer, interviewer_client, url):
    interview = _schedule(company, interviewer, url)
    assert interview.web_video_url == ""
    page = interviewer_client.get(reverse("admin:interviews_interview_my")).content.decode().lower()
    assert 'href="javascript:' not in page and 'href=" javascript:' not in page and 'href="data:' not in page
    assert b"\nurl:" not in interview_ics(interview).lower()


def test_an_https_link_is_a_link(company, interviewer, interviewer_client):
    interview = _schedule(company, interviewer, "https://meet.example.com/abc")
    assert interview.web_video_url == "https://meet.example.com/abc"
    page = interviewer_client.get(reverse("admin:interviews_interview_my")).content.decode()
    assert '<a href="https://meet.example.com/abc" rel="noopener noreferrer">video link</a>' in page
    assert b"\nurl:https://meet.example.com/abc" in interview_ics(interview).lower()
