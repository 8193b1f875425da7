"""The candidate's material on the scorecard page (résumé through the private file view, links,
questionnaire answers), for the interviewer of the candidate only, and never another panelist's
scorecard before the independence rule allows it."""

import pytest
from django.urls import reverse

from hiring.models import Role
from interviews.judging import scorecard_candidate_material
from interviews.services import RatingInput, scorecard_submit
from tests.hiring.documents import PDF, upload
from tests.hiring.factories import MembershipFactory
from tests.interviews.test_scorecard_admin import _interview, member

pytestmark = pytest.mark.django_db


def _with_material(company, users):
    interview = _interview(company, users)
    candidate = interview.application.candidate
    candidate.linkedin_url = "https://www.linkedin.com/in/ada"
    candidate.github_url = "https://github.com/ada"
    candidate.website_url = "javascript:alert(1)"  # written past the form: never offered as a link
    candidate.resume = upload("cv.pdf", PDF)
    candidate.save()
    return interview


def test_the_material_has_the_resume_view_and_only_web_links(company, interviewer, private_root):
    interview = _with_material(company, [interviewer])
    material = scorecard_candidate_material(application=interview.application)
    assert material.resume_url == reverse(
        "admin:hiring_candidate_download_resume", args=[interview.application.candidate_id]
    )
    assert material.links == [
        ("LinkedIn", "https://www.linkedin.com/in/ada"),
        ("GitHub", "https://github.com/ada"),
    ]


def test_the_scorecard_page_shows_the_material_and_the_resume_downloads(
    company, interviewer, interviewer_client, private_root
):
    interview = _with_material(company, [interviewer])
    card = interview.scorecards.get()
    html = interviewer_client.get(
        reverse("admin:interviews_scorecard_change", args=[card.pk])
    ).content.decode()
    resume = reverse("admin:hiring_candidate_download_resume", args=[interview.application.candidate_id])
    assert 'id="candidate-material"' in html and resume in html
    assert "https://github.com/ada" in html and "javascript:alert" not in html
    assert interviewer_client.get(resume).status_code == 200


def test_the_page_never_shows_a_co_panelists_scorecard_before_submitting(
    company, interviewer, interviewer_client, private_root
):
    other = MembershipFactory(company=company, role=Role.INTERVIEWER)
    interview = _interview(company, [interviewer])
    from interviews.services import interview_set_interviewers

    interview_set_interviewers(interview=interview, interviewers=[member(interviewer), other])
    theirs = interview.scorecards.get(interviewer=other)
    competencies = list(interview.kit.rubric.competencies.all())
    scorecard_submit(
        scorecard=theirs,
        ratings=[RatingInput(c.pk, 2, "Co-panelist secret evidence") for c in competencies],
        recommendation="no",
        summary="Co-panelist secret summary",
    )
    mine = interview.scorecards.get(interviewer=member(interviewer))
    html = interviewer_client.get(
        reverse("admin:interviews_scorecard_change", args=[mine.pk])
    ).content.decode()
    assert "Co-panelist secret" not in html
    assert interviewer_client.get(
        reverse("admin:interviews_scorecard_change", args=[theirs.pk])
    ).status_code in (
        302,
        403,
        404,
    )
