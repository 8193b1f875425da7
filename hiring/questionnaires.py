"""Questionnaire services: a job's questions copied from its template, and a candidate's answers
recorded with their knockouts applied."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef

from .json_rows import json_rows, own_fields, rows_from_json
from .models import Application, Job, ProcessTemplate
from .questions import Answer, KnockoutAction, Question, QuestionChoice, QuestionKind
from .services import MoveError, application_reject

YES, NO = "yes", "no"


def job_questions(job_id: int) -> list[Question]:
    """The questions of a job's plan in order, with their choices and reasons (3 queries)."""
    return list(
        Question.objects.filter(job_id=job_id)
        .select_related("rejection_reason")
        .prefetch_related("choices")
        .order_by("position", "id")
    )


def application_answers_rows(request=None):
    """The answers of the outer query's application as JSON rows (hiring.json_rows), for
    `application_answers` to read without a query of its own."""
    return json_rows(
        Answer.objects.filter(application_id=OuterRef("pk")),
        group="application_id",
        fields=[*own_fields(Answer), "question__label", "question__position"],
    )


def application_answers(application: Application, *, rows: list | None = None) -> list[Answer]:
    """The answers of an application in question order, with their questions (one query; none
    from the `rows` read with the application by `application_answers_rows`)."""
    if rows is not None:
        answers = rows_from_json(Answer, rows)
        return sorted(answers, key=lambda a: (a.question.position, a.question_id))
    return list(
        Answer.objects.filter(application_id=application.pk)
        .select_related("question")
        .order_by("question__position", "question_id")
    )


@transaction.atomic
def questions_copy(
    *, source: ProcessTemplate, template: ProcessTemplate | None = None, job: Job | None = None
) -> list[Question]:
    """Copy a template's questions (with their choices) into another template or a job (exactly
    one), replacing the questions it had. Called with the plan copy (interviews.plans)."""
    if (template is None) == (job is None):
        raise ValueError("Copy questions into exactly one template or one job.")
    owner = template or job
    if source.company_id != owner.company_id:
        raise ValidationError("The template and the job belong to different companies.")
    Question.objects.filter(**({"template": template} if template else {"job": job})).delete()
    sources = list(Question.objects.filter(template=source).prefetch_related("choices"))
    copies = Question.objects.bulk_create(
        [
            Question(
                company_id=owner.company_id,
                template=template,
                job=job,
                position=source.position,
                label=source.label,
                help_text=source.help_text,
                kind=source.kind,
                is_required=source.is_required,
                knockout_answer=source.knockout_answer,
                knockout_action=source.knockout_action,
                rejection_reason_id=source.rejection_reason_id,
            )
            for source in sources
        ]
    )
    QuestionChoice.objects.bulk_create(
        [
            QuestionChoice(
                company_id=owner.company_id,
                question=copy,
                position=choice.position,
                label=choice.label,
                is_knockout=choice.is_knockout,
            )
            for source, copy in zip(sources, copies, strict=True)
            for choice in source.choices.all()
        ]
    )
    return copies


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def _answer(question: Question, value) -> tuple[str, bool, UploadedFile | None]:
    """(text shown to the team, is a knockout, file) of one answer; ValidationError if the value
    does not fit the question."""
    kind = question.kind
    if kind == QuestionKind.YES_NO:
        if not isinstance(value, bool):
            raise ValidationError(f"{question.label}: answer yes or no.")
        text = YES if value else NO
        return text, question.knockout_answer == text, None
    if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        ids = [value] if kind == QuestionKind.SINGLE_CHOICE else list(value)
        by_id = {choice.pk: choice for choice in question.choices.all()}
        try:
            chosen = [by_id[int(i)] for i in ids]
        except (KeyError, TypeError, ValueError):
            raise ValidationError(f"{question.label}: not one of the question's choices.") from None
        chosen.sort(key=lambda c: (c.position, c.pk))
        return "; ".join(c.label for c in chosen), any(c.is_knockout for c in chosen), None
    if kind == QuestionKind.NUMBER:
        if not isinstance(value, int | Decimal | float) or isinstance(value, bool):
            raise ValidationError(f"{question.label}: enter a number.")
        return str(value), False, None
    if kind == QuestionKind.FILE:
        if not isinstance(value, UploadedFile):
            raise ValidationError(f"{question.label}: attach a file.")
        return "", False, value
    return str(value).strip(), False, None


@transaction.atomic
def application_answers_record(
    *, application: Application, answers: Mapping[int, object], actor=None
) -> list[Answer]:
    """Store the answers to the job's questionnaire and apply its knockouts.

    `answers` maps a question id (of the application's job) to a value: str for short text, long
    text and URL; bool for yes / no; a choice id for single choice, a list of choice ids for
    multiple choice; int or Decimal for number; an UploadedFile for file; None or "" when not
    answered. A knockout answer sets `application.knockout_flagged`; a question whose action is
    "reject" also rejects the application with the question's reason (through `application_reject`,
    a note naming the question). Runs inside the caller's transaction. ValidationError (nothing
    written) for an unknown question, a missing required answer or a value that does not fit.
    """
    questions = job_questions(application.job_id)
    unknown = set(answers) - {q.pk for q in questions}
    if unknown:
        raise ValidationError("An answer is for a question this job does not ask.")
    rows: list[Answer] = []
    reject_by: Question | None = None
    flagged = False
    for question in questions:
        value = answers.get(question.pk)
        if _empty(value):
            if question.is_required:
                raise ValidationError(f"{question.label}: an answer is required.")
            continue
        text, knockout, file = _answer(question, value)
        answer = Answer(
            company_id=application.company_id,
            application=application,
            question=question,
            text=text,
            is_knockout=knockout,
        )
        if file is not None:
            answer.file = file
        answer.clean_fields(exclude=["company", "application", "question"])
        rows.append(answer)
        if knockout:
            flagged = True
            if question.knockout_action == KnockoutAction.REJECT and reject_by is None:
                reject_by = question
    for answer in rows:
        answer.save()
    if flagged:
        Application.objects.filter(pk=application.pk).update(knockout_flagged=True)
        application.knockout_flagged = True
    if reject_by is not None:
        try:
            application_reject(
                application=application,
                reason=reject_by.rejection_reason,
                actor=actor,
                note=f"Knockout answer to the question “{reject_by.label}”.",
            )
        except MoveError:
            pass  # a reason no longer in use, an application already closed: the flag stays
    return rows
