"""Questionnaires: the questions a candidate answers when applying, and their answers.

A question belongs to a process template or to a job's plan (never both, like a `Stage`); a job's
questions are copied from its template with the plan. The models name the core models by label
("hiring.Job") so that this module imports nothing of `models.py`, which imports it so that every
model stays `hiring.<Model>`.
"""

from django.db import models
from django.db.models import Q

from .uploads import DOCUMENTS, PrivateFileField, RandomName, UploadValidator


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", "Short text"
    LONG_TEXT = "long_text", "Long text"
    YES_NO = "yes_no", "Yes / no"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    NUMBER = "number", "Number"
    URL = "url", "Link (URL)"
    FILE = "file", "File"


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class KnockoutAnswer(models.TextChoices):
    NONE = "", "No knockout"
    YES = "yes", "Yes"
    NO = "no", "No"


class KnockoutAction(models.TextChoices):
    FLAG = "flag", "Flag the application"
    REJECT = "reject", "Reject the application"


class Question(models.Model):
    """One question of a questionnaire, on a process template or on a job's plan."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(
        "hiring.ProcessTemplate", on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    job = models.ForeignKey(
        "hiring.Job", on_delete=models.CASCADE, null=True, blank=True, related_name="questions"
    )
    position = models.PositiveSmallIntegerField("order", default=0, db_index=True)
    label = models.CharField(max_length=300, help_text="The question as the candidate reads it.")
    help_text = models.CharField(
        max_length=1000, blank=True, help_text="Shown under the question, e.g. what a good answer includes."
    )
    kind = models.CharField(max_length=20, choices=QuestionKind.choices, default=QuestionKind.SHORT_TEXT)
    is_required = models.BooleanField("required", default=False)
    knockout_answer = models.CharField(
        "knockout answer",
        max_length=3,
        choices=KnockoutAnswer.choices,
        blank=True,
        default=KnockoutAnswer.NONE,
        help_text="Yes / no questions only: the answer that knocks the application out.",
    )
    knockout_action = models.CharField(
        "on a knockout answer",
        max_length=10,
        choices=KnockoutAction.choices,
        default=KnockoutAction.FLAG,
        help_text="What a knockout answer (or a choice marked as knockout) does to the application.",
    )
    rejection_reason = models.ForeignKey(
        "hiring.RejectionReason",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The company reason recorded when a knockout answer rejects the application.",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(template__isnull=False) & Q(job__isnull=True))
                | (Q(template__isnull=True) & Q(job__isnull=False)),
                name="question_belongs_to_template_or_job",
            ),
            models.CheckConstraint(
                condition=~Q(knockout_action="reject") | Q(rejection_reason__isnull=False),
                name="question_reject_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(knockout_answer="") | Q(kind="yes_no"),
                name="question_knockout_answer_yes_no_only",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class QuestionChoice(models.Model):
    """One option of a single or multiple choice question."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveSmallIntegerField("order", default=0, db_index=True)
    label = models.CharField(max_length=200)
    is_knockout = models.BooleanField(
        "knockout", default=False, help_text="Choosing this option knocks the application out."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="question_choice_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label


class Answer(models.Model):
    """A candidate's answer to one question of the job they applied to."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey("hiring.Application", on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(
        blank=True, help_text="The answer as shown to the team (choices by label, yes / no, number, link)."
    )
    file = PrivateFileField(
        upload_to=RandomName("answers"), validators=[UploadValidator(DOCUMENTS)], blank=True
    )
    is_knockout = models.BooleanField("knockout", default=False)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="answer_one_per_question"),
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"
