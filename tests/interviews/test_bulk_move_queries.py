"""An inline bulk action's work per application: what the moves share is read once per action, and
their emails are handed over in one send task; the queries left per application are the move's
own writes (lock, row, history, stage change, outbox rows) and their sending."""

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import Application, ApplicationStatus, StageChange
from hiring.services import application_create
from interviews.notifications.models import Notification, NotificationStatus
from interviews.notifications.publishing import publish
from tests.hiring.factories import (
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    RejectionReasonFactory,
)
from tests.interviews.factories import InterviewKitFactory

APPS = reverse("admin:hiring_application_changelist")
# Queries an application adds to an inline bulk action (SQLite, emails sent inline): its lock
# again in the service, its row, history and stage change, the new stage's and the constraints'
# checks, its savepoint, the candidate's and the team's outbox rows and their sending (24 for an
# advance, 21 for a reject). On PostgreSQL it was 39 and 32 when each move read its own plan,
# templates, sessions and team and had its own transaction and send task. One more since the
# candidate's email carries their own portal link (one insert of its hashed token).
PER_APPLICATION = 25


@pytest.fixture
def job(company):
    job = JobFactory(company=company, title="Backend engineer")
    stages = [JobStageFactory(job=job, position=i, name=f"S{i}") for i in range(3)]
    kit = InterviewKitFactory(stage=stages[1], company=company, name="Pairing")
    kit.default_interviewers.add(MembershipFactory(company=company, user__email="team@example.com"))
    return job


def applied(job, count):
    return [
        application_create(
            candidate=CandidateFactory(company=job.company), job=job, source="referral", actor=None
        )
        for _ in range(count)
    ]


def confirm(client, name, ids, **form):
    base = {"action": name, "_selected_action": [str(i) for i in ids]}
    page = client.post(APPS, base)
    assert page.status_code == 200
    token = re.search(r'name="selection" value="([^"]+)"', page.content.decode()).group(1)
    return {**base, "apply": "1", "select_across": "1", "selection": token, **form}


def measured(client, data):
    """The confirmed action's queries, and the send tasks it published (each a list of ids)."""
    published = []

    def spy(task_name, batches):
        published.append([list(ids) for ids in batches])
        return publish(task_name, batches)

    with (
        mock.patch("interviews.notifications.publishing.publish", side_effect=spy),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.post(APPS, data)
    assert response.status_code == 302
    return queries.captured_queries, published


def shared_reads(queries) -> int:
    """The reads every move of a stage shares: the plan, templates, sessions, tracks and team."""
    shared = (
        'FROM "hiring_stage" WHERE "hiring_stage"."job_id"',
        '"interviews_notificationtemplate"',
        '"interviews_interviewkit"',
        'FROM "hiring_track"',
        'FROM "hiring_membership" INNER JOIN',
    )
    return sum(1 for q in queries if q["sql"].startswith("SELECT") and any(s in q["sql"] for s in shared))


@pytest.mark.django_db(transaction=True)
def test_inline_bulk_advance_reads_once_what_its_moves_share(recruiter_client, job, settings):
    settings.HIRELOOP_BULK_INLINE_MAX = 50
    small, big = applied(job, 10), applied(job, 20)

    small_queries, small_tasks = measured(
        recruiter_client, confirm(recruiter_client, "advance_selected", [a.pk for a in small], note="")
    )
    big_queries, big_tasks = measured(
        recruiter_client, confirm(recruiter_client, "advance_selected", [a.pk for a in big], note="")
    )

    # every application moved once, with one history row, and its candidate and the team told
    for apps in (small, big):
        assert set(
            Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("stage__position", flat=True)
        ) == {1}
        assert StageChange.objects.filter(application__in=apps, from_stage__isnull=False).count() == len(apps)
    assert Notification.objects.filter(status=NotificationStatus.SENT, event="stage_entered").count() == 30
    assert (
        Notification.objects.filter(status=NotificationStatus.SENT, event="stage_entered_team").count() == 30
    )
    # one send task per action, with every email of its moves
    assert [len(ids) for batches in small_tasks for ids in batches] == [20]
    assert [len(ids) for batches in big_tasks for ids in batches] == [40]
    # what the moves share is read the same number of times for 10 and for 20 applications
    assert shared_reads(small_queries) == shared_reads(big_queries)
    assert len(big_queries) - len(small_queries) <= 10 * PER_APPLICATION


@pytest.mark.django_db(transaction=True)
def test_inline_bulk_reject_costs_a_fixed_allowance_per_application(recruiter_client, job, company):
    reason = RejectionReasonFactory(company=company)
    small, big = applied(job, 10), applied(job, 20)
    form = {"reason": str(reason.pk), "note": "Not this time."}

    small_queries, small_tasks = measured(
        recruiter_client, confirm(recruiter_client, "reject_selected", [a.pk for a in small], **form)
    )
    big_queries, big_tasks = measured(
        recruiter_client, confirm(recruiter_client, "reject_selected", [a.pk for a in big], **form)
    )

    assert Application.objects.filter(status=ApplicationStatus.REJECTED).count() == 30
    assert Notification.objects.filter(status=NotificationStatus.SENT, event="rejected").count() == 30
    assert [len(ids) for batches in big_tasks for ids in batches] == [20]
    assert shared_reads(small_queries) == shared_reads(big_queries)
    assert len(big_queries) - len(small_queries) <= 10 * PER_APPLICATION


@pytest.mark.django_db(transaction=True)
def test_a_refused_move_in_a_bulk_action_leaves_nothing_and_the_others_are_sent(recruiter_client, job):
    apps = applied(job, 3)
    data = confirm(recruiter_client, "advance_selected", [a.pk for a in apps], note="")
    last = job.stages.order_by("-position").first()
    # someone else moves the middle one meanwhile: it is refused, the others move and are told
    Application.objects.filter(pk=apps[1].pk).update(stage=last)

    queries, tasks = measured(recruiter_client, data)

    assert Application.objects.get(pk=apps[1].pk).stage == last
    assert not StageChange.objects.filter(application=apps[1], from_stage__isnull=False).exists()
    assert not Notification.objects.filter(application=apps[1], event="stage_entered").exists()
    sent = set(Notification.objects.filter(event="stage_entered").values_list("application_id", flat=True))
    assert sent == {apps[0].pk, apps[2].pk}
    assert [len(ids) for batches in tasks for ids in batches] == [4]
