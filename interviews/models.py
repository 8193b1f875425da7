"""Interview kits, interviews, scorecards with their ratings, and stage decisions."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Cast, Concat

from hiring.models import Application, Company, Membership, Stage, Track
from hiring.personal_data import CandidateRows
from rubrics.models import Check, Competency, Gate, HireBarClause, RedFlag, Rubric

from .availability import SelfSchedulingFields


class KitFormat(models.TextChoices):
    VIDEO = "video", "Video call"
    ONSITE = "onsite", "Onsite"
    PHONE = "phone", "Phone"
    ASYNC_CHAT = "async_chat", "Async chat"
    TAKE_HOME = "take_home", "Take-home"
    TRIAL = "trial", "Work trial (days)"
    REFERENCE = "reference", "Reference check (a call with a referee)"


# Formats done over days rather than in a booked slot: they have a window in days, and the
# candidate's deadline is the day they entered the stage plus that window.
WINDOW_FORMATS = (KitFormat.TAKE_HOME, KitFormat.TRIAL)


class AIPolicy(models.TextChoices):
    ALLOWED = "allowed", "AI tools allowed"
    NOT_ALLOWED = "not_allowed", "AI tools not allowed"
    REQUIRED = "required", "AI tools required"
    NO_AI_BLOCK = "no_ai_block", "Allowed except a no-AI block"


class InterviewKit(SelfSchedulingFields):
    """One session of a stage (a three-round onsite is one stage with three kits)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="kits")
    track = models.ForeignKey(
        Track,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kits",
        help_text="Only for stages with tracks: the track this session belongs to.",
    )
    position = models.PositiveSmallIntegerField("order", default=0, db_index=True)
    name = models.CharField(max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(
        "duration (minutes)",
        default=60,
        help_text="The session's length; for a take-home or a trial, the team's review of the hand-in "
        "(the candidate is shown the window in days instead).",
    )
    format = models.CharField(max_length=12, choices=KitFormat.choices, default=KitFormat.VIDEO)
    window_days = models.PositiveSmallIntegerField(
        "take-home window (days)",
        null=True,
        blank=True,
        help_text="Take-home and work trial only: the days the candidate has, from the day they "
        "enter the stage (no slot is booked with them).",
    )
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="kits")
    default_interviewers = models.ManyToManyField(
        Membership,
        blank=True,
        related_name="default_kits",
        help_text="Members invited to every interview of this kit; change them per interview.",
    )
    ai_policy = models.CharField(
        "AI policy",
        max_length=12,
        choices=AIPolicy.choices,
        default=AIPolicy.ALLOWED,
        help_text="Whether the candidate may use AI tools during the session.",
    )
    no_ai_minutes = models.PositiveSmallIntegerField(
        "No-AI block (minutes)",
        null=True,
        blank=True,
        help_text="Length of the no-AI block, for 'allowed except a no-AI block'.",
    )
    ai_note = models.TextField(
        "AI note", blank=True, help_text="Shown to the candidate and the interviewer with the AI policy."
    )
    brief = models.TextField(
        "take-home brief",
        blank=True,
        max_length=20_000,
        help_text="Take-home and work trial: what the candidate is asked to do, shown in their portal "
        "with the brief's files.",
    )
    is_internal = models.BooleanField(
        "internal",
        default=False,
        help_text="A session of the hiring team without the candidate (a debrief, a trial review, a "
        "hiring committee): never emailed to the candidate nor shown on candidate-facing pages; "
        "its interviewers are still invited.",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="kit_duration_min_5"),
            models.CheckConstraint(
                # NULL passes a CHECK: the window must be said not null as well as >= 1.
                condition=~Q(format__in=WINDOW_FORMATS)
                | (Q(window_days__isnull=False) & Q(window_days__gte=1)),
                name="kit_take_home_has_window",
            ),
            models.CheckConstraint(
                condition=Q(format__in=WINDOW_FORMATS) | Q(window_days__isnull=True),
                name="kit_scheduled_has_no_window",
            ),
            models.CheckConstraint(
                condition=~Q(ai_policy="no_ai_block")
                | (
                    Q(no_ai_minutes__isnull=False)
                    & Q(no_ai_minutes__gte=1)
                    & Q(no_ai_minutes__lte=models.F("duration_minutes"))
                ),
                name="kit_no_ai_block_fits",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # The no-AI blocks are read through `no_ai_blocks.all()`: prefetch them for a list of kits.
    def placed_no_ai_blocks(self) -> list:
        """The kit's no-AI blocks placed in the session (interviews.ai_policy.NoAIBlock with a start)."""
        if self.ai_policy != AIPolicy.NO_AI_BLOCK:
            return []
        return [b for b in self.no_ai_blocks.all() if b.start_minute is not None]

    def no_ai_minutes_text(self) -> str:
        """'minutes 30–50 and 70–80 of 90', '' when no block is placed."""
        ranges = [f"{b.start_minute}–{b.end_minute}" for b in self.placed_no_ai_blocks()]
        if not ranges:
            return ""
        joined = ranges[0] if len(ranges) == 1 else ", ".join(ranges[:-1]) + " and " + ranges[-1]
        return f"minutes {joined} of {self.duration_minutes}"

    def ai_policy_text(self) -> str:
        """The policy in English, with its placed no-AI blocks."""
        if self.ai_policy != AIPolicy.NO_AI_BLOCK:
            return self.get_ai_policy_display()
        placed = self.no_ai_minutes_text()
        if placed:
            return f"AI tools allowed except {placed} (no AI then)"
        return f"AI tools allowed except a {self.no_ai_minutes}-minute block without AI"


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


class Interview(models.Model):
    """One session of a kit with one candidate. Interviewers are assigned through scorecards."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interviews")
    kit = models.ForeignKey(InterviewKit, on_delete=models.PROTECT, related_name="interviews")
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    timezone = models.CharField(
        "time zone", max_length=64, default="UTC", help_text="IANA time zone the invite is shown in."
    )
    location = models.CharField(max_length=300, blank=True)
    video_url = models.URLField("video link", blank=True)
    status = models.CharField(
        max_length=10, choices=InterviewStatus.choices, default=InterviewStatus.SCHEDULED
    )
    interviewers = models.ManyToManyField(
        Membership, through="Scorecard", related_name="interviews", blank=True
    )
    sequence = models.PositiveIntegerField(
        "invite version", default=0, help_text="iCalendar SEQUENCE: raised on every reschedule."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="interview_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["company", "starts_at"], name="interview_company_start"),
            # The dashboard's feedback and calibration figures: interviews that ended in a range.
            models.Index(fields=["company", "ends_at"], name="interview_company_end"),
            models.Index(fields=["application", "starts_at"], name="interview_app_start"),
            # Scale: the unscoped (superuser) interview and scorecard lists, newest first.
            models.Index(fields=["-starts_at", "-id"], name="interview_start_id"),
        ]

    def __str__(self) -> str:
        return f"Interview #{self.pk}"

    @property
    def web_video_url(self) -> str:
        """The video link when it is an http(s) address, else "": a `javascript:` or `data:` link
        written past the form (an import, a script) is never offered as a link."""
        scheme = self.video_url.split(":", 1)[0].strip().lower() if ":" in self.video_url else ""
        return self.video_url if scheme in ("http", "https") else ""


class Recommendation(models.TextChoices):
    STRONG_NO = "strong_no", "Strong no"
    NO = "no", "No"
    YES = "yes", "Yes"
    STRONG_YES = "strong_yes", "Strong yes"


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Scorecard(models.Model):
    """One interviewer's independent assessment of one interview."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="scorecards")
    status = models.CharField(max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    summary = models.TextField(blank=True)
    red_flags = models.ManyToManyField(RedFlag, blank=True, related_name="scorecards")
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A copy of the interview's start, written by the services that schedule and move interviews,
    # so that the scorecard list can be ordered by an index of this table (newest interview first).
    interview_starts_at = models.DateTimeField(editable=False)

    class Meta:
        ordering = ["interview_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="scorecard_one_per_interviewer"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(submitted_at__isnull=False) & ~Q(recommendation="")),
                name="scorecard_submitted_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["interviewer", "status"], name="scorecard_interviewer_status"),
            models.Index(fields=["company", "status", "submitted_at"], name="scorecard_company_status"),
            # The scorecard list's count: the visibility rule reads interviewer and interview, so a
            # company's scorecards are counted from this index alone (an index-only scan).
            models.Index(
                fields=["company", "status"],
                include=["interviewer", "interview"],
                name="scorecard_company_visible",
            ),
            # Scale: the scorecard list, newest interview first: a company's, and submitted ones
            # over every company (a superuser's list, which would otherwise walk past the drafts).
            models.Index(fields=["company", "-interview_starts_at", "-id"], name="scorecard_company_start"),
            models.Index(
                fields=["-interview_starts_at", "-id"],
                name="scorecard_submitted_start",
                condition=Q(status="submitted"),
            ),
        ]

    def __str__(self) -> str:
        return f"Scorecard #{self.pk}"


class Rating(models.Model):
    """A score for one competency. The rubric's scale is copied onto the row so that the
    database itself refuses a score outside it (rubrics are locked once used)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty means not assessed.")
    scale_min = models.PositiveSmallIntegerField()
    scale_max = models.PositiveSmallIntegerField()
    evidence = models.TextField(blank=True)

    company_path = "scorecard__company"

    class Meta:
        ordering = ["competency__position", "competency_id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="rating_one_per_competency"),
            models.CheckConstraint(
                condition=Q(score__isnull=True)
                | (Q(score__gte=models.F("scale_min")) & Q(score__lte=models.F("scale_max"))),
                name="rating_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"Rating #{self.pk}"


class GateStatus(models.TextChoices):
    PASSED = "passed", "Passed"
    NOT_PASSED = "not_passed", "Not passed"
    NOT_REACHED = "not_reached", "Not reached"


class GateResult(models.Model):
    """One panelist's reading of one gate of the kit's rubric."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="gate_results")
    gate = models.ForeignKey(Gate, on_delete=models.PROTECT, related_name="results")
    status = models.CharField(max_length=12, choices=GateStatus.choices)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["gate__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "gate"], name="gate_result_once"),
            models.CheckConstraint(
                condition=Q(status__in=["passed", "not_passed", "not_reached"]), name="gate_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.status


class CheckResult(models.Model):
    """One panelist's reading of one pass/fail check of the kit's rubric."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="check_results")
    check_item = models.ForeignKey(Check, on_delete=models.PROTECT, related_name="results")
    passed = models.BooleanField()
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["check_item__position", "id"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "check_item"], name="check_result_once")]

    def __str__(self) -> str:
        return "passed" if self.passed else "failed"


class ScorecardAmendment(models.Model):
    """A change to a submitted scorecard: who, when, why, and what it said before."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="amendments")
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField()
    previous = models.JSONField(help_text="The scorecard as it was before the amendment.")
    created_at = models.DateTimeField(auto_now_add=True)

    company_path = "scorecard__company"

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Amendment #{self.pk}"


class DecisionOutcome(models.TextChoices):
    ADVANCE = "advance", "Advance"
    REJECT = "reject", "Reject"
    HIRE = "hire", "Hire"


class Decision(models.Model):
    """The hiring manager's or recruiter's decision for a stage, next to the hire-bar verdict."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    verdict_passed = models.BooleanField(null=True, help_text="The hire-bar verdict when deciding.")
    against_verdict = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    verdict_snapshot = models.JSONField(default=list, help_text="The clause results shown when deciding.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField("decided", auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(against_verdict=False) | ~Q(reason=""), name="decision_against_verdict_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"Decision #{self.pk}"


class ClauseOverride(models.Model):
    """A failing hire-bar clause the job's hiring manager overrode when deciding, and why."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="overrides")
    clause = models.ForeignKey(HireBarClause, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    clause_text = models.CharField(max_length=500, help_text="The clause and why it failed, when overridden.")
    reason = models.TextField()
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "clause", "stage"], name="override_once_per_clause"),
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Override #{self.pk}"


# Interviewers' availability and the company's self-scheduling settings, in their own module.
from .ai_policy import AIUse, NoAIBlock, PolicyRespected, ScorecardAIUse  # noqa: E402, F401
from .approval_models import (  # noqa: E402, F401
    ApprovalOrder,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalRule,
    ApprovalStatus,
    ApprovalStep,
    ApprovalSubject,
    Approver,
)
from .availability import (  # noqa: E402, F401
    Availability,
    AvailabilityException,
    ExceptionKind,
    SchedulingSettings,
    Weekday,
    WeeklyHours,
)

# Notification templates and the outbox live in their own module of this app.
# The portal's rows (track changes, take-home briefs and hand-ins, the survey) likewise.
from .handins import (  # noqa: E402, F401
    PERSONAL_DATA as PORTAL_PERSONAL_DATA,
)
from .handins import (  # noqa: E402, F401
    ExtensionRequest,
    HandIn,
    HandInFile,
    HandInLink,
    HandInPolicy,
    KitBriefFile,
    SurveyAnswer,
    SurveyReceipt,
    TrackChange,
)
from .notifications.models import Notification, NotificationStatus, NotificationTemplate  # noqa: E402, F401
from .offer_models import (  # noqa: E402, F401
    OFFER_PERSONAL_DATA,
    ContractType,
    Offer,
    OfferDeclineReason,
    OfferField,
    OfferLetterTemplate,
    OfferStatus,
    OfferVersion,
    PayPeriod,
)
from .references import ReferenceAnswer, ReferenceCheck  # noqa: E402, F401

# --- Personal data held by this app (read by the erasure service; see hiring/personal_data.py) ----


def _outbox_stop_unsent(rows) -> None:
    """An email not sent yet is not sent once its candidate is erased (it would go nowhere)."""
    rows.filter(status=NotificationStatus.PENDING).update(
        status=NotificationStatus.FAILED, last_error="Not sent: the candidate's personal data was erased."
    )


PERSONAL_DATA = (
    CandidateRows(Interview, candidate="application__candidate_id", text=("location", "video_url")),
    CandidateRows(Scorecard, candidate="interview__application__candidate_id", text=("summary",)),
    CandidateRows(Rating, candidate="scorecard__interview__application__candidate_id", text=("evidence",)),
    *(
        CandidateRows(model, candidate="scorecard__interview__application__candidate_id", text=("evidence",))
        for model in (GateResult, CheckResult)
    ),
    CandidateRows(
        ScorecardAmendment,
        candidate="scorecard__interview__application__candidate_id",
        text=("reason",),
        json=("previous",),
        keep=frozenset({"recommendation", "status", "score", "competency", "competency_id", "submitted_at"}),
    ),
    # The verdict snapshot holds clause results (rubric names and figures) and the evidence behind a
    # failing clause, whose text is about the candidate: that text is overwritten.
    CandidateRows(
        Decision,
        candidate="application__candidate_id",
        text=("reason",),
        json=("verdict_snapshot",),
        keep=frozenset(
            {
                "rubric",
                "stage",
                "clause",
                "clause_id",
                "aggregation",
                "passed",
                "reason",
                "competency",
                "score",
            }
            | {"who", "status"}
        ),
    ),
    CandidateRows(ClauseOverride, candidate="decision__application__candidate_id", text=("reason",)),
    CandidateRows(
        ScorecardAIUse, candidate="scorecard__interview__application__candidate_id", text=("note",)
    ),
    # A reference check: the referee's name and their answers about the candidate.
    CandidateRows(
        ReferenceCheck,
        candidate="scorecard__interview__application__candidate_id",
        text=("referee_name", "referee_context"),
    ),
    CandidateRows(
        ReferenceAnswer, candidate="scorecard__interview__application__candidate_id", text=("answer",)
    ),
    # The outbox: emails to the candidate and to the team about them. The idempotency key holds a
    # digest of the recipient's address; it becomes the row's id.
    CandidateRows(
        Notification,
        candidate=("application__candidate_id", "interview__application__candidate_id"),
        text=("recipient_name", "subject", "body", "ics", "last_error"),
        replace={
            "recipient": "anonymised@invalid.example",
            "idempotency_key": Concat(Value("erased:"), Cast("id", models.CharField())),
        },
        after=_outbox_stop_unsent,
    ),
    *PORTAL_PERSONAL_DATA,
    *OFFER_PERSONAL_DATA,
)
