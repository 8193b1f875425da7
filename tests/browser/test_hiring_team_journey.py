"""Hiring team: a company admin builds a process template in the browser and duplicates it."""

import re

import pytest

from hiring.models import ProcessTemplate
from interviews.models import AIPolicy, InterviewKit
from tests.browser.conftest import add_inline_row, expect_message, login, select2_pick, shot
from tests.rubrics.factories import CompetencyFactory, LevelAnchorFactory, RubricFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAGES = [
    ("Recruiter screen", "recruiter_screen", 3),
    ("Technical interview", "technical", 5),
    ("Behavioral interview", "behavioral", 5),
    ("Offer", "offer", 2),
]


@pytest.fixture
def rubric_library(company, other_company):
    coding = RubricFactory(company=company, name="Coding fundamentals")
    for name in ("Problem solving", "Code quality", "Communication"):
        competency = CompetencyFactory(rubric=coding, name=name)
        for score, text in ((1, "No working approach"), (3, "Works with hints"), (5, "Clean and fast")):
            LevelAnchorFactory(rubric=coding, competency=competency, score=score, text=text)
    RubricFactory(company=company, name="Structured behavioral")
    # Another company's rubric with a matching name must not be offered.
    RubricFactory(company=other_company, name="Coding fundamentals (Globex)")
    return coding


def test_company_admin_builds_and_duplicates_a_template(page, company, company_admin, rubric_library):
    # The company admin logs in through the login form.
    login(page, company_admin.username)
    page.get_by_role("link", name="Process templates").first.click()
    page.get_by_role("link", name=re.compile("Add process template")).click()

    # A template with four typed stages.
    page.fill("#id_name", "Backend engineer loop")
    page.fill("#id_description", "Screen, code, behavioral, offer.")
    for index, (name, kind, sla_days) in enumerate(STAGES):
        add_inline_row(page, "stages")
        page.fill(f"#id_stages-{index}-name", name)
        page.select_option(f"#id_stages-{index}-kind", kind)
        page.fill(f"#id_stages-{index}-sla_days", str(sla_days))
    shot(page, "hiring-team-1-new-template")
    page.get_by_role("button", name="Save and continue editing").click()
    expect_message(page, "was added successfully")

    # The technical stage gets two tracks the candidate chooses between.
    page.locator("#stages-group tr", has_text="Technical interview").get_by_role(
        "link", name="Change"
    ).click()
    add_inline_row(page, "tracks")
    page.fill("#id_tracks-0-name", "Live coding")
    add_inline_row(page, "tracks")
    page.fill("#id_tracks-1-name", "Take-home")
    page.get_by_role("button", name="Save and continue editing").click()
    expect_message(page, "was changed successfully")

    # One kit per track, scored with the same rubric, each with its AI policy.
    add_inline_row(page, "kits")
    page.fill("#id_kits-0-name", "Pair programming")
    page.select_option("#id_kits-0-track", label="Live coding")
    page.select_option("#id_kits-0-format", "video")
    page.fill("#id_kits-0-duration_minutes", "60")
    offered = select2_pick(page, "#id_kits-0-rubric", "Coding", "Coding fundamentals")
    assert offered == ["Coding fundamentals"], "only the company's own rubrics are offered"
    page.select_option("#id_kits-0-ai_policy", "no_ai_block")
    page.fill("#id_kits-0-no_ai_minutes", "20")
    page.fill("#id_kits-0-ai_note", "The first 20 minutes are without AI tools.")

    add_inline_row(page, "kits")
    page.fill("#id_kits-1-name", "Take-home review")
    page.select_option("#id_kits-1-track", label="Take-home")
    page.select_option("#id_kits-1-format", "take_home")
    page.fill("#id_kits-1-window_days", "5")
    page.fill("#id_kits-1-duration_minutes", "90")
    select2_pick(page, "#id_kits-1-rubric", "Coding", "Coding fundamentals")
    page.select_option("#id_kits-1-ai_policy", "allowed")
    page.get_by_role("button", name="Save and continue editing").click()
    expect_message(page, "was changed successfully")
    shot(page, "hiring-team-2-stage-tracks-kits")
    page.locator("#kits-group").evaluate("group => group.scrollIntoView()")
    shot(page, "hiring-team", full_page=False)

    # Back to the template, then duplicate it from the list with the admin action.
    page.get_by_role("link", name=re.compile("Process template: Backend engineer loop")).click()
    shot(page, "hiring-team-3-template")
    page.goto("/admin/hiring/processtemplate/")
    page.locator("tr", has_text="Backend engineer loop").locator("input.action-select").check()
    page.select_option("select[name=action]", "duplicate")
    page.locator("button[name=index]").click()
    expect_message(page, "Created Backend engineer loop")
    shot(page, "hiring-team-4-duplicated")

    # The copy has the same stages, tracks, kits, rubrics and AI policies.
    original, copy = ProcessTemplate.objects.filter(company=company).order_by("pk")
    assert copy.name != original.name
    assert list(copy.stages.values_list("name", "kind", "sla_days")) == STAGES
    copied_kits = InterviewKit.objects.filter(stage__template=copy).order_by("name")
    assert [(k.name, k.track.name, k.rubric_id, k.ai_policy, k.no_ai_minutes) for k in copied_kits] == [
        ("Pair programming", "Live coding", rubric_library.pk, AIPolicy.NO_AI_BLOCK, 20),
        ("Take-home review", "Take-home", rubric_library.pk, AIPolicy.ALLOWED, None),
    ]
    assert (
        copied_kits[0].stage_id
        != InterviewKit.objects.get(stage__template=original, name="Pair programming").stage_id
    )
