"""An import tells its candidates only when asked: off by default; on, one "application received"
email per new application, written in the import's transaction."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.urls import reverse

from hiring import imports
from hiring.imports import applications_import, import_file_read
from hiring.models import Application
from hiring.services import application_create
from interviews.notifications.events import NotificationEvent
from interviews.notifications.models import Notification
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory

IMPORT = reverse("admin:hiring_application_import")
HEADER = "job_id,email,name\n"


@pytest.fixture
def job(company):
    job = JobFactory(company=company, title="Backend engineer")
    for i, name in enumerate(("Screen", "Technical")):
        JobStageFactory(job=job, position=i, name=name)
    return job


@pytest.fixture
def folder(settings, tmp_path):
    settings.HIRELOOP_IMPORT_DIR = str(tmp_path / "imports")


def _rows(job, *emails):
    text = HEADER + "".join(f"{job.pk},{email},{email.split('@')[0].title()}\n" for email in emails)
    return import_file_read(content=text.encode(), file_name="people.csv")


def _received():
    return Notification.objects.filter(event=NotificationEvent.APPLICATION_RECEIVED)


def test_an_import_tells_nobody_by_default(job, company, recruiter, django_capture_on_commit_callbacks):
    # when a file is imported without the option
    with django_capture_on_commit_callbacks(execute=True):
        report = applications_import(
            rows=_rows(job, "ada@example.org", "grace@example.org"), company_ids=[company.pk], actor=recruiter
        )
    # then the applications are there and no candidate got an email
    assert report.written and Application.objects.count() == 2
    assert not Notification.objects.exists() and mail.outbox == []


def test_an_import_told_to_notify_emails_each_new_application_once(
    job, company, recruiter, django_capture_on_commit_callbacks
):
    # given a candidate who applied already (and was told then)
    known = CandidateFactory(company=company, name="Ada", email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        application_create(candidate=known, job=job, source="referral", actor=recruiter)
    mail.outbox.clear()
    # when a file naming her and two new candidates is imported with the option
    with django_capture_on_commit_callbacks(execute=True):
        report = applications_import(
            rows=_rows(job, "ada@example.org", "grace@example.org", "alan@example.org"),
            company_ids=[company.pk],
            actor=recruiter,
            notify_candidates=True,
        )
    # then the two new applications each got one received email, and Ada's existing one nothing
    assert (report.applications_created, report.applications_existing) == (2, 1)
    new = Application.objects.exclude(candidate=known)
    rows = _received().filter(application__in=new)
    assert sorted(rows.values_list("recipient", flat=True)) == ["alan@example.org", "grace@example.org"]
    assert _received().filter(recipient="ada@example.org").count() == 1  # from her own application
    assert sorted(m.to[0] for m in mail.outbox) == ["alan@example.org", "grace@example.org"]
    assert {r.status for r in rows} == {"sent"}


def test_a_dry_run_told_to_notify_writes_no_email(job, company):
    report = applications_import(
        rows=_rows(job, "ada@example.org"), company_ids=[company.pk], dry_run=True, notify_candidates=True
    )
    assert report.ok and not report.written and not Notification.objects.exists()


def test_a_failed_import_told_to_notify_leaves_no_email(
    job, company, monkeypatch, django_capture_on_commit_callbacks
):
    # given a write that fails in the second chunk, after the first chunk's emails were written
    monkeypatch.setattr(imports, "CHUNK", 2)
    real_create, calls = imports.import_rows_create, []

    def failing_create(model, rows, **kwargs):
        calls.append(model)
        if calls.count(Application) == 2:
            raise DatabaseError("connection lost")
        return real_create(model, rows, **kwargs)

    monkeypatch.setattr(imports, "import_rows_create", failing_create)
    emails = [f"c{i}@example.org" for i in range(4)]
    with pytest.raises(DatabaseError), django_capture_on_commit_callbacks(execute=True):
        applications_import(rows=_rows(job, *emails), company_ids=[company.pk], notify_candidates=True)
    # then the first chunk's outbox rows were rolled back with its applications, and nothing was sent
    assert calls.count(Application) == 2
    assert not Application.objects.exists() and not Notification.objects.exists() and mail.outbox == []


def _upload(client, job, **data):
    content = (HEADER + f"{job.pk},ada@example.org,Ada\n").encode()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("people.csv", content), **data})
    assert response.status_code == 200 and response.context["report"].ok
    return response


def test_the_import_page_offers_the_option_off(recruiter_client, job, folder):
    response = recruiter_client.get(IMPORT)
    field = response.context["form"]["notify_candidates"]
    assert field.label == "Send the application-received email to imported candidates"
    assert field.value() is False and 'name="notify_candidates"' in response.content.decode()


@pytest.mark.parametrize(("ticked", "emails"), [(False, []), (True, ["ada@example.org"])])
def test_the_option_chosen_with_the_file_decides_at_confirmation(
    recruiter_client, job, folder, ticked, emails, django_capture_on_commit_callbacks
):
    # given a file checked with the option ticked or not
    response = _upload(recruiter_client, job, **({"notify_candidates": "on"} if ticked else {}))
    assert ("will get the application-received email" in response.content.decode()) is ticked
    # when it is confirmed
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = recruiter_client.post(IMPORT, {"token": response.context["token"]})
    # then the candidate is emailed exactly when the option was ticked
    assert confirmed.status_code == 302 and Application.objects.count() == 1
    assert [m.to[0] for m in mail.outbox] == emails
    assert _received().count() == len(emails)


def test_the_confirmation_cannot_turn_the_option_on(
    recruiter_client, job, folder, django_capture_on_commit_callbacks
):
    # given a file checked with the option off
    response = _upload(recruiter_client, job)
    # when the confirmation posts the option anyway
    with django_capture_on_commit_callbacks(execute=True):
        recruiter_client.post(IMPORT, {"token": response.context["token"], "notify_candidates": "on"})
    # then the choice signed with the file holds: nobody is emailed
    assert Application.objects.count() == 1 and mail.outbox == []
