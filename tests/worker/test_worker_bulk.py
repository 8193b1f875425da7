"""Bulk jobs through a real Celery worker on Redis and PostgreSQL."""

import pytest

from hiring.bulk import Seen, bulk_job_create, bulk_job_enqueue
from hiring.models import ApplicationStatus, BulkJob, BulkJobStatus, StageChange
from hiring.services import application_create
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory
from tests.worker.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _applications(company, count):
    job = JobFactory(company=company)
    for i in range(3):
        JobStageFactory(job=job, position=i, name=f"S{i}")
    candidates = [CandidateFactory(company=company) for _ in range(count)]
    return [application_create(candidate=c, job=job, source="referral", actor=None) for c in candidates]


def test_a_bulk_job_killed_mid_way_then_resumed_moves_each_application_once(workers, company, recruiter):
    # given a job of 150 applications, run by a worker
    apps = _applications(company, 150)
    items = [Seen(a.pk, a.company_id, a.stage_id, a.status) for a in apps]
    first = workers.start("w1", concurrency=1)
    job = bulk_job_create(company_id=company.pk, actor=recruiter, action="advance", items=items)
    # when the worker is killed once it has started, then the job is resumed on another worker
    assert wait_for(lambda: BulkJob.objects.get(pk=job.pk).done > 0, timeout=60)
    workers.kill(first)
    stopped_at = BulkJob.objects.get(pk=job.pk).done
    workers.start("w2", concurrency=1)
    assert bulk_job_enqueue(job_id=job.pk)
    # then it finishes, and every application moved exactly once
    assert wait_for(lambda: BulkJob.objects.get(pk=job.pk).status == BulkJobStatus.DONE, timeout=120)
    job.refresh_from_db()
    assert 0 < stopped_at < 150 and (job.done, job.moved, job.refused) == (150, 150, 0)
    advances = StageChange.objects.filter(application__in=apps, from_status=ApplicationStatus.ACTIVE)
    assert advances.count() == 150
    assert set(advances.values_list("to_stage__position", flat=True)) == {1}
