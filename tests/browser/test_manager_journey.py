"""Manager: the dashboard filtered by job, a "stuck" figure followed to the filtered application
list, and a stage decision recorded against the hire-bar verdict with a reason."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from hiring.models import Application, StageChange
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from tests.browser.conftest import expect_message, login, shot
from tests.hiring.factories import (
    ApplicationFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewKitFactory
from tests.rubrics.factories import CompetencyFactory, HireBarClauseFactory, LevelAnchorFactory, RubricFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _stuck(application, days):
    """Put an application `days` into its current stage (past the stage's SLA)."""
    Application.objects.filter(pk=application.pk).update(
        stage_entered_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.fixture
def pipeline(company, hiring_manager, interviewer):
    job = JobFactory(company=company, title="Senior backend engineer", hiring_manager=None)
    screen = JobStageFactory(job=job, position=0, name="Recruiter screen", sla_days=3)
    technical = JobStageFactory(job=job, position=1, name="Technical interview", sla_days=5)
    JobStageFactory(job=job, position=2, name="Offer", sla_days=5)
    for name in ("Sam Stuck", "Sue Stuck"):
        _stuck(ApplicationFactory(company=company, job=job, stage=screen, candidate__name=name), days=9)
    ApplicationFactory(company=company, job=job, stage=screen, candidate__name="Fred Fresh")

    # Another job's stuck application must not show up once the dashboard is filtered.
    other_job = JobFactory(company=company, title="Data engineer")
    other_stage = JobStageFactory(job=other_job, position=0, name="Recruiter screen", sla_days=3)
    _stuck(
        ApplicationFactory(company=company, job=other_job, stage=other_stage, candidate__name="Olga Other"), 9
    )

    # Ada's technical interview is scored below the hire bar by two panelists.
    rubric = RubricFactory(company=company, name="Coding fundamentals")
    competencies = [
        CompetencyFactory(rubric=rubric, name=n, position=i) for i, n in enumerate(("Design", "Code"))
    ]
    for competency in competencies:
        for score in range(1, 6):
            LevelAnchorFactory(rubric=rubric, competency=competency, score=score, text=f"Level {score}")
    HireBarClauseFactory(rubric=rubric, score=Decimal("3.5"))
    kit = InterviewKitFactory(stage=technical, company=company, rubric=rubric, name="Pair programming")
    ada = ApplicationFactory(company=company, job=job, stage=technical, candidate__name="Ada Lovelace")
    colleague = MembershipFactory(company=company, user=UserFactory(username="acme-colleague"))
    panel = [interviewer.memberships.get(), colleague]
    interview = interview_schedule(
        application=ada, kit=kit, starts_at=timezone.now() - datetime.timedelta(hours=3), interviewers=panel
    )
    for scorecard, scores in zip(interview.scorecards.order_by("pk"), ((3, 3), (3, 2)), strict=True):
        scorecard_submit(
            scorecard=scorecard,
            ratings=[
                RatingInput(c.pk, s, "Seen in the session.")
                for c, s in zip(competencies, scores, strict=True)
            ],
            recommendation="no",
        )
    return {"job": job, "screen": screen, "ada": ada}


def test_manager_follows_the_dashboard_and_decides_against_the_verdict(page, hiring_manager, pipeline):
    job, ada = pipeline["job"], pipeline["ada"]

    # The dashboard, filtered by job.
    login(page, hiring_manager.username)
    page.get_by_role("link", name="Manager dashboard").first.click()
    assert "Data engineer" in page.locator(".dashboard-toc").inner_text()
    page.select_option("#id_job", label="Senior backend engineer")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(rf"job={job.pk}"))
    assert page.locator("h2.dashboard-job").all_inner_texts() == ["Senior backend engineer"]
    funnel = page.locator(f"#funnel-{job.pk}")
    funnel.scroll_into_view_if_needed()
    shot(page, "manager-1-dashboard")

    # Follow the "stuck" figure of the screen stage to the application list it counts.
    stuck = funnel.get_by_role("row", name=re.compile("^Recruiter screen")).locator("td").last
    assert stuck.inner_text() == "2"
    stuck.get_by_role("link").click()
    page.locator("#result_list").wait_for()
    listed = page.locator("#result_list tbody tr").all_inner_texts()
    assert sorted(row.split("\t")[1] for row in listed) == ["Sam Stuck", "Sue Stuck"]
    shot(page, "manager-2-stuck-applications")

    # Decide on Ada against the verdict: advance although the scores miss the bar.
    page.goto(f"/admin/hiring/application/{ada.pk}/change/")
    panel = page.locator("#interviews-panel")
    assert "does not pass the hire bar" in panel.inner_text()
    page.locator("#application-actions").get_by_role("link", name="Record decision").click()
    page.get_by_label("Advance").check()
    page.get_by_role("button", name="Record decision").click()
    assert "goes against the hire-bar verdict" in page.locator(".errorlist").first.inner_text()
    page.fill("#id_reason", "Strong system-design signal from the take-home; the code round was off.")
    page.get_by_role("button", name="Record decision").click()
    expect_message(page, "Decision recorded: advance Ada Lovelace")
    assert "against the verdict" in page.locator("#interviews-panel").inner_text()
    shot(page, "manager-3-decision")

    ada.refresh_from_db()
    assert ada.stage.name == "Offer"
    decision = ada.decisions.get()
    assert decision.against_verdict and decision.verdict_passed is False
    assert StageChange.objects.filter(application=ada, to_stage__name="Offer").exists()
