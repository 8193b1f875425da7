"""Candidate, on a phone: finds a job on the careers site, reads the whole loop, and applies with a
résumé and the job's questionnaire; then the recruiter finds the application in the admin.

Each public page is checked with axe-core (serious or critical violations fail the journey) at 360 px.
"""

import re

import pytest
from django.urls import reverse

from hiring.models import Application, Candidate, Source
from hiring.uploads import download_url_name
from tests.browser.conftest import assert_accessible, login, shot
from tests.careers.factories import job_with_loop, published_job
from tests.hiring.factories import question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
PDF = b"%PDF-1.4\n% a candidate's resume\n" + b"0" * 2048 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def careers(company, other_company):
    company.privacy_notice = "We use your application only for this hiring process."
    company.save()
    job = job_with_loop(company, title="Senior backend engineer")
    question(
        job=job,
        kind="yes_no",
        label="Are you allowed to work in the EU?",
        position=0,
        is_required=True,
        knockout_answer="no",
        knockout_action="flag",
    )
    question(job=job, kind="number", label="Years of experience", position=1, is_required=True)
    published_job(company, title="Data engineer", team="Data", location="Berlin")
    published_job(other_company, title="Globex secret role")
    return job


def test_candidate_applies_on_a_phone_and_the_recruiter_finds_the_application(
    page, careers, recruiter, tmp_path
):
    page.set_viewport_size(PHONE)
    page.goto("/careers/acme/")
    assert "Globex secret role" not in page.content()
    assert_accessible(page)
    shot(page, "careers-list")

    # search narrows the list, without JavaScript needed
    page.get_by_label("Search").fill("backend")
    page.get_by_role("button", name="Show jobs").click()
    assert page.get_by_role("link", name="Data engineer").count() == 0
    page.get_by_role("link", name="Senior backend engineer").click()

    # the whole loop, before applying
    body = page.inner_text("main")
    for words in ("Intro call", "Technical round", "Live pairing", "Take-home", "Trial day", "Paid"):
        assert words in body, words
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    shot(page, "careers-job")

    # the form: a picture instead of a résumé is refused with a message, nothing is written
    page.get_by_role("link", name="Apply for this job").first.click()
    assert "We use your application only for this hiring process." in page.inner_text("main")
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nadia Haddad")
    page.get_by_label("Email").fill("nadia@example.org")
    (tmp_path / "photo.png").write_bytes(PNG)
    page.get_by_label("Résumé").set_input_files(str(tmp_path / "photo.png"))
    page.get_by_role("group", name=re.compile("allowed to work in the EU")).get_by_label("No").check()
    page.get_by_label("Years of experience").fill("6")
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    page.get_by_role("button", name="Send my application").click()
    assert "photo.png" not in page.inner_text("main")
    assert "This file is not accepted" in page.inner_text("main")
    assert not Application.objects.exists()
    assert_accessible(page)
    shot(page, "careers-apply-error")

    # second try with a PDF: the knockout answer stays and flags the application
    (tmp_path / "resume.pdf").write_bytes(PDF)
    page.get_by_label("Résumé").set_input_files(str(tmp_path / "resume.pdf"))
    if not page.get_by_label(re.compile("I have read the privacy notice")).is_checked():
        page.get_by_label(re.compile("I have read the privacy notice")).check()
    shot(page, "careers-apply")
    page.get_by_role("button", name="Send my application").click()
    page.get_by_role("heading", name="Thank you for applying").wait_for()
    assert_accessible(page)
    application = Application.objects.get()
    assert application.source == Source.CAREERS_SITE and application.knockout_flagged
    assert application.candidate.resume
    resume_url = reverse(f"admin:{download_url_name(Candidate, 'resume')}", args=[application.candidate_id])

    # the recruiter sees it in the admin: the knockout filter, the answers and the résumé
    page.set_viewport_size({"width": 1280, "height": 860})
    login(page, recruiter.username)
    page.goto("/admin/hiring/application/?knockout_flagged__exact=1")
    page.get_by_role("link", name=re.compile("Nadia Haddad")).first.click()
    text = page.inner_text("#content")
    assert "Are you allowed to work in the EU?" in text and "Years of experience" in text
    # and the résumé, on the candidate's page, through the checked download view
    page.goto(f"/admin/hiring/candidate/{application.candidate_id}/change/")
    link = page.locator(f"a[href='{resume_url}']")
    assert link.count() >= 1
    with page.expect_download() as download:
        link.first.click()
    assert download.value.path().read_bytes() == PDF
