"""Every email a candidate receives carries their own fresh sign-in link; the staff's copies do
not, and the outbox shows staff the links hidden."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from careers.models import PortalToken
from careers.portal.services import token_hash
from hiring.models import Role
from interviews.notifications.events import CANDIDATE_EVENTS
from interviews.notifications.models import Notification
from interviews.notifications.outbox import notification_shown_to_staff
from interviews.notifications.templates import WORDING
from interviews.services import interview_schedule
from tests.hiring.factories import MembershipFactory
from tests.portal.helpers import token_of

pytestmark = pytest.mark.django_db


def _link(body):
    return next(word for word in body.split() if "/portal/sign-in/" in word)


def test_the_candidates_emails_each_carry_their_own_working_link(ada, client):
    emails = Notification.objects.filter(recipient=ada["candidate"].email)
    assert {"application_received", "stage_entered"} <= set(emails.values_list("event", flat=True))
    tokens = [
        token_of(_link(e.body)) for e in emails.filter(event__in=["application_received", "stage_entered"])
    ]
    assert len(set(tokens)) == len(tokens)  # a fresh link per email
    for token in tokens:
        row = PortalToken.objects.get(token_hash=token_hash(token))
        assert row.candidate_id == ada["candidate"].pk
    assert client.post(reverse("portal:sign_in", args=[tokens[0]])).status_code == 302


def test_staff_copies_have_no_link_and_the_outbox_hides_the_candidates(ada):
    # an interview scheduled through the service: the candidate's invite and the panel's
    panelist = MembershipFactory(company=ada["company"], role=Role.INTERVIEWER, user__email="pan@acme.test")
    interview_schedule(
        application=ada["application"],
        kit=ada["interview"].kit,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        interviewers=[panelist],
    )
    invites = Notification.objects.filter(event="interview_scheduled")
    assert "/portal/sign-in/" in invites.get(recipient=ada["candidate"].email).body
    team = Notification.objects.exclude(recipient=ada["candidate"].email)
    assert team.filter(recipient="pan@acme.test").exists()
    assert not team.filter(body__contains="/portal/").exists()
    received = Notification.objects.get(event="application_received")
    shown = notification_shown_to_staff(received)
    assert "/portal/sign-in/" not in shown.body and "(personal link, hidden)" in shown.body


def test_every_default_candidate_wording_shows_the_link_in_english_and_french():
    link_events = CANDIDATE_EVENTS - {"portal_email_change", "portal_erasure_requested"}
    for language, wording in WORDING.items():
        for event in link_events:
            assert "portal_link" in wording[event][1], (language, event)
