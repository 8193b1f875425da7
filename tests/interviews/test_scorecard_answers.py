"""The candidate's questionnaire answers on the scorecard page, with the file downloadable by the
interviewer of the candidate, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.questionnaires import application_answers_record
from tests.hiring.documents import PDF, upload
from tests.hiring.factories import question
from tests.interviews.test_scorecard_admin import _interview, member

pytestmark = pytest.mark.django_db


def _scorecard_page(company, interviewer, client, n):
    interview = _interview(company, [interviewer])
    application = interview.application
    answers = {}
    for i in range(n):
        q = question(job=application.job, kind="short_text", label=f"Scorecard question {i}", position=i)
        answers[q.pk] = f"Scorecard answer {i}"
    document = question(job=application.job, kind="file", label="Work sample", position=n)
    answers[document.pk] = upload("sample.pdf", PDF)
    application_answers_record(application=application, answers=answers)
    card = interview.scorecards.get(interviewer=member(interviewer))
    url = reverse("admin:interviews_scorecard_change", args=[card.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    return len(ctx), page, application.answers.get(question=document)


def test_the_scorecard_page_shows_the_answers_in_constant_queries(
    company, interviewer, interviewer_client, private_root
):
    few, page, file_answer = _scorecard_page(company, interviewer, interviewer_client, 2)
    assert "Scorecard question 1" in page and "Scorecard answer 1" in page
    download = reverse("admin:hiring_answer_download_file", args=[file_answer.pk])
    assert download in page
    assert interviewer_client.get(download).status_code == 200  # the candidate's interviewer
    many, page, _ = _scorecard_page(company, interviewer, interviewer_client, 7)
    assert "Scorecard answer 6" in page
    assert few == many
