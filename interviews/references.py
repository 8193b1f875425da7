"""Reference checks: a kit of the "reference check" format is a call with a referee, and its
scorecard records who the referee is, how they know the candidate and their answers to the kit's
questions (the questions of its rubric), next to the rubric's scores like any other kit.

Models (imported by interviews/models.py) and the rules and writes that interviews.services
`_write` calls with the rest of a scorecard."""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

from rubrics.models import Question

from .models import KitFormat, Scorecard

MAX_ANSWER = 5000


class Relationship(models.TextChoices):
    MANAGER = "manager", "Their manager"
    PEER = "peer", "A peer"
    REPORT = "report", "Someone they managed"
    CLIENT = "client", "A client or partner"
    OTHER = "other", "Other"


class ReferenceCheck(models.Model):
    """The referee of a reference-check scorecard."""

    scorecard = models.OneToOneField(Scorecard, on_delete=models.CASCADE, related_name="reference")
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

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="reference_answers")
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


# --- Rules and writes ------------------------------------------------------------------------


def kit_is_reference_check(kit) -> bool:
    return kit.format == KitFormat.REFERENCE


@dataclass(frozen=True)
class ReferenceInput:
    referee_name: str = ""
    relationship: str = ""
    referee_context: str = ""
    answers: dict[int, str] = field(default_factory=dict)  # question id -> answer


def reference_errors(locked: Scorecard, given: ReferenceInput | None, *, complete: bool) -> list[str]:
    """What is wrong with a reference check's referee and answers (empty when nothing is)."""
    kit = locked.interview.kit
    if given is None:
        if complete and kit_is_reference_check(kit):
            return ["Say who the referee is and how they know the candidate."]
        return []
    if not kit_is_reference_check(kit):
        return ["Only a reference check has a referee."] if given.referee_name or given.answers else []
    errors = []
    if given.relationship and given.relationship not in Relationship.values:
        errors.append("Choose how the referee knows the candidate from the list.")
    if complete and (not given.referee_name.strip() or not given.relationship):
        errors.append("Say who the referee is and how they know the candidate.")
    questions = set(Question.objects.filter(competency__rubric_id=kit.rubric_id).values_list("pk", flat=True))
    if set(given.answers) - questions:
        errors.append("Some answers are for questions of another rubric.")
    if any(len(a) > MAX_ANSWER for a in given.answers.values()):
        errors.append(f"Keep each answer to {MAX_ANSWER} characters.")
    return errors


def reference_write(locked: Scorecard, given: ReferenceInput | None) -> None:
    """Record the referee and the answers given (blank answers are left out)."""
    if given is None:
        return
    if given.referee_name.strip() or given.relationship:
        ReferenceCheck.objects.update_or_create(
            scorecard=locked,
            defaults={
                "referee_name": given.referee_name.strip(),
                "relationship": given.relationship or Relationship.OTHER,
                "referee_context": given.referee_context.strip(),
            },
        )
    else:
        ReferenceCheck.objects.filter(scorecard=locked).delete()
    ReferenceAnswer.objects.filter(scorecard=locked).delete()
    ReferenceAnswer.objects.bulk_create(
        ReferenceAnswer(scorecard=locked, question_id=qid, answer=text.strip())
        for qid, text in sorted(given.answers.items())
        if text.strip()
    )
