"""Erasure leaves no trace: a candidate whose data is in every table is erased through the admin,
then every text column of every installed model (found by introspection: the apps' models, their
history tables, Django's admin log, the beat schedules...) and the upload, import and temporary
folders are scanned for their email, name and phone."""

import datetime
import io
import json
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from hiring import privacy
from hiring.models import (
    AccessLog,
    Application,
    Candidate,
    ErasureLog,
    ErasureReason,
    ImportPreview,
    StageChange,
)
from hiring.personal_data import CandidateRows, ErasureHook, ObjectReferences, personal_data_declarations
from hiring.privacy import import_sweep_schedule_install, retention_schedule_install
from hiring.services import application_advance
from hiring.tasks import candidates_anonymise_past_retention_task
from interviews.models import Decision, DecisionOutcome, Notification, ScorecardAmendment
from interviews.notifications.schedules import notifications_install
from interviews.services import interview_schedule
from tests.hiring.factories import (
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    RejectionReasonFactory,
    TagFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewKitFactory, RatingFactory

EMAIL = "wilhelmina.private@example.net"
NAME = "Wilhelmina Testperson"
PHONE = "+44 7700 900123"
# What must be found nowhere: the email, the name (and its rarer half alone), the phone's digits.
TRACES = (EMAIL, NAME, "Wilhelmina", "7700 900123", "7700900123")


def _text_columns(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.FileField)
    ]


def _json_columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]


def traces_in_tables() -> list[str]:
    """Every Char/Text/File/JSON column of every installed model, whatever app it comes from."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        text, data = _text_columns(model), _json_columns(model)
        for trace in TRACES:
            if text:
                condition = Q()
                for name in text:
                    condition |= Q(**{f"{name}__icontains": trace})
                for pk in model._base_manager.filter(condition).values_list("pk", flat=True):
                    found.append(f"{model._meta.label} #{pk}: {trace}")
            for name in data:
                for pk, value in model._base_manager.values_list("pk", name):
                    if trace.lower() in json.dumps(value, ensure_ascii=False).lower():
                        found.append(f"{model._meta.label} #{pk} {name}: {trace}")
    return found


def _contents(path: Path) -> str:
    raw = path.read_bytes()
    if zipfile.is_zipfile(io.BytesIO(raw)):  # xlsx, docx, odt: the parts inside
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    return raw.decode("utf-8", errors="replace")


def traces_in_folders(folders) -> list[str]:
    """File names and contents (archives unpacked) under each folder."""
    found = []
    for folder in folders:
        for path in Path(folder).rglob("*"):
            if not path.is_file():
                continue
            text = f"{path.relative_to(folder)}\n{_contents(path)}".lower()
            found.extend(f"{path}: {trace}" for trace in TRACES if trace.lower() in text)
    return found


@pytest.fixture
def folders(settings, tmp_path, monkeypatch, private_root):
    """The upload, import and temporary folders of this test, empty to begin with."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.HIRELOOP_IMPORT_DIR = str(tmp_path / "imports")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    resume_storage = Candidate._meta.get_field("resume").storage
    places = {tmp_path / "media", tmp_path / "imports", scratch, private_root}
    if getattr(resume_storage, "location", None):
        places.add(Path(resume_storage.location))
    return places


def _admin_form_data(response, **changes) -> dict:
    """The POST data of an admin change page as shown (fields and inline formsets), with changes."""
    data = {}
    form = response.context["adminform"].form
    for name, bound in form.fields.items():
        value = form[name].value()
        if value is None or name in form.files:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif hasattr(value, "name") and not isinstance(value, str):
            continue  # a file already stored: left as it is
        else:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None:
                    data[sub.add_prefix(name)] = value
    data.update(changes)
    return data


def _job(company):
    job = JobFactory(company=company, title="Backend engineer")
    screen = JobStageFactory(job=job, position=0, name="Screen")
    onsite = JobStageFactory(job=job, position=1, name="Onsite")
    JobStageFactory(job=job, position=2, name="Offer")
    return job, screen, onsite


def _person_everywhere(company, recruiter, company_admin, recruiter_client, company_admin_client, capture):
    """The candidate arrives by an import, is edited in the admin, moves, is interviewed, emailed,
    scored and decided on; a second file naming them waits for its confirmation."""
    notifications_install(company=company)
    retention_schedule_install()
    import_sweep_schedule_install()
    job, screen, onsite = _job(company)
    other_job = JobFactory(company=company, title="Data engineer")
    JobStageFactory(job=other_job, position=0, name="Screen")
    imports = reverse("admin:hiring_application_import")
    header = "job_id,email,name,phone,location,linkedin\n"
    row = f"{job.pk},{EMAIL},{NAME},{PHONE},Wilhelmina town,https://linkedin.example/in/wilhelmina\n"
    first = SimpleUploadedFile("people.csv", (header + row).encode())
    preview = recruiter_client.post(imports, {"file": first})
    with capture(execute=True):
        assert recruiter_client.post(imports, {"token": preview.context["token"]}).status_code == 302
    candidate = Candidate.objects.get(email=EMAIL)
    application = Application.objects.get(candidate=candidate)

    # an edit through the admin: admin log, history row, a résumé file named after the person
    change = reverse("admin:hiring_candidate_change", args=[candidate.pk])
    page = company_admin_client.get(change)
    assert page.status_code == 200  # and the access log has the visit
    resume = SimpleUploadedFile("wilhelmina-testperson-cv.pdf", f"%PDF-1.4 {NAME} {PHONE}".encode())
    tag = TagFactory(company=company, name="Strong referral")
    data = _admin_form_data(page, phone=f"{PHONE} (mobile)", tags=[str(tag.pk)], resume=resume)
    saved = company_admin_client.post(change, data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors

    # emails: moves and an interview (to the candidate and to the panel), sent
    kit = InterviewKitFactory(stage=onsite, company=company, name="Live coding")
    panelist = MembershipFactory(
        company=company, role="interviewer", user=UserFactory(username="grace", email="grace@acme.test")
    )
    with capture(execute=True):
        application_advance(application=application, actor=recruiter, note=f"Call {NAME} on {PHONE}")
        interview = interview_schedule(
            application=application,
            kit=kit,
            starts_at=timezone.now() + datetime.timedelta(days=2),
            location="Wilhelmina's office",
            video_url="https://meet.example/wilhelmina",
            interviewers=[panelist],
        )
    assert len(mail.outbox) >= 2
    scorecard = interview.scorecards.get(interviewer=panelist)
    scorecard.summary = f"{NAME} was sharp"
    scorecard.save()
    RatingFactory(scorecard=scorecard, score=4, evidence="Wilhelmina explained the trade-offs")
    ScorecardAmendment.objects.create(
        scorecard=scorecard,
        reason="Wilhelmina's name was misspelt",
        previous={"summary": f"{NAME} was sharp", "recommendation": "yes"},
    )
    Decision.objects.create(
        company=company,
        application=application,
        stage=onsite,
        outcome=DecisionOutcome.ADVANCE,
        reason=f"{NAME} passed",
    )

    # a second file naming them, checked but not confirmed
    later = f"{other_job.pk},{EMAIL},{NAME},{PHONE},,\n"
    second = SimpleUploadedFile("more.csv", (header + later).encode())
    pending = recruiter_client.post(imports, {"file": second})
    assert pending.context["token"]
    return candidate


def _erase_now(candidate, company_admin_client):
    response = company_admin_client.post(
        reverse("admin:hiring_candidate_changelist"),
        {"action": "erase_candidates", ACTION_CHECKBOX_NAME: [candidate.pk], "confirm": "yes"},
    )
    assert response.status_code == 302


def _retention_run(candidate, company_admin_client):
    long_ago = timezone.now() - datetime.timedelta(days=candidate.company.retention_days + 30)
    Application.objects.filter(candidate=candidate).update(
        status="rejected",
        rejection_reason=RejectionReasonFactory(company=candidate.company),
        decided_at=long_ago,
    )
    assert candidates_anonymise_past_retention_task() == 1


@pytest.mark.parametrize("erase", [_erase_now, _retention_run], ids=["erase now", "retention task"])
def test_erasure_leaves_no_trace_of_the_candidate_in_any_table_or_folder(
    erase,
    company,
    recruiter,
    company_admin,
    recruiter_client,
    company_admin_client,
    folders,
    django_capture_on_commit_callbacks,
):
    # given a candidate whose data is in every table and folder the product writes
    candidate = _person_everywhere(
        company,
        recruiter,
        company_admin,
        recruiter_client,
        company_admin_client,
        django_capture_on_commit_callbacks,
    )
    before = traces_in_tables()
    where = {entry.split(" #")[0] for entry in before}
    # the scan sees the places this test must reach (so that a clean result means something)
    for label in (
        "hiring.Candidate",
        "hiring.HistoricalCandidate",
        "hiring.StageChange",
        "admin.LogEntry",
        "interviews.Notification",
        "interviews.Interview",
        "interviews.Scorecard",
        "interviews.Rating",
        "interviews.ScorecardAmendment",
        "interviews.Decision",
    ):
        assert label in where, label
    assert LogEntry.objects.filter(object_repr=NAME).exists()
    assert AccessLog.objects.filter(object_id=str(candidate.pk)).exists()
    assert StageChange.objects.filter(application__candidate=candidate, note="Imported.").exists()
    assert traces_in_folders(folders)  # the résumé and the waiting import file
    assert candidate.tags.exists()

    # when a company admin erases them with "Erase now", or the retention task comes for them
    with django_capture_on_commit_callbacks(execute=True):
        erase(candidate, company_admin_client)

    # then nothing of them is left in any table or folder
    assert traces_in_tables() == []
    assert traces_in_folders(folders) == []
    assert not ImportPreview.objects.filter(status="pending").exists()
    # their tags are unlinked (the company's tag stays, for its other candidates)
    assert not Candidate.tags.through.objects.filter(candidate_id=candidate.pk).exists()
    # and the rows stay for the figures
    assert Application.objects.filter(candidate=candidate).count() == 1
    assert Notification.objects.filter(application__candidate=candidate).exists()


def test_erasure_stops_the_candidates_unsent_emails(company, recruiter, django_capture_on_commit_callbacks):
    from hiring.privacy import candidate_erase
    from hiring.services import application_create
    from tests.hiring.factories import CandidateFactory

    notifications_install(company=company)
    job, _, _ = _job(company)
    candidate = CandidateFactory(company=company, name=NAME, email=EMAIL)
    application_create(candidate=candidate, job=job, source="referral", actor=recruiter)  # not sent yet
    assert Notification.objects.filter(recipient=EMAIL, status="pending").exists()

    candidate_erase(candidate=candidate, actor=recruiter)

    row = Notification.objects.get(application__candidate=candidate)
    assert row.status == "failed" and row.recipient == "anonymised@invalid.example"
    assert "erased" in row.last_error


# --- The declarations ----------------------------------------------------------------------------


def _is_history(model) -> bool:
    return getattr(model, "instance_type", None) is not None  # django-simple-history's models


def _free_text(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.FileField | models.JSONField)
        and not f.choices
    ]


def models_reaching_a_candidate() -> set[type[models.Model]]:
    """Candidate and every model that points at it through a chain of foreign keys."""
    found, todo = set(), [Candidate]
    while todo:
        model = todo.pop()
        if model in found:
            continue
        found.add(model)
        for relation in model._meta.get_fields(include_hidden=True):
            reverse_key = (relation.one_to_many or relation.one_to_one) and not relation.concrete
            if reverse_key and relation.auto_created and not _is_history(relation.related_model):
                todo.append(relation.related_model)
    return found


def test_every_model_reaching_a_candidate_with_free_text_declares_its_personal_data():
    declared = {d.model for d in personal_data_declarations() if isinstance(d, CandidateRows)}
    undeclared = sorted(
        model._meta.label
        for model in models_reaching_a_candidate()
        if _free_text(model) and model not in declared
    )
    assert undeclared == [], (
        "Declare these models' personal data in PERSONAL_DATA next to them (hiring/personal_data.py)"
    )


def test_declarations_name_real_fields_paths_and_functions():
    declarations = personal_data_declarations()
    kinds = {type(d) for d in declarations}
    assert kinds == {CandidateRows, ObjectReferences, ErasureHook}
    for declaration in declarations:
        if isinstance(declaration, ErasureHook):
            assert callable(import_string(declaration.function))
            continue
        for name in declaration.fields:
            declaration.model._meta.get_field(name)
        if isinstance(declaration, CandidateRows):
            for path in declaration.paths:
                declaration.model._base_manager.filter(**{path: 0}).query.__str__()
    # the admin log, declared by the admin's app config
    assert LogEntry in {getattr(d, "model", None) for d in declarations}


def test_the_erasure_service_names_no_other_apps_models():
    source = Path(privacy.__file__).read_text()
    for app in ("interviews", "rubrics"):
        assert f'"{app}.' not in source and f"from {app}" not in source


@pytest.mark.parametrize("how", ["delete page", "delete selected"])
def test_deleting_a_candidate_in_the_admin_leaves_no_trace(
    how, company, recruiter, superuser_client, folders, private_root, django_capture_on_commit_callbacks
):
    # given a candidate with an application, its emails, a résumé and an edit through the admin
    # (deleted by a superuser: a company admin may not delete moves and emails)
    from hiring.services import application_create
    from tests.hiring.documents import PDF
    from tests.hiring.factories import CandidateFactory

    notifications_install(company=company)
    job, _, _ = _job(company)
    candidate = CandidateFactory(company=company, name=NAME, email=EMAIL, phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        application_create(candidate=candidate, job=job, source="referral", actor=recruiter)
    change = reverse("admin:hiring_candidate_change", args=[candidate.pk])
    page = superuser_client.get(change)
    data = _admin_form_data(page, location=f"Near {NAME}", resume=SimpleUploadedFile("cv.pdf", PDF))
    assert superuser_client.post(change, data).status_code == 302
    assert {"hiring.HistoricalCandidate", "admin.LogEntry", "interviews.Notification"} <= {
        entry.split(" #")[0] for entry in traces_in_tables()
    }
    assert [p for p in private_root.rglob("*") if p.is_file()]  # the résumé

    # when they are deleted in the admin
    with django_capture_on_commit_callbacks(execute=True):
        if how == "delete page":
            response = superuser_client.post(
                reverse("admin:hiring_candidate_delete", args=[candidate.pk]), {"post": "yes"}
            )
        else:
            response = superuser_client.post(
                reverse("admin:hiring_candidate_changelist"),
                {"action": "delete_selected", ACTION_CHECKBOX_NAME: [candidate.pk], "post": "yes"},
            )
    assert response.status_code == 302

    # then they are gone, and so is every trace: the deletion's history and log rows included
    assert not Candidate.objects.filter(pk=candidate.pk).exists()
    assert traces_in_tables() == []
    assert traces_in_folders(folders) == []
    assert not [p for p in private_root.rglob("*") if p.is_file()]
    assert ErasureLog.objects.filter(candidate_id=candidate.pk, reason=ErasureReason.DELETED).exists()
