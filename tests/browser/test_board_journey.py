"""Recruiter: works a job from its pipeline board: moves one card by dragging it to the next column,
another from the keyboard, and sees on the card why a third move is refused."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hiring.models import Application, StageChange
from hiring.tagging import tag_names_split, tags_add_by_name
from interviews.models import InterviewStatus, Recommendation, ScorecardStatus
from tests.browser.conftest import assert_accessible, login, shot
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    RejectionReasonFactory,
)
from tests.interviews.factories import InterviewFactory, ScorecardFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board_job(company):
    job = JobFactory(company=company, title="Senior backend engineer")
    plan = [
        JobStageFactory(job=job, position=i, name=name, sla_days=5)
        for i, name in enumerate(["Recruiter screen", "Technical interview", "Offer"])
    ]
    RejectionReasonFactory(company=company, name="Not enough backend experience")
    now = timezone.now()

    def apply(name, stage, days, tags=""):
        candidate = CandidateFactory(company=company, name=name)
        tags_add_by_name(company_id=company.pk, names_by_candidate={candidate.pk: tag_names_split(tags)})
        entered = now - datetime.timedelta(days=days)
        return ApplicationFactory(
            company=company,
            job=job,
            candidate=candidate,
            stage=stage,
            applied_at=entered,
            stage_entered_at=entered,
        )

    apply("Ada Lovelace", plan[0], 1, tags="python, referral")
    apply("Grace Hopper", plan[0], 3)
    apply("Alan Turing", plan[0], 9)  # past the 5-day SLA
    scored = apply("Katherine Johnson", plan[1], 2, tags="senior")
    interview = InterviewFactory(
        application=scored, starts_at=now - datetime.timedelta(days=1), status=InterviewStatus.COMPLETED
    )
    ScorecardFactory(
        interview=interview,
        status=ScorecardStatus.SUBMITTED,
        recommendation=Recommendation.STRONG_YES,
        submitted_at=now - datetime.timedelta(hours=2),
    )
    ScorecardFactory(interview=interview)
    return job, plan


def card(page, name):
    return page.locator(".board-card", has_text=name)


def column(page, stage):
    return page.locator(f"#column-{stage.pk}")


def test_recruiter_works_a_job_from_its_board(page, recruiter, board_job):
    job, (screen, technical, offer) = board_job
    login(page, recruiter.username)

    # From the job list to the job's board.
    page.goto("/admin/hiring/job/")
    page.get_by_role("link", name="Board", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Senior backend engineer: pipeline board")
    expect(column(page, screen).locator(".board-count")).to_have_text("3")
    expect(card(page, "Alan Turing")).to_contain_text("past the 5-day SLA")
    expect(card(page, "Katherine Johnson")).to_contain_text("Scorecards: 1 done, 1 owed")
    expect(card(page, "Katherine Johnson")).to_contain_text("Latest recommendation: Strong yes")
    assert_accessible(page)

    # Drag Ada to the next column.
    card(page, "Ada Lovelace").drag_to(column(page, technical).locator(".board-cards"))
    expect(page.locator("#board-live")).to_have_text("Ada Lovelace: active, now in Technical interview.")
    expect(column(page, technical).locator(".board-card", has_text="Ada Lovelace")).to_be_visible()
    expect(column(page, screen).locator(".board-count")).to_have_text("2")
    expect(column(page, technical).locator(".board-count")).to_have_text("2")
    ada = Application.objects.get(candidate__name="Ada Lovelace")
    assert ada.stage_id == technical.pk
    assert StageChange.objects.filter(application=ada, to_stage=technical, actor=recruiter).exists()

    # Move Grace from the keyboard: open her card's form, choose the stage, press Move.
    grace = card(page, "Grace Hopper")
    grace.locator("summary").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(grace.locator("select[name=to_stage]")).to_be_focused()
    page.keyboard.press("ArrowDown")  # past the disabled current stage, to the next one
    expect(grace.locator("select[name=to_stage]")).to_have_value(str(technical.pk))
    page.keyboard.press("Tab")
    expect(grace.get_by_role("button", name="Move", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#board-live")).to_have_text("Grace Hopper: active, now in Technical interview.")
    expect(column(page, technical).locator(".board-card", has_text="Grace Hopper")).to_be_visible()
    assert Application.objects.get(candidate__name="Grace Hopper").stage_id == technical.pk

    # Dragging Alan two columns on skips a stage without a note: refused, the card says why and
    # goes back to its column. (The refusal is answered 409 Conflict, which the browser reports.)
    page.watch.refused_urls.add(page.url.split("/admin/")[0] + f"/admin/hiring/job/{job.pk}/board/move/")
    card(page, "Alan Turing").drag_to(column(page, offer).locator(".board-cards"))
    alan = column(page, screen).locator(".board-card", has_text="Alan Turing")
    expect(alan.locator(".board-card-error")).to_have_text(
        "Moving to Offer skips Technical interview: add a note saying why."
    )
    expect(column(page, offer).locator(".board-card")).to_have_count(0)
    expect(column(page, offer).locator(".board-count")).to_have_text("0")
    assert Application.objects.get(candidate__name="Alan Turing").stage_id == screen.pk
    shot(page, "board", full_page=False)
