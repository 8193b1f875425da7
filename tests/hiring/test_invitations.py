"""Invitations: a company admin invites an address; only the link's holder joins, as themselves."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hiring.memberships import invitation_create
from hiring.models import Invitation, Membership, Role
from hiring.selectors import invitation_token_hash
from interviews.notifications.events import NotificationEvent
from interviews.notifications.models import Notification
from tests.hiring.factories import UserFactory

LINK = re.compile(r"https?://[^/\s]+(/accounts/invitation/([A-Za-z0-9_-]+)/)")
ADD = "/admin/hiring/invitation/add/"
LIST = "/admin/hiring/invitation/"


def _last_link() -> tuple[str, str]:
    """Path and token of the link in the last email sent."""
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1), match.group(2)


@pytest.fixture
def invite(django_capture_on_commit_callbacks, company, company_admin):
    def _invite(email, role=Role.RECRUITER, company=company):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = invitation_create(company=company, email=email, role=role, invited_by=company_admin)
        return invitation, *_last_link()

    return _invite


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the admin form ---------------------------------------------------------------------------


def test_inviting_another_companys_recruiter_reveals_nothing_and_changes_nothing(
    company_admin_client, company, other_company, other_recruiter, django_capture_on_commit_callbacks
):
    # given another company's recruiter whose admin access was switched off (names no one else has:
    # the page shows the logged-in admin's own name, which a factory may have drawn the same)
    other_recruiter.is_staff = False
    other_recruiter.first_name, other_recruiter.last_name = "Zebulon", "Quillfeather"
    other_recruiter.save(update_fields=["is_staff", "first_name", "last_name"])
    answers = []
    for email in (other_recruiter.email, "nobody-yet@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            response = company_admin_client.post(
                ADD, {"company": company.pk, "email": email, "role": Role.RECRUITER}, follow=True
            )
        assert response.status_code == 200
        page = response.content.decode() + company_admin_client.get(LIST).content.decode()
        for name in (other_recruiter.first_name, other_recruiter.last_name):
            assert name not in page
        answers.append([str(m).replace(email, "EMAIL") for m in response.context["messages"]])
    # then both addresses get the same answer, and the account is untouched
    assert answers[0] == answers[1]
    other_recruiter.refresh_from_db()
    assert other_recruiter.is_staff is False
    assert list(other_recruiter.memberships.values_list("company_id", flat=True)) == [other_company.pk]
    assert Invitation.objects.filter(company=company, email=other_recruiter.email).count() == 1


def test_the_add_form_asks_for_no_name_of_an_account(company_admin_client):
    body = company_admin_client.get(ADD).content.decode()
    assert 'name="email"' in body
    assert 'name="first_name"' not in body
    assert company_admin_client.get("/admin/hiring/membership/add/").status_code == 403


def test_an_existing_account_joins_only_after_accepting_logged_in_as_itself(
    invite, company, other_company, other_recruiter, recruiter
):
    invitation, path, token = invite(other_recruiter.email, role=Role.HIRING_MANAGER)
    assert not Membership.objects.filter(user=other_recruiter, company=company).exists()
    # anonymous: asked to log in, nothing joins
    response = Client().post(path)
    assert "Log in" in response.content.decode()
    # logged in as someone else: refused
    response = _logged_in(recruiter).post(path)
    assert response.status_code == 403
    assert not Membership.objects.filter(user=other_recruiter, company=company).exists()
    # logged in as the invited account: the membership is created with the role
    client = _logged_in(other_recruiter)
    assert "Accept the invitation" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302
    membership = Membership.objects.get(user=other_recruiter, company=company)
    assert membership.role == Role.HIRING_MANAGER
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    other_recruiter.refresh_from_db()
    assert other_recruiter.memberships.count() == 2


def test_accepting_never_switches_admin_access_back_on(invite, company, other_recruiter):
    other_recruiter.is_staff = False
    other_recruiter.save(update_fields=["is_staff"])
    _invitation, path, _token = invite(other_recruiter.email)
    _logged_in(other_recruiter).post(path)
    other_recruiter.refresh_from_db()
    assert other_recruiter.is_staff is False
    assert not Membership.objects.filter(user=other_recruiter, company=company).exists()


def test_a_superuser_is_never_attached(invite, company, superuser):
    invitation, path, _token = invite(superuser.email, role=Role.COMPANY_ADMIN)
    response = _logged_in(superuser).post(path)
    assert "platform administrator" in response.content.decode()
    assert not Membership.objects.filter(user=superuser, company=company).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_new_address_sets_a_password_and_joins(invite, company):
    _invitation, path, _token = invite("Newcomer@Example.org", role=Role.INTERVIEWER)
    page = Client().get(path).content.decode()
    assert 'name="new_password1"' in page
    response = Client().post(
        path,
        {"first_name": "Nia", "last_name": "New", "new_password1": "c0rrect-horse-b4ttery",
         "new_password2": "c0rrect-horse-b4ttery"},
    )  # fmt: skip
    assert response.status_code == 302
    membership = Membership.objects.select_related("user").get(
        company=company, user__email="newcomer@example.org"
    )
    assert membership.role == Role.INTERVIEWER
    assert membership.display_name == "Nia New"
    user = membership.user
    assert user.has_usable_password() and user.is_staff and not user.is_superuser
    assert Client().login(username="newcomer@example.org", password="c0rrect-horse-b4ttery")


def test_a_weak_password_is_refused_and_nothing_is_created(invite, company):
    _invitation, path, _token = invite("weak@example.org")
    response = Client().post(path, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert not Membership.objects.filter(user__email="weak@example.org").exists()


def test_the_link_expires_after_the_configured_days(invite, settings):
    settings.HIRELOOP_INVITE_DAYS = 2
    invitation, path, _token = invite("late@example.org")
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=2)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = Client().post(
        path, {"new_password1": "c0rrect-horse-b4ttery", "new_password2": "c0rrect-horse-b4ttery"}
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user__email="late@example.org").exists()


def test_the_link_works_once(invite, company, other_recruiter):
    _invitation, path, _token = invite(other_recruiter.email)
    client = _logged_in(other_recruiter)
    assert client.post(path).status_code == 302
    Membership.objects.filter(user=other_recruiter, company=company).delete()
    assert client.post(path).status_code == 404
    assert not Membership.objects.filter(user=other_recruiter, company=company).exists()


def test_the_token_is_stored_hashed(invite):
    invitation, _path, token = invite("hashed@example.org")
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert row["token_hash"] == invitation_token_hash(token)
    assert all(token not in str(value) for value in row.values())


def test_the_invitation_email_leaves_through_the_outbox_with_the_link_hidden_from_staff(
    invite, company_admin_client, recruiter_client
):
    _invitation, _path, token = invite("outbox@example.org")
    row = Notification.objects.get(event=NotificationEvent.INVITATION, recipient="outbox@example.org")
    assert mail.outbox[-1].to == ["outbox@example.org"]
    assert token not in row.subject
    for client in (company_admin_client, recruiter_client):
        page = client.get(f"/admin/interviews/notification/{row.pk}/change/").content.decode()
        assert "outbox@example.org" in page
        assert token not in page


def test_the_invitation_wording_is_not_a_company_template(company_admin_client, company):
    response = company_admin_client.post(
        "/admin/interviews/notificationtemplate/add/",
        {"company": company.pk, "event": NotificationEvent.INVITATION, "subject": "{{ invitation_link }}",
         "body": "x", "enabled": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "platform" in response.content.decode()


# --- list, resend, revoke ---------------------------------------------------------------------


def _action(client, name, invitation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(LIST, {"action": name, "_selected_action": [invitation.pk]}, follow=True)


def test_pending_invitations_are_listed(invite, company_admin_client):
    invite("listed@example.org")
    body = company_admin_client.get(LIST).content.decode()
    assert "listed@example.org" in body and "Pending" in body


def test_revoking_kills_the_link(invite, company_admin_client, django_capture_on_commit_callbacks):
    invitation, path, _token = invite("revoked@example.org")
    _action(company_admin_client, "revoke", invitation, django_capture_on_commit_callbacks)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Client().get(path).status_code == 404


def test_resending_sends_a_new_link_and_the_old_one_dies(
    invite, company, company_admin_client, django_capture_on_commit_callbacks
):
    invitation, old_path, old_token = invite("again@example.org")
    sent = len(mail.outbox)
    _action(company_admin_client, "resend", invitation, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == sent + 1
    new_path, new_token = _last_link()
    assert new_token != old_token
    assert Client().get(old_path).status_code == 404
    assert Client().get(new_path).status_code == 200
    invitation.refresh_from_db()
    assert invitation.token_hash == invitation_token_hash(new_token)


def test_a_company_admin_sees_and_acts_on_no_other_companys_invitations(
    invite, other_company, company_admin_client, django_capture_on_commit_callbacks
):
    theirs, path, _token = invite("globex-hire@example.org", company=other_company)
    assert "globex-hire@example.org" not in company_admin_client.get(LIST).content.decode()
    assert company_admin_client.get(f"{LIST}{theirs.pk}/change/").status_code == 404
    sent = len(mail.outbox)
    for action in ("revoke", "resend"):
        _action(company_admin_client, action, theirs, django_capture_on_commit_callbacks)
    theirs_before = theirs.token_hash
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and theirs.token_hash == theirs_before
    assert len(mail.outbox) == sent
    assert Client().get(path).status_code == 200
    # nor can they invite into the other company
    response = company_admin_client.post(
        ADD, {"company": other_company.pk, "email": "sneak@example.org", "role": Role.COMPANY_ADMIN}
    )
    # (a one-company admin's form has no company choice: the posted one is ignored, theirs is used)
    assert response.status_code == 302
    assert not Invitation.objects.filter(email="sneak@example.org", company=other_company).exists()
    assert Invitation.objects.get(email="sneak@example.org").company != other_company


@pytest.mark.parametrize("client_fixture", ["recruiter_client", "manager_client", "interviewer_client"])
def test_only_company_admins_see_invitations(request, client_fixture, invite):
    invite("hidden@example.org")
    client = request.getfixturevalue(client_fixture)
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403


@pytest.mark.parametrize("viewer", ["company_admin", "superuser"])
def test_the_invitation_list_runs_the_same_queries_for_n_and_2n_rows(
    request, viewer, company, company_admin, admin_client_for, django_capture_on_commit_callbacks
):
    client = admin_client_for(request.getfixturevalue(viewer))
    counts = []
    for batch in range(2):
        for n in range(3):
            inviter = UserFactory(username=f"inviter-{batch}-{n}")
            invitation_create(
                company=company, email=f"n{batch}{n}@example.org", role=Role.RECRUITER, invited_by=inviter
            )
        client.get(LIST)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_with_two_factor_required_an_unverified_session_cannot_accept(
    invite, company, other_recruiter, settings
):
    settings.HIRELOOP_REQUIRE_2FA = True
    _invitation, path, _token = invite(other_recruiter.email)
    response = _logged_in(other_recruiter).post(path)
    assert "Log in" in response.content.decode()
    assert not Membership.objects.filter(user=other_recruiter, company=company).exists()
