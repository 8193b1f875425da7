"""Writes of the AI policy inside a session: a kit's no-AI blocks, and a scorecard's reading of how
the candidate used AI and whether the policy was respected (written with the scorecard by
interviews.services `_write`, like its gates and checks)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from .ai_policy import AIUse, NoAIBlock, PolicyRespected, ScorecardAIUse
from .kits import no_ai_blocks_errors
from .models import AIPolicy, InterviewKit, Scorecard

MAX_NOTE = 5000


@transaction.atomic
def kit_set_no_ai_blocks(*, kit: InterviewKit, blocks: Iterable[tuple[int, int]]) -> list[NoAIBlock]:
    """Replace a kit's no-AI blocks with `blocks` (start minute, length), checked to fit inside the
    session without overlapping; the kit's `no_ai_minutes` becomes their total. With no placed
    block, a kit with the no-AI-block policy keeps one block of `no_ai_minutes` whose time the
    interviewer picks; any other policy has none."""
    blocks = sorted(blocks)
    errors = no_ai_blocks_errors(duration_minutes=kit.duration_minutes, blocks=blocks)
    if blocks and kit.ai_policy != AIPolicy.NO_AI_BLOCK:
        errors.append("Only the policy 'allowed except a no-AI block' has no-AI blocks.")
    if errors:
        raise ValidationError({"no_ai_blocks": errors})
    NoAIBlock.objects.filter(kit=kit).delete()
    if kit.ai_policy != AIPolicy.NO_AI_BLOCK:
        return []
    if blocks:
        total = sum(length for _, length in blocks)
        if kit.no_ai_minutes != total:
            InterviewKit.objects.filter(pk=kit.pk).update(no_ai_minutes=total)
            kit.no_ai_minutes = total
        rows = [NoAIBlock(kit=kit, start_minute=s, length_minutes=n) for s, n in blocks]
    else:
        rows = (
            [NoAIBlock(kit=kit, start_minute=None, length_minutes=kit.no_ai_minutes)]
            if kit.no_ai_minutes
            else []
        )
    return NoAIBlock.objects.bulk_create(rows)


def kit_copy_no_ai_blocks(*, source: InterviewKit, copy: InterviewKit) -> None:
    """Give a kit copied from a template the template kit's blocks (placed or not)."""
    NoAIBlock.objects.bulk_create(
        NoAIBlock(kit=copy, start_minute=b.start_minute, length_minutes=b.length_minutes)
        for b in source.no_ai_blocks.all()
    )


# --- How AI was used, on a scorecard ---------------------------------------------------------


def kit_asks_ai_use(kit: InterviewKit) -> bool:
    """Where AI is allowed or required (also around a no-AI block), the scorecard asks how it was used."""
    return kit.ai_policy in (AIPolicy.ALLOWED, AIPolicy.REQUIRED, AIPolicy.NO_AI_BLOCK)


@dataclass(frozen=True)
class AIUseInput:
    uses: list[str] = field(default_factory=list)  # AIUse values
    policy_respected: str = ""  # PolicyRespected, or "" while open
    note: str = ""


def ai_use_errors(kit: InterviewKit, given: AIUseInput | None) -> list[str]:
    """What is wrong with a scorecard's AI reading (empty when nothing is)."""
    if given is None:
        return []
    errors = []
    if set(given.uses) - set(AIUse.values):
        errors.append("Choose how AI was used from the list.")
    elif given.uses and not kit_asks_ai_use(kit):
        errors.append("This session does not allow AI: there is no AI use to record.")
    if AIUse.NOT_USED in given.uses and len(given.uses) > 1:
        errors.append("“Did not use AI” cannot go with a way of using it.")
    if given.policy_respected and given.policy_respected not in PolicyRespected.values:
        errors.append("Say whether the AI policy was respected: yes, no or not observed.")
    if len(given.note) > MAX_NOTE:
        errors.append(f"Keep the AI note to {MAX_NOTE} characters.")
    return errors


def ai_use_write(locked: Scorecard, given: AIUseInput | None) -> None:
    """Record the reading (None leaves the stored one as it is; an empty reading removes it)."""
    if given is None:
        return
    uses = [u for u in AIUse.values if u in set(given.uses)]
    if not uses and not given.policy_respected and not given.note.strip():
        ScorecardAIUse.objects.filter(scorecard=locked).delete()
        return
    ScorecardAIUse.objects.update_or_create(
        scorecard=locked,
        defaults={"uses": uses, "policy_respected": given.policy_respected, "note": given.note.strip()},
    )
