"""Approvals as rows: a company's policy per subject (opening a job, sending an offer), its rules,
and each request with the steps resolved to the members who may decide them.

Imported by models.py so that every model stays `interviews.<Model>`; the models name the core
models by label and this module imports nothing of models.py (which imports it). The rule that
turns a policy into steps is `approvals.approval_plan`; the services are in approvals.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hiring.models import Role


class ApprovalSubject(models.TextChoices):
    JOB_OPENING = "job_opening", "Opening a job"
    OFFER = "offer", "Sending an offer"


class ApprovalOrder(models.TextChoices):
    IN_ORDER = "in_order", "In order: each step after the one before"
    ANY_ONE = "any_one", "Any one of the approvers"


class Approver(models.TextChoices):
    """Who approves a rule, besides a named member: the job's own hiring manager, or every member
    of the company with a role (any one of them decides the step)."""

    JOB_HIRING_MANAGER = "job_hiring_manager", "The job's hiring manager"
    COMPANY_ADMIN = Role.COMPANY_ADMIN.value, "A company admin"
    RECRUITER = Role.RECRUITER.value, "A recruiter"
    HIRING_MANAGER = Role.HIRING_MANAGER.value, "Any hiring manager"


class ApprovalPolicy(models.Model):
    """What a company asks before a job opens or an offer is sent. None, or one switched off:
    nothing to approve."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="approval_policies")
    subject = models.CharField(max_length=20, choices=ApprovalSubject.choices)
    order = models.CharField(
        max_length=10,
        choices=ApprovalOrder.choices,
        default=ApprovalOrder.IN_ORDER,
        help_text="In order: every rule that applies is a step, decided one after the other. "
        "Any one: the first approver of any rule decides for all.",
    )
    is_active = models.BooleanField(
        "in force", default=True, help_text="Switched off, jobs open and offers go out without approval."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "approval policies"
        ordering = ["company_id", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["company", "subject"], name="approvalpolicy_one_per_subject"),
        ]

    def __str__(self) -> str:
        return self.get_subject_display()


class ApprovalRule(models.Model):
    """One approver of a policy (by role, or a named member), optionally only above a headcount or
    a salary (the top of the job's band for an opening, the base salary for an offer)."""

    policy = models.ForeignKey(ApprovalPolicy, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveSmallIntegerField(default=0, help_text="Steps are asked in this order.")
    label = models.CharField(
        max_length=100, blank=True, help_text="What the step is called, e.g. 'Finance' or 'Executive'."
    )
    approver = models.CharField(
        "approved by", max_length=20, choices=Approver.choices, blank=True, help_text="A role, or…"
    )
    member = models.ForeignKey(
        "hiring.Membership",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="…a named member of the company.",
    )
    above_headcount = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only when the job's headcount is above this number."
    )
    above_salary = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Only above this amount: the top of the job's salary band for an opening, the "
        "yearly base salary for an offer (compared as numbers, in the offer's currency).",
    )

    class Meta:
        ordering = ["policy_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(approver="") & Q(member__isnull=False))
                | (~Q(approver="") & Q(member__isnull=True)),
                name="approvalrule_role_or_member",
                violation_error_message="Choose a role or a member as the approver, not both.",
            ),
        ]

    def __str__(self) -> str:
        return self.label or "Approval rule"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CANCELLED = "cancelled", "Cancelled"


class ApprovalRequest(models.Model):
    """One round of approval of a job's opening or of an offer's version. Its steps are resolved
    when it is asked for: later policy changes do not change a request under way."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=20, choices=ApprovalSubject.choices)
    order = models.CharField(max_length=10, choices=ApprovalOrder.choices)
    job = models.ForeignKey("hiring.Job", on_delete=models.CASCADE, related_name="approval_requests")
    offer_version = models.ForeignKey(
        "interviews.OfferVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approval_requests",
    )
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject=ApprovalSubject.JOB_OPENING, offer_version__isnull=True)
                | Q(subject=ApprovalSubject.OFFER, offer_version__isnull=False),
                name="approvalrequest_offer_has_version",
            ),
            # One round at a time per job opening and per offer version.
            models.UniqueConstraint(
                fields=["job"],
                condition=Q(status="pending", subject="job_opening"),
                name="approvalrequest_one_pending_opening",
            ),
            models.UniqueConstraint(
                fields=["offer_version"],
                condition=Q(status="pending"),
                name="approvalrequest_one_pending_offer",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status", "-created_at"], name="approvalreq_company_status")
        ]

    def __str__(self) -> str:
        return f"Approval #{self.pk}"


class ApprovalStep(models.Model):
    """A step of a request: who may decide it, and what was decided, by whom, when and why."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=200)
    approvers = models.ManyToManyField("hiring.Membership", related_name="+")
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    decided_by = models.ForeignKey(
        "hiring.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by_name = models.CharField(max_length=300, blank=True)
    comment = models.TextField(blank=True, max_length=2000)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="approvalstep_position_unique"),
        ]

    def __str__(self) -> str:
        return self.label
