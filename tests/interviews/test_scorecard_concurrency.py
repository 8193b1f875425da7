"""Two amendments of one scorecard at the same instant on PostgreSQL: the second is refused."""

import threading

import pytest
from django.db import connection, transaction

from interviews.models import Scorecard
from interviews.services import RatingInput, ScorecardConflict, scorecard_amend, scorecard_submit
from tests.interviews.test_scorecard_admin import _interview, _post_data, _url

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (select_for_update) need PostgreSQL"
    ),
]


def _submitted(company, interviewer):
    card = _interview(company, [interviewer]).scorecards.get()
    competencies = list(card.interview.kit.rubric.competencies.all())
    scorecard_submit(
        scorecard=card, ratings=[RatingInput(c.pk, 2, "first") for c in competencies], recommendation="no"
    )
    return card, competencies


def test_two_concurrent_amendments_of_the_same_version_the_second_is_refused(company, interviewer):
    # given a submitted scorecard (version 1) that two tabs amend at once
    card, competencies = _submitted(company, interviewer)
    first_locked, release = threading.Event(), threading.Event()
    outcomes = {}

    def amend(score, reason):
        return scorecard_amend(
            scorecard=Scorecard.objects.get(pk=card.pk),
            reason=reason,
            actor=interviewer,
            ratings=[RatingInput(c.pk, score, reason) for c in competencies],
            recommendation="yes",
            expected_version=1,
        )

    def first():
        try:
            with transaction.atomic():
                amend(4, "first tab")
                first_locked.set()
                release.wait(10)  # hold the scorecard's row lock while the second one tries
            outcomes["first"] = "saved"
        except Exception as exc:
            outcomes["first"] = exc
        finally:
            connection.close()

    def second():
        try:
            first_locked.wait(10)
            amend(5, "second tab")
            outcomes["second"] = "saved"
        except Exception as exc:
            outcomes["second"] = exc
        finally:
            connection.close()

    # when both run on their own connections, the second blocked on the lock
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_locked.wait(10)
    threading.Event().wait(0.5)
    assert "second" not in outcomes
    release.set()
    for t in threads:
        t.join(20)

    # then the first is saved and the second refused in words, not silently written over it
    assert outcomes["first"] == "saved"
    assert isinstance(outcomes["second"], ScorecardConflict), outcomes["second"]
    assert "amended meanwhile" in outcomes["second"].messages[0]
    card.refresh_from_db()
    assert set(card.ratings.values_list("score", flat=True)) == {4}
    assert list(card.amendments.values_list("reason", flat=True)) == ["first tab"]


def test_two_amendment_tabs_posting_at_once_through_the_admin_save_one(
    company, interviewer, admin_client_for
):
    """Both tabs post "Save amendment" against version 1 at the same instant, several times over:
    each time one amendment is saved and the other tab gets its text back with the message."""
    card, _ = _submitted(company, interviewer)
    url = _url(card) + "?amend=1"
    for trial in range(6):
        version = 1 + trial
        clients = [admin_client_for(interviewer), admin_client_for(interviewer)]
        start, answers = threading.Barrier(2), [None, None]
        posts = [
            {**_post_data(card, score=str(2 + i), evidence=f"tab {i} trial {trial}"), "_amend": "1"}
            | {"amend_reason": f"tab {i}", "amends_version": str(version)}
            for i in range(2)
        ]

        def tab(i, clients=clients, start=start, answers=answers, posts=posts):
            try:
                start.wait(10)
                response = clients[i].post(url, posts[i])
                answers[i] = (response.status_code, response.content.decode())
            except Exception as exc:
                answers[i] = (None, repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=tab, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)

        codes = sorted(a[0] for a in answers)
        assert codes == [200, 302], (trial, codes, [a[1][:300] for a in answers])
        loser = next(i for i, a in enumerate(answers) if a[0] == 200)
        assert "This scorecard was amended meanwhile" in answers[loser][1]
        assert f"tab {loser} trial {trial}" in answers[loser][1]
        assert card.amendments.count() == trial + 1
