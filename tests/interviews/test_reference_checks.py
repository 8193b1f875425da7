"""Reference checks: a kit of the reference-check format whose scorecard records the referee, how
they know the candidate and their answers to the kit's questions, scored on its rubric."""

import pytest
from django.core.exceptions import ValidationError

from interviews.models import KitFormat
from interviews.reference_checks import ReferenceInput
from interviews.references import ReferenceAnswer, ReferenceCheck
from interviews.services import RatingInput, scorecard_save_draft, scorecard_submit
from rubrics.models import Question
from tests.interviews.test_scorecard_admin import _interview, _url

pytestmark = pytest.mark.django_db


def _reference_card(company, interviewer):
    interview = _interview(company, [interviewer], competencies=2)
    kit = interview.kit
    kit.format = KitFormat.REFERENCE
    kit.save()
    return interview.scorecards.get()


def test_the_form_asks_for_the_referee_and_an_answer_to_each_question(
    company, interviewer, interviewer_client
):
    card = _reference_card(company, interviewer)
    html = interviewer_client.get(_url(card)).content.decode()
    assert "The referee" in html and "How they know the candidate" in html and "Their manager" in html
    for q in Question.objects.filter(competency__rubric=card.interview.kit.rubric):
        assert f'name="answer_{q.pk}"' in html
    assert "How AI was used" not in html  # a call with a referee, not a session with AI tools


def test_a_reference_check_is_saved_and_submitted_with_its_answers_and_scores(
    company, interviewer, interviewer_client
):
    card = _reference_card(company, interviewer)
    rubric = card.interview.kit.rubric
    question = Question.objects.filter(competency__rubric=rubric).first()
    data = {"recommendation": "yes", "summary": "Solid reference"}
    for c in rubric.competencies.all():
        data[f"score_{c.pk}"], data[f"evidence_{c.pk}"] = "4", "Referee gave an example"
    data.update(
        {
            "referee_name": "Grace Hopper",
            "referee_relationship": "manager",
            "referee_context": "Navy, 1944-1946",
            f"answer_{question.pk}": "Led the compiler team through two releases.",
        }
    )
    assert interviewer_client.post(_url(card), {**data, "_save_draft": "1"}).status_code == 302
    assert ReferenceCheck.objects.get(scorecard=card).referee_name == "Grace Hopper"
    assert interviewer_client.post(_url(card), {**data, "_submit": "1"}).status_code == 302
    card.refresh_from_db()
    assert card.status == "submitted" and card.ratings.filter(score=4).count() == 2
    assert ReferenceAnswer.objects.get(scorecard=card, question=question).answer.startswith("Led the")
    html = interviewer_client.get(_url(card)).content.decode()
    assert "Grace Hopper · Their manager · Navy, 1944-1946" in html and "Led the compiler team" in html


def test_submitting_needs_the_referee_and_refuses_answers_of_another_rubric(company, interviewer):
    card = _reference_card(company, interviewer)
    ratings = [RatingInput(c.pk, 4, "ok") for c in card.interview.kit.rubric.competencies.all()]
    with pytest.raises(ValidationError, match="who the referee is"):
        scorecard_submit(scorecard=card, ratings=ratings, recommendation="yes")
    with pytest.raises(ValidationError, match="who the referee is"):
        scorecard_submit(
            scorecard=card,
            ratings=ratings,
            recommendation="yes",
            reference=ReferenceInput(referee_name="Grace"),
        )
    other = _reference_card(company, interviewer)
    foreign = Question.objects.filter(competency__rubric=other.interview.kit.rubric).first()
    with pytest.raises(ValidationError, match="another rubric"):
        scorecard_save_draft(scorecard=card, ratings=[], reference=ReferenceInput(answers={foreign.pk: "x"}))
    assert not ReferenceCheck.objects.exists()


def test_another_kit_has_no_referee(company, interviewer):
    card = _interview(company, [interviewer]).scorecards.get()
    with pytest.raises(ValidationError, match="Only a reference check"):
        scorecard_save_draft(scorecard=card, ratings=[], reference=ReferenceInput(referee_name="Grace"))
    assert not ReferenceCheck.objects.exists()
