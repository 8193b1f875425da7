"""The AI policy inside a session and how AI was used in it: no-AI blocks placed in a kit's
session (minutes 30–50 of 90), and a scorecard's structured reading of the candidate's AI use and
whether the policy was respected. Models only (the rules are in interviews/kits.py and
interviews/ai_use.py); imported by interviews/models.py, so nothing here imports it back."""

from django.db import models
from django.db.models import Q


class NoAIBlock(models.Model):
    """A stretch of a session without AI tools, from `start_minute` for `length_minutes`."""

    kit = models.ForeignKey("interviews.InterviewKit", on_delete=models.CASCADE, related_name="no_ai_blocks")
    start_minute = models.PositiveSmallIntegerField(
        "starts at minute",
        null=True,
        blank=True,
        help_text="Minutes after the session starts; empty for a block whose time the interviewer "
        "picks (kits written before blocks were placed).",
    )
    length_minutes = models.PositiveSmallIntegerField("length (minutes)")

    company_path = "kit__company"

    class Meta:
        ordering = ["start_minute", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(length_minutes__gte=1), name="no_ai_block_not_empty"),
        ]

    def __str__(self) -> str:
        if self.start_minute is None:
            return f"{self.length_minutes} minutes"
        return f"minutes {self.start_minute}–{self.end_minute}"

    @property
    def end_minute(self) -> int | None:
        return None if self.start_minute is None else self.start_minute + self.length_minutes


class AIUse(models.TextChoices):
    """How the candidate used AI, as interviewers of AI-assisted rounds read it (seed 003/004)."""

    VERIFIED = "verified", "Verified the output (ran it, tested it)"
    REPROMPTED = "reprompted", "Re-prompted when the output was wrong or the problem changed"
    EXPLAINED = "explained", "Explained the generated code"
    CORRECTED = "corrected", "Found and fixed bugs in the generated code"
    DECOMPOSED = "decomposed", "Broke the problem down before prompting"
    ACCEPTED_UNCHECKED = "accepted_unchecked", "Accepted output without checking it"
    NOT_USED = "not_used", "Did not use AI"


class PolicyRespected(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_OBSERVED = "not_observed", "Not observed"


class ScorecardAIUse(models.Model):
    """One panelist's reading of the candidate's AI use in the session and of the AI policy."""

    scorecard = models.OneToOneField("interviews.Scorecard", on_delete=models.CASCADE, related_name="ai_use")
    uses = models.JSONField(default=list, blank=True, help_text="AIUse values, in the order of AIUse.")
    policy_respected = models.CharField(max_length=12, choices=PolicyRespected.choices, blank=True)
    note = models.TextField(blank=True)

    company_path = "scorecard__company"

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(policy_respected__in=["", "yes", "no", "not_observed"]),
                name="ai_use_respected_known",
            ),
        ]

    def __str__(self) -> str:
        return f"AI use #{self.pk}"

    def use_labels(self) -> list[str]:
        return [AIUse(u).label for u in self.uses if u in AIUse.values]
