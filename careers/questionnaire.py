"""The job's questionnaire as a candidate-facing Django form: one field per question, its cleaned
data in the shape `hiring.questionnaires.application_answers_record` takes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hiring.models import Job
from hiring.questionnaires import job_questions
from hiring.questions import Question, QuestionKind
from hiring.uploads import DOCUMENTS, UploadRefused, UploadValidator, upload_max_bytes

SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
URL_MAX = 500
NUMBER_MAX_DIGITS = 12
YES_NO = (("yes", _("Yes")), ("no", _("No")))
PREFIX = "question_"


def _clean_document(file):
    if file is None:
        return None
    limit = upload_max_bytes()
    if file.size > limit:
        raise ValidationError(
            _("The file is too large (at most %(megabytes)s MB).") % {"megabytes": limit // (1024 * 1024)}
        )
    try:
        UploadValidator(DOCUMENTS)(file)
    except (ValidationError, UploadRefused):
        raise ValidationError(
            _("This file type is not accepted: attach a PDF, Word, OpenDocument, RTF or text file.")
        ) from None
    return file


class DocumentField(forms.FileField):
    default_error_messages = {"required": _("Attach a file.")}

    def clean(self, data, initial=None):
        return _clean_document(super().clean(data, initial))


def question_field(question: Question) -> forms.Field:
    """The form field asking one question, with the candidate-facing messages."""
    common = {"label": question.label, "help_text": question.help_text, "required": question.is_required}
    required = {"required": _("This question needs an answer.")}
    kind = question.kind
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_TEXT_MAX,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages=required,
            **common,
        )
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, error_messages=required, **common)
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.TypedChoiceField(
            choices=[(c.pk, c.label) for c in question.choices.all()],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={**required, "invalid_choice": _("Choose one of the options.")},
            **common,
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.TypedMultipleChoiceField(
            choices=[(c.pk, c.label) for c in question.choices.all()],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={**required, "invalid_choice": _("Choose among the options.")},
            **common,
        )
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(
            max_digits=NUMBER_MAX_DIGITS,
            decimal_places=2,
            error_messages={
                **required,
                "invalid": _("Enter a number."),
                "max_digits": _("Enter a smaller number."),
                "max_decimal_places": _("Enter at most two decimals."),
                "max_whole_digits": _("Enter a smaller number."),
            },
            **common,
        )
    if kind == QuestionKind.URL:
        return forms.URLField(
            max_length=URL_MAX,
            assume_scheme="https",
            error_messages={**required, "invalid": _("Enter a full web address, e.g. https://example.com.")},
            **common,
        )
    if kind == QuestionKind.FILE:
        return DocumentField(max_length=255, error_messages={"required": _("Attach a file.")}, **common)
    return forms.CharField(max_length=SHORT_TEXT_MAX, error_messages=required, **common)


class QuestionnaireForm(forms.Form):
    """`QuestionnaireForm(job=job, data=request.POST, files=request.FILES)`: one field per question of
    the job's plan, named `question_<id>`, in order. `answers()` after `is_valid()`."""

    def __init__(self, *args, job: Job, questions: list[Question] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.job = job
        self.questions = job_questions(job.pk) if questions is None else questions
        for question in self.questions:
            self.fields[f"{PREFIX}{question.pk}"] = question_field(question)

    def answers(self) -> dict[int, object]:
        """The cleaned answers: question id -> value, as `application_answers_record` takes them."""
        answers: dict[int, object] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"{PREFIX}{question.pk}")
            if question.kind == QuestionKind.YES_NO:
                value = {"yes": True, "no": False}.get(value)
            answers[question.pk] = value
        return answers
