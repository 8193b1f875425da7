"""Scorecards posted from a page that no longer shows the scorecard as it is: submitted meanwhile
(a draft's tab left open) or amended meanwhile (two amendment tabs). Nothing is overwritten, the
typed text comes back in the form, and the page says what happened with a link to what was saved."""

import re

import pytest

from interviews.models import ScorecardStatus
from interviews.services import RatingInput, ScorecardConflict, scorecard_amend, scorecard_submit
from tests.interviews.test_scorecard_admin import _interview, _post_data, _url

pytestmark = pytest.mark.django_db


def scores(card) -> set:
    return set(card.ratings.values_list("score", flat=True))


def hidden_version(html: str) -> str | None:
    found = re.search(r'<input type="hidden" name="amends_version" value="(\d+)"', html)
    return found.group(1) if found else None


def submit_elsewhere(card, score=4, summary="From the other tab"):
    scorecard_submit(
        scorecard=card,
        ratings=[
            RatingInput(c.pk, score, "Other tab's evidence")
            for c in card.interview.kit.rubric.competencies.all()
        ],
        recommendation="yes",
        summary=summary,
    )


@pytest.mark.parametrize("button", ["_submit", "_save_draft"])
def test_a_draft_tab_posting_after_the_scorecard_was_submitted_keeps_the_typed_text(
    company, interviewer, interviewer_client, button
):
    # given a draft open in a tab, and the scorecard submitted from another tab since
    card = _interview(company, [interviewer]).scorecards.get()
    assert interviewer_client.get(_url(card)).status_code == 200
    submit_elsewhere(card)

    # when the first tab posts what was typed in it
    typed = _post_data(card, score="2", evidence="Typed in the stale tab.", summary="Stale summary")
    response = interviewer_client.post(_url(card), {**typed, button: "1"})

    # then a clear page, not a 403: what happened, a link to the submitted scorecard, the text kept
    assert response.status_code == 200
    html = response.content.decode()
    assert "This scorecard was submitted meanwhile" in html and "not saved" in html
    assert f'<a href="{_url(card)}">See the submitted scorecard</a>' in html
    assert html.count("Typed in the stale tab.") == 3 and "Stale summary" in html
    assert len(re.findall(r'<input[^>]*value="2"[^>]*checked', html)) == 3
    # offered as an amendment of the submitted version
    assert 'name="amend_reason"' in html and 'name="_amend"' in html and hidden_version(html) == "1"
    # and nothing was overwritten
    card.refresh_from_db()
    assert card.status == ScorecardStatus.SUBMITTED and card.summary == "From the other tab"
    assert scores(card) == {4} and not card.amendments.exists()


def test_a_submit_that_loses_the_race_inside_the_lock_gets_the_same_page(
    company, interviewer, interviewer_client, monkeypatch
):
    # given two tabs submitting at once: the other one takes the row lock between this page's
    # load (a draft) and its own submit
    card = _interview(company, [interviewer]).scorecards.get()
    import interviews.admin.scorecards as scorecard_admin

    def submit_after_the_other_tab(**values):
        submit_elsewhere(card)
        return scorecard_submit(**values)

    monkeypatch.setattr(scorecard_admin, "scorecard_submit", submit_after_the_other_tab)

    typed = _post_data(card, score="3", evidence="Mine, typed slowly.")
    response = interviewer_client.post(_url(card), {**typed, "_submit": "1"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "This scorecard was submitted meanwhile" in html and html.count("Mine, typed slowly.") == 3
    card.refresh_from_db()
    assert scores(card) == {4}


def test_the_amend_form_carries_the_version_it_amends(company, interviewer, interviewer_client):
    card = _interview(company, [interviewer]).scorecards.get()
    submit_elsewhere(card)
    assert hidden_version(interviewer_client.get(_url(card) + "?amend=1").content.decode()) == "1"
    scorecard_amend(
        scorecard=card,
        reason="Fix",
        actor=interviewer,
        ratings=[RatingInput(c.pk, 3, "ok") for c in card.interview.kit.rubric.competencies.all()],
        recommendation="yes",
    )
    assert hidden_version(interviewer_client.get(_url(card) + "?amend=1").content.decode()) == "2"


def test_the_second_of_two_amendment_tabs_is_refused_and_both_writers_keep_their_text(
    company, interviewer, interviewer_client
):
    # given a submitted scorecard with its amendment form open in two tabs
    card = _interview(company, [interviewer]).scorecards.get()
    submit_elsewhere(card, score=2)
    version_a = hidden_version(interviewer_client.get(_url(card) + "?amend=1").content.decode())
    version_b = hidden_version(interviewer_client.get(_url(card) + "?amend=1").content.decode())

    # when both save their amendment, one after the other
    tab_a = {**_post_data(card, score="3", evidence="A's evidence"), "amend_reason": "A's reason"}
    tab_b = {**_post_data(card, score="5", evidence="B's evidence"), "amend_reason": "B's reason"}
    first = interviewer_client.post(
        _url(card) + "?amend=1", {**tab_a, "amends_version": version_a, "_amend": "1"}
    )
    second = interviewer_client.post(
        _url(card) + "?amend=1", {**tab_b, "amends_version": version_b, "_amend": "1"}
    )

    # then the first is saved, the second is refused in words and its text comes back
    assert first.status_code == 302
    assert second.status_code == 200
    html = second.content.decode()
    assert "This scorecard was amended meanwhile" in html and "your amendment was <strong>not saved" in html
    assert "See the current version (version 2)" in html
    assert html.count("B&#x27;s evidence") == 3 and "B&#x27;s reason" in html
    card.refresh_from_db()
    assert scores(card) == {3} and list(card.amendments.values_list("reason", flat=True)) == ["A's reason"]

    # and saving the kept text again, now against version 2, amends the current version
    assert hidden_version(html) == "2"
    third = interviewer_client.post(_url(card) + "?amend=1", {**tab_b, "amends_version": "2", "_amend": "1"})
    assert third.status_code == 302
    assert scores(card) == {5} and card.amendments.count() == 2
    assert {r["score"] for r in card.amendments.last().previous["ratings"]} == {3}


def test_amend_refuses_an_expected_version_that_no_longer_holds(company, interviewer):
    card = _interview(company, [interviewer]).scorecards.get()
    submit_elsewhere(card)
    ratings = [RatingInput(c.pk, 3, "ok") for c in card.interview.kit.rubric.competencies.all()]
    scorecard_amend(
        scorecard=card,
        reason="First",
        actor=interviewer,
        ratings=ratings,
        recommendation="no",
        expected_version=1,
    )
    with pytest.raises(ScorecardConflict, match="amended meanwhile"):
        scorecard_amend(
            scorecard=card,
            reason="Second",
            actor=interviewer,
            ratings=ratings,
            recommendation="yes",
            expected_version=1,
        )
    card.refresh_from_db()
    assert card.recommendation == "no" and card.amendments.count() == 1


def test_someone_elses_post_on_a_submitted_scorecard_is_still_refused(
    company, interviewer, hiring_manager, manager_client
):
    card = _interview(company, [interviewer]).scorecards.get()
    submit_elsewhere(card)
    response = manager_client.post(_url(card), {**_post_data(card, score="1"), "_save_draft": "1"})
    assert response.status_code == 403
    assert scores(card) == {4}
