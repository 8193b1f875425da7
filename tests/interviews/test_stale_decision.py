"""The decision form carries the stage and status it was opened on: a decision posted after the
application moved (another tab, another decider) is refused, records nothing and moves nothing."""

import re

import pytest
from django.urls import reverse

from hiring.models import ApplicationStatus, StageChange
from interviews.models import Decision
from tests.hiring.factories import RejectionReasonFactory
from tests.interviews.test_panel_and_decision import _panel

pytestmark = pytest.mark.django_db

MEANWHILE = "Someone else moved this application meanwhile"


def decision_url(application):
    return reverse("admin:interviews_decision_add") + f"?application={application.pk}"


def open_form(client, application) -> dict:
    """Open the decision form as a tab does: the hidden fields it will post back."""
    html = client.get(decision_url(application)).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(expected_[a-z_]+)" value="([^"]*)"', html))


def test_the_decision_form_carries_the_stage_and_status_it_shows(company, manager_client):
    application = _panel(company, 3)
    assert open_form(manager_client, application) == {
        "expected_stage_id": str(application.stage_id),
        "expected_status": "active",
    }


def test_a_decision_from_a_stale_tab_is_refused_and_the_typed_text_stays(
    company, manager_client, recruiter_client
):
    # given two deciders with the decision form open on Round 0, whose panel passes the bar
    application = _panel(company, 3, score=4)
    reason = RejectionReasonFactory(company=company)
    tab_a = open_form(manager_client, application)
    tab_b = open_form(recruiter_client, application)

    # when the first advances the candidate, then the second, on the stale form, rejects
    response = manager_client.post(decision_url(application), {**tab_a, "outcome": "advance"})
    assert response.status_code == 302
    response = recruiter_client.post(
        decision_url(application),
        {**tab_b, "outcome": "reject", "rejection_reason": reason.pk, "reason": "Thin on design."},
    )

    # then the second is told what happened, keeps what it typed, and nothing more is recorded
    assert response.status_code == 200
    html = response.content.decode()
    assert f"{MEANWHILE} (it is now active in Round 1). Reload and try again." in html
    assert "Thin on design." in html
    assert Decision.objects.count() == 1 and Decision.objects.get().outcome == "advance"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE and application.stage.name == "Round 1"
    assert StageChange.objects.filter(application=application).exclude(from_stage=None).count() == 1


def test_a_double_submitted_decision_moves_once(company, manager_client):
    # given the decision form open on Round 0
    application = _panel(company, 3, score=4)
    seen = open_form(manager_client, application)

    # when "Record decision" is posted twice with the same form
    first = manager_client.post(decision_url(application), {**seen, "outcome": "advance"})
    second = manager_client.post(decision_url(application), {**seen, "outcome": "advance"})

    # then one decision, one move; the second post says why it did nothing
    assert first.status_code == 302 and second.status_code == 200
    assert MEANWHILE in second.content.decode()
    assert Decision.objects.count() == 1
    assert StageChange.objects.filter(application=application).exclude(from_stage=None).count() == 1


def test_a_decision_posted_without_the_seen_state_is_checked_at_arrival_only(company, manager_client):
    application = _panel(company, 3, score=4)
    response = manager_client.post(decision_url(application), {"outcome": "advance"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage.name == "Round 1"
