"""Import previews: kept in a private folder, deleted on confirm, cancel, after an hour and by
erasure; a preview is imported once, however many times (or tabs) confirm it."""

import datetime
import os
import stat
import tempfile
import threading
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hiring import import_previews
from hiring.import_previews import import_previews_sweep
from hiring.models import Application, Candidate, ImportPreview, ImportPreviewStatus, JobStatus
from hiring.privacy import candidate_erase
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory

IMPORT = reverse("admin:hiring_application_import")
CHANGELIST = reverse("admin:hiring_application_changelist")
HEADER = "job_id,email,name,phone\n"


@pytest.fixture
def folder(settings, tmp_path, monkeypatch):
    """The import folder of this test; the shared temporary folder is a scratch one, watched."""
    settings.HIRELOOP_IMPORT_DIR = str(tmp_path / "var" / "imports")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return tmp_path / "var" / "imports"


@pytest.fixture
def job(company):
    job = JobFactory(company=company, title="Backend engineer")
    for i, name in enumerate(("Screen", "Technical")):
        JobStageFactory(job=job, position=i, name=name)
    return job


def _upload(client, job, email="ada@example.org", name="Ada Lovelace"):
    content = (HEADER + f"{job.pk},{email},{name},+44 7700 900000\n").encode()
    response = client.post(IMPORT, {"file": SimpleUploadedFile("people.csv", content)})
    assert response.status_code == 200 and response.context["report"].ok
    return response.context["token"]


def _files(path: Path) -> list[str]:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_preview_is_kept_in_the_private_folder_readable_by_the_owner_only(recruiter_client, job, folder):
    _upload(recruiter_client, job)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    (kept,) = folder.iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert b"ada@example.org" in kept.read_bytes()
    # nothing in the shared temporary folder
    assert list(Path(tempfile.gettempdir()).rglob("*")) == []


def test_a_folder_left_wider_is_made_private_again(recruiter_client, job, folder):
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    _upload(recruiter_client, job)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_confirming_imports_and_deletes_the_file(
    recruiter_client, job, folder, django_capture_on_commit_callbacks
):
    token = _upload(recruiter_client, job)
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(IMPORT, {"token": token})
    assert response.status_code == 302 and "Imported." in _messages(response)
    assert Application.objects.count() == 1
    assert _files(folder) == []
    preview = ImportPreview.objects.get()
    assert preview.status == ImportPreviewStatus.IMPORTED and preview.upload_name == ""


def test_a_second_confirmation_says_already_imported_and_imports_nothing(
    recruiter_client, job, folder, django_capture_on_commit_callbacks
):
    token = _upload(recruiter_client, job)
    with django_capture_on_commit_callbacks(execute=True):
        first = recruiter_client.post(IMPORT, {"token": token})
    assert "Imported." in _messages(first)

    # the second tab, or a second click
    second = recruiter_client.post(IMPORT, {"token": token})

    assert second.status_code == 302 and second["Location"] == CHANGELIST
    assert "already imported" in _messages(second)
    assert Application.objects.count() == 1 and Candidate.objects.count() == 1


def test_a_file_refused_at_confirmation_shows_its_errors_and_is_deleted(
    recruiter_client, job, folder, django_capture_on_commit_callbacks
):
    token = _upload(recruiter_client, job)
    job.status = JobStatus.CLOSED  # meanwhile
    job.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(IMPORT, {"token": token})
    assert response.status_code == 200 and "is closed" in response.content.decode()
    assert _files(folder) == [] and not Application.objects.exists()
    assert recruiter_client.post(IMPORT, {"token": token}).status_code == 403


def test_cancelling_deletes_the_file_and_the_preview_cannot_be_imported_after(
    recruiter_client, job, folder, django_capture_on_commit_callbacks
):
    token = _upload(recruiter_client, job)
    page = recruiter_client.get(IMPORT)
    assert page.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = recruiter_client.post(IMPORT, {"token": token, "cancel": "1"})
    assert response.status_code == 302 and "cancelled" in _messages(response)
    assert _files(folder) == []
    assert recruiter_client.post(IMPORT, {"token": token}).status_code == 403
    assert not Application.objects.exists()


def test_the_preview_page_offers_to_cancel(recruiter_client, job, folder):
    content = (HEADER + f"{job.pk},ada@example.org,Ada,\n").encode()
    html = recruiter_client.post(IMPORT, {"file": SimpleUploadedFile("p.csv", content)}).content.decode()
    assert 'name="cancel"' in html


def test_the_sweep_deletes_previews_older_than_an_hour_and_is_idempotent(
    recruiter_client, job, folder, settings
):
    old_token = _upload(recruiter_client, job, email="old@example.org")
    _upload(recruiter_client, job, email="fresh@example.org")
    old = ImportPreview.objects.order_by("created_at").first()
    ImportPreview.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    # a file no row names (a crash between the file and the row), two hours old
    orphan = folder / ("0" * 32 + ".csv")
    orphan.write_bytes(b"job_id,email,name\n1,orphan@example.org,Orphan\n")
    two_hours_ago = (timezone.now() - datetime.timedelta(hours=2)).timestamp()
    os.utime(orphan, (two_hours_ago, two_hours_ago))

    assert import_previews_sweep() == 2
    assert import_previews_sweep() == 0  # idempotent
    call_command("import_previews_sweep", stdout=open(os.devnull, "w"))

    (left,) = folder.iterdir()
    assert b"fresh@example.org" in left.read_bytes()
    assert ImportPreview.objects.count() == 1
    assert recruiter_client.post(IMPORT, {"token": old_token}).status_code == 403


def test_the_sweep_task_is_scheduled_once(db):
    from django_celery_beat.models import PeriodicTask

    from hiring.privacy import import_sweep_schedule_install
    from hiring.tasks import import_previews_sweep_task

    import_sweep_schedule_install()
    import_sweep_schedule_install()
    assert PeriodicTask.objects.filter(task="hiring.tasks.import_previews_sweep_task").count() == 1
    assert import_previews_sweep_task() == 0


def test_erasure_deletes_the_waiting_previews_naming_the_candidate_only(
    company, recruiter, recruiter_client, job, folder, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(company=company, name="Ada Lovelace", email="Ada@Example.org")
    _upload(recruiter_client, job, email="ada@example.org")
    _upload(recruiter_client, job, email="grace@example.org", name="Grace Hopper")
    assert len(_files(folder)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        log = candidate_erase(candidate=candidate, actor=recruiter)

    (left,) = folder.iterdir()
    assert b"grace@example.org" in left.read_bytes()
    assert ImportPreview.objects.count() == 1
    assert log.summary["import previews"] == 1


def test_erasure_leaves_previews_of_other_companies(
    company,
    other_company,
    recruiter,
    other_recruiter,
    admin_client_for,
    folder,
    django_capture_on_commit_callbacks,
):
    theirs = JobFactory(company=other_company)
    JobStageFactory(job=theirs, position=0)
    _upload(admin_client_for(other_recruiter), theirs, email="ada@example.org")
    candidate = CandidateFactory(company=company, email="ada@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=candidate, actor=recruiter)
    assert len(_files(folder)) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks (select_for_update) need PostgreSQL")
def test_two_tabs_confirming_at_once_import_once(recruiter, job, folder, monkeypatch):
    # given a preview, and an import slow enough for the second tab to arrive meanwhile
    tabs = [Client(), Client()]
    for tab in tabs:
        tab.force_login(recruiter)
    token = _upload(tabs[0], job)
    importing = threading.Event()
    real_import = import_previews.applications_import

    def slow_import(**kwargs):
        importing.set()
        threading.Event().wait(0.5)
        return real_import(**kwargs)

    monkeypatch.setattr(import_previews, "applications_import", slow_import)
    answers = {}

    def confirm(index):
        try:
            response = tabs[index].post(IMPORT, {"token": token})
            answers[index] = (response.status_code, _messages(response))
        except Exception as exc:  # a server error
            answers[index] = (500, repr(exc))
        finally:
            connection.close()

    # when both tabs press Import at once
    threads = [threading.Thread(target=confirm, args=(i,)) for i in range(2)]
    threads[0].start()
    assert importing.wait(10)
    threads[1].start()
    for thread in threads:
        thread.join(30)

    # then one imports, the other is told it was already done, and the rows are there once
    codes = sorted(code for code, _ in answers.values())
    texts = sorted(text for _, text in answers.values())
    assert codes == [302, 302], answers
    assert any("Imported." in t for t in texts) and any("already imported" in t for t in texts), texts
    assert Application.objects.count() == 1 and Candidate.objects.count() == 1
    assert _files(folder) == []
