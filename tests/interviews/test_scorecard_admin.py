"""The scorecard form in the admin: content, draft/submit/amend, refusals and query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.models import ScorecardStatus
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def member(user):
    return user.memberships.get()


def _interview(company, users, *, competencies=3, extra_members=()):
    application, kits = interview_setup(company, competencies=competencies)
    start = timezone.now() - datetime.timedelta(hours=2)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=[member(u) for u in users] + list(extra_members),
    )
    return interview


def _url(card):
    return reverse("admin:interviews_scorecard_change", args=[card.pk])


def _post_data(card, score="4", evidence="Gave a concrete example.", **extra):
    data = {"recommendation": "yes", "summary": "Good"}
    for c in card.interview.kit.rubric.competencies.all():
        data[f"score_{c.pk}"] = score
        data[f"evidence_{c.pk}"] = evidence
    data.update(extra)
    return data


def test_form_shows_policy_descriptions_anchors_questions_and_flags(company, interviewer, interviewer_client):
    interview = _interview(company, [interviewer])
    kit = interview.kit
    kit.ai_policy, kit.ai_note = "not_allowed", "Camera on, no assistants."
    kit.save()
    card = interview.scorecards.get()
    html = interviewer_client.get(_url(card)).content.decode()
    assert html.index("AI tools not allowed") < html.index("Skill 0")
    assert "Camera on, no assistants." in html
    assert "What skill 1 means" in html and "Question about skill 2" in html
    # the anchor text of every level next to its score choice; the competency's own text wins
    assert "5 · Outstanding at 0" in html and "3 · Level 3 in general" in html
    assert "Not assessed" in html
    assert "Blamed the team (blocking)" in html and "Vague on numbers" in html
    assert "Strong no" in html and "Strong yes" in html and "neutral" not in html.lower()
    assert "interviews/scorecard.css" in html


def test_save_draft_then_submit_locks_the_scorecard(company, interviewer, interviewer_client):
    card = _interview(company, [interviewer]).scorecards.get()
    # a draft may miss evidence
    response = interviewer_client.post(_url(card), {**_post_data(card, evidence=""), "_save_draft": "1"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT and card.ratings.count() == 3
    # and is resumed with its values
    resumed = interviewer_client.get(_url(card)).content.decode()
    assert len(re.findall(r'<input[^>]*value="4"[^>]*checked', resumed)) == 3
    # submitting without evidence is refused field by field
    response = interviewer_client.post(_url(card), {**_post_data(card, evidence=""), "_submit": "1"})
    assert response.status_code == 200
    assert response.content.decode().count("Write the evidence behind this score.") == 3
    response = interviewer_client.post(_url(card), {**_post_data(card), "_submit": "1"})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED
    # a submitted scorecard is shown read-only and a plain post changes nothing (it is answered
    # with the page of a post from a stale tab, see test_scorecard_conflicts.py)
    page = interviewer_client.get(_url(card)).content.decode()
    assert "Amend this scorecard" in page and "_submit" not in page
    response = interviewer_client.post(_url(card), {**_post_data(card, score="1"), "_save_draft": "1"})
    assert response.status_code == 200 and "submitted meanwhile" in response.content.decode()
    assert set(card.ratings.values_list("score", flat=True)) == {4}


def test_score_outside_the_scale_is_refused_by_the_form(company, interviewer, interviewer_client):
    card = _interview(company, [interviewer]).scorecards.get()
    response = interviewer_client.post(_url(card), {**_post_data(card, score="9"), "_save_draft": "1"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not card.ratings.exists()


def test_amend_needs_a_reason_and_keeps_the_previous_version(company, interviewer, interviewer_client):
    card = _interview(company, [interviewer]).scorecards.get()
    interviewer_client.post(_url(card), {**_post_data(card, score="2"), "_submit": "1"})
    response = interviewer_client.post(
        _url(card) + "?amend=1", {**_post_data(card, score="3"), "_amend": "1"}
    )
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = interviewer_client.post(
        _url(card) + "?amend=1",
        {**_post_data(card, score="3"), "_amend": "1", "amend_reason": "Scored the wrong candidate."},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert set(card.ratings.values_list("score", flat=True)) == {3}
    amendment = card.amendments.get()
    assert amendment.reason == "Scored the wrong candidate."
    assert {r["score"] for r in amendment.previous["ratings"]} == {2}
    assert "Scored the wrong candidate." in interviewer_client.get(_url(card)).content.decode()


def test_nobody_else_writes_or_amends_a_scorecard(company, interviewer, hiring_manager, manager_client):
    card = _interview(company, [interviewer]).scorecards.get()
    url = _url(card)
    # a draft of someone else does not exist for the manager
    assert manager_client.get(url).status_code == 404
    scorecard_submit(
        scorecard=card,
        ratings=[RatingInput(c.pk, 4, "ok") for c in card.interview.kit.rubric.competencies.all()],
        recommendation="yes",
    )
    page = manager_client.get(url)
    assert page.status_code == 200 and "Amend this scorecard" not in page.content.decode()
    assert manager_client.get(url + "?amend=1").status_code == 200  # shown read-only
    assert manager_client.post(url + "?amend=1", {**_post_data(card), "_amend": "1"}).status_code == 403


def _form_queries(company, interviewer, client, size):
    others = [MembershipFactory(company=company, role=Role.INTERVIEWER) for _ in range(size - 1)]
    interview = _interview(company, [interviewer], competencies=size, extra_members=others)
    for card in interview.scorecards.exclude(interviewer=member(interviewer)):
        scorecard_submit(
            scorecard=card,
            ratings=[RatingInput(c.pk, 3, "ok") for c in interview.kit.rubric.competencies.all()],
            recommendation="no",
        )
    mine = interview.scorecards.get(interviewer=member(interviewer))
    client.post(_url(mine), {**_post_data(mine), "_save_draft": "1"})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_url(mine))
    assert response.status_code == 200
    assert response.content.decode().count('id="competency-') == size
    return len(ctx)


def test_form_query_count_does_not_grow_with_the_panel_or_the_rubric(
    company, interviewer, interviewer_client
):
    # 3 scorecards and 3 competencies, then 12 and 12
    assert _form_queries(company, interviewer, interviewer_client, 3) == _form_queries(
        company, interviewer, interviewer_client, 12
    )


def test_scorecard_of_an_upcoming_interview_saves_as_draft_but_is_not_submitted(
    company, interviewer, interviewer_client
):
    application, kits = interview_setup(company)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=timezone.now() + datetime.timedelta(days=1),
        interviewers=[member(interviewer)],
    )
    card = interview.scorecards.get()
    response = interviewer_client.post(_url(card), {**_post_data(card), "_submit": "1"})
    assert response.status_code == 200
    assert "has not started yet" in response.content.decode()
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT and not card.ratings.exists()
    assert interviewer_client.post(_url(card), {**_post_data(card), "_save_draft": "1"}).status_code == 302
    assert card.ratings.count() == 3


# --- The list: newest interview first, from the scorecard's own copy of the start -------------


def _submitted_interview(company, starts_at):
    members = [MembershipFactory(company=company, role=Role.INTERVIEWER)]
    application, kits = interview_setup(company)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1),
        interviewers=members,
    )
    card = interview.scorecards.get()
    scorecard_submit(
        scorecard=card,
        ratings=[RatingInput(c.pk, 3, "ok") for c in kits[0].rubric.competencies.all()],
        recommendation="yes",
    )
    return interview, card


def test_scorecards_copy_their_interview_start_and_follow_a_reschedule(company):
    from interviews.services import interview_reschedule

    start = timezone.now() + datetime.timedelta(days=3)
    application, kits = interview_setup(company)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        interviewers=[MembershipFactory(company=company, role=Role.INTERVIEWER) for _ in range(2)],
    )
    assert {c.interview_starts_at for c in interview.scorecards.all()} == {start}
    later = start + datetime.timedelta(days=1)
    interview_reschedule(interview=interview, starts_at=later, ends_at=later + datetime.timedelta(hours=1))
    assert {c.interview_starts_at for c in interview.scorecards.all()} == {later}


@pytest.mark.parametrize("who", ["recruiter", "superuser"])
def test_scorecard_list_shows_the_newest_interview_first(company, recruiter_client, superuser_client, who):
    from interviews.services import interview_reschedule

    # given three interviews created in an order that is not their start order
    now = timezone.now()
    middle, card_middle = _submitted_interview(company, now - datetime.timedelta(days=2))
    _, card_old = _submitted_interview(company, now - datetime.timedelta(days=5))
    upcoming, card_new = _submitted_interview(company, now - datetime.timedelta(days=1))
    # and the newest moved later still
    moved = now + datetime.timedelta(days=1)
    interview_reschedule(interview=upcoming, starts_at=moved, ends_at=moved + datetime.timedelta(hours=1))
    client = recruiter_client if who == "recruiter" else superuser_client
    # when
    response = client.get(reverse("admin:interviews_scorecard_changelist"))
    # then
    assert [c.pk for c in response.context["cl"].result_list] == [card_new.pk, card_middle.pk, card_old.pk]
    column = response.context["cl"].list_display.index("interview_start")
    ascending = client.get(reverse("admin:interviews_scorecard_changelist") + f"?o={column}")
    assert [c.pk for c in ascending.context["cl"].result_list] == [card_old.pk, card_middle.pk, card_new.pk]
