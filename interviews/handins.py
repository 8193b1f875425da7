"""What the candidate does from the portal, as rows: track changes, take-home briefs and
hand-ins (files, links), requests for more time, the company's late hand-in rule, and the
candidate-experience survey.

Imported by models.py so that every model stays `interviews.<Model>`; the models name the core
models by label and this module imports nothing of models.py (which imports it).

The survey is anonymous: an answer (`SurveyAnswer`) names its job and stage, never its
application or candidate, and carries a date, not a time; the row that makes "once per
application" hold (`SurveyReceipt`) holds no answer and no time. Nothing joins the two.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hiring.personal_data import CandidateRows
from hiring.uploads import DOCUMENTS, IMAGES, PrivateFileField, RandomName, UploadValidator

# Hand-ins: documents and raster images, checked by content (a repository goes in as a link).
HANDIN_KINDS = DOCUMENTS + IMAGES
HANDIN_MAX_FILES = 5
HANDIN_MAX_LINKS = 5


class TrackChange(models.Model):
    """Audit row of every track choice: who (the candidate, or a staff member), when, from, to, why."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        "hiring.Application", on_delete=models.CASCADE, related_name="track_changes"
    )
    stage = models.ForeignKey("hiring.Stage", on_delete=models.CASCADE, related_name="+")
    from_track = models.ForeignKey(
        "hiring.Track", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_track = models.ForeignKey("hiring.Track", on_delete=models.CASCADE, related_name="+")
    # None: the candidate chose in the portal.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_candidate = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["application", "created_at"], name="trackchange_app_created")]

    def __str__(self) -> str:
        return f"Track change #{self.pk}"


class KitBriefFile(models.Model):
    """A file of a take-home's brief, uploaded by staff, kept private, given to the candidate by
    the portal only (and to staff by the admin's checked download view)."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    kit = models.ForeignKey("interviews.InterviewKit", on_delete=models.CASCADE, related_name="brief_files")
    title = models.CharField(max_length=200)
    file = PrivateFileField(
        upload_to=RandomName("briefs"), validators=[UploadValidator(HANDIN_KINDS)], max_length=200
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kit_id", "title", "id"]
        verbose_name = "take-home brief file"

    def __str__(self) -> str:
        return self.title


class LateHandIns(models.TextChoices):
    REFUSE = "refuse", "Refuse hand-ins after the deadline"
    FLAG = "flag", "Accept them, flagged as late"


class HandInPolicy(models.Model):
    """A company's rule for hand-ins after the deadline (no row: refused)."""

    company = models.OneToOneField("hiring.Company", on_delete=models.CASCADE, related_name="handin_policy")
    late_handins = models.CharField(max_length=6, choices=LateHandIns.choices, default=LateHandIns.REFUSE)

    class Meta:
        verbose_name = "take-home policy"
        verbose_name_plural = "take-home policies"

    def __str__(self) -> str:
        return f"Take-home policy #{self.pk}"


class HandIn(models.Model):
    """A candidate's hand-in of a take-home or trial kit: once per application and kit."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey("hiring.Application", on_delete=models.CASCADE, related_name="handins")
    kit = models.ForeignKey("interviews.InterviewKit", on_delete=models.PROTECT, related_name="handins")
    comment = models.TextField(blank=True, max_length=4000)
    deadline = models.DateTimeField(help_text="The deadline in force when it was handed in.")
    is_late = models.BooleanField("late", default=False)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kit"], name="handin_one_per_kit"),
        ]
        verbose_name = "hand-in"

    def __str__(self) -> str:
        return f"Hand-in #{self.pk}"


class HandInFile(models.Model):
    handin = models.ForeignKey(HandIn, on_delete=models.CASCADE, related_name="files")
    file = PrivateFileField(
        upload_to=RandomName("handins"), validators=[UploadValidator(HANDIN_KINDS)], max_length=200
    )
    # The candidate's file name, shown to the team (never used to store or serve the file).
    name = models.CharField(max_length=200)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["handin_id", "id"]
        verbose_name = "hand-in file"

    def __str__(self) -> str:
        return f"Hand-in file #{self.pk}"


class HandInLink(models.Model):
    handin = models.ForeignKey(HandIn, on_delete=models.CASCADE, related_name="links")
    url = models.URLField("URL", max_length=500)

    class Meta:
        ordering = ["handin_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(url__startswith="https://"), name="handin_link_https")
        ]

    def __str__(self) -> str:
        return f"Hand-in link #{self.pk}"


class ExtensionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACCEPTED = "accepted", "Accepted"
    REFUSED = "refused", "Refused"


class ExtensionRequest(models.Model):
    """A candidate's request for more time on a take-home; staff accept it (a new deadline) or
    refuse it. One open request per application and kit."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(
        "hiring.Application", on_delete=models.CASCADE, related_name="extension_requests"
    )
    kit = models.ForeignKey("interviews.InterviewKit", on_delete=models.PROTECT, related_name="+")
    requested_until = models.DateTimeField()
    reason = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kit"], condition=Q(status="requested"), name="extension_one_open"
            ),
        ]
        indexes = [models.Index(fields=["company", "status", "-created_at"], name="extension_company_status")]
        verbose_name = "request for more time"
        verbose_name_plural = "requests for more time"

    def __str__(self) -> str:
        return f"Request for more time #{self.pk}"


class SurveyReceipt(models.Model):
    """That an application's candidate answered the survey (no answer, no time: see the module)."""

    application = models.OneToOneField(
        "hiring.Application", on_delete=models.CASCADE, related_name="survey_receipt"
    )

    def __str__(self) -> str:
        return f"Survey receipt #{self.pk}"


class SurveyAnswer(models.Model):
    """One anonymous answer to the candidate-experience survey, for a job and the stage decided."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey("hiring.Job", on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey("hiring.Stage", on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True, max_length=2000)
    answered_on = models.DateField()

    class Meta:
        ordering = ["-answered_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="survey_score_1_5")
        ]
        indexes = [models.Index(fields=["company", "answered_on"], name="survey_company_answered")]

    def __str__(self) -> str:
        return f"Survey answer #{self.pk}"


# Read into interviews.models.PERSONAL_DATA (the erasure service reads each app's models module).
PERSONAL_DATA = (
    CandidateRows(TrackChange, candidate="application__candidate_id", text=("note",)),
    CandidateRows(HandIn, candidate="application__candidate_id", text=("comment",)),
    CandidateRows(HandInFile, candidate="handin__application__candidate_id", text=("name",), files=("file",)),
    CandidateRows(
        HandInLink,
        candidate="handin__application__candidate_id",
        replace={"url": "https://anonymised.invalid/"},
    ),
    CandidateRows(ExtensionRequest, candidate="application__candidate_id", text=("reason", "decision_note")),
)
