"""Bookkeeping records of the hiring app: who viewed candidate data and which candidates were
erased (privacy), import files waiting for confirmation, bulk moves run in the background, and the
application forms posted on the careers site.

They are kept apart from the domain core in `models.py` (companies, people, jobs and their stages,
candidates, applications, moves), which imports this module so that every model stays
`hiring.<Model>` (same app label, tables and migrations). They name the core models by label
("hiring.Company") so that this module imports nothing of `models.py`.
"""

from django.conf import settings
from django.db import models

# --- Privacy: who looked at candidate data, and which candidates were erased ---------------------


class AccessLog(models.Model):
    """A staff member opened a page with a candidate's data (candidate, application, scorecard)."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    username = models.CharField(max_length=150, help_text="Kept when the account is deleted.")
    object_type = models.CharField(max_length=100, help_text="app_label.model of what was viewed.")
    object_id = models.CharField("object ID", max_length=64)
    view = models.CharField(max_length=100, help_text="The admin view (change, history, scorecard...).")
    viewed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-viewed_at", "-id"]
        indexes = [
            models.Index(fields=["company", "-viewed_at"], name="accesslog_company_viewed"),
            models.Index(fields=["object_type", "object_id"], name="accesslog_object"),
        ]

    def __str__(self) -> str:
        return f"Access #{self.pk}"


class ErasureReason(models.TextChoices):
    RETENTION = "retention", "Retention period ended"
    REQUEST = "request", "Erased on request"
    DELETED = "deleted", "Deleted in the admin"


class ErasureLog(models.Model):
    """An anonymised candidate: which id, why, by whom, what was removed. No personal data."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    candidate_id = models.BigIntegerField("candidate ID", db_index=True)
    reason = models.CharField(max_length=10, choices=ErasureReason.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    summary = models.JSONField(default=dict, help_text="Rows and files changed, by kind.")
    erased_at = models.DateTimeField()

    class Meta:
        ordering = ["-erased_at", "-id"]
        indexes = [models.Index(fields=["company", "-erased_at"], name="erasurelog_company_erased")]

    def __str__(self) -> str:
        return f"Erasure #{self.pk}"


# --- Import previews: a checked file waiting for its confirmation --------------------------------


class ImportPreviewStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    IMPORTED = "imported", "Imported"
    CANCELLED = "cancelled", "Cancelled"


class ImportPreview(models.Model):
    """An uploaded import file that passed the check, kept in the private import folder until it
    is confirmed (once), cancelled, erased or an hour old. The row outlives its file for that hour
    so that a second confirmation (another tab) is told the file was already imported."""

    id = models.UUIDField("ID", primary_key=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company_ids = models.JSONField(default=list, help_text="The companies the import was checked in.")
    upload_name = models.CharField(max_length=255, blank=True, help_text="Emptied once consumed.")
    status = models.CharField(
        max_length=10, choices=ImportPreviewStatus.choices, default=ImportPreviewStatus.PENDING
    )
    created_at = models.DateTimeField(db_index=True)
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import preview {self.pk}"

    @property
    def file_name(self) -> str:
        """The name of its file in the import folder: the id and the upload's extension."""
        extension = "xlsx" if self.upload_name.lower().endswith(".xlsx") else "csv"
        return f"{self.pk.hex}.{extension}"


# --- Bulk moves run in the background ------------------------------------------------------------


class BulkAction(models.TextChoices):
    ADVANCE = "advance", "Advance to the next stage"
    MOVE = "move", "Move to a stage"
    REJECT = "reject", "Reject"


class BulkJobStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Stopped by an error"


class BulkJob(models.Model):
    """A bulk move of many applications of one company, run by a worker a chunk at a time.

    `items` is the selection the user confirmed, each application with the stage and status they
    saw: `[[application_id, stage_id, status], ...]`; one that changed since is refused, not moved.
    """

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=BulkAction.choices)
    parameters = models.JSONField(default=dict, blank=True, help_text="to_stage, reason (ids) and note.")
    items = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=BulkJobStatus.choices, default=BulkJobStatus.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["company", "-created_at"], name="bulkjob_company_created")]

    def __str__(self) -> str:
        return f"Bulk job #{self.pk}"


class BulkJobResult(models.Model):
    """What a bulk job did with one application: moved, or refused and why."""

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="results")
    # The id stays when the application is deleted later (the job's listing still says what happened).
    application_ref = models.PositiveBigIntegerField()
    application = models.ForeignKey(
        "hiring.Application", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moved = models.BooleanField()
    reason = models.TextField(blank=True)

    company_path = "job__company"

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job", "application_ref"], name="bulkjobresult_once_per_application"
            ),
        ]

    def __str__(self) -> str:
        return f"Bulk job result #{self.pk}"


# --- Application forms posted on the careers site -------------------------------------------------


class ApplicationSubmission(models.Model):
    """One application form posted on the careers site, by the random key the form carried: a
    replayed post or a second click finds its key and creates nothing (hiring.applicants)."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey("hiring.Job", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True)
    application = models.ForeignKey(
        "hiring.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The application it created; empty when the address had already applied to the job.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Submission #{self.pk}"
