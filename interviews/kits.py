"""The rules of an interview kit, in one home: what a candidate may see of a plan (internal kits),
and the row rules of a kit's window and AI policy that the admin form, the services and the demo
share. Imports only this app's models (and below), so any module may use it."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError

from .models import WINDOW_FORMATS, AIPolicy, InterviewKit


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


# --- The row rules of a kit (the admin form, the services and the demo call these) --------------


def kit_errors(
    *,
    format: str,
    duration_minutes: int | None,
    window_days: int | None,
    ai_policy: str,
    no_ai_minutes: int | None,
) -> dict[str, str]:
    """What is wrong with a kit's length, window and AI policy, by field, in a recruiter's words
    (empty when nothing is). The database refuses the same rows (InterviewKit.Meta.constraints)."""
    errors = {}
    if duration_minutes is not None and duration_minutes < 5:
        errors["duration_minutes"] = "A session lasts at least 5 minutes."
    if format in WINDOW_FORMATS and not window_days:
        errors["window_days"] = "A take-home or a work trial needs the number of days the candidate has."
    elif format and format not in WINDOW_FORMATS and window_days:
        errors["window_days"] = (
            "Only a take-home or a work trial has a window in days; a scheduled session has a "
            "length in minutes. Leave the window empty."
        )
    if ai_policy == AIPolicy.NO_AI_BLOCK:
        if not no_ai_minutes:
            errors["no_ai_minutes"] = "Say how many minutes the no-AI block lasts."
        elif duration_minutes and no_ai_minutes > duration_minutes:
            errors["no_ai_minutes"] = (
                f"The no-AI block cannot be longer than the session ({duration_minutes} minutes)."
            )
    elif ai_policy and no_ai_minutes:
        errors["no_ai_minutes"] = "Only the policy 'allowed except a no-AI block' has a block length."
    return errors


def kit_check(kit: InterviewKit) -> None:
    """Raise the kit's errors (see `kit_errors`) as a ValidationError keyed by field."""
    errors = kit_errors(
        format=kit.format,
        duration_minutes=kit.duration_minutes,
        window_days=kit.window_days,
        ai_policy=kit.ai_policy,
        no_ai_minutes=kit.no_ai_minutes,
    )
    if errors:
        raise ValidationError(errors)


def self_scheduling_errors(
    *,
    self_scheduling: bool,
    format: str,
    is_internal: bool,
    booking_window_days: int | None,
    min_notice_hours: int | None,
    buffer_minutes: int | None,
) -> dict[str, str]:
    """What is wrong with a kit's self-scheduling settings, by field (empty when nothing is)."""
    errors = {}
    if booking_window_days is not None and not 1 <= booking_window_days <= 90:
        errors["booking_window_days"] = "The booking window is from 1 to 90 days."
    if min_notice_hours is not None and min_notice_hours > 720:
        errors["min_notice_hours"] = "The minimum notice is at most 720 hours (30 days)."
    if buffer_minutes is not None and buffer_minutes > 240:
        errors["buffer_minutes"] = "The buffer is at most 240 minutes."
    if not self_scheduling:
        return errors
    if format in WINDOW_FORMATS:
        errors["self_scheduling"] = (
            "A take-home or a work trial has a window in days, not a slot: candidates cannot book it."
        )
    elif is_internal:
        errors["self_scheduling"] = "An internal session is held without the candidate: they cannot book it."
    elif (
        booking_window_days
        and min_notice_hours is not None
        and min_notice_hours >= booking_window_days * 24
        and "booking_window_days" not in errors
    ):
        errors["min_notice_hours"] = (
            f"With {min_notice_hours} hours of notice, no slot is left in a {booking_window_days}-day "
            "window: shorten the notice or widen the window."
        )
    return errors


def kit_deadline(kit: InterviewKit, entered_at: datetime.datetime | None) -> datetime.datetime | None:
    """When a take-home or trial is due: the moment the candidate entered its stage plus its window
    (computed, not stored, so that re-entering the stage restarts it). None for a scheduled session."""
    if kit.format not in WINDOW_FORMATS or not kit.window_days or entered_at is None:
        return None
    return entered_at + datetime.timedelta(days=kit.window_days)


# --- No-AI blocks placed in a session (interviews.ai_policy.NoAIBlock) -----------------------

MAX_NO_AI_BLOCKS = 6


def no_ai_blocks_parse(text: str) -> list[tuple[int, int]]:
    """'30-50, 70-80' (minutes from the session's start) -> [(30, 20), (70, 10)] as (start,
    length), sorted. Raises ValidationError in a recruiter's words on anything else."""
    blocks = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        bounds = part.replace("–", "-").split("-")
        try:
            start, end = (int(b.strip()) for b in bounds)
        except ValueError:
            raise ValidationError(
                f"“{part}” is not a block: write minutes from the start of the session, e.g. 30-50."
            ) from None
        if end <= start:
            raise ValidationError(f"“{part}”: a block ends after it starts.")
        blocks.append((start, end - start))
    return sorted(blocks)


def no_ai_blocks_errors(*, duration_minutes: int | None, blocks: list[tuple[int, int]]) -> list[str]:
    """What is wrong with a kit's placed no-AI blocks (start, length): each inside the session,
    none overlapping another; empty when nothing is."""
    errors = []
    if len(blocks) > MAX_NO_AI_BLOCKS:
        errors.append(f"A session has at most {MAX_NO_AI_BLOCKS} no-AI blocks.")
    previous_end = None
    for start, length in sorted(blocks):
        end = start + length
        if length < 1:
            errors.append(f"The block at minute {start} lasts at least a minute.")
        if duration_minutes and end > duration_minutes:
            errors.append(
                f"Minutes {start}–{end} run past the end of the session ({duration_minutes} minutes)."
            )
        if previous_end is not None and start < previous_end:
            errors.append(f"Minutes {start}–{end} overlap the block before them.")
        previous_end = end
    return errors


def no_ai_blocks_written(blocks) -> str:
    """[(30, 20), (70, 10)] -> '30-50, 70-80', the form's way of writing them."""
    return ", ".join(f"{start}-{start + length}" for start, length in blocks)


def placed_blocks(kit: InterviewKit) -> list:
    """The kit's placed no-AI blocks (see `InterviewKit.placed_no_ai_blocks`)."""
    return kit.placed_no_ai_blocks()


def no_ai_blocks_text(kit: InterviewKit) -> str:
    """'minutes 30–50 and 70–80 of 90', '' when the kit has no placed block."""
    return kit.no_ai_minutes_text()


def kit_ai_policy_text(kit: InterviewKit) -> str:
    """The kit's AI policy in English, with its no-AI blocks when they are placed."""
    return kit.ai_policy_text()
