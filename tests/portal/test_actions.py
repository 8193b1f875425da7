import json

import pytest
from django.urls import reverse

from careers.models import ErasureRequest, PortalToken
from careers.portal.services import NO_REASON_GIVEN, erasure_request_confirm
from hiring.models import ApplicationStatus, Candidate, RejectionKind, Role
from interviews.notifications.models import Notification
from tests.hiring.factories import MembershipFactory, RejectionReasonFactory
from tests.portal.helpers import portal_client, token_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(ada):
    recruiter = MembershipFactory(company=ada["company"], role=Role.RECRUITER, user__email="rec@acme.test")
    manager = MembershipFactory(company=ada["company"], role=Role.HIRING_MANAGER, user__email="hm@acme.test")
    ada["job"].hiring_manager = manager
    ada["job"].save(update_fields=["hiring_manager"])
    MembershipFactory(company=ada["company"], role=Role.INTERVIEWER, user__email="int@acme.test")
    return {"recruiter": recruiter, "manager": manager}


def _activity_recipients():
    return set(Notification.objects.filter(event="portal_activity").values_list("recipient", flat=True))


def test_withdrawal_with_a_candidate_reason_through_the_withdraw_service(ada, team):
    reason = RejectionReasonFactory(
        company=ada["company"], name="Took another offer", kind=RejectionKind.CANDIDATE
    )
    RejectionReasonFactory(company=ada["company"], name="Company-side reason", kind=RejectionKind.COMPANY)
    client = portal_client(ada["candidate"])
    url = reverse("portal:withdraw", args=[ada["application"].pk])
    page = client.get(url).content.decode()
    assert "Took another offer" in page and "Company-side reason" not in page
    assert client.post(url, {"reason": reason.pk, "note": "Thanks!"}).status_code == 200  # not confirmed
    response = client.post(url, {"reason": reason.pk, "note": "Thanks!", "confirm": "on"})
    assert response.status_code == 302
    application = ada["application"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN and application.rejection_reason == reason
    assert application.stage_changes.filter(to_status="withdrawn").exists()
    assert Notification.objects.filter(event="withdrawn", recipient=ada["candidate"].email).exists()
    assert _activity_recipients() == {"rec@acme.test", "hm@acme.test"}
    body = Notification.objects.filter(event="portal_activity").first().body
    assert "withdrew their application" in body and "Took another offer" in body
    # a closed application offers no withdrawal any more
    assert client.get(url).status_code == 302


def test_withdrawal_without_a_reason_records_the_no_reason_reason(ada):
    client = portal_client(ada["candidate"])
    client.post(reverse("portal:withdraw", args=[ada["application"].pk]), {"confirm": "on"})
    ada["application"].refresh_from_db()
    assert ada["application"].rejection_reason.name == NO_REASON_GIVEN
    assert ada["application"].rejection_reason.kind == RejectionKind.CANDIDATE


def test_the_export_is_the_candidates_own_data(ada, bob):
    response = portal_client(ada["candidate"]).get(reverse("portal:export"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["candidate_id"] == ada["candidate"].pk
    assert "Bob Other" not in response.content.decode()


def test_contact_details_change_with_confirmation_and_staff_notice(ada, team):
    client = portal_client(ada["candidate"])
    fields = {
        "name": "Ada King",
        "email": ada["candidate"].email,
        "phone": "+33 6 00 00 00 00",
        "location": "Lyon",
        "linkedin_url": "",
        "github_url": "https://github.com/ada",
        "website_url": "",
    }
    response = client.post(reverse("portal:details"), fields)
    assert response.status_code == 302
    candidate = Candidate.objects.get(pk=ada["candidate"].pk)
    assert (candidate.name, candidate.phone, candidate.github_url) == (
        "Ada King",
        "+33 6 00 00 00 00",
        "https://github.com/ada",
    )
    assert candidate.history.count() >= 2
    confirmation = Notification.objects.get(event="portal_details_changed")
    assert confirmation.recipient == candidate.email and "Name, Phone, Location, GitHub" in confirmation.body
    assert _activity_recipients() == {"rec@acme.test", "hm@acme.test"}
    # nothing changed: nothing written
    count = Notification.objects.count()
    client.post(reverse("portal:details"), {**fields, "name": "Ada King"})
    assert Notification.objects.count() == count


def test_an_email_change_waits_for_the_new_address_to_confirm(ada, client):
    signed_in = portal_client(ada["candidate"])
    old = ada["candidate"].email
    fields = {"name": ada["candidate"].name, "email": "new@example.org"}
    signed_in.post(reverse("portal:details"), fields)
    ada["candidate"].refresh_from_db()
    assert ada["candidate"].email == old  # not yet
    sent = Notification.objects.get(event="portal_email_change")
    assert sent.recipient == "new@example.org"
    link = next(word for word in sent.body.split() if "/portal/confirm-email/" in word)
    token = token_of(link)
    assert client.get(reverse("portal:confirm_email", args=[token])).status_code == 200
    assert client.post(reverse("portal:confirm_email", args=[token])).status_code == 200
    ada["candidate"].refresh_from_db()
    assert ada["candidate"].email == "new@example.org"
    assert Notification.objects.filter(event="portal_details_changed", recipient=old).exists()
    assert client.post(reverse("portal:confirm_email", args=[token])).status_code == 410  # once


def test_an_erasure_request_waits_for_staff_then_erases(ada, team):
    client = portal_client(ada["candidate"])
    assert client.post(reverse("portal:erase"), {}).status_code == 200  # not confirmed
    response = client.post(reverse("portal:erase"), {"confirm": "on"})
    assert response.status_code == 302
    request = ErasureRequest.objects.get(candidate=ada["candidate"])
    assert request.status == "pending"
    assert Notification.objects.filter(event="portal_erasure_requested", recipient="ada@example.org").exists()
    assert _activity_recipients() == {"rec@acme.test", "hm@acme.test"}
    # asked twice: still one request
    client.post(reverse("portal:erase"), {"confirm": "on"})
    assert ErasureRequest.objects.filter(candidate=ada["candidate"]).count() == 1
    # staff confirm: erased, and the portal session ends with the candidate
    erasure_request_confirm(request=request, actor=team["recruiter"].user)
    ada["candidate"].refresh_from_db()
    assert ada["candidate"].anonymised_at is not None and ada["candidate"].email != "ada@example.org"
    assert not Notification.objects.filter(recipient="ada@example.org").exists()
    assert not Notification.objects.filter(body__contains="Ada Lovelace").exists()
    assert not PortalToken.objects.exclude(new_email="").exists()
    assert client.get(reverse("portal:home")).content.decode().count('name="email"') == 1  # signed out


def test_an_erasure_runs_at_once_where_the_company_chose_so(ada, team):
    ada["company"].portal_erasure_immediate = True
    ada["company"].save(update_fields=["portal_erasure_immediate"])
    client = portal_client(ada["candidate"])
    response = client.post(reverse("portal:erase"), {"confirm": "on"})
    assert response.status_code == 200 and "Your data is erased" in response.content.decode()
    ada["candidate"].refresh_from_db()
    assert ada["candidate"].anonymised_at is not None
    assert ErasureRequest.objects.get().status == "done"
    staff = Notification.objects.filter(event="portal_activity")
    assert {n.recipient for n in staff} == {"rec@acme.test", "hm@acme.test"}
    # The staff's own names are random and may contain "Ada" (Adam), so look for hers in full.
    for secret in ("Ada Lovelace", "Lovelace", "ada@example.org"):
        assert all(secret not in n.body and secret not in n.subject for n in staff)
    assert not Notification.objects.filter(body__contains="Ada Lovelace").exists()


def test_email_change_requests_are_rate_limited(ada, settings):
    settings.HIRELOOP_RATE_LIMITS = {**settings.HIRELOOP_RATE_LIMITS, "portal": "1/h"}
    client = portal_client(ada["candidate"])
    fields = {"name": ada["candidate"].name}
    assert client.post(reverse("portal:details"), {**fields, "email": "one@example.org"}).status_code == 302
    assert client.post(reverse("portal:details"), {**fields, "email": "two@example.org"}).status_code == 429
    assert Notification.objects.filter(event="portal_email_change").count() == 1
