"""Two open jobs may share a title: wherever a job is chosen it says its team, location and status."""

import json

import pytest
from django.urls import reverse

from hiring.display import job_label
from hiring.models import Job, JobStatus
from tests.hiring.factories import JobFactory

pytestmark = pytest.mark.django_db

PLATFORM, PAYMENTS = "Backend Engineer — Platform · Paris · Open", "Backend Engineer — Payments · Lyon · Open"


@pytest.fixture
def twins(company):
    return (
        JobFactory(
            company=company,
            title="Backend Engineer",
            team="Platform",
            location="Paris",
            status=JobStatus.OPEN,
        ),
        JobFactory(
            company=company, title="Backend Engineer", team="Payments", location="Lyon", status=JobStatus.OPEN
        ),
    )


def test_the_label_names_team_location_and_status():
    assert job_label("Backend Engineer", "Platform", "Paris", "Open") == PLATFORM
    assert job_label("Designer", "", "", "On hold") == "Designer · On hold"
    assert job_label("Designer", "", "", "") == "Designer"


def test_the_job_autocomplete_tells_two_jobs_of_one_title_apart(twins, recruiter_client):
    url = reverse("admin:autocomplete")
    params = {"app_label": "hiring", "model_name": "application", "field_name": "job", "term": "Backend"}
    results = json.loads(recruiter_client.get(url, params).content)["results"]
    assert {r["text"] for r in results} == {PLATFORM, PAYMENTS}


def test_job_selects_and_the_job_filter_tell_them_apart(twins, recruiter_client):
    form = recruiter_client.get(reverse("admin:hiring_application_add")).context["adminform"].form
    field = form.fields["job"]
    assert {field.label_from_instance(job) for job in twins} == {PLATFORM, PAYMENTS}
    page = recruiter_client.get(reverse("admin:hiring_application_changelist")).content.decode()
    assert PLATFORM in page and PAYMENTS in page
    assert str(Job.objects.get(team="Platform")) == "Backend Engineer"  # __str__ stays the title
