"""Reference checks: a kit of the "reference check" format is a call with a referee, and its
scorecard records who the referee is, how they know the candidate and their answers to the kit's
questions (the questions of its rubric), next to the rubric's scores like any other kit.

Models only, imported by interviews/models.py (so nothing here imports it back); the rules and
writes that interviews.services `_write` calls are in interviews/reference_checks.py."""

from django.db import models
from django.db.models import Q

from rubrics.models import Question


class Relationship(models.TextChoices):
    MANAGER = "manager", "Their manager"
    PEER = "peer", "A peer"
    REPORT = "report", "Someone they managed"
    CLIENT = "client", "A client or partner"
    OTHER = "other", "Other"


class ReferenceCheck(models.Model):
    """The referee of a reference-check scorecard."""

    scorecard = models.OneToOneField(
        "interviews.Scorecard", on_delete=models.CASCADE, related_name="reference"
    )
    referee_name = models.CharField("referee", max_length=200)
    relationship = models.CharField(max_length=10, choices=Relationship.choices)
    referee_context = models.CharField(
        "where they worked together", max_length=300, blank=True, help_text="Company, team, years."
    )

    company_path = "scorecard__company"

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship__in=["manager", "peer", "report", "client", "other"]),
                name="reference_relationship_known",
            ),
        ]

    def __str__(self) -> str:
        return f"Reference #{self.pk}"


class ReferenceAnswer(models.Model):
    """What the referee answered to one question of the kit's rubric."""

    scorecard = models.ForeignKey(
        "interviews.Scorecard", on_delete=models.CASCADE, related_name="reference_answers"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="reference_answers")
    answer = models.TextField()

    company_path = "scorecard__company"

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "question"], name="reference_answer_once"),
        ]

    def __str__(self) -> str:
        return f"Answer #{self.pk}"
