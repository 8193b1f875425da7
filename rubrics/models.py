"""Rubric library: competencies with anchored levels, questions, red flags and a hire bar."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from hiring.models import Company


class Rubric(models.Model):
    """A scoring guide. Once scores have been given with it, it is locked; edits make a new version."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="rubrics")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    version = models.PositiveSmallIntegerField(default=1, editable=False)
    previous_version = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="next_version",
    )
    scale_min = models.PositiveSmallIntegerField(
        default=1, validators=[MaxValueValidator(10)], help_text="Lowest score of the scale."
    )
    scale_max = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text="Highest score of the scale.",
    )
    locked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the first score is given with this rubric; a locked rubric is read-only.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company_id", "name", "-version"]
        constraints = [
            models.UniqueConstraint("company", Lower("name"), "version", name="rubric_name_version_unique"),
            models.CheckConstraint(condition=Q(scale_min__lt=F("scale_max")), name="rubric_scale_ordered"),
            models.CheckConstraint(condition=Q(scale_max__lte=10), name="rubric_scale_max_10"),
        ]

    def __str__(self) -> str:
        return self.name if self.version == 1 else f"{self.name} (v{self.version})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def scores(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


def _parent_rubric(obj) -> "Rubric | None":
    """The rubric of a row, also when the rubric is being created in the same form."""
    try:
        return obj.rubric
    except Rubric.DoesNotExist:
        return None


class Competency(models.Model):
    company_path = "rubric__company"

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="competencies")
    position = models.PositiveSmallIntegerField("order", default=0, db_index=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_critical = models.BooleanField(
        "critical", default=False, help_text="The hire bar can refuse low scores on critical competencies."
    )
    weight = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Weight in the rubric's weighted average.",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["rubric", "name"], name="competency_name_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="competency_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class LevelAnchor(models.Model):
    """What a score means. Rubric-wide when competency is empty, else an override for one competency."""

    company_path = "rubric__company"

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="anchors")
    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, null=True, blank=True, related_name="anchors"
    )
    score = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    text = models.TextField()

    class Meta:
        ordering = ["competency_id", "score"]
        constraints = [
            models.UniqueConstraint(
                fields=["rubric", "score"],
                condition=Q(competency__isnull=True),
                name="anchor_unique_rubric_level",
            ),
            models.UniqueConstraint(
                fields=["competency", "score"],
                condition=Q(competency__isnull=False),
                name="anchor_unique_competency_level",
            ),
            models.CheckConstraint(condition=Q(score__lte=10), name="anchor_score_max_10"),
        ]

    def __str__(self) -> str:
        return f"{self.score}: {self.text[:60]}"

    def clean(self):
        rubric = _parent_rubric(self)
        if rubric is not None and self.score is not None and self.score not in rubric.scores:
            raise ValidationError(
                {"score": f"Choose a score on the rubric's scale, {rubric.scale_min} to {rubric.scale_max}."}
            )
        if self.competency_id and self.competency.rubric_id != self.rubric_id:
            raise ValidationError({"competency": "That competency belongs to another rubric."})


class Question(models.Model):
    company_path = "competency__rubric__company"

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("order", default=0, db_index=True)
    text = models.TextField()
    follow_ups = models.TextField(blank=True, help_text="Probes to ask after the answer, one per line.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class RedFlag(models.Model):
    company_path = "rubric__company"

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="red_flags")
    description = models.CharField(max_length=300)
    is_blocking = models.BooleanField(
        "blocking", default=False, help_text="A blocking red flag fails the hire bar on its own."
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description


class Gate(models.Model):
    """An ordered pass/fail level of a round (a progressive coding round's levels): passed, not
    passed, or not reached; a gate that unlocks the next must be passed before the next is tried."""

    company_path = "rubric__company"

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="gates")
    position = models.PositiveSmallIntegerField(default=1, help_text="Gate number, from 1.")
    name = models.CharField(max_length=200)
    anchor = models.TextField(blank=True, help_text="What passing this gate means.")
    unlocks_next = models.BooleanField(
        default=True, help_text="The next gate is only reached once this one is passed."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rubric", "position"], name="gate_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1), name="gate_position_from_1"),
        ]

    def __str__(self) -> str:
        return self.name


class Check(models.Model):
    """A pass/fail criterion of a round ("the tests stayed green")."""

    company_path = "rubric__company"

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="checks")
    position = models.PositiveSmallIntegerField("order", default=0)
    name = models.CharField(max_length=200)
    anchor = models.TextField(blank=True, help_text="What passing this check means.")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["rubric", "name"], name="check_name_unique")]

    def __str__(self) -> str:
        return self.name


class ClauseKind(models.TextChoices):
    MIN_AVERAGE = "min_average", "Weighted average at least"
    MIN_COUNT_AT_OR_ABOVE = "min_count_at_or_above", "At least K competencies at or above score"
    NO_CRITICAL_AT_OR_BELOW = "no_critical_at_or_below", "No critical competency at or below score"
    NO_BLOCKING_RED_FLAG = "no_blocking_red_flag", "No blocking red flag"
    MIN_GATES_PASSED = "min_gates_passed", "At least K gates passed"
    GATE_PASSED = "gate_passed", "Gate number K passed"
    EVERY_CHECK_PASSED = "every_check_passed", "Every check passed"


# Clauses that compare against a score (the others read flags, gates or checks).
SCORE_KINDS = ("min_average", "min_count_at_or_above", "no_critical_at_or_below")


class Aggregation(models.TextChoices):
    """How a clause that reads scores reads a panel (rubrics.hire_bar)."""

    MEAN = "mean", "Panel mean per competency"
    LOWEST = "lowest", "Lowest panelist per competency"
    ANY = "any", "Any panelist (one panelist fails it)"


class HireBarClause(models.Model):
    """One clause of a rubric's hire bar. A candidate passes the bar when every clause passes."""

    company_path = "rubric__company"

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="hire_bar")
    kind = models.CharField(max_length=30, choices=ClauseKind.choices)
    score = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The average (min average) or the score S / C the clause compares against.",
    )
    count = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="K: how many competencies (or gates) must reach the bar, or the gate's number.",
    )
    aggregation = models.CharField(
        "reads the panel by",
        max_length=10,
        choices=Aggregation.choices,
        default=Aggregation.MEAN,
        blank=True,
        help_text="For clauses on scores: the panel mean, the lowest panelist, or any panelist "
        "(a critical competency rated at or below the score by one panelist fails the clause).",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "hire bar clause"
        constraints = [
            models.CheckConstraint(
                condition=Q(aggregation__in=["mean", "lowest", "any"]), name="clause_aggregation_known"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=SCORE_KINDS)
                | (Q(score__isnull=False) & Q(score__gte=0) & Q(score__lte=10)),
                name="clause_score_required_v2",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["min_count_at_or_above", "min_gates_passed", "gate_passed"])
                | Q(count__gte=1),
                name="clause_count_required_v2",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self):
        self.aggregation = self.aggregation or Aggregation.MEAN
        if self.kind in SCORE_KINDS and self.score is None:
            raise ValidationError({"score": "This clause needs a score to compare against."})
        if self.kind == ClauseKind.MIN_COUNT_AT_OR_ABOVE and not self.count:
            raise ValidationError({"count": "Say how many competencies (K) must reach the score."})
        if self.kind == ClauseKind.MIN_GATES_PASSED and not self.count:
            raise ValidationError({"count": "Say how many gates (K) must be passed."})
        if self.kind == ClauseKind.GATE_PASSED and not self.count:
            raise ValidationError({"count": "Say which gate (its number, from 1) must be passed."})
        rubric = _parent_rubric(self)
        if rubric is not None and self.score is not None:
            if not rubric.scale_min <= self.score <= rubric.scale_max:
                raise ValidationError(
                    {"score": f"Use a value on the rubric's scale, {rubric.scale_min} to {rubric.scale_max}."}
                )
