"""Interviewer: "My interviews", a scorecard with anchored scores and evidence saved as a draft, then
submitted; only after submitting do the other panelists' scorecards become readable."""

import datetime

import pytest
from django.utils import timezone

from interviews.models import AIPolicy, Recommendation, Scorecard, ScorecardStatus
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from tests.browser.conftest import expect_message, login, open_refused, shot
from tests.hiring.factories import (
    ApplicationFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewKitFactory
from tests.rubrics.factories import CompetencyFactory, LevelAnchorFactory, RedFlagFactory, RubricFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


ANCHORS = {
    1: "No working approach",
    2: "Partial approach with heavy hints",
    3: "Working solution with some hints",
    4: "Clean solution, explains trade-offs",
    5: "Optimal solution, teaches the panel",
}


@pytest.fixture
def panel(company, interviewer):
    """An interview that started an hour ago, with the interviewer and a colleague on its panel;
    the colleague has already submitted their scorecard."""
    rubric = RubricFactory(company=company, name="Coding fundamentals")
    competencies = [
        CompetencyFactory(rubric=rubric, name=name, position=i)
        for i, name in enumerate(("Problem solving", "Code quality", "Communication"))
    ]
    for competency in competencies:
        for score, text in ANCHORS.items():
            LevelAnchorFactory(rubric=rubric, competency=competency, score=score, text=text)
    RedFlagFactory(rubric=rubric, description="Dismissive of feedback")
    job = JobFactory(company=company, title="Senior backend engineer")
    stage = JobStageFactory(job=job, position=0, name="Technical interview")
    kit = InterviewKitFactory(
        stage=stage,
        company=company,
        rubric=rubric,
        name="Pair programming",
        ai_policy=AIPolicy.NO_AI_BLOCK,
        no_ai_minutes=20,
    )
    application = ApplicationFactory(company=company, job=job, stage=stage, candidate__name="Ada Lovelace")
    me = interviewer.memberships.get()
    colleague = MembershipFactory(
        company=company, user=UserFactory(username="acme-colleague"), display_name="Bo Panelist"
    )
    started = timezone.now() - datetime.timedelta(hours=1)
    interview = interview_schedule(
        application=application, kit=kit, starts_at=started, interviewers=[me, colleague]
    )
    scorecard_submit(
        scorecard=interview.scorecards.get(interviewer=colleague),
        ratings=[RatingInput(competencies[0].pk, 2, "Needed the hint about the hash map twice.")],
        recommendation=Recommendation.NO,
        summary="Not yet at the senior bar.",
    )
    return {
        "interview": interview,
        "competencies": competencies,
        "mine": interview.scorecards.get(interviewer=me),
    }


def test_interviewer_writes_and_submits_a_scorecard(page, interviewer, panel):
    problem_solving, code_quality, communication = panel["competencies"]

    # "My interviews" comes first on an interviewer's index: the scorecard they owe is listed.
    login(page, interviewer.username)
    first = page.locator("#content-main .module").first
    assert first.locator("caption").inner_text().strip().lower() == "my work"
    first.get_by_role("link", name="My interviews").click()
    page.wait_for_url("**/admin/interviews/interview/my/")
    owed = page.locator("table.hl-my-owed")
    assert "Ada Lovelace" in owed.inner_text()
    shot(page, "interviewer-1-my-interviews")

    # Before submitting, the colleague's scorecard cannot be read.
    page.goto("/admin/interviews/scorecard/")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Ada Lovelace" in rows.inner_text()
    assert "Bo Panelist" not in page.locator("#content-main").inner_text()
    colleague_card = panel["interview"].scorecards.exclude(pk=panel["mine"].pk).get()
    assert open_refused(page, f"/admin/interviews/scorecard/{colleague_card.pk}/change/") == 404

    # Fill the scorecard: anchored scores with evidence, one competency not assessed; save a draft.
    page.goto("/admin/interviews/interview/my/")
    owed.get_by_role("link", name="Write scorecard").click()
    form = page.locator("form")
    assert ANCHORS[4] in page.locator(f"#competency-{problem_solving.pk}").inner_text()
    page.locator(f"#competency-{problem_solving.pk}").get_by_label(f"4 · {ANCHORS[4]}").check()
    page.fill(f"#id_evidence_{problem_solving.pk}", "Found the O(n) approach alone; explained the trade-off.")
    page.locator(f"#competency-{code_quality.pk}").get_by_label(f"3 · {ANCHORS[3]}").check()
    page.locator(f"#competency-{communication.pk}").get_by_label("Not assessed").check()
    form.get_by_role("button", name="Save draft").click()
    expect_message(page, "Draft saved")
    shot(page, "interviewer", full_page=False)
    mine = Scorecard.objects.get(pk=panel["mine"].pk)
    assert mine.status == ScorecardStatus.DRAFT
    assert dict(mine.ratings.values_list("competency_id", "score")) == {
        problem_solving.pk: 4,
        code_quality.pk: 3,
        communication.pk: None,
    }

    # Submitting without evidence for a score is refused on the form.
    page.locator(f"#competency-{problem_solving.pk}").get_by_label(f"4 · {ANCHORS[4]}").wait_for()
    assert page.locator(f"#competency-{problem_solving.pk}").get_by_label(f"4 · {ANCHORS[4]}").is_checked()
    page.get_by_role("group", name="Overall recommendation").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Submit scorecard").click()
    page.locator(".errornote").wait_for()
    assert (
        "Write the evidence behind this score." in page.locator(f"#competency-{code_quality.pk}").inner_text()
    )
    assert Scorecard.objects.get(pk=mine.pk).status == ScorecardStatus.DRAFT

    # With the evidence written, it is submitted.
    page.fill(f"#id_evidence_{code_quality.pk}", "Readable names, small functions, one missing test.")
    page.fill("#id_summary", "Strong problem solver; would hire.")
    page.get_by_role("button", name="Submit scorecard").click()
    expect_message(page, "Scorecard for Ada Lovelace submitted")
    assert "Ada Lovelace" not in page.locator("#content-main").inner_text().split("Upcoming")[0]
    assert Scorecard.objects.get(pk=mine.pk).status == ScorecardStatus.SUBMITTED

    # Now the colleague's scorecard is readable, with its evidence.
    page.goto("/admin/interviews/scorecard/")
    assert rows.count() == 2
    page.get_by_role("row", name="Bo Panelist").get_by_role("link").first.click()
    assert "Needed the hint about the hash map twice." in page.locator("#content-main").inner_text()
    shot(page, "interviewer-2-colleague-scorecard")
