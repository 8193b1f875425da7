"""Recruiter: finds a candidate by their surname in the application list, filters the list by a
tag, tags two people in bulk, and sees the tags on the list."""

import pytest

from hiring.models import Candidate
from tests.browser.conftest import expect_message, login, shot
from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pipeline(company, other_company):
    job = JobFactory(company=company, title="Backend engineer", status="open")
    stage = JobStageFactory(job=job, position=0, name="Recruiter screen")
    people = {}
    for name in ("Sabas Soria", "Soraya Diaz", "Nadia Okafor", "Omar Haddad"):
        people[name] = ApplicationFactory(
            company=company, job=job, stage=stage, candidate__company=company, candidate__name=name
        )
    python = TagFactory(company=company, name="Python", colour="blue")
    TagFactory(company=company, name="Relocation", colour="amber")
    people["Nadia Okafor"].candidate.tags.add(python)
    TagFactory(company=other_company, name="Globex shortlist")
    return people


def _listed(page) -> list[str]:
    return page.locator(
        "#result_list tbody td.field-candidate_name, #result_list tbody th.field-candidate_name"
    ).all_inner_texts()


def _search(page, term: str) -> list[str]:
    page.fill("#searchbar", term)
    with page.expect_navigation():
        page.locator("#changelist-search input[type=submit]").click()
    return _listed(page)


def test_recruiter_finds_a_candidate_by_surname_and_filters_by_a_tag(page, company, recruiter, pipeline):
    login(page, recruiter.username)
    page.goto("/admin/hiring/application/")

    # The surname alone finds the person; the start of a word is enough.
    assert _search(page, "Soria") == ["Sabas Soria"]
    assert sorted(_search(page, "sor")) == ["Sabas Soria", "Soraya Diaz"]

    # The tag filter offers the company's tags only, and lists the people it labels.
    page.goto("/admin/hiring/application/")
    filters = page.locator("#changelist-filter")
    assert "Globex shortlist" not in filters.inner_text()
    with page.expect_navigation():
        filters.get_by_role("link", name="Python").click()
    assert _listed(page) == ["Nadia Okafor"]
    assert page.locator("#result_list .tag.tag-blue").first.inner_text() == "Python"
    shot(page, "search-tag-filter", full_page=False)

    # Tag two people at once: the action's page offers the company's tags.
    page.goto("/admin/hiring/application/?q=sor")
    page.locator("#result_list tbody input.action-select").nth(0).check()
    page.locator("#result_list tbody input.action-select").nth(1).check()
    page.select_option("select[name=action]", "tag_selected")
    page.locator("button[name=index]").click()
    page.get_by_label("Relocation").check()
    page.get_by_role("button", name="Add these tags (2)").click()
    expect_message(page, "Relocation: 2 tags added")
    tagged = Candidate.objects.filter(tags__name="Relocation").values_list("name", flat=True)
    assert sorted(tagged) == ["Sabas Soria", "Soraya Diaz"]
    assert page.locator("#result_list .tag.tag-amber").count() == 2
