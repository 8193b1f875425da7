import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from careers.models import PortalToken
from interviews.notifications.models import Notification
from tests.hiring.factories import CandidateFactory, CompanyFactory
from tests.portal.helpers import token_of

pytestmark = pytest.mark.django_db


def _ask(client, email, **extra):
    return client.post(reverse("portal:start"), {"email": email}, **extra)


def _visible(response, client):
    """What the visitor sees: the status, where they are sent, and that page."""
    followed = client.get(response["Location"]) if response.status_code == 302 else response
    return response.status_code, response.get("Location"), followed.content.decode()


def test_known_and_unknown_addresses_get_the_same_answer(client, django_capture_on_commit_callbacks):
    CandidateFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        known = _visible(_ask(client, "Known@Example.org"), client)
    outbox_after_known = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        unknown = _visible(_ask(client, "nobody@example.org"), client)
    # then the same redirect, the same page, no different cookie or header to tell them apart
    assert known[:2] == unknown[:2] == (302, reverse("portal:sent"))

    def page(text):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)

    assert page(known[2]) == page(unknown[2])
    # and only the known address got an email (which the visitor cannot see)
    assert outbox_after_known == 1 and len(mail.outbox) == 1
    assert mail.outbox[0].to == ["known@example.org"] and "/portal/sign-in/" in mail.outbox[0].body


def test_an_address_known_at_two_companies_gets_one_link_per_company(
    client, django_capture_on_commit_callbacks
):
    first = CandidateFactory(email="two@example.org", company=CompanyFactory(name="Acme"))
    second = CandidateFactory(email="two@example.org", company=CompanyFactory(name="Globex"))
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "two@example.org")
    rows = Notification.objects.filter(event="portal_link").order_by("company_id")
    assert [r.company_id for r in rows] == sorted([first.company_id, second.company_id])
    assert {t.candidate_id for t in PortalToken.objects.all()} == {first.pk, second.pk}
    # each link opens its own company's portal
    link = next(line for line in rows[0].body.split() if "/portal/sign-in/" in line)
    assert client.post(reverse("portal:sign_in", args=[token_of(link)])).status_code == 302


def test_the_link_email_is_in_the_candidates_language(client, django_capture_on_commit_callbacks):
    CandidateFactory(email="fr@example.org", language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "fr@example.org")
    assert "Voici votre lien personnel" in Notification.objects.get(event="portal_link").body


def test_link_requests_are_rate_limited_per_address_and_per_email(client, settings):
    settings.HIRELOOP_RATE_LIMITS = {**settings.HIRELOOP_RATE_LIMITS, "portal": "2/h"}
    assert _ask(client, "a@example.org").status_code == 302
    assert _ask(client, "b@example.org").status_code == 302
    refused = _ask(client, "c@example.org")
    assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()
    assert refused["Retry-After"]
    # another address, the same email typed: refused too
    assert _ask(client, "a@example.org", REMOTE_ADDR="10.9.9.9").status_code == 302
    assert _ask(client, "a@example.org", REMOTE_ADDR="10.9.9.8").status_code == 429


def test_an_invalid_address_shows_the_form_again(client):
    response = _ask(client, "not-an-email")
    assert response.status_code == 200 and "Enter an email address like" in response.content.decode()


def test_the_portal_link_command_prints_a_working_link(client, capsys):
    candidate = CandidateFactory(email="cmd@example.org")
    call_command("portal_link", "CMD@example.org", "--company", candidate.company.slug)
    link = capsys.readouterr().out.strip()
    assert "/portal/sign-in/" in link
    assert client.post(reverse("portal:sign_in", args=[token_of(link)])).status_code == 302
    with pytest.raises(CommandError, match="No company"):
        call_command("portal_link", "cmd@example.org", "--company", "nope")
    with pytest.raises(CommandError, match="No candidate"):
        call_command("portal_link", "other@example.org", "--company", candidate.company.slug)


def test_the_start_page_is_the_home_page_when_signed_out(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert 'name="email"' in page and "Email me a sign-in link" in page
