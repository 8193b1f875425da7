"""Candidate, on a phone: finds a job on the careers site and reads the whole loop before applying.

Each page is checked with axe-core (serious or critical violations fail the journey) at 360 px.
"""

import pytest

from tests.browser.conftest import assert_accessible, shot
from tests.careers.factories import job_with_loop, published_job
from tests.hiring.factories import CompanyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}


@pytest.fixture
def careers(db):
    company = CompanyFactory(
        name="Larkspur Health",
        slug="larkspur",
        privacy_notice="We use your application only for this hiring process.",
    )
    job = job_with_loop(company, title="Senior backend engineer")
    published_job(company, title="Data engineer", team="Data", location="Berlin")
    other = CompanyFactory(name="Globex", slug="globex")
    published_job(other, title="Globex secret role")
    return job


def test_candidate_finds_a_job_and_reads_the_loop_on_a_phone(page, careers):
    page.set_viewport_size(PHONE)
    page.goto("/careers/larkspur/")
    assert "Larkspur Health" in page.title() or "Larkspur Health" in page.inner_text("header")
    assert "Globex secret role" not in page.content()
    assert_accessible(page)
    shot(page, "careers-list")

    # search narrows the list, without JavaScript needed
    page.get_by_label("Search").fill("backend")
    page.get_by_role("button", name="Show jobs").click()
    assert page.get_by_role("link", name="Senior backend engineer").is_visible()
    assert page.get_by_role("link", name="Data engineer").count() == 0

    page.get_by_role("link", name="Senior backend engineer").click()
    body = page.inner_text("main")
    for words in ("Intro call", "Technical round", "Live pairing", "Take-home", "Trial day", "Paid"):
        assert words in body, words
    # the page fits the phone: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    shot(page, "careers-job")
