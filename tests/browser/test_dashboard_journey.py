"""Manager: reads the company summary on top of the dashboard, sees the longest-stuck
applications and the jobs without activity folded into one line, and downloads a panel as CSV."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Application, ApplicationStatus
from tests.browser.conftest import login, shot
from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dashboard_data(company, hiring_manager):
    job = JobFactory(company=company, title="Senior backend engineer", hiring_manager=None)
    screen = JobStageFactory(job=job, position=0, name="Recruiter screen", sla_days=3)
    offer = JobStageFactory(job=job, position=1, name="Offer", sla_days=5)
    now = timezone.now()
    for name, days in (("Sam Stuck", 9), ("Sue Stuck", 14)):
        app = ApplicationFactory(company=company, job=job, stage=screen, candidate__name=name)
        Application.objects.filter(pk=app.pk).update(stage_entered_at=now - datetime.timedelta(days=days))
    ApplicationFactory(company=company, job=job, stage=screen, candidate__name="Fred Fresh")
    ApplicationFactory(
        company=company,
        job=job,
        stage=offer,
        candidate__name="Hana Hired",
        status=ApplicationStatus.HIRED,
        hired_at=now,
        decided_at=now,
    )
    # Jobs with a plan but nothing in the range: one line, not a block each.
    for title in ("Data engineer", "Office manager"):
        JobStageFactory(job=JobFactory(company=company, title=title), position=0, name="Review")
    return job


def test_manager_reads_the_summary_and_downloads_a_panel(page, hiring_manager, dashboard_data):
    login(page, hiring_manager.username)
    page.get_by_role("link", name="Manager dashboard").first.click()

    # The summary comes first: open applications, stuck, overdue feedback, hires.
    summary = page.locator("#summary")
    expect(summary.locator(".dashboard-figures li")).to_have_count(5)
    figures = {
        item.locator(".dashboard-figure-label").inner_text(): item.locator(
            ".dashboard-figure-value"
        ).inner_text()
        for item in summary.locator(".dashboard-figures li").all()
    }
    assert figures["Open applications"] == "3"
    assert figures["Stuck"] == "2"
    assert figures["Overdue feedback"] == "0"
    assert figures["Hires this quarter"] == "1"
    shot(page, "manager", full_page=False)

    # The longest-stuck applications, longest first, each opening its application.
    stuck = page.locator("#stuck")
    rows = stuck.locator("tbody tr").all_inner_texts()
    assert [row.split("\t")[0] for row in rows] == ["Sue Stuck", "Sam Stuck"]
    assert stuck.get_by_role("link", name="Sue Stuck").get_attribute("href").endswith("/change/")

    # The jobs without activity are one line, the active job a block.
    assert page.locator("h2.dashboard-job").all_inner_texts() == ["Senior backend engineer"]
    quiet = page.locator(".dashboard-quiet")
    assert "2 jobs without activity in this range" in quiet.inner_text()
    quiet.locator("summary").click()
    assert quiet.get_by_role("link", name="Office manager").is_visible()

    # The stuck panel as a CSV file.
    with page.expect_download() as download_info:
        stuck.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert re.fullmatch(r"dashboard-stuck-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8").read())))  # noqa: SIM115
    assert rows[0] == ["Candidate", "Job", "Stage", "Days in stage", "SLA (days)"]
    assert rows[1:] == [
        ["Sue Stuck", "Senior backend engineer", "Recruiter screen", "14", "3"],
        ["Sam Stuck", "Senior backend engineer", "Recruiter screen", "9", "3"],
    ]

    # And the summary's own file holds the figures the page shows.
    with page.expect_download() as download_info:
        summary.get_by_role("link", name="Download CSV").click()
    with open(download_info.value.path(), encoding="utf-8") as f:
        summary_rows = dict(list(csv.reader(f))[1:])
    assert summary_rows["Open applications"] == "3" and summary_rows["Hires this quarter"] == "1"
    shot(page, "manager-4-dashboard-summary")
