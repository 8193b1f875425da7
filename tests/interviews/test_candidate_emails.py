"""Writing to candidates: previews per recipient, one outbox row per recipient written once,
the candidate's sign-in link, the timeline record, the bulk cap and the company boundary."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from hiring.models import Note, NoteKind
from interviews.models import Notification
from interviews.notifications.compose import candidate_email_previews, candidate_emails_send, compose_token
from interviews.notifications.events import NotificationEvent
from interviews.tasks import notifications_send_task
from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory
from tests.interviews.factories import NotificationTemplateFactory

pytestmark = pytest.mark.django_db

SUBJECT = "{{ job_title }}: a question, {{ candidate_name }}"
BODY = (
    "Hello {{ candidate_name }},\nCould you call {{ sender_name }}?"
    "{% if portal_link %}\n{{ portal_link }}{% endif %}"
)


@pytest.fixture
def applications(company):
    job = JobFactory(company=company, title="Backend engineer")
    stage = JobStageFactory(job=job, position=0, name="Review")
    return [
        ApplicationFactory(company=company, job=job, stage=stage, candidate__name=name)
        for name in ("Ada <Lovelace>", "Sabas Soria")
    ]


def _rows():
    return Notification.objects.filter(event=NotificationEvent.CANDIDATE_EMAIL).order_by("recipient")


def _loaded(applications):
    from hiring.models import Application

    return list(
        Application.objects.filter(pk__in=[a.pk for a in applications])
        .select_related("company", "candidate", "job", "stage")
        .order_by("pk")
    )


def test_previews_render_each_recipients_own_values_and_write_nothing(recruiter, applications):
    previews = candidate_email_previews(
        applications=_loaded(applications), subject=SUBJECT, body=BODY, sender=recruiter
    )
    assert [p.subject for p in previews] == [
        "Backend engineer: a question, Ada <Lovelace>",
        "Backend engineer: a question, Sabas Soria",
    ]
    assert "(the candidate's own sign-in link)" in previews[0].body
    assert not _rows().exists() and not Note.objects.exists()


def test_the_send_writes_one_row_per_recipient_once_and_the_task_run_twice_sends_once(
    recruiter, applications, django_capture_on_commit_callbacks
):
    token = compose_token()
    loaded = _loaded(applications)
    with django_capture_on_commit_callbacks(execute=True):
        ids = candidate_emails_send(
            applications=loaded, subject=SUBJECT, body=BODY, sender=recruiter, token=token
        )
    assert len(ids) == 2 and len(mail.outbox) == 2
    # the same form posted again writes nothing, and the task delivered a second time sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            candidate_emails_send(
                applications=loaded, subject=SUBJECT, body=BODY, sender=recruiter, token=token
            )
            == []
        )
    assert notifications_send_task.delay(ids).get() == dict.fromkeys(ids, "skipped")
    assert len(mail.outbox) == 2 and _rows().filter(status="sent").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.candidate.email for a in applications)
    # each candidate's copy has their own sign-in link to the portal
    assert all("/portal/" in m.body for m in mail.outbox), mail.outbox[0].body
    records = Note.objects.filter(kind=NoteKind.EMAIL).order_by("application_id")
    assert [(r.application_id, r.author_id, r.body) for r in records] == [
        (a.pk, recruiter.pk, f"Backend engineer: a question, {a.candidate.name}") for a in loaded
    ]


def test_a_send_above_the_bulk_cap_is_refused_and_writes_nothing(recruiter, applications, settings):
    settings.HIRELOOP_BULK_MAX = 1
    with pytest.raises(ValidationError, match="at most 1"):
        candidate_emails_send(
            applications=_loaded(applications),
            subject=SUBJECT,
            body=BODY,
            sender=recruiter,
            token=compose_token(),
        )
    assert not _rows().exists() and not Note.objects.exists()


def test_hiring_managers_interviewers_and_other_companies_users_cannot_send(
    hiring_manager, interviewer, other_recruiter, applications
):
    for user in (hiring_manager, interviewer, other_recruiter):
        with pytest.raises(ValidationError, match="recruiters"):
            candidate_emails_send(
                applications=_loaded(applications),
                subject=SUBJECT,
                body=BODY,
                sender=user,
                token=compose_token(),
            )
    assert not _rows().exists()


def test_an_unknown_variable_or_tag_is_refused(recruiter, applications):
    for body in ("{{ reason }}", "{% load static %}"):
        with pytest.raises(ValidationError):
            candidate_email_previews(
                applications=_loaded(applications), subject="Hi", body=body, sender=recruiter
            )


# --- the admin ----------------------------------------------------------------------------------


def _write_url(applications):
    return f"{reverse('admin:hiring_note_write')}?ids={','.join(str(a.pk) for a in applications)}"


def test_the_list_action_composes_previews_and_sends_to_the_selected(
    recruiter_client, applications, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:hiring_application_changelist")
    response = recruiter_client.post(
        changelist, {"action": "write_to_candidates", "_selected_action": [a.pk for a in applications]}
    )
    assert response.status_code == 302 and response.url == _write_url(
        sorted(applications, key=lambda a: a.pk)
    )
    page = recruiter_client.get(response.url)
    token = page.context["form"].initial["token"]
    ids = ",".join(str(a.pk) for a in applications)
    preview = recruiter_client.post(
        reverse("admin:hiring_note_write"),
        {"ids": ids, "subject": SUBJECT, "body": BODY, "token": token, "preview": "1"},
    )
    html = preview.content.decode()
    assert "Backend engineer: a question, Ada &lt;Lovelace&gt;" in html and "Send 2 emails" in html
    assert not _rows().exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = recruiter_client.post(
            reverse("admin:hiring_note_write"),
            {"ids": ids, "subject": SUBJECT, "body": BODY, "token": token, "send": "1"},
        )
    assert sent.status_code == 302 and _rows().count() == 2 and len(mail.outbox) == 2
    timeline = recruiter_client.get(reverse("admin:hiring_application_change", args=[applications[0].pk]))
    assert "Email sent: Backend engineer: a question, Ada &lt;Lovelace&gt;" in timeline.content.decode()


def test_a_company_template_can_be_the_start(company, recruiter_client, applications):
    template = NotificationTemplateFactory(
        company=company, event=NotificationEvent.HIRED, subject="Welcome, {{ candidate_name }}", body="Hi"
    )
    page = recruiter_client.get(_write_url(applications))
    token = page.context["form"].initial["token"]
    loaded = recruiter_client.post(
        reverse("admin:hiring_note_write"),
        {
            "ids": str(applications[0].pk),
            "subject": "x",
            "body": "y",
            "token": token,
            "template": template.pk,
            "load": "1",
        },
    )
    assert loaded.context["form"].initial["subject"] == "Welcome, {{ candidate_name }}"


def test_the_compose_page_refuses_other_companies_applications_hiring_managers_and_above_the_cap(
    other_company, recruiter_client, manager_client, interviewer_client, applications, settings
):
    theirs = ApplicationFactory(company=other_company)
    assert recruiter_client.get(_write_url([applications[0], theirs])).status_code == 404
    assert manager_client.get(_write_url(applications)).status_code == 403
    refused = manager_client.post(
        reverse("admin:hiring_application_changelist"),
        {"action": "write_to_candidates", "_selected_action": [a.pk for a in applications]},
        follow=True,
    )
    assert "Only company admins and recruiters write to candidates." in refused.content.decode()
    assert interviewer_client.get(_write_url(applications)).status_code in (403, 404)
    settings.HIRELOOP_BULK_MAX = 1
    assert recruiter_client.get(_write_url(applications)).status_code == 403
    response = recruiter_client.post(
        reverse("admin:hiring_application_changelist"),
        {"action": "write_to_candidates", "_selected_action": [a.pk for a in applications]},
        follow=True,
    )
    assert "at most 1 are written to at once" in response.content.decode()
    assert not _rows().exists()
