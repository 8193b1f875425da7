"""Recruiter: leaves a note that mentions a colleague on an application (the colleague gets an
email in the outbox), then writes to two candidates chosen in the application list, checks the
preview of each email and sends them (two emails in the outbox, one in each timeline)."""

import pytest
from playwright.sync_api import expect

from hiring.models import Note, Role
from interviews.models import Notification
from interviews.notifications.events import NotificationEvent
from tests.browser.conftest import expect_message, login, shot
from tests.hiring.factories import (
    ApplicationFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def applications(company):
    job = JobFactory(company=company, title="Platform engineer")
    stage = JobStageFactory(job=job, position=0, name="Recruiter screen")
    JobStageFactory(job=job, position=1, name="Technical interview")
    return [
        ApplicationFactory(company=company, job=job, stage=stage, candidate__name=name)
        for name in ("Sabas Soria", "Nadia Okafor")
    ]


def test_recruiter_leaves_a_note_and_writes_to_two_candidates(page, company, recruiter, applications):
    colleague = UserFactory(username="amelie", first_name="Amélie", last_name="Roux")
    MembershipFactory(user=colleague, company=company, role=Role.HIRING_MANAGER)
    first = applications[0]
    login(page, recruiter.username)

    # A note with a mention, on the application page.
    page.goto(f"/admin/hiring/application/{first.pk}/change/")
    page.fill("#note-body", "Strong systems answers; @amelie can you take the technical interview? @nobody")
    page.get_by_role("button", name="Save the note").click()
    expect_message(page, "Told by email: Amélie Roux")
    expect_message(page, "@nobody")
    expect(page.locator("#notes .note-body")).to_contain_text("@amelie can you take")
    assert Note.objects.get(kind="note").application_id == first.pk
    mention = Notification.objects.get(event=NotificationEvent.NOTE_MENTION)
    assert mention.recipient == colleague.email

    # Two candidates chosen in the application list, written to with a preview per recipient.
    page.goto(f"/admin/hiring/application/?job={first.job_id}")
    for application in applications:
        page.locator(f"input.action-select[value='{application.pk}']").check()
    page.select_option("select[name=action]", "write_to_candidates")
    page.locator("button[name=index]").click()
    expect(page.locator("h1")).to_contain_text("Write to 2 candidates")
    page.fill("#id_subject", "{{ job_title }}: your availability")
    page.fill("#id_body", "Hello {{ candidate_name }},\nWhen could you talk this week?\n{{ sender_name }}")
    page.get_by_role("button", name="Preview").click()
    previews = page.locator(".email-preview")
    expect(previews).to_have_count(2)
    expect(previews.first).to_contain_text("Hello Nadia Okafor")
    expect(previews.nth(1)).to_contain_text("Hello Sabas Soria")
    shot(page, "notes-write-preview")
    page.get_by_role("button", name="Send 2 emails").click()
    expect_message(page, "2 emails written to the outbox")
    written = Notification.objects.filter(event=NotificationEvent.CANDIDATE_EMAIL)
    assert sorted(written.values_list("recipient", flat=True)) == sorted(
        a.candidate.email for a in applications
    )

    # Each application's timeline shows the email with its sender.
    page.goto(f"/admin/hiring/application/{first.pk}/change/")
    expect(page.locator("#application-timeline .timeline-email")).to_contain_text(
        "Email sent: Platform engineer: your availability"
    )
