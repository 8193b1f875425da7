"""Retention: candidates past their company's retention period are anonymised everywhere, once."""

import datetime
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hiring.models import ApplicationStatus, Candidate, ErasureLog, ErasureReason, StageChange
from hiring.privacy import (
    candidate_anonymise,
    candidate_erase,
    candidate_export_json,
    candidates_anonymise_past_retention,
    candidates_past_retention,
    retention_schedule_install,
)
from hiring.tasks import candidates_anonymise_past_retention_task
from interviews.models import Decision, DecisionOutcome, ScorecardAmendment
from tests.hiring.factories import ApplicationFactory, CandidateFactory, RejectionReasonFactory
from tests.interviews.factories import InterviewFactory, RatingFactory, ScorecardFactory
from tests.security.dataset import rows_of

PERSONAL = (
    "Wilhelmina",
    "wilhelmina.private@example.net",
    "7700 900123",
    "linkedin.example/in/wilhelmina",
    "Privatenote",
)


def _closed_application(company, candidate, *, days_ago, status=ApplicationStatus.REJECTED):
    decided = timezone.now() - datetime.timedelta(days=days_ago)
    return ApplicationFactory(
        company=company,
        candidate=candidate,
        status=status,
        rejection_reason=RejectionReasonFactory(company=company),
        rejection_note="Privatenote: asked for too much",
        decided_at=decided,
        stage_entered_at=decided,
    )


def _person(company, **extra):
    candidate = CandidateFactory(
        company=company,
        name="Wilhelmina Testperson",
        email="wilhelmina.private@example.net",
        phone="+44 7700 900123",
        linkedin_url="https://linkedin.example/in/wilhelmina",
        github_url="https://github.example/wilhelmina",
        location="Privatenote town",
        resume=SimpleUploadedFile("wilhelmina.pdf", b"%PDF-1.4 Wilhelmina"),
        **extra,
    )
    candidate.phone = "+44 7700 900123 (mobile)"
    candidate.save()  # a second history row
    return candidate


def _full_record(company, *, days_ago=200):
    """A candidate with personal data in every place the product keeps some."""
    candidate = _person(company)
    application = _closed_application(company, candidate, days_ago=days_ago)
    StageChange.objects.create(
        company=company,
        application=application,
        to_stage=application.stage,
        to_status=ApplicationStatus.REJECTED,
        note="Privatenote on the move",
        created_at=timezone.now(),
    )
    interview = InterviewFactory(
        application=application, location="Privatenote cafe", video_url="https://meet.example/wilhelmina"
    )
    scorecard = ScorecardFactory(interview=interview, summary="Privatenote: Wilhelmina was sharp")
    rating = RatingFactory(scorecard=scorecard, score=4, evidence="Privatenote evidence about Wilhelmina")
    ScorecardAmendment.objects.create(
        scorecard=scorecard,
        reason="Privatenote typo",
        previous={"summary": "Privatenote old", "recommendation": "yes", "ratings": [{"score": 3}]},
    )
    Decision.objects.create(
        company=company,
        application=application,
        stage=application.stage,
        outcome=DecisionOutcome.REJECT,
        against_verdict=True,
        reason="Privatenote: Wilhelmina's references",
    )
    return candidate, rating


def _personal_values_left() -> list[str]:
    """Every text column (Char, Text, URL, Email, File, JSON) of every table, live and history."""
    found = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.FileField)
        ]
        json_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        for value in PERSONAL:
            if text_fields:
                condition = Q()
                for name in text_fields:
                    condition |= Q(**{f"{name}__icontains": value})
                for row in model._base_manager.filter(condition).values("pk", *text_fields):
                    found.append(f"{model._meta.label} #{row['pk']}: {value}")
            for name in json_fields:
                for pk, data in model._base_manager.values_list("pk", name):
                    if value.lower() in json.dumps(data).lower():
                        found.append(f"{model._meta.label} #{pk} {name}: {value}")
    return found


def test_anonymisation_leaves_no_personal_value_in_any_text_column(
    company, django_capture_on_commit_callbacks
):
    # given a candidate past retention with data everywhere, and their résumé on disk
    candidate, rating = _full_record(company)
    resume_name = candidate.resume.name
    storage = candidate.resume.storage
    assert storage.exists(resume_name)
    assert _personal_values_left()  # the scan sees them before
    # when the retention run happens
    with django_capture_on_commit_callbacks(execute=True):
        assert candidates_anonymise_past_retention() == 1
    # then no personal value is left in any table, the file is gone, counts and scores stay
    assert _personal_values_left() == []
    assert not storage.exists(resume_name)
    candidate.refresh_from_db()
    assert candidate.anonymised_at is not None
    assert candidate.applications.count() == 1
    rating.refresh_from_db()
    assert rating.score == 4
    amendment = ScorecardAmendment.objects.get()
    assert amendment.previous["recommendation"] == "yes"
    assert amendment.previous["ratings"] == [{"score": 3}]
    log = ErasureLog.objects.get()
    assert log.reason == ErasureReason.RETENTION and log.candidate_id == candidate.pk
    assert "Wilhelmina" not in json.dumps(log.summary)


def test_anonymisation_is_idempotent(company, other_company):
    _full_record(company)
    assert candidates_anonymise_past_retention_task() == 1
    before = rows_of(company)
    # a second run finds nothing and changes nothing
    assert candidates_anonymise_past_retention_task() == 0
    assert rows_of(company) == before
    assert ErasureLog.objects.count() == 1


def test_only_candidates_past_retention_are_anonymised(company, other_company):
    old = _person(company)
    _closed_application(company, old, days_ago=200)
    recent = CandidateFactory(company=company, name="Recent")
    _closed_application(company, recent, days_ago=100)
    still_active = CandidateFactory(company=company, name="Still active")
    _closed_application(company, still_active, days_ago=400)
    ApplicationFactory(company=company, candidate=still_active)
    hired = CandidateFactory(company=company, name="Hired")
    ApplicationFactory(
        company=company,
        candidate=hired,
        status=ApplicationStatus.HIRED,
        hired_at=timezone.now() - datetime.timedelta(days=400),
        decided_at=timezone.now() - datetime.timedelta(days=400),
    )
    keeps_consent = CandidateFactory(
        company=company, name="Consented", retain_until=datetime.date.today() + datetime.timedelta(days=30)
    )
    _closed_application(company, keeps_consent, days_ago=400, status=ApplicationStatus.WITHDRAWN)
    no_applications = CandidateFactory(company=company, name="Sourced")
    # another company with a shorter retention period
    other_company.retention_days = 30
    other_company.save()
    short = CandidateFactory(company=other_company, name="Short retention")
    _closed_application(other_company, short, days_ago=60)

    due = set(candidates_past_retention().values_list("pk", flat=True))

    assert due == {old.pk, short.pk}
    assert {recent.pk, still_active.pk, hired.pk, keeps_consent.pk, no_applications.pk}.isdisjoint(due)


def test_dry_run_count_is_one_query_whatever_the_number_of_candidates(company, django_assert_num_queries):
    for _ in range(3):
        _closed_application(company, CandidateFactory(company=company), days_ago=300)
    with django_assert_num_queries(2):  # the companies' periods, then the count
        assert candidates_past_retention().count() == 3
    for _ in range(3):
        _closed_application(company, CandidateFactory(company=company), days_ago=300)
    with django_assert_num_queries(2):
        assert candidates_past_retention().count() == 6


def test_erase_on_request_anonymises_an_active_candidate_and_logs_without_personal_data(company, superuser):
    candidate = _person(company)
    ApplicationFactory(company=company, candidate=candidate)
    log = candidate_erase(candidate=candidate, actor=superuser)
    assert log.reason == ErasureReason.REQUEST and log.actor == superuser
    assert _personal_values_left() == []
    assert candidate_anonymise(candidate=candidate) is None  # already done
    assert ErasureLog.objects.count() == 1
    assert "Wilhelmina" not in json.dumps(list(ErasureLog.objects.values()), default=str)


def test_export_holds_everything_about_the_candidate_and_nothing_else(company):
    candidate, _ = _full_record(company, days_ago=10)
    other = CandidateFactory(company=company, name="Someone Else", email="else@example.net")
    ApplicationFactory(company=company, candidate=other)

    document = json.loads(candidate_export_json(candidate=candidate))

    data = document["data"]
    assert data["hiring.candidate"][0]["email"] == "wilhelmina.private@example.net"
    assert len(data["hiring.historicalcandidate"]) == 2
    assert data["hiring.application"][0]["rejection_note"].startswith("Privatenote")
    assert "hiring.historicalapplication" in data
    assert data["interviews.rating"][0]["evidence"] == "Privatenote evidence about Wilhelmina"
    for key in ("hiring.stagechange", "interviews.interview", "interviews.scorecard", "interviews.decision"):
        assert data[key], key
    assert "Someone Else" not in json.dumps(document)


def test_retention_schedule_install_is_idempotent(db):
    from django_celery_beat.models import PeriodicTask

    first = retention_schedule_install()
    second = retention_schedule_install()
    assert first.pk == second.pk
    task = "hiring.tasks.candidates_anonymise_past_retention_task"
    assert PeriodicTask.objects.filter(task=task).count() == 1
    assert str(second.crontab.hour) == "3"


@pytest.mark.parametrize("days", [0, -5])
def test_company_retention_days_must_be_positive(company, days):
    from django.core.exceptions import ValidationError

    company.retention_days = days
    with pytest.raises(ValidationError):
        company.full_clean()


def test_candidate_model_row_is_the_one_anonymised(company):
    candidate = _person(company)
    _closed_application(company, candidate, days_ago=200)
    candidates_anonymise_past_retention()
    assert Candidate.objects.get(pk=candidate.pk).email == f"anonymised-{candidate.pk}@invalid.example"
