"""Questionnaires in the admin: editing on templates and jobs, answers on the application page,
the knockout filter, the answer file download, export and erasure, and company isolation."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hiring.models import Answer, Application, KnockoutAction
from hiring.privacy import candidate_erase, candidate_export_json
from hiring.questionnaires import application_answers_record
from tests.hiring.documents import PDF, upload
from tests.hiring.factories import (
    ApplicationFactory,
    ProcessTemplateFactory,
    RejectionReasonFactory,
    question,
)

pytestmark = pytest.mark.django_db


def _answered(company, n=2, private=False):
    application = ApplicationFactory(company=company)
    answers = {}
    for i in range(n):
        q = question(job=application.job, kind="short_text", label=f"Question number {i}", position=i)
        answers[q.pk] = f"Answer text {i}"
    if private:
        q = question(job=application.job, kind="file", label="Portfolio", position=n)
        answers[q.pk] = upload("p.pdf", PDF)
    application_answers_record(application=application, answers=answers)
    return application


def _page_queries(client, application):
    url = reverse("admin:hiring_application_change", args=[application.pk])
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    return len(ctx.captured_queries), page.content.decode()


def test_answers_are_shown_on_the_application_page_in_constant_queries(
    recruiter_client, company, private_root
):
    few = _answered(company, 2, private=True)
    many = _answered(company, 6, private=True)
    _page_queries(recruiter_client, few)  # caches warmed (content types, session)
    n_few, page = _page_queries(recruiter_client, few)
    assert "Question number 1" in page and "Answer text 1" in page
    assert (
        reverse("admin:hiring_answer_download_file", args=[few.answers.get(question__kind="file").pk]) in page
    )
    n_many, page = _page_queries(recruiter_client, many)
    assert "Answer text 5" in page
    assert n_few == n_many


def test_the_answer_file_downloads_for_the_company_only(
    recruiter_client, admin_client_for, other_recruiter, interviewer_client, company, private_root
):
    application = _answered(company, 0, private=True)
    url = reverse("admin:hiring_answer_download_file", args=[application.answers.get().pk])
    response = recruiter_client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert admin_client_for(other_recruiter).get(url).status_code == 404
    assert interviewer_client.get(url).status_code == 404  # not on one of the candidate's interviews


def test_the_knockout_filter_lists_flagged_applications_only(recruiter_client, company):
    flagged = ApplicationFactory(company=company)
    q = question(job=flagged.job, kind="yes_no", knockout_answer="no")
    application_answers_record(application=flagged, answers={q.pk: False})
    clean = ApplicationFactory(company=company)
    page = recruiter_client.get(
        reverse("admin:hiring_application_changelist"), {"knockout_flagged__exact": "1"}
    ).content.decode()
    assert flagged.candidate.name in page and clean.candidate.name not in page


def test_questions_are_edited_on_the_template_and_the_choices_on_the_question_page(
    company_admin_client, company
):
    template = ProcessTemplateFactory(company=company)
    q = question(template=template, kind="single_choice", label="Preferred stack", choices=["Go", "Java"])
    page = company_admin_client.get(reverse("admin:hiring_processtemplate_change", args=[template.pk]))
    assert page.status_code == 200 and "Preferred stack" in page.content.decode()
    page = company_admin_client.get(reverse("admin:hiring_question_change", args=[q.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Go" in body and "Java" in body and "knockout" in body.lower()


def test_a_rejecting_question_without_a_reason_gets_a_message(company_admin_client, company):
    template = ProcessTemplateFactory(company=company)
    q = question(template=template, kind="yes_no", label="Can you relocate?")
    url = reverse("admin:hiring_question_change", args=[q.pk])
    response = company_admin_client.post(
        url,
        {
            "label": "Can you relocate?",
            "kind": "yes_no",
            "knockout_answer": "no",
            "knockout_action": KnockoutAction.REJECT,
            "rejection_reason": "",
            "help_text": "",
            "choices-TOTAL_FORMS": "0",
            "choices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Choose the rejection reason a knockout answer records." in response.content.decode()
    q.refresh_from_db()
    assert q.knockout_answer == ""


def test_another_companys_question_and_reasons_are_out_of_reach(
    admin_client_for, other_recruiter, company_admin_client, company, other_company
):
    template = ProcessTemplateFactory(company=company)
    q = question(template=template, kind="yes_no", label="Secret question")
    client = admin_client_for(other_recruiter)
    page = client.get(reverse("admin:hiring_question_change", args=[q.pk]))
    assert page.status_code in (302, 404) and "Secret question" not in page.content.decode()
    RejectionReasonFactory(company=company, name="Our own reason")
    theirs = RejectionReasonFactory(company=other_company, name="Their reason")
    page = company_admin_client.get(reverse("admin:hiring_question_change", args=[q.pk])).content.decode()
    assert "Our own reason" in page and "Their reason" not in page
    # and a reason of another company posted by id is refused
    response = company_admin_client.post(
        reverse("admin:hiring_question_change", args=[q.pk]),
        {
            "label": "Secret question",
            "kind": "yes_no",
            "knockout_answer": "no",
            "knockout_action": KnockoutAction.REJECT,
            "rejection_reason": str(theirs.pk),
            "help_text": "",
            "choices-TOTAL_FORMS": "0",
            "choices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    q.refresh_from_db()
    assert q.rejection_reason_id is None


def test_answers_are_exported_and_erased_with_the_candidate(
    company, recruiter, private_root, django_capture_on_commit_callbacks
):
    application = _answered(company, 1, private=True)
    document = json.loads(candidate_export_json(candidate=application.candidate))
    answers = document["data"]["hiring.answer"]
    assert {a["text"] for a in answers} == {"Answer text 0", ""}
    stored = application.answers.get(question__kind="file").file
    path = stored.path
    with django_capture_on_commit_callbacks(execute=True):
        candidate_erase(candidate=application.candidate, actor=recruiter)
    texts = set(Answer.objects.filter(application=application).values_list("text", flat=True))
    assert "Answer text 0" not in texts
    assert not Answer.objects.get(application=application, question__kind="file").file
    import os

    assert not os.path.exists(path)
    assert Application.objects.filter(pk=application.pk).exists()


def test_a_recruiter_edits_a_jobs_question_and_its_choices_but_not_a_templates(recruiter_client, company):
    application = ApplicationFactory(company=company)
    on_job = question(job=application.job, kind="multiple_choice", label="Tools you use", choices=["Git"])
    on_template = question(template=ProcessTemplateFactory(company=company), label="Template question")
    choice = on_job.choices.get()
    response = recruiter_client.post(
        reverse("admin:hiring_question_change", args=[on_job.pk]),
        {
            "label": "Tools you use daily",
            "kind": "multiple_choice",
            "knockout_answer": "",
            "knockout_action": KnockoutAction.FLAG,
            "help_text": "",
            "choices-TOTAL_FORMS": "2",
            "choices-INITIAL_FORMS": "1",
            "choices-0-id": str(choice.pk),
            "choices-0-question": str(on_job.pk),
            "choices-0-position": "0",
            "choices-0-label": "Git",
            "choices-1-position": "1",
            "choices-1-label": "Nothing at all",
            "choices-1-is_knockout": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    on_job.refresh_from_db()
    assert on_job.label == "Tools you use daily"
    assert [(c.label, c.is_knockout, c.company_id) for c in on_job.choices.all()] == [
        ("Git", False, company.pk),
        ("Nothing at all", True, company.pk),
    ]
    response = recruiter_client.post(
        reverse("admin:hiring_question_change", args=[on_template.pk]),
        {"label": "Changed", "kind": "short_text", "knockout_action": "flag", "choices-TOTAL_FORMS": "0"},
    )
    on_template.refresh_from_db()
    assert on_template.label == "Template question"


def test_the_knockout_filter_keeps_the_list_query_count_constant(recruiter_client, company):
    def queries(n):
        for _ in range(n):
            flagged = ApplicationFactory(company=company)
            Application.objects.filter(pk=flagged.pk).update(knockout_flagged=True)
        url = reverse("admin:hiring_application_changelist")
        recruiter_client.get(url, {"knockout_flagged__exact": "1"})
        with CaptureQueriesContext(connection) as ctx:
            response = recruiter_client.get(url, {"knockout_flagged__exact": "1"})
        assert response.status_code == 200
        return len(ctx)

    assert queries(3) == queries(3)  # 3 flagged, then 6


def test_the_jobs_page_lists_its_questions_and_links_to_each(recruiter_client, company):
    application = ApplicationFactory(company=company)
    q = question(job=application.job, kind="yes_no", label="Do you hold a driving licence?")
    page = recruiter_client.get(
        reverse("admin:hiring_job_change", args=[application.job.pk])
    ).content.decode()
    assert "Do you hold a driving licence?" in page
    assert reverse("admin:hiring_question_change", args=[q.pk]) in page
