"""The candidate-facing questionnaire form: one field per question, messages, cleaned answers."""

import pytest
from django import forms
from django.utils import translation

from careers.questionnaire import LONG_TEXT_MAX, SHORT_TEXT_MAX, QuestionnaireForm
from hiring.questionnaires import application_answers_record
from tests.hiring.documents import HTML, PDF, upload
from tests.hiring.factories import ApplicationFactory, JobFactory, question

pytestmark = pytest.mark.django_db


def _job_with_every_kind():
    job = JobFactory()
    kinds = ["short_text", "long_text", "yes_no", "single_choice", "multiple_choice", "number", "url", "file"]
    made = {
        kind: question(
            job=job,
            kind=kind,
            label=f"Q {kind}",
            help_text=f"help {kind}",
            position=i,
            choices=["A", "B"] if "choice" in kind else (),
        )
        for i, kind in enumerate(kinds)
    }
    return job, made


def test_one_field_per_question_in_order_with_label_help_and_widget():
    job, made = _job_with_every_kind()
    form = QuestionnaireForm(job=job)
    assert list(form.fields) == [f"question_{q.pk}" for q in made.values()]
    fields = {kind: form.fields[f"question_{q.pk}"] for kind, q in made.items()}
    assert (
        fields["short_text"].label == "Q short_text" and fields["short_text"].help_text == "help short_text"
    )
    assert fields["short_text"].max_length == SHORT_TEXT_MAX
    assert fields["long_text"].max_length == LONG_TEXT_MAX
    assert isinstance(fields["long_text"].widget, forms.Textarea)
    assert isinstance(fields["yes_no"].widget, forms.RadioSelect)
    assert [label for _, label in fields["single_choice"].choices] == ["A", "B"]
    assert isinstance(fields["multiple_choice"].widget, forms.CheckboxSelectMultiple)
    assert isinstance(fields["number"], forms.DecimalField)
    assert isinstance(fields["url"], forms.URLField)
    assert isinstance(fields["file"], forms.FileField)
    assert not any(f.required for f in fields.values())


def test_bad_answers_get_a_message_per_field_in_the_candidates_language():
    job = JobFactory()
    required = question(job=job, kind="short_text", is_required=True, position=0)
    number = question(job=job, kind="number", position=1)
    url = question(job=job, kind="url", position=2)
    single = question(job=job, kind="single_choice", choices=["A"], position=3)
    document = question(job=job, kind="file", position=4)
    data = {
        f"question_{number.pk}": "many",
        f"question_{url.pk}": "not a url",
        f"question_{single.pk}": "999",
    }
    files = {f"question_{document.pk}": upload("cv.pdf", HTML)}
    form = QuestionnaireForm(job=job, data=data, files=files)
    assert not form.is_valid()
    assert form.errors[f"question_{required.pk}"] == ["This question needs an answer."]
    assert form.errors[f"question_{number.pk}"] == ["Enter a number."]
    assert form.errors[f"question_{url.pk}"] == ["Enter a full web address, e.g. https://example.com."]
    assert form.errors[f"question_{single.pk}"] == ["Choose one of the options."]
    assert "not accepted" in form.errors[f"question_{document.pk}"][0]
    with translation.override("fr"):
        form = QuestionnaireForm(job=job, data=data, files=files)
        assert not form.is_valid()
        assert form.errors[f"question_{required.pk}"] == ["Cette question demande une réponse."]
        assert form.errors[f"question_{number.pk}"] == ["Saisissez un nombre."]


def test_a_too_long_text_is_refused():
    job = JobFactory()
    q = question(job=job, kind="short_text")
    form = QuestionnaireForm(job=job, data={f"question_{q.pk}": "x" * (SHORT_TEXT_MAX + 1)})
    assert not form.is_valid() and f"question_{q.pk}" in form.errors


def test_the_cleaned_answers_are_what_the_service_records(private_root):
    application = ApplicationFactory()
    job = application.job
    yes = question(job=job, kind="yes_no", knockout_answer="no", position=0)
    multi = question(job=job, kind="multiple_choice", choices=["A", "B"], position=1)
    number = question(job=job, kind="number", position=2)
    document = question(job=job, kind="file", position=3)
    empty = question(job=job, kind="url", position=4)
    a, b = multi.choices.all()
    data = {
        f"question_{yes.pk}": "no",
        f"question_{multi.pk}": [str(a.pk), str(b.pk)],
        f"question_{number.pk}": "7",
    }
    form = QuestionnaireForm(job=job, data=data, files={f"question_{document.pk}": upload("w.pdf", PDF)})
    assert form.is_valid(), form.errors
    answers = form.answers()
    assert answers[yes.pk] is False and answers[multi.pk] == [a.pk, b.pk] and answers[empty.pk] == ""
    application_answers_record(application=application, answers=answers)
    assert sorted(application.answers.values_list("text", flat=True)) == ["", "7", "A; B", "no"]
    application.refresh_from_db()
    assert application.knockout_flagged


def test_another_jobs_questions_are_not_asked():
    job, _ = _job_with_every_kind()
    other = JobFactory()
    assert QuestionnaireForm(job=other).fields == {}
