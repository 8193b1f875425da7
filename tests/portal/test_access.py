import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careers.models import PortalToken
from careers.portal.services import portal_link_create, token_hash
from tests.hiring.factories import ApplicationFactory, CandidateFactory, UserFactory
from tests.portal.helpers import portal_client, token_of

pytestmark = pytest.mark.django_db


def test_a_link_is_stored_hashed_and_opens_a_session_once(client):
    # given
    candidate = CandidateFactory()
    link = portal_link_create(candidate=candidate)
    token = token_of(link)
    assert link.startswith("http") and "/portal/sign-in/" in link
    row = PortalToken.objects.get(candidate=candidate)
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    # when: GET only asks to confirm (a mail scanner opening it does not use it up)
    assert client.get(reverse("portal:sign_in", args=[token])).status_code == 200
    response = client.post(reverse("portal:sign_in", args=[token]))
    # then
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    again = client.post(reverse("portal:sign_in", args=[token]))
    assert again.status_code == 410 and "already used" in again.content.decode()
    assert "Email me a sign-in link" in again.content.decode()


def test_an_expired_link_says_so_and_offers_a_new_one(client):
    candidate = CandidateFactory()
    token = token_of(portal_link_create(candidate=candidate))
    PortalToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for response in (
        client.get(reverse("portal:sign_in", args=[token])),
        client.post(reverse("portal:sign_in", args=[token])),
    ):
        assert response.status_code == 410
        assert "expired" in response.content.decode() and 'name="email"' in response.content.decode()


def test_the_link_lifetime_follows_the_setting(settings):
    settings.HIRELOOP_PORTAL_LINK_HOURS = 2
    portal_link_create(candidate=CandidateFactory())
    row = PortalToken.objects.get()
    lifetime = row.expires_at - row.created_at
    assert datetime.timedelta(hours=1, minutes=59) < lifetime <= datetime.timedelta(hours=2)


def test_pages_need_a_session_and_the_session_expires(settings):
    application = ApplicationFactory()
    anonymous_page = portal_client(application.candidate)
    url = reverse("portal:application", args=[application.pk])
    assert anonymous_page.get(url).status_code == 200
    settings.HIRELOOP_PORTAL_SESSION_DAYS = 0
    response = anonymous_page.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("portal:start")


def test_another_candidates_application_is_404():
    mine = ApplicationFactory()
    theirs = ApplicationFactory()
    client = portal_client(mine.candidate)
    assert client.get(reverse("portal:application", args=[mine.pk])).status_code == 200
    assert client.get(reverse("portal:application", args=[theirs.pk])).status_code == 404


def test_signing_in_opens_the_portal_in_the_candidates_language(client):
    candidate = CandidateFactory(language="fr")
    token = token_of(portal_link_create(candidate=candidate))
    client.post(reverse("portal:sign_in", args=[token]))
    assert '<html lang="fr">' in client.get(reverse("portal:home")).content.decode()


def test_signing_in_beside_a_staff_login_does_not_lengthen_the_staff_session(client, settings):
    # given a staff member logged in whose session ends in an hour, in the same browser
    settings.HIRELOOP_PORTAL_SESSION_DAYS = 14
    client.force_login(UserFactory(is_staff=True))
    session = client.session
    session.set_expiry(3600)
    session.save()
    # when a candidate's link is used in that browser
    token = token_of(portal_link_create(candidate=CandidateFactory()))
    assert client.post(reverse("portal:sign_in", args=[token])).status_code == 302
    # then the shared session still ends within the hour, and the portal opens
    assert client.session.get_expiry_age() <= 3600
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_portal_session_alone_lasts_the_portal_lifetime(client, settings):
    settings.HIRELOOP_PORTAL_SESSION_DAYS = 3
    token = token_of(portal_link_create(candidate=CandidateFactory()))
    client.post(reverse("portal:sign_in", args=[token]))
    assert client.session.get_expiry_age() == 3 * 24 * 3600


def test_the_portal_referrer_policy_lets_a_browser_confirm_its_link_past_the_csrf_check():
    """Under `no-referrer` a browser sends `Origin: null` with every form post, and Django's CSRF
    check refuses it (403): the sign-in button and every portal form failed in a real browser.
    `same-origin` keeps links out of other sites' referrers and sends the portal's own origin."""
    # given
    client = Client(enforce_csrf_checks=True)
    token = token_of(portal_link_create(candidate=CandidateFactory()))
    url = reverse("portal:sign_in", args=[token])
    page = client.get(url).content.decode()
    assert '<meta name="referrer" content="same-origin">' in page and "no-referrer" not in page
    csrf = client.cookies["csrftoken"].value
    # when: what a browser sends under `no-referrer`, then what it sends under `same-origin`
    refused = client.post(url, {"csrfmiddlewaretoken": csrf}, HTTP_ORIGIN="null")
    accepted = client.post(url, {"csrfmiddlewaretoken": csrf}, HTTP_ORIGIN="http://testserver")
    # then
    assert refused.status_code == 403
    assert accepted.status_code == 302 and accepted["Location"] == reverse("portal:home")
