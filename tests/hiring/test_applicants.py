"""hiring.applicants.application_submit: the candidate found or created, replays, races, rollback."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from hiring import applicants
from hiring.applicants import ApplicantDetails, application_submit
from hiring.models import Application, ApplicationSubmission, Candidate, JobStatus, Source, StageChange
from tests.careers.apply_helpers import job_to_apply
from tests.hiring import documents as doc
from tests.hiring.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _details(**fields):
    values = {"name": "Ada Lovelace", "email": "ada@example.org", "language": "fr"}
    values.update(fields)
    return ApplicantDetails(**values)


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_a_new_address_becomes_a_candidate_applying_at_the_first_stage(private_root):
    job = job_to_apply()

    result = application_submit(
        job=job, key="k1", details=_details(resume=SimpleUploadedFile("cv.pdf", doc.PDF))
    )

    assert not result.replayed and result.application.stage.position == 0
    candidate = result.application.candidate
    assert (candidate.language, candidate.source) == ("fr", Source.CAREERS_SITE)
    assert candidate.resume and len(_files(private_root)) == 1
    assert StageChange.objects.filter(application=result.application, from_stage=None).count() == 1


def test_the_same_key_twice_writes_nothing_more():
    job = job_to_apply()
    first = application_submit(job=job, key="k1", details=_details())
    again = application_submit(job=job, key="k1", details=_details(email="other@example.org"))
    assert again.replayed and again.submission == first.submission
    assert Candidate.objects.count() == 1 and Application.objects.count() == 1


def test_an_address_that_already_applied_changes_nothing():
    job = job_to_apply()
    application_submit(job=job, key="k1", details=_details(location=""))
    result = application_submit(job=job, key="k2", details=_details(email="ADA@example.org", location="Lyon"))
    assert result.application is None and not result.replayed
    assert Candidate.objects.get().location == "" and Application.objects.count() == 1
    assert ApplicationSubmission.objects.get(key="k2").application is None


def test_a_candidate_created_meanwhile_by_another_form_is_used(private_root):
    job = job_to_apply()
    theirs = CandidateFactory(company=job.company, email="ada@example.org", phone="")
    real_lookup = applicants.candidate_by_email
    calls = []

    def lookup(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real_lookup(**kwargs)  # the race: not there, then there

    with mock.patch.object(applicants, "candidate_by_email", side_effect=lookup):
        result = application_submit(
            job=job, key="k1", details=_details(phone="+33 1", resume=SimpleUploadedFile("cv.pdf", doc.PDF))
        )

    theirs.refresh_from_db()
    assert result.application.candidate == theirs and theirs.phone == "+33 1"
    assert Candidate.objects.count() == 1
    assert [p.name for p in _files(private_root)] == [theirs.resume.name.split("/")[-1]]


def test_a_failure_after_the_resume_was_stored_deletes_it_and_writes_nothing(private_root):
    job = job_to_apply()

    def fail(application):
        raise ValidationError("refused")

    with pytest.raises(ValidationError):
        application_submit(
            job=job,
            key="k1",
            details=_details(resume=SimpleUploadedFile("cv.pdf", doc.PDF)),
            record_answers=fail,
        )

    assert not Candidate.objects.exists() and not ApplicationSubmission.objects.exists()
    assert _files(private_root) == []


def test_a_closed_job_is_refused():
    job = job_to_apply(status=JobStatus.CLOSED)
    with pytest.raises(ValidationError):
        application_submit(job=job, key="k1", details=_details())
    assert not ApplicationSubmission.objects.exists() and not Candidate.objects.exists()


def test_a_second_application_racing_for_the_same_job_creates_nothing():
    job = job_to_apply()
    with mock.patch.object(applicants, "application_create", side_effect=IntegrityError("one per job")):
        result = application_submit(job=job, key="k1", details=_details())
    assert result.application is None and not Application.objects.exists()
