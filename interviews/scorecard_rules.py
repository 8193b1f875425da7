"""What a submitted scorecard must hold: one home for the rule, read by the scorecard service and by
the scorecard form (which shows each refusal on the field at fault)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


@dataclass(frozen=True)
class RatingInput:
    competency_id: int
    score: int | None
    evidence: str = ""


EVIDENCE_KEY = "evidence_{}"


def _evidence_competency(key: str) -> int | None:
    prefix = EVIDENCE_KEY.format("")
    return int(key[len(prefix) :]) if key.startswith(prefix) and key[len(prefix) :].isdigit() else None


def scorecard_check_complete(
    *, ratings: Iterable[RatingInput], recommendation: str, scores_required: bool = True
) -> None:
    """The rules of a submitted scorecard, in one place for the service and the scorecard form:
    every score has its evidence, at least one competency is scored, an overall recommendation is
    chosen. A ValidationError keyed by what is missing: `evidence_<competency id>`,
    `recommendation`, or NON_FIELD_ERRORS for the score."""
    ratings = list(ratings)
    errors = {}
    for r in ratings:
        if r.score is not None and not r.evidence.strip():
            errors[EVIDENCE_KEY.format(r.competency_id)] = "Write the evidence behind this score."
    if scores_required and not any(r.score is not None for r in ratings):
        errors[NON_FIELD_ERRORS] = "Score at least one competency (the others may stay 'not assessed')."
    if not recommendation:
        errors["recommendation"] = "Choose an overall recommendation."
    if errors:
        raise ValidationError(errors)
