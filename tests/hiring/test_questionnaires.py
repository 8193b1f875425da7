"""Questionnaires: constraints, the copy into a job's plan, answers recorded, knockouts applied."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hiring.models import Answer, Application, ApplicationStatus, KnockoutAction, Question, StageChange
from hiring.questionnaires import application_answers_record
from interviews.plans import job_create_from_template, process_template_duplicate
from tests.hiring.documents import PDF, upload
from tests.hiring.factories import (
    ApplicationFactory,
    ProcessTemplateFactory,
    RejectionReasonFactory,
    TemplateStageFactory,
    question,
)

pytestmark = pytest.mark.django_db


def test_a_question_belongs_to_a_template_or_a_job_never_both_nor_neither():
    application = ApplicationFactory()
    template = ProcessTemplateFactory(company=application.company)
    for owner in ({}, {"template": template, "job": application.job}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Question.objects.create(company=application.company, label="Why us?", **owner)


def test_a_rejecting_knockout_needs_a_reason_and_only_yes_no_questions_have_a_knockout_answer():
    application = ApplicationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        question(
            job=application.job, kind="yes_no", knockout_answer="no", knockout_action=KnockoutAction.REJECT
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        question(job=application.job, kind="short_text", knockout_answer="no")


def test_an_application_has_one_answer_per_question():
    application = ApplicationFactory()
    q = question(job=application.job)
    Answer.objects.create(company=application.company, application=application, question=q, text="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(company=application.company, application=application, question=q, text="b")


def test_template_questions_and_choices_are_copied_into_a_new_job_and_a_duplicated_template():
    template = ProcessTemplateFactory()
    TemplateStageFactory(template=template)
    reason = RejectionReasonFactory(company=template.company)
    question(template=template, kind="yes_no", label="Work permit?", knockout_answer="no", position=0)
    question(
        template=template,
        kind="single_choice",
        label="Level",
        choices=["Junior!", "Senior"],
        knockout_action=KnockoutAction.REJECT,
        rejection_reason=reason,
        position=1,
    )
    job = job_create_from_template(company=template.company, template=template, title="Backend")
    copied = list(job.questions.all())
    assert [(q.label, q.kind, q.knockout_answer, q.company_id) for q in copied] == [
        ("Work permit?", "yes_no", "no", template.company_id),
        ("Level", "single_choice", "", template.company_id),
    ]
    assert copied[1].rejection_reason == reason
    assert [(c.label, c.is_knockout) for c in copied[1].choices.all()] == [
        ("Junior", True),
        ("Senior", False),
    ]
    assert template.questions.count() == 2  # the template keeps its own
    duplicate = process_template_duplicate(template=template)
    assert [q.label for q in duplicate.questions.all()] == ["Work permit?", "Level"]


def test_answers_are_stored_per_kind(private_root):
    application = ApplicationFactory()
    job = application.job
    qs = {
        "short": question(job=job, kind="short_text", position=0),
        "yes": question(job=job, kind="yes_no", position=1),
        "single": question(job=job, kind="single_choice", choices=["A", "B"], position=2),
        "multi": question(job=job, kind="multiple_choice", choices=["X", "Y", "Z"], position=3),
        "number": question(job=job, kind="number", position=4),
        "url": question(job=job, kind="url", position=5),
        "file": question(job=job, kind="file", position=6),
    }
    b = qs["single"].choices.get(label="B")
    x, z = qs["multi"].choices.get(label="X"), qs["multi"].choices.get(label="Z")
    application_answers_record(
        application=application,
        answers={
            qs["short"].pk: " Hello ",
            qs["yes"].pk: False,
            qs["single"].pk: b.pk,
            qs["multi"].pk: [z.pk, x.pk],
            qs["number"].pk: Decimal("4.5"),
            qs["url"].pk: "https://example.com/me",
            qs["file"].pk: upload("work.pdf", PDF),
        },
    )
    answers = {a.question_id: a for a in application.answers.all()}
    assert [answers[q.pk].text for q in qs.values()][:6] == [
        "Hello",
        "no",
        "B",
        "X; Z",
        "4.5",
        "https://example.com/me",
    ]
    assert answers[qs["file"].pk].file.name.startswith("answers/")
    assert not Application.objects.get(pk=application.pk).knockout_flagged


def test_a_knockout_flags_the_application():
    application = ApplicationFactory()
    q = question(job=application.job, kind="yes_no", knockout_answer="no")
    application_answers_record(application=application, answers={q.pk: False})
    application.refresh_from_db()
    assert application.knockout_flagged and application.status == ApplicationStatus.ACTIVE
    assert application.answers.get().is_knockout


def test_a_rejecting_knockout_rejects_with_the_question_reason_inside_the_callers_transaction():
    application = ApplicationFactory()
    reason = RejectionReasonFactory(company=application.company)
    q = question(
        job=application.job,
        kind="multiple_choice",
        label="Which languages?",
        choices=["Python", "COBOL only!"],
        knockout_action=KnockoutAction.REJECT,
        rejection_reason=reason,
    )
    with transaction.atomic():
        application_answers_record(
            application=application, answers={q.pk: [q.choices.get(label="COBOL only").pk]}
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED and application.rejection_reason == reason
    assert application.knockout_flagged
    assert "Which languages?" in StageChange.objects.filter(application=application).latest("id").note


def test_bad_answers_are_refused_and_nothing_is_written():
    application = ApplicationFactory()
    other = ApplicationFactory()
    required = question(job=application.job, kind="short_text", is_required=True)
    foreign = question(job=other.job, kind="short_text")
    single = question(job=application.job, kind="single_choice", choices=["A"])
    foreign_choice = question(job=other.job, kind="single_choice", choices=["A"]).choices.get()
    for answers in (
        {required.pk: ""},
        {required.pk: "ok", foreign.pk: "sneaky"},
        {required.pk: "ok", single.pk: foreign_choice.pk},
    ):
        with pytest.raises(ValidationError):
            application_answers_record(application=application, answers=answers)
    assert not Answer.objects.exists()
