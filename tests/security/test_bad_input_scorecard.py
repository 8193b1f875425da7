"""Bad input on the scorecard form: random scores, evidence, recommendations and flags never cause a
server error, and a refused post leaves the scorecard and its ratings as they were."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviews.models import Rating, Scorecard
from interviews.services import interview_schedule
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db

odd_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.just("x" * 20_000),
    st.sampled_from(["", " ", "\x00", "🙂" * 50, "<script>alert(1)</script>", "NaN", "-1", "1e9"]),
)
score_values = st.one_of(odd_text, st.integers(min_value=-(10**6), max_value=10**6).map(str))


def _snapshot(card_pk):
    card = Scorecard.objects.get(pk=card_pk)
    ratings = sorted(
        Rating.objects.filter(scorecard_id=card_pk).values_list("competency_id", "score", "evidence")
    )
    return (
        card.status,
        card.recommendation,
        card.summary,
        ratings,
        sorted(card.red_flags.values_list("pk", flat=True)),
    )


@pytest.fixture
def card(company, interviewer):
    application, kits = interview_setup(company, competencies=2)
    start = timezone.now() - datetime.timedelta(hours=2)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        interviewers=[interviewer.memberships.get()],
    )
    return interview.scorecards.get()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    scores=st.lists(score_values, min_size=2, max_size=2),
    evidence=st.lists(odd_text, min_size=2, max_size=2),
    recommendation=st.one_of(odd_text, st.sampled_from(["strong_no", "no", "yes", "strong_yes"])),
    summary=odd_text,
    flags=st.lists(st.one_of(st.integers(min_value=-5, max_value=10**9).map(str), odd_text), max_size=3),
    button=st.sampled_from(["_save_draft", "_submit"]),
)
def test_random_scorecard_posts_never_fail_and_refusals_write_nothing(
    card, interviewer_client, scores, evidence, recommendation, summary, flags, button
):
    from django.urls import reverse

    competencies = list(card.interview.kit.rubric.competencies.order_by("pk"))
    data = {"recommendation": recommendation, "summary": summary, "red_flags": flags, button: "1"}
    for competency, score, text in zip(competencies, scores, evidence, strict=True):
        data[f"score_{competency.pk}"] = score
        data[f"evidence_{competency.pk}"] = text
    before = _snapshot(card.pk)
    response = interviewer_client.post(reverse("admin:interviews_scorecard_change", args=[card.pk]), data)
    assert response.status_code < 500
    if response.status_code != 302:
        assert _snapshot(card.pk) == before
    for rating in Rating.objects.filter(scorecard_id=card.pk, score__isnull=False):
        assert rating.scale_min <= rating.score <= rating.scale_max
