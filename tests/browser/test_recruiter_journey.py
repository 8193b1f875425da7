"""Recruiter: opens a job from a template, adds a candidate and an application, moves it from the
actions right under the candidate's header, starts scheduling an interview and sees that the
interviewer is already booked before saving, rejects another application with a reason, and imports
a CSV whose bad row is reported."""

import re

import pytest

from hiring.models import Application, ApplicationStatus, Candidate, Job, Role, StageChange
from tests.browser.conftest import expect_message, login, select2_pick, shot
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    ProcessTemplateFactory,
    RejectionReasonFactory,
    TemplateStageFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PLAN = ["Recruiter screen", "Technical interview", "System design", "Offer"]


@pytest.fixture
def template(company):
    template = ProcessTemplateFactory(company=company, name="Backend engineer loop")
    for position, name in enumerate(PLAN):
        TemplateStageFactory(template=template, position=position, name=name)
    return template


@pytest.fixture
def application_to_reject(company):
    job = JobFactory(company=company, title="Data engineer")
    stage = JobStageFactory(job=job, position=0, name="Recruiter screen")
    JobStageFactory(job=job, position=1, name="Take-home")
    candidate = CandidateFactory(company=company, name="Rita Reyes", email="rita@example.org")
    return ApplicationFactory(company=company, job=job, stage=stage, candidate=candidate)


@pytest.fixture
def booked_interviewer(company, application_to_reject):
    """An interviewer with an interview on 6 May 2031 from 10:00 to 10:45 UTC."""
    import datetime

    from interviews.services import interview_schedule
    from tests.interviews.factories import InterviewKitFactory
    from tests.rubrics.factories import RubricFactory

    member = MembershipFactory(company=company, role=Role.INTERVIEWER)
    kit = InterviewKitFactory(
        stage=application_to_reject.stage,
        company=company,
        rubric=RubricFactory(company=company),
        name="Screen call",
    )
    interview_schedule(
        application=application_to_reject,
        kit=kit,
        starts_at=datetime.datetime(2031, 5, 6, 10, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 5, 6, 10, 45, tzinfo=datetime.UTC),
        interviewers=[member],
    )
    return member


@pytest.fixture
def reasons(company, other_company):
    RejectionReasonFactory(company=other_company, name="Globex budget freeze")
    return RejectionReasonFactory(company=company, name="Not enough backend experience")


def test_recruiter_runs_the_pipeline(
    page, company, recruiter, template, application_to_reject, reasons, booked_interviewer
):
    login(page, recruiter.username)

    # Open a job from the template: it gets its own copy of the plan.
    page.goto("/admin/hiring/job/add/")
    select2_pick(page, "#id_template", "Backend", "Backend engineer loop")
    page.fill("#id_title", "Senior backend engineer")
    page.select_option("#id_status", "open")
    page.get_by_role("button", name="Save and continue editing").click()
    expect_message(page, "was added successfully")
    job = Job.objects.get(title="Senior backend engineer")
    assert list(job.stages.values_list("name", flat=True)) == PLAN

    # Add a candidate, then their application to the new job.
    page.goto("/admin/hiring/candidate/add/")
    page.fill("#id_name", "Ada Lovelace")
    page.fill("#id_email", "ada@example.org")
    page.select_option("#id_source", "referral")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_message(page, "was added successfully")

    page.goto("/admin/hiring/application/add/")
    select2_pick(page, "#id_candidate", "Ada", "Ada Lovelace")
    select2_pick(page, "#id_job", "Senior", "Senior backend engineer")
    page.select_option("#id_source", "referral")
    page.get_by_role("button", name="Save and continue editing").click()
    expect_message(page, "was added successfully")

    # Its page is the candidate's: titled with the name and the job, the contact details on top.
    assert page.locator("h1").inner_text() == "Ada Lovelace — Senior backend engineer"
    assert "ada@example.org" in page.locator("#application-header").inner_text()

    # Advance it two stages from its page.
    page.get_by_role("button", name="Advance to the next stage").click()
    expect_message(page, "now in Technical interview")
    page.fill("#move-note", "Strong screen, moving fast.")
    page.get_by_role("button", name="Advance to the next stage").click()
    expect_message(page, "now in System design")
    page.locator("#application-timeline").scroll_into_view_if_needed()
    shot(page, "recruiter-1-application-moved")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "application-page", full_page=False)  # the first screen: header and next step
    application = Application.objects.get(candidate__name="Ada Lovelace")
    assert application.stage.name == "System design"
    assert StageChange.objects.filter(application=application).count() == 3

    # Schedule from the same first screen: the form names the application and offers the zones;
    # ticking an interviewer booked at that time says so before anything is saved.
    page.locator("#application-actions").get_by_role("link", name="Schedule interview").click()
    assert "Ada Lovelace — Senior backend engineer" in page.locator("#id_application").inner_text()
    assert page.locator("#id_timezone").input_value() == "UTC"
    page.fill("#id_starts_at_0", "2031-05-06")
    page.fill("#id_starts_at_1", "10:15")
    page.get_by_label(booked_interviewer.display_name).check()
    conflicts = page.locator("#interview-conflicts")
    conflicts.get_by_text("Already booked at this time").wait_for()
    assert (
        f"{booked_interviewer.display_name}: Screen call, 2031-05-06 10:00–10:45 (UTC)"
        in conflicts.inner_text()
    )
    shot(page, "recruiter-1-schedule-conflict")
    page.go_back()

    # Reject another application with a reason from the company's list.
    page.goto("/admin/hiring/application/")
    page.get_by_role("link", name="Rita Reyes").click()
    options = page.locator("#move-reason option").all_inner_texts()
    assert "Globex budget freeze" not in options
    page.select_option("#move-reason", label="Not enough backend experience")
    page.fill("#move-note", "Little distributed-systems work so far.")
    page.get_by_role("button", name="Reject", exact=True).click()
    expect_message(page, "Rita Reyes: rejected")
    application_to_reject.refresh_from_db()
    assert application_to_reject.status == ApplicationStatus.REJECTED
    assert application_to_reject.rejection_reason == reasons

    # Import a small CSV: one bad row refuses the whole file, with the line and the reason.
    page.goto("/admin/hiring/application/")
    page.get_by_role("link", name="Import candidates and applications").click()
    upload(page, BAD_CSV)
    errors = page.locator("#import-errors")
    errors.wait_for()
    assert errors.locator("tr.row-error").count() == 1
    assert errors.locator("tr.row-error td").first.inner_text() == "3"
    shot(page, "recruiter-2-import-refused")
    assert not Candidate.objects.filter(email="grace@example.org").exists()

    # The corrected file is previewed, then imported.
    upload(page, BAD_CSV.replace("not-an-email", "linus@example.org"))
    page.get_by_role("button", name=re.compile("^Import candidates.csv")).click()
    expect_message(page, "Imported.")
    assert (
        job.applications.filter(candidate__email__in=["grace@example.org", "linus@example.org"]).count() == 2
    )

    page.get_by_role("link", name="Senior backend engineer").first.click()
    page.locator("#result_list").wait_for()
    shot(page, "recruiter", full_page=False)


BAD_CSV = """job_title,email,name,source
Senior backend engineer,grace@example.org,Grace Hopper,LinkedIn
Senior backend engineer,not-an-email,Linus Torvalds,Referral
"""


def upload(page, text: str):
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "candidates.csv", "mimeType": "text/csv", "buffer": text.encode()}],
    )
    page.get_by_role("button", name="Check the file").click()
