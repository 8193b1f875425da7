"""The outbox and template admin: scoped to the user's companies, retry, preview, refusals."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Notification, NotificationTemplate
from tests.hiring.factories import ApplicationFactory, CandidateFactory
from tests.interviews.factories import NotificationFactory, NotificationTemplateFactory

OUTBOX = reverse("admin:interviews_notification_changelist")
TEMPLATES = reverse("admin:interviews_notificationtemplate_changelist")


def _change(model, pk):
    return reverse(f"admin:interviews_{model}_change", args=[pk])


def test_outbox_lists_only_the_users_company(recruiter_client, company, other_company):
    mine = NotificationFactory(company=company, recipient="mine@example.org")
    theirs = NotificationFactory(company=other_company, recipient="theirs@example.org")
    response = recruiter_client.get(OUTBOX)
    assert response.status_code == 200
    assert b"mine@example.org" in response.content
    assert b"theirs@example.org" not in response.content
    # the company filter offers only the user's company
    assert other_company.name.encode() not in response.content
    # and another company's row does not exist for them
    assert recruiter_client.get(_change("notification", theirs.pk)).status_code == 404
    assert recruiter_client.get(_change("notification", mine.pk)).status_code == 200


def test_outbox_search_and_filters(recruiter_client, company):
    NotificationFactory(company=company, recipient="ada@example.org", status="failed")
    NotificationFactory(
        company=company, recipient="bob@example.org", status="sent", sent_at="2026-01-01T00:00Z"
    )
    assert b"bob@example.org" not in recruiter_client.get(OUTBOX, {"q": "ada"}).content
    response = recruiter_client.get(OUTBOX, {"status__exact": "failed"})
    assert b"ada@example.org" in response.content and b"bob@example.org" not in response.content


def test_interviewers_do_not_see_the_outbox(interviewer_client, company):
    row = NotificationFactory(company=company)
    assert interviewer_client.get(OUTBOX).status_code == 403
    assert interviewer_client.get(_change("notification", row.pk)).status_code in (403, 404)


def test_rendered_email_is_shown(recruiter_client, company):
    row = NotificationFactory(
        company=company, subject="Your interview", body="See you tomorrow.", ics="BEGIN:VCALENDAR"
    )
    content = recruiter_client.get(_change("notification", row.pk)).content.decode()
    assert "Subject: Your interview" in content
    assert "See you tomorrow." in content
    assert "invite.ics" in content


def test_retry_action_sends_failed_rows_of_the_users_company_only(
    recruiter_client, company, other_company, django_capture_on_commit_callbacks
):
    failed = NotificationFactory(company=company, status="failed", attempts=5, last_error="SMTP down")
    theirs = NotificationFactory(company=other_company, status="failed", attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(
            OUTBOX, {"action": "retry", "_selected_action": [failed.pk, theirs.pk]}, follow=True
        )
    assert b"1 notification queued again." in response.content
    failed.refresh_from_db()
    theirs.refresh_from_db()
    assert (failed.status, theirs.status) == ("sent", "failed")
    assert [m.to for m in mail.outbox] == [[failed.recipient]]


def test_sending_again_a_row_whose_delivery_is_unknown_asks_first_and_says_why(
    recruiter_client, company, django_capture_on_commit_callbacks
):
    # given a failed row and a row the mail server probably delivered
    failed = NotificationFactory(company=company, status="failed", attempts=5)
    unknown = NotificationFactory(company=company, status="unknown", attempts=1, recipient="ada@example.org")
    selected = {"action": "retry", "_selected_action": [failed.pk, unknown.pk]}
    # when "send again" is chosen, a confirmation page explains the risk and nothing is queued
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(OUTBOX, selected)
    content = response.content.decode()
    assert response.status_code == 200
    assert "may already have been delivered" in content
    assert "duplicate" in content
    assert "ada@example.org" in content
    assert 'name="duplicates" value="send"' in content
    failed.refresh_from_db()
    unknown.refresh_from_db()
    assert (failed.status, unknown.status) == ("failed", "unknown")
    assert mail.outbox == []
    # when only the failed ones are chosen, the unknown one stays as it is
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(OUTBOX, {**selected, "duplicates": "skip"})
    failed.refresh_from_db()
    unknown.refresh_from_db()
    assert (failed.status, unknown.status) == ("sent", "unknown")
    # and once confirmed, it is sent again
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(OUTBOX, {**selected, "duplicates": "send"}, follow=True)
    assert b"1 notification queued again." in response.content
    unknown.refresh_from_db()
    assert unknown.status == "sent"
    assert [m.to for m in mail.outbox] == [[failed.recipient], ["ada@example.org"]]


def test_hiring_manager_cannot_retry(manager_client, company):
    row = NotificationFactory(company=company, status="failed")
    response = manager_client.post(OUTBOX, {"action": "retry", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.status == "failed"
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("url", [OUTBOX, TEMPLATES])
def test_admin_lists_run_a_constant_number_of_queries(company_admin_client, company, url):
    def count(n):
        for i in range(n):
            NotificationFactory(company=company)
            NotificationTemplateFactory(
                company=company, event=f"event{i}_{Notification.objects.count()}"[:32]
            )
        with CaptureQueriesContext(connection) as ctx:
            assert company_admin_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count(3)
    assert small == count(6)
    assert small <= 8  # the session and the user included


def test_template_admin_refuses_a_template_that_does_not_render(company_admin_client, company):
    response = company_admin_client.post(
        reverse("admin:interviews_notificationtemplate_add"),
        {
            "company": company.pk,
            "event": "hired",
            "enabled": "on",
            "subject": "Welcome {{ candidate_name }}",
            "body": "{{ candidate.user.password }}",
        },
    )
    assert response.status_code == 200
    assert b"Unknown variable: candidate" in response.content
    assert not NotificationTemplate.objects.exists()


def test_template_admin_saves_a_valid_template(company_admin_client, company):
    response = company_admin_client.post(
        reverse("admin:interviews_notificationtemplate_add"),
        {
            "company": company.pk,
            "event": "hired",
            "enabled": "on",
            "subject": "Hi {{ candidate_name }}",
            "body": "x",
        },
    )
    assert response.status_code == 302
    assert NotificationTemplate.objects.get().subject == "Hi {{ candidate_name }}"


def test_recruiters_read_templates_but_cannot_change_them(recruiter_client, company):
    template = NotificationTemplateFactory(company=company)
    assert recruiter_client.get(TEMPLATES).status_code == 200
    response = recruiter_client.post(
        _change("notificationtemplate", template.pk), {"subject": "x", "body": "y", "enabled": "on"}
    )
    assert response.status_code == 403


def test_preview_renders_for_the_latest_application(company_admin_client, company):
    app = ApplicationFactory(
        company=company, candidate=CandidateFactory(company=company, name="Grace Hopper")
    )
    template = NotificationTemplateFactory(
        company=company, subject="Hi {{ candidate_name }}", body="{{ job_title }}!"
    )
    url = reverse("admin:interviews_notificationtemplate_preview", args=[template.pk])
    response = company_admin_client.get(url)
    assert response.status_code == 200
    assert b"Hi Grace Hopper" in response.content
    assert f"{app.job.title}!".encode() in response.content
    # the preview action shows the same page
    response = company_admin_client.post(TEMPLATES, {"action": "preview", "_selected_action": [template.pk]})
    assert b"Hi Grace Hopper" in response.content


def test_preview_of_another_companys_template_or_application_is_refused(
    company_admin_client, company, other_company
):
    theirs = NotificationTemplateFactory(company=other_company)
    url = reverse("admin:interviews_notificationtemplate_preview", args=[theirs.pk])
    assert company_admin_client.get(url).status_code == 404
    # an application id of another company is ignored: sample values are used instead
    their_app = ApplicationFactory(
        company=other_company, candidate=CandidateFactory(company=other_company, name="Eve")
    )
    mine = NotificationTemplateFactory(company=company, subject="Hi {{ candidate_name }}")
    url = reverse("admin:interviews_notificationtemplate_preview", args=[mine.pk])
    response = company_admin_client.get(url, {"application": their_app.pk})
    assert response.status_code == 200
    assert b"Hi Eve" not in response.content


def test_other_company_admin_sees_no_template_of_ours(admin_client_for, other_company_admin, company):
    template = NotificationTemplateFactory(company=company, subject="Secret wording")
    client = admin_client_for(other_company_admin)
    assert b"Secret wording" not in client.get(TEMPLATES).content
    assert client.get(_change("notificationtemplate", template.pk)).status_code == 404


def test_application_page_panel_lists_its_emails_for_readers_only(rf, recruiter, interviewer, company):
    from django.utils import timezone

    from interviews.admin.notifications import application_emails_panel

    app = ApplicationFactory(company=company)
    NotificationFactory(
        company=company, application=app, recipient="ada@example.org", status="sent", sent_at=timezone.now()
    )
    NotificationFactory(company=company, recipient="someone-else@example.org")
    request = rf.get("/")
    request.user = recruiter
    html = application_emails_panel(request, app)
    assert "ada@example.org" in html and "someone-else" not in html
    request = rf.get("/")
    request.user = interviewer
    assert application_emails_panel(request, app) == ""


def test_preview_action_on_another_companys_template_does_not_break(company_admin_client, other_company):
    theirs = NotificationTemplateFactory(company=other_company, subject="Their wording")
    response = company_admin_client.post(
        TEMPLATES, {"action": "preview", "_selected_action": [theirs.pk]}, follow=True
    )
    assert response.status_code == 200
    assert b"Their wording" not in response.content
