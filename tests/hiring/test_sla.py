"""One past-SLA rule: the SQL filter, the Python check of a read row and the dashboard's stuck count
agree, at the boundary too."""

import datetime

import pytest
from django.utils import timezone

from hiring.models import Application, ApplicationStatus, Membership
from hiring.selectors import application_overdue_q, applications_with_time_in_stage, is_past_sla
from interviews.dashboard.selectors import DashboardFilters, pipeline_figures
from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory, RejectionReasonFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
SLA = datetime.timedelta(days=5)


@pytest.fixture
def applications(company):
    """Applications of one stage with a five-day SLA, entered around the SLA ago."""
    now = timezone.now()
    job = JobFactory(company=company)
    stage = JobStageFactory(job=job, position=0, sla_days=5)
    cases = {
        "within": (now - SLA + HOUR, ApplicationStatus.ACTIVE),
        "past": (now - SLA - HOUR, ApplicationStatus.ACTIVE),
        "long past": (now - 3 * SLA, ApplicationStatus.ACTIVE),
        "on hold": (now - 3 * SLA, ApplicationStatus.ON_HOLD),
        "rejected": (now - 3 * SLA, ApplicationStatus.REJECTED),
    }
    reason = RejectionReasonFactory(company=company)
    return {
        name: ApplicationFactory(
            rejection_reason=reason if status == ApplicationStatus.REJECTED else None,
            company=company,
            job=job,
            stage=stage,
            stage_entered_at=entered,
            status=status,
        )
        for name, (entered, status) in cases.items()
    }


def names(applications, pks):
    return {name for name, a in applications.items() if a.pk in pks}


def test_only_active_applications_longer_than_the_sla_are_past_it(applications):
    overdue = set(Application.objects.filter(application_overdue_q()).values_list("pk", flat=True))

    assert names(applications, overdue) == {"past", "long past"}


def test_the_python_check_agrees_with_the_sql_filter(applications):
    rows = applications_with_time_in_stage(Application.objects.select_related("stage"))

    checked = {a.pk for a in rows if is_past_sla(a)}

    assert names(applications, checked) == {"past", "long past"}
    assert checked == set(Application.objects.filter(application_overdue_q()).values_list("pk", flat=True))


def test_the_sql_filter_reads_the_moment_given(applications):
    two_days_ago = timezone.now() - datetime.timedelta(days=2)

    overdue = Application.objects.filter(application_overdue_q(now=two_days_ago)).values_list("pk", flat=True)

    assert names(applications, set(overdue)) == {"long past"}


@pytest.mark.parametrize("days_back", [0, 2])
def test_the_dashboard_counts_as_stuck_what_the_rule_says(company, applications, days_back):
    now = timezone.now() - datetime.timedelta(days=days_back)
    today = timezone.localdate(now)
    filters = DashboardFilters(
        company_ids=(company.pk,),
        job_id=None,
        date_from=today - datetime.timedelta(days=30),
        date_to=today,
        now=now,
    )

    (stage,) = pipeline_figures(filters).stages

    assert stage.stuck == Application.objects.filter(application_overdue_q(now=now)).count()
    assert stage.stuck == (2 if days_back == 0 else 1)


def test_the_sla_digest_lists_what_the_rule_says(company, applications, hiring_manager):
    from interviews.notifications import producers
    from interviews.notifications.models import Notification

    job = applications["past"].job
    job.hiring_manager = Membership.objects.get(user=hiring_manager, company=company)
    job.save(update_fields=["hiring_manager"])

    (digest_id,) = producers.sla_digests_create(now=timezone.now())

    body = Notification.objects.get(pk=digest_id).body
    listed = {name for name, a in applications.items() if a.candidate.name in body}
    assert listed == {"past", "long past"}
