"""The job's questionnaire on the application form: shown, answered in the application's
transaction, knockouts applied, required answers enforced, another job's questions never shown."""

import pytest
from django.core import mail

from hiring.models import Answer, Application, ApplicationStatus, Candidate
from tests.careers.apply_helpers import apply_url, form_data, job_to_apply, post
from tests.hiring.factories import RejectionReasonFactory, question

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private(private_root):
    return private_root


def test_the_questions_are_shown_with_a_legend_for_choices(client):
    job = job_to_apply()
    question(job=job, kind="short_text", label="Notice period?", position=0)
    question(job=job, kind="yes_no", label="Can you work in the EU?", position=1)
    other = job_to_apply(job.company)
    question(job=other, label="Another job's question")

    page = client.get(apply_url(job)).content.decode()

    assert "Notice period?" in page and "<legend>Can you work in the EU?" in page
    assert "Another job&#x27;s question" not in page and "Another job's question" not in page


def test_the_answers_are_recorded_with_the_application(client, django_capture_on_commit_callbacks):
    job = job_to_apply()
    notice = question(job=job, kind="short_text", label="Notice period?", is_required=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, job, form_data(client, job, **{f"question_{notice.pk}": "Two months"}))

    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.application == Application.objects.get() and answer.text == "Two months"


def test_a_missing_required_answer_is_refused_with_nothing_written(client):
    job = job_to_apply()
    notice = question(job=job, kind="short_text", label="Notice period?", is_required=True)

    page = post(client, job, form_data(client, job)).content.decode()

    assert f'id="id_question_{notice.pk}_error"' in page and "This question needs an answer." in page
    assert f'href="#id_question_{notice.pk}"' in page
    assert not Candidate.objects.exists() and not Answer.objects.exists()


def test_a_knockout_answer_rejects_with_the_companys_reason(client, django_capture_on_commit_callbacks):
    job = job_to_apply()
    reason = RejectionReasonFactory(company=job.company, name="Needs a work permit")
    permit = question(
        job=job,
        kind="yes_no",
        label="Can you work in the EU?",
        knockout_answer="no",
        knockout_action="reject",
        rejection_reason=reason,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, job, form_data(client, job, **{f"question_{permit.pk}": "no"}))

    assert response.status_code == 302  # the candidate sees the same confirmation
    application = Application.objects.get()
    assert application.status == ApplicationStatus.REJECTED and application.rejection_reason == reason
    assert application.knockout_flagged and Answer.objects.get().is_knockout
    assert len(mail.outbox) == 2  # received, then the rejection


@pytest.mark.parametrize("questions", [1, 3])
def test_the_form_page_costs_the_same_queries_whatever_the_questions(
    client, django_assert_num_queries, questions
):
    job = job_to_apply()
    for n in range(questions):
        question(job=job, kind="single_choice", label=f"Q{n}", choices=["A", "B"])
    with django_assert_num_queries(3):  # the job with its company, the questions, their choices
        assert client.get(apply_url(job)).status_code == 200
