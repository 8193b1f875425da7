"""The decision form shows what it decides on: the score matrix (competency by interviewer), each
scorecard's recommendation and the hire-bar verdicts, in the same number of queries for N and 2N
scorecards."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.interviews.test_panel_and_decision import _panel

pytestmark = pytest.mark.django_db


def _form(client, application):
    url = reverse("admin:interviews_decision_add") + f"?application={application.pk}"
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_the_decision_form_shows_the_matrix_recommendations_and_verdicts(company, manager_client):
    application = _panel(company, 4, score=2, flag=True)
    html, _ = _form(manager_client, application)
    matrix = html[html.index('id="decision-scores"') : html.index("Hire-bar verdict")]
    # 4 scorecards x 2 assessed competencies scored 2, the third not assessed.
    assert matrix.count('<td class="hl-score">2</td>') == 4 * 2
    assert matrix.count("<em>n/a</em>") == 4
    assert "Skill 0*" in matrix and "Skill 2" in matrix  # the competencies, critical marked
    assert matrix.count("<td>Yes</td>") == 4  # each scorecard's recommendation
    for card in application.interviews.first().scorecards.select_related("interviewer"):
        assert card.interviewer.display_name in matrix
    assert "Weighted average 2 &lt; required 3.5." in html  # the stage's verdict
    assert html.index('id="decision-scores"') < html.index('<form method="post" novalidate>')


def test_the_decision_form_costs_the_same_queries_for_n_and_2n_scorecards(company, manager_client):
    small_html, small = _form(manager_client, _panel(company, 3, score=2))
    large_html, large = _form(manager_client, _panel(company, 6, score=2))
    assert large_html.count('<td class="hl-score">2</td>') == 6 * 2
    assert small == large, (small, large)
