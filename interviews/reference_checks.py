"""The rules and writes of a reference check's scorecard (models in interviews/references.py):
the referee, how they know the candidate and their answers to the kit's questions, validated and
written with the rest of the scorecard by interviews.services `_write`."""

from dataclasses import dataclass, field

from rubrics.models import Question

from .models import KitFormat, Scorecard
from .references import ReferenceAnswer, ReferenceCheck, Relationship

MAX_ANSWER = 5000


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
