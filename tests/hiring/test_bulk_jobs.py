"""Bulk moves: the confirmation carries what the user saw; big ones run as a job with a progress page."""

import re
import time

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from hiring.bulk import Seen, bulk_job_create, bulk_job_run
from hiring.models import (
    Application,
    ApplicationStatus,
    BulkJob,
    BulkJobResult,
    BulkJobStatus,
    Role,
    StageChange,
)
from hiring.services import application_advance, application_create
from hiring.tasks import bulk_job_run_task
from tests.hiring.factories import CandidateFactory, JobFactory, JobStageFactory, MembershipFactory

APPS = reverse("admin:hiring_application_changelist")


def messages_of(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def make_job(company, stages=3, title="Backend engineer"):
    job = JobFactory(company=company, title=title)
    for i in range(stages):
        JobStageFactory(job=job, position=i, name=f"S{i}", sla_days=5)
    return job


def apply(job):
    return application_create(
        candidate=CandidateFactory(company=job.company), job=job, source="referral", actor=None
    )


def post_action(client, name, ids, url=APPS, **extra):
    data = {"action": name, "_selected_action": [str(i) for i in ids], **extra}
    return client.post(url, data)


def selection_of(response) -> str:
    return re.search(r'name="selection" value="([^"]+)"', response.content.decode()).group(1)


def apply_page(client, name, page, ids, url=APPS, **form):
    token = selection_of(page)
    return post_action(client, name, ids, url, apply="1", select_across="1", selection=token, **form)


def positions(apps):
    return [Application.objects.get(pk=a.pk).stage.position for a in apps]


def seen_of(apps):
    return [Seen(a.pk, a.company_id, a.stage_id, a.status) for a in apps]


@pytest.fixture
def job(company):
    return make_job(company)


def test_a_bulk_action_over_the_threshold_runs_as_a_job_with_a_progress_page(
    recruiter_client, job, settings, django_capture_on_commit_callbacks
):
    # given 5 applications and a threshold of 3
    settings.HIRELOOP_BULK_INLINE_MAX = 3
    apps = [apply(job) for _ in range(5)]
    ids = [a.pk for a in apps]
    page = post_action(recruiter_client, "advance_selected", ids)
    assert "moved in the background" in page.content.decode()
    # when the advance is confirmed (the job is queued after commit; without a broker it runs inline)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = apply_page(recruiter_client, "advance_selected", page, ids)
    bulk = BulkJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:hiring_application_bulkjob", args=[bulk.pk]
    )
    # then, before a worker ran it, nothing moved and the page refreshes itself
    assert positions(apps) == [0] * 5 and bulk.status == BulkJobStatus.PENDING and bulk.total == 5
    waiting = recruiter_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in waiting and "0 of 5 done" in waiting
    for callback in callbacks:
        callback()
    # and once it ran, all moved, the page lists them and stops refreshing
    bulk.refresh_from_db()
    assert (bulk.status, bulk.done, bulk.moved, bulk.refused) == (BulkJobStatus.DONE, 5, 5, 0)
    assert positions(apps) == [1] * 5
    done = recruiter_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in done and "5 of 5 done" in done and "Moved (5)" in done


def test_a_job_saves_its_progress_chunk_by_chunk(recruiter, job):
    apps = [apply(job) for _ in range(5)]
    bulk = bulk_job_create(company_id=job.company_id, actor=recruiter, action="advance", items=seen_of(apps))
    # a run whose time budget is spent after the first chunk stops there and says more remain
    bulk_after, more = bulk_job_run(job_id=bulk.pk, chunk_size=2, budget_seconds=0)
    assert more and (bulk_after.status, bulk_after.done, bulk_after.total) == (BulkJobStatus.RUNNING, 2, 5)
    assert sorted(positions(apps)) == [0, 0, 0, 1, 1]
    bulk_after, more = bulk_job_run(job_id=bulk.pk, chunk_size=2)
    assert not more and (bulk_after.status, bulk_after.done) == (BulkJobStatus.DONE, 5)
    assert positions(apps) == [1] * 5


def test_running_a_job_again_moves_nothing_twice(recruiter, job):
    apps = [apply(job) for _ in range(4)]
    bulk = bulk_job_create(company_id=job.company_id, actor=recruiter, action="advance", items=seen_of(apps))
    bulk_job_run(job_id=bulk.pk, chunk_size=3, budget_seconds=0)  # stopped after 3, as a lost worker would
    # the task delivered again, twice, and once more after the job is done
    bulk_job_run_task(bulk.pk)
    BulkJob.objects.filter(pk=bulk.pk).update(status=BulkJobStatus.RUNNING)  # a redelivery mid-run
    bulk_job_run_task(bulk.pk)
    bulk_job_run_task(bulk.pk)
    bulk.refresh_from_db()
    assert (bulk.done, bulk.moved, BulkJobResult.objects.filter(job=bulk).count()) == (4, 4, 4)
    assert positions(apps) == [1] * 4
    assert StageChange.objects.filter(application__in=apps, from_status=ApplicationStatus.ACTIVE).count() == 4


def test_the_job_page_lists_what_was_refused_and_why(
    recruiter_client, recruiter, job, settings, django_capture_on_commit_callbacks
):
    settings.HIRELOOP_BULK_INLINE_MAX = 2
    apps = [apply(job) for _ in range(4)]
    for _ in range(2):
        application_advance(application=apps[3], actor=recruiter)  # at the last stage
    ids = [a.pk for a in apps]
    page = post_action(recruiter_client, "advance_selected", ids)
    # someone else advances one of them after the confirmation page was shown
    application_advance(application=Application.objects.get(pk=apps[0].pk), actor=recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        response = apply_page(recruiter_client, "advance_selected", page, ids)
    html = recruiter_client.get(response["Location"]).content.decode()
    assert "Not moved (2)" in html and "Moved (2)" in html
    assert "Someone else moved this application meanwhile" in html and "is the last stage" in html
    assert apps[0].candidate.name in html
    # the one moved meanwhile moved once, not twice
    assert positions(apps) == [1, 1, 1, 2]


def test_another_companys_staff_get_404_on_a_bulk_job(
    admin_client_for, recruiter, company, other_company_admin, company_admin, job
):
    items = seen_of([apply(job)])
    bulk = bulk_job_create(company_id=company.pk, actor=recruiter, action="advance", items=items)
    url = reverse("admin:hiring_application_bulkjob", args=[bulk.pk])
    colleague = MembershipFactory(company=company, role=Role.RECRUITER).user
    assert admin_client_for(other_company_admin).get(url).status_code == 404
    assert admin_client_for(other_company_admin).post(url, {"resume": "1"}).status_code == 404
    assert admin_client_for(colleague).get(url).status_code == 404
    assert admin_client_for(recruiter).get(url).status_code == 200
    assert admin_client_for(company_admin).get(url).status_code == 200


def test_a_job_refuses_everything_when_its_user_lost_the_role(recruiter, job):
    apps = [apply(job) for _ in range(2)]
    bulk = bulk_job_create(company_id=job.company_id, actor=recruiter, action="advance", items=seen_of(apps))
    recruiter.memberships.update(role=Role.INTERVIEWER)
    bulk_job_run(job_id=bulk.pk)
    assert positions(apps) == [0, 0]
    assert set(BulkJobResult.objects.filter(job=bulk).values_list("moved", flat=True)) == {False}


def test_under_the_threshold_a_bulk_advance_stays_inline_within_two_seconds(recruiter_client, job, settings):
    # given 50 applications, the default threshold
    assert settings.HIRELOOP_BULK_INLINE_MAX == 50
    apps = [apply(job) for _ in range(50)]
    ids = [a.pk for a in apps]
    page = post_action(recruiter_client, "advance_selected", ids)
    # when the advance is confirmed
    started, cpu = time.monotonic(), time.process_time()
    response = apply_page(recruiter_client, "advance_selected", page, ids)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    print(f"50 inline: {elapsed:.2f} s wall, {cpu:.2f} s CPU")
    # then all 50 moved in the request, with no job
    assert "50 moved." in messages_of(response)
    assert not BulkJob.objects.exists() and positions(apps) == [1] * 50
    # Timed in CPU seconds of the process (SQLite runs inside it): a shared, loaded test machine
    # stretches the wall clock several times over; the work itself is what must stay under 2 s.
    assert cpu < 2.0, f"{elapsed:.2f} s wall, {cpu:.2f} s CPU"


def test_a_stale_confirmation_moves_only_what_is_still_as_shown(recruiter_client, recruiter, job):
    # given a confirmation page for 3 applications in the first stage
    apps = [apply(job) for _ in range(3)]
    ids = [a.pk for a in apps]
    page = post_action(recruiter_client, "advance_selected", ids)
    # when another tab advances one of them, then this one confirms
    application_advance(application=apps[1], actor=recruiter)
    response = apply_page(recruiter_client, "advance_selected", page, ids)
    # then that one is refused with the reason and stays one stage on, not two
    text = messages_of(response)
    assert "2 moved; 1 not moved: Someone else moved this application meanwhile" in text
    assert positions(apps) == [1, 1, 1]


def test_a_confirmation_of_another_user_or_action_moves_nothing(
    recruiter_client, admin_client_for, company, job
):
    apps = [apply(job) for _ in range(2)]
    ids = [a.pk for a in apps]
    page = post_action(recruiter_client, "advance_selected", ids)
    colleague = admin_client_for(MembershipFactory(company=company, role=Role.RECRUITER).user)
    for client, name in ((colleague, "advance_selected"), (recruiter_client, "move_selected")):
        response = apply_page(client, name, page, ids)
        assert "nothing was moved" in messages_of(response)
    assert positions(apps) == [0, 0]


def test_a_select_all_confirmation_states_the_count_and_the_filters(recruiter_client, company, job):
    for _ in range(3):
        apply(job)
    apply(make_job(company, title="Designer"))
    url = f"{APPS}?job={job.pk}&status__exact=active"
    html = post_action(recruiter_client, "advance_selected", [1], url, select_across="1").content.decode()
    assert "3 applications</strong>: all of the list, filtered by:" in html
    assert "job: Backend engineer" in html and "status: Active" in html


def test_a_select_all_bulk_advance_filtered_by_another_company_moves_nothing(
    recruiter_client, job, other_company
):
    # the attack of issue 15: "select all" on ?company=<not mine> once moved every application
    apps = [apply(job) for _ in range(3)]
    url = f"{APPS}?company={other_company.pk}"
    response = post_action(recruiter_client, "advance_selected", [apps[0].pk], url, select_across="1")
    assert response.status_code == 302
    text = messages_of(response)
    assert "names something outside your companies" in text and "nothing was moved" in text
    assert positions(apps) == [0, 0, 0]
