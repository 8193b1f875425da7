"""The application page's interviews panel and the decision form."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.admin.extensions import APPLICATION_PANELS
from hiring.models import ApplicationStatus, Role
from interviews.admin.panels import interviews_actions, interviews_panel
from interviews.models import Decision
from interviews.services import RatingInput, interview_schedule, scorecard_submit
from tests.hiring.factories import MembershipFactory, RejectionReasonFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def member(user):
    return user.memberships.get()


def _panel(company, size, *, score=4, flag=False, competencies=3):
    """An application whose first stage has `size` submitted scorecards over two interviews."""
    application, kits = interview_setup(company, competencies=competencies)
    rubric = kits[0].rubric
    competency_list = list(rubric.competencies.all())
    members = [MembershipFactory(company=company, role=Role.INTERVIEWER) for _ in range(size)]
    start = timezone.now() - datetime.timedelta(hours=5)
    halves = [members[: size // 2], members[size // 2 :]]
    for i, panel in enumerate(halves):
        interview = interview_schedule(
            application=application,
            kit=kits[0],
            starts_at=start + datetime.timedelta(hours=i),
            ends_at=start + datetime.timedelta(hours=i, minutes=45),
            interviewers=panel,
        )
        for card in interview.scorecards.all():
            # the last competency is never assessed
            ratings = [RatingInput(c.pk, score, "evidence") for c in competency_list[:-1]]
            ratings.append(RatingInput(competency_list[-1].pk, None, ""))
            flags = [rubric.red_flags.get(is_blocking=True).pk] if flag else []
            scorecard_submit(scorecard=card, ratings=ratings, red_flag_ids=flags, recommendation="yes")
    return application


def _render(user, application):
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as ctx:
        html = interviews_panel(request, application)
    return html, len(ctx)


def _actions(user, application):
    request = RequestFactory().get("/")
    request.user = user
    return interviews_actions(request, application)


def test_panel_is_registered_on_the_application_page():
    assert interviews_panel in APPLICATION_PANELS


def test_panel_shows_matrix_flags_uncovered_competencies_and_clause_reasons(company, hiring_manager):
    application = _panel(company, 3, score=2, flag=True)
    html, _ = _render(hiring_manager, application)
    assert html.count('<td class="hl-score">2</td>') == 3 * 2
    assert "Blamed the team" in html and "(blocking)" in html
    assert "Competencies no submitted scorecard covered" in html and "Skill 2" in html.split("covered")[1]
    assert "does not pass the hire bar" in html
    assert "Weighted average 2 &lt; required 3.5." in html
    assert "Critical competencies at or below 2: Skill 0 (2)." in html
    assert "Blocking red flags raised: Blamed the team." in html
    actions = _actions(hiring_manager, application)
    assert "Record decision" in actions and "Schedule interview" in actions


def test_panel_query_count_is_the_same_for_3_and_12_scorecards(company, hiring_manager):
    small, small_count = _render(hiring_manager, _panel(company, 3))
    large, large_count = _render(hiring_manager, _panel(company, 12))
    assert large.count('class="hl-score"') == 12 * 3
    assert large.count('<td class="hl-score">4</td>') == 12 * 2
    assert small_count == large_count, (small_count, large_count)
    assert large_count <= 15, large_count
    print(f"panel queries: {small_count}")


def test_panel_for_an_interviewer_or_another_company_is_empty(company, interviewer, other_company_admin):
    application = _panel(company, 3)
    assert _render(interviewer, application)[0] == ""
    assert _render(other_company_admin, application)[0] == ""


def test_panel_never_shows_drafts(company, recruiter):
    application = _panel(company, 3, score=5)
    # a fourth interviewer has not submitted yet
    late = MembershipFactory(company=company, role=Role.INTERVIEWER)
    late.display_name = "Late Larry"
    late.save()
    interview = application.interviews.first()
    from interviews.services import interview_set_interviewers

    interview_set_interviewers(
        interview=interview, interviewers=[*[sc.interviewer for sc in interview.scorecards.all()], late]
    )
    html, _ = _render(recruiter, application)
    matrix = html.split("Score matrix")[1].split("Red flags")[0]
    assert "Late Larry" not in matrix and matrix.count("<tr>") == 1 + 3


def _decide(client, application, **data):
    url = reverse("admin:interviews_decision_add") + f"?application={application.pk}"
    return client.post(url, data)


def test_decision_against_the_verdict_without_reason_is_refused_with_reason_saved(company, manager_client):
    application = _panel(company, 3, score=2)
    first_stage = application.stage
    page = manager_client.get(reverse("admin:interviews_decision_add") + f"?application={application.pk}")
    assert "Weighted average 2 &lt; required 3.5." in page.content.decode()
    response = _decide(manager_client, application, outcome="advance", reason="")
    assert response.status_code == 200 and "against the hire-bar verdict" in response.content.decode()
    assert not Decision.objects.exists()
    response = _decide(manager_client, application, outcome="advance", reason="Strong take-home; retest.")
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.against_verdict and decision.reason == "Strong take-home; retest."
    assert decision.stage == first_stage
    application.refresh_from_db()
    assert application.stage.name == "Round 1" and application.status == ApplicationStatus.ACTIVE


def test_decision_following_the_verdict_rejects_with_a_reason(company, recruiter_client):
    application = _panel(company, 3, score=2)
    reason = RejectionReasonFactory(company=company)
    response = _decide(recruiter_client, application, outcome="reject", rejection_reason=reason.pk)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert Decision.objects.get().against_verdict is False


def test_interviewers_company_admins_and_other_companies_do_not_decide(
    company, interviewer_client, company_admin_client, admin_client_for, other_recruiter
):
    application = _panel(company, 3)
    url = reverse("admin:interviews_decision_add") + f"?application={application.pk}"
    assert interviewer_client.get(url).status_code == 403
    assert company_admin_client.get(url).status_code == 403
    assert admin_client_for(other_recruiter).get(url).status_code == 404
    assert _decide(admin_client_for(other_recruiter), application, outcome="advance").status_code == 404
    assert not Decision.objects.exists()


def test_a_decider_who_still_owes_a_scorecard_sees_no_verdict(company, hiring_manager, manager_client):
    application = _panel(company, 3, score=2)
    start = timezone.now() - datetime.timedelta(hours=1)
    interview_schedule(
        application=application,
        kit=application.stage.kits.get(),
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        interviewers=[member(hiring_manager)],
    )
    url = reverse("admin:interviews_decision_add") + f"?application={application.pk}"
    response = manager_client.get(url)
    assert response.status_code == 302
    assert _decide(manager_client, application, outcome="advance", reason="x").status_code == 302
    assert not Decision.objects.exists()
    html, _ = _render(hiring_manager, application)
    assert "Weighted average" not in html
    assert "You still owe a scorecard for this candidate" in html


def test_a_closed_application_offers_no_scheduling_or_decision(company, recruiter):
    application = _panel(company, 3, score=2)
    from hiring.services import application_reject

    application_reject(
        application=application, reason=RejectionReasonFactory(company=company), actor=recruiter
    )
    html, _ = _render(recruiter, application)
    actions = _actions(recruiter, application)
    assert "Record decision" not in actions and "Schedule interview" not in actions
    assert "Score matrix" in html


def _application_page(client, application):
    url = reverse("admin:hiring_application_change", args=[application.pk])
    client.get(url)  # warm the per-process caches (content types) before counting
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), ctx.captured_queries


def test_application_page_shows_the_panel_with_the_same_queries_for_3_and_12_scorecards(
    company, manager_client
):
    small, small_queries = _application_page(manager_client, _panel(company, 3, score=2))
    large, large_queries = _application_page(manager_client, _panel(company, 12, score=2))
    small_count, large_count = len(small_queries), len(large_queries)
    assert 'id="interviews-panel"' in small and "Weighted average 2 &lt; required 3.5." in large
    assert large.count('<td class="hl-score">2</td>') == 12 * 2
    assert small_count == large_count, (small_count, large_count)


def test_decision_form_without_an_application_points_to_the_applications(manager_client):
    response = manager_client.get(reverse("admin:interviews_decision_add"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:hiring_application_changelist")
