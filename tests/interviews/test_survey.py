"""The candidate-experience survey: once per application after a decision, anonymous (nothing
links an answer to its candidate, and interviewers never see it), and its figures on the
dashboard per job and stage."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from hiring.models import ApplicationStatus
from interviews.dashboard.selectors import DashboardFilters
from interviews.dashboard.survey import survey_figures
from interviews.handins import SurveyAnswer, SurveyReceipt
from interviews.models import Decision, DecisionOutcome, Notification
from interviews.portal_actions import survey_answer_create
from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory, RejectionReasonFactory

pytestmark = pytest.mark.django_db


def decided(company, job=None, stage=None):
    job = job or JobFactory(company=company)
    stage = stage or JobStageFactory(job=job, name="Onsite")
    app = ApplicationFactory(company=company, job=job, stage=stage)
    Decision.objects.create(company=company, application=app, stage=stage, outcome=DecisionOutcome.ADVANCE)
    return app


def test_survey_only_after_a_decision_and_once(company):
    undecided = ApplicationFactory(company=company)
    with pytest.raises(ValidationError, match="once a decision"):
        survey_answer_create(application=undecided, score=4)
    app = decided(company)
    answer = survey_answer_create(application=app, score=4, comment="Kind interviewers")
    assert (answer.job_id, answer.stage_id, answer.score) == (app.job_id, app.stage_id, 4)
    with pytest.raises(ValidationError, match="already answered"):
        survey_answer_create(application=app, score=1)
    assert SurveyAnswer.objects.count() == 1


def test_a_rejected_application_may_answer(company):
    app = decided(company)
    app.status = ApplicationStatus.REJECTED
    # Rejected without a Decision row (by a move) counts as decided too.
    Decision.objects.filter(application=app).delete()
    app.rejection_reason = RejectionReasonFactory(company=company)
    app.save()
    assert survey_answer_create(application=app, score=2)


@pytest.mark.parametrize("score", [0, 6, "5"])
def test_score_is_one_to_five(company, score):
    with pytest.raises(ValidationError, match="1 to 5"):
        survey_answer_create(application=decided(company), score=score)


def test_an_answer_names_no_one_and_no_moment(company):
    # given
    app = decided(company)
    survey_answer_create(application=app, score=5, comment="Great")
    # then: the answer table has no path to an application, candidate or person, no time.
    answer_model = apps.get_model("interviews", "SurveyAnswer")
    targets = {f.related_model._meta.label for f in answer_model._meta.concrete_fields if f.is_relation}
    assert targets == {"hiring.Company", "hiring.Job", "hiring.Stage"}
    assert not any(isinstance(f, models.DateTimeField) for f in answer_model._meta.concrete_fields)
    # the receipt holds no answer and no time
    receipt_fields = {f.name for f in SurveyReceipt._meta.concrete_fields}
    assert receipt_fields == {"id", "application"}
    # and nobody is emailed about it
    assert not Notification.objects.exists()


def test_interviewers_never_see_the_survey(company, interviewer_client, manager_client):
    survey_answer_create(application=decided(company), score=3, comment="A very specific comment")
    # interviewers have no dashboard and no admin page of answers
    assert interviewer_client.get("/admin/dashboard/").status_code == 403
    for client in (interviewer_client, manager_client):
        assert client.get("/admin/interviews/surveyanswer/").status_code == 404
    page = manager_client.get("/admin/dashboard/")
    assert page.status_code == 200 and b"Candidate experience" in page.content
    assert b"A very specific comment" not in page.content


def test_dashboard_figures_per_job_and_stage(company, other_company):
    job_a, job_b = JobFactory(company=company, title="A"), JobFactory(company=company, title="B")
    a1, a2 = JobStageFactory(job=job_a, position=0), JobStageFactory(job=job_a, position=1)
    b1 = JobStageFactory(job=job_b, position=0)
    for stage, score in [(a1, 5), (a1, 2), (a2, 4), (b1, 1)]:
        survey_answer_create(application=decided(company, stage.job, stage), score=score)
    survey_answer_create(application=decided(other_company), score=5)
    today = timezone.localdate()
    f = DashboardFilters(
        company_ids=(company.pk,),
        job_id=None,
        date_from=today - datetime.timedelta(days=1),
        date_to=today,
        now=timezone.now(),
    )
    rows = [(r.job_title, r.stage_id, r.answers, r.average) for r in survey_figures(f)]
    assert rows == [("A", a1.pk, 2, 3.5), ("A", a2.pk, 1, 4.0), ("B", b1.pk, 1, 1.0)]
    only_b = DashboardFilters(**{**f.__dict__, "job_id": job_b.pk})
    assert [r.answers for r in survey_figures(only_b)] == [1]


def test_the_panel_shows_no_average_for_a_stage_with_too_few_answers():
    from interviews.dashboard.survey import SURVEY_MIN_ANSWERS, SurveyRow, survey_panel

    few = SurveyRow(1, "Backend", 2, "Technical", 1, SURVEY_MIN_ANSWERS - 1, 1.5)
    enough = SurveyRow(1, "Backend", 3, "Onsite", 2, SURVEY_MIN_ANSWERS, 4.25)
    panel = survey_panel([few, enough])
    cells = [[str(c) for c in row] for row in panel.rows]
    assert "too few answers" in " ".join(cells[0]) and "1.5" not in " ".join(cells[0])
    assert "too few answers" not in " ".join(cells[1])
    assert panel.chart is not None
