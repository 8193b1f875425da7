"""The rules of an interview kit, in one home: what a candidate may see of a plan (internal kits),
and the row rules of a kit's window and AI policy that the admin form, the services and the demo
share. Imports only this app's models (and below), so any module may use it."""

from collections.abc import Iterable

from .models import InterviewKit


def kit_is_candidate_facing(kit: InterviewKit) -> bool:
    """An internal kit (a debrief, a trial review, a hiring committee) never reaches the candidate."""
    return not kit.is_internal


def candidate_facing_kits(kits: Iterable[InterviewKit]) -> list[InterviewKit]:
    """The kits of a stage the candidate may hear of, in the order given."""
    return [k for k in kits if kit_is_candidate_facing(k)]


def stage_is_candidate_facing(kits: Iterable[InterviewKit]) -> bool:
    """A stage is hidden from the candidate when it has sessions and every one of them is internal
    (a stage without sessions, such as the offer, is shown)."""
    kits = list(kits)
    return not kits or any(kit_is_candidate_facing(k) for k in kits)
