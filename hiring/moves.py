"""The moves of an application by name: one table from each move to its service.

The application page and the bulk moves perform a move through `application_move_run`; the
services themselves (hiring.services) lock the application, check the move against the state
machine (`APPLICATION_MOVES`) and write its history.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Application, RejectionReason, Stage, StageChange
from .services import (
    MoveError,
    application_advance,
    application_hire,
    application_hold,
    application_move,
    application_reject,
    application_resume,
    application_withdraw,
)


# One table from a move's name to its service: the application page and the bulk moves read it.
# `takes` are the details the user chose that the service needs; `requires` those it cannot do
# without, with what to say when one is missing.
@dataclass(frozen=True)
class MoveAction:
    service: Callable[..., StageChange]
    takes: tuple[str, ...] = ()
    requires: dict[str, str] = field(default_factory=dict)


MOVE_ACTIONS: dict[str, MoveAction] = {
    "advance": MoveAction(application_advance),
    "move": MoveAction(
        application_move, takes=("to_stage",), requires={"to_stage": "Choose the stage to move to."}
    ),
    "reject": MoveAction(application_reject, takes=("reason",)),
    "withdraw": MoveAction(application_withdraw, takes=("reason",)),
    "hold": MoveAction(application_hold),
    "resume": MoveAction(application_resume),
    "hire": MoveAction(application_hire),
}


def application_move_run(
    *,
    action: str,
    application: Application,
    actor,
    note: str = "",
    to_stage: Stage | None = None,
    reason: RejectionReason | None = None,
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
) -> StageChange:
    """Perform the move named `action` through its service; MoveError says why it was refused.

    `expected_stage_id` / `expected_status`: the state the user saw, refused if it no longer holds.
    """
    entry = MOVE_ACTIONS.get(action)
    if entry is None:
        raise MoveError(f"Unknown move {action!r}.")
    chosen = {"to_stage": to_stage, "reason": reason}
    for detail, missing in entry.requires.items():
        if chosen[detail] is None:
            raise MoveError(missing)
    return entry.service(
        application=application,
        actor=actor,
        note=note,
        expected_stage_id=expected_stage_id,
        expected_status=expected_status or None,
        **{detail: chosen[detail] for detail in entry.takes},
    )
