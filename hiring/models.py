"""Companies, their members, process templates and the stage plans of templates and jobs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from .display import job_label, time_zone_choices
from .pay import PayUnit, stage_pay_errors
from .people import Invitation, InvitationStatus, Role, StaffProfile  # noqa: F401
from .uploads import DOCUMENTS, IMAGES, PrivateFileField, RandomName, UploadValidator


class Company(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    retention_days = models.PositiveIntegerField(
        "retention period (days)",
        default=183,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text="Candidates whose every application was rejected or withdrawn this many days ago "
        "are anonymised.",
    )
    # Careers site branding. The logo is checked by content (PNG, JPEG or WebP, never SVG), kept in
    # the private storage under a random name and served by the careers site's logo view.
    logo = PrivateFileField(
        upload_to=RandomName("logos"),
        blank=True,
        validators=[UploadValidator(IMAGES)],
        help_text="PNG, JPEG or WebP, shown on the careers site.",
    )
    accent_color = models.CharField(
        "accent colour",
        max_length=7,
        default="#1f5fbf",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")],
        help_text="The careers site's accent colour, as #rrggbb.",
    )
    privacy_notice = models.TextField(
        blank=True, help_text="Shown to candidates on the careers site and the application form."
    )
    portal_erasure_immediate = models.BooleanField(
        "erase at once on a candidate's request",
        default=False,
        help_text="Ticked: a candidate who asks for erasure in the candidate portal is erased at once. "
        "Unticked: the request waits for staff to confirm it (Careers site > Erasure requests).",
    )
    time_zone = models.CharField(
        "time zone",
        max_length=64,
        blank=True,
        choices=time_zone_choices,
        help_text="The zone the company works in: interviews are scheduled in it, candidates who "
        "chose none see their slots in it, and so do staff who chose none. Empty: the site's.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "companies"
        constraints = [
            models.CheckConstraint(
                condition=Q(accent_color__regex=r"^#[0-9a-fA-F]{6}$"), name="company_accent_color_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one company. A user may belong to several companies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    # Copied from the user so that lists, dropdowns and autocomplete never join auth_user.
    display_name = models.CharField("name", max_length=300, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["company_id", "display_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_one_per_company"),
        ]
        indexes = [models.Index(fields=["company", "role"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()})"


class ProcessTemplate(models.Model):
    """A reusable hiring loop: ordered, typed stages and the interview kits of each stage."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company_id", "name"]
        constraints = [
            models.UniqueConstraint("company", Lower("name"), name="template_name_unique_per_company"),
        ]

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    APPLICATION_REVIEW = "application_review", "Application review"
    RECRUITER_SCREEN = "recruiter_screen", "Recruiter screen"
    TECHNICAL = "technical", "Technical"
    SYSTEM_DESIGN = "system_design", "System design"
    BEHAVIORAL = "behavioral", "Behavioral"
    TAKE_HOME = "take_home", "Take-home"
    FOUNDER = "founder", "Founder / CEO"
    PANEL = "panel", "Panel / onsite"
    REFERENCE_CHECK = "reference_check", "Reference check"
    OFFER = "offer", "Offer"
    OTHER = "other", "Other"


class JobStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class RemoteOption(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class Job(models.Model):
    """An opening. It carries its own copy of the interview plan, taken from a template."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(max_length=200)
    team = models.CharField(
        max_length=200, blank=True, help_text="Shown with the title wherever a job is chosen."
    )
    location = models.CharField(
        max_length=200, blank=True, help_text="Shown with the title wherever a job is chosen."
    )
    level = models.CharField(max_length=100, blank=True, help_text="E.g. Senior, Staff, L4.")
    remote = models.CharField(
        "on-site or remote", max_length=10, choices=RemoteOption.choices, default=RemoteOption.ONSITE
    )
    is_published = models.BooleanField(
        "published", default=False, help_text="Shown on the careers site while the job is open."
    )
    description = models.TextField(
        blank=True, max_length=20_000, help_text="Markdown, shown on the careers site."
    )
    hiring_manager = models.ForeignKey(
        Membership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_jobs",
        help_text="A member of the job's company who decides on hires.",
    )
    template = models.ForeignKey(
        ProcessTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="jobs",
        help_text="The template the plan was copied from. Later template edits do not change the job.",
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.DRAFT)
    headcount = models.PositiveSmallIntegerField(default=1)
    salary_band_max = models.DecimalField(
        "top of the salary band",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Yearly. The company's approval policy may ask more approvers above an amount.",
    )
    opened_on = models.DateField("opened", null=True, blank=True)
    closed_on = models.DateField("closed", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["company_id", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(headcount__gte=1), name="job_headcount_positive"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True)
                | Q(opened_on__isnull=True)
                | Q(closed_on__gte=models.F("opened_on")),
                name="job_closed_after_opened",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status"]),
            models.Index(fields=["company", "status", "is_published", "title"], name="job_careers_list"),
        ]

    def __str__(self) -> str:
        return self.title

    def choice_label(self) -> str:
        """The job wherever one is chosen: "Backend Engineer — Platform · Paris · Open" (own fields)."""
        return job_label(self.title, self.team, self.location, self.get_status_display())


class Stage(models.Model):
    """One step of a plan. A plan belongs to a process template or to a job, never both."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(
        ProcessTemplate, on_delete=models.CASCADE, null=True, blank=True, related_name="stages"
    )
    job = models.ForeignKey(Job, on_delete=models.CASCADE, null=True, blank=True, related_name="stages")
    position = models.PositiveSmallIntegerField("order", default=0, db_index=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=StageKind.choices)
    sla_days = models.PositiveSmallIntegerField(
        "SLA (days)",
        default=5,
        help_text="Days an application may stay in this stage before it counts as stuck.",
    )
    is_optional = models.BooleanField("optional", default=False)
    is_paid = models.BooleanField(
        "paid", default=False, help_text="The candidate is paid for this stage (a paid work day)."
    )
    instructions = models.TextField(
        blank=True, help_text="Shown to the candidate when they reach this stage."
    )
    # What a paid stage pays, shown to the candidate (careers page, emails) and in their data export.
    pay_amount = models.DecimalField(
        "pay", max_digits=9, decimal_places=2, null=True, blank=True, help_text="Paid stages only."
    )
    pay_currency = models.CharField(
        "currency", max_length=3, blank=True, help_text="ISO 4217 code, e.g. EUR (paid stages only)."
    )
    pay_unit = models.CharField("paid", max_length=8, choices=PayUnit.choices, blank=True)
    pay_expenses = models.BooleanField(
        "expenses reimbursed", default=False, help_text="Travel and other expenses are paid back."
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(template__isnull=False) & Q(job__isnull=True))
                | (Q(template__isnull=True) & Q(job__isnull=False)),
                name="stage_belongs_to_template_or_job",
            ),
            models.CheckConstraint(condition=Q(sla_days__gte=1), name="stage_sla_positive"),
            models.CheckConstraint(
                condition=Q(is_paid=False)
                | (Q(pay_amount__gt=0) & ~Q(pay_currency="") & Q(pay_unit__in=["hour", "day", "project"])),
                name="stage_paid_has_terms",
            ),
            models.CheckConstraint(
                condition=Q(is_paid=True)
                | (Q(pay_amount__isnull=True) & Q(pay_currency="") & Q(pay_unit="") & Q(pay_expenses=False)),
                name="stage_unpaid_has_no_terms",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = stage_pay_errors(
            is_paid=self.is_paid,
            amount=self.pay_amount,
            currency=self.pay_currency,
            unit=self.pay_unit,
            expenses=self.pay_expenses,
        )
        if errors:
            raise ValidationError(errors)


class Track(models.Model):
    """An alternative the candidate chooses between inside one stage (live coding, take-home...)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tracks")
    position = models.PositiveSmallIntegerField("order", default=0, db_index=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "name"], name="track_name_unique_per_stage"),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    CAREERS_SITE = "careers_site", "Careers site"
    REFERRAL = "referral", "Referral"
    LINKEDIN = "linkedin", "LinkedIn"
    SOURCED = "sourced", "Sourced by recruiter"
    AGENCY = "agency", "Agency"
    JOB_BOARD = "job_board", "Job board"
    OTHER = "other", "Other"


class Candidate(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(max_length=200)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=50, blank=True)
    location = models.CharField(max_length=200, blank=True)
    linkedin_url = models.URLField("LinkedIn", blank=True)
    github_url = models.URLField("GitHub", blank=True)
    website_url = models.URLField("site", blank=True)
    # Private storage, random names, accepted by content; downloaded through the admin's checked view.
    resume = PrivateFileField(
        "résumé", upload_to=RandomName("resumes"), validators=[UploadValidator(DOCUMENTS)], blank=True
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OTHER)
    # The language the candidate applied in (the careers site's); their emails are written in it.
    language = models.CharField(
        max_length=8, choices=settings.LANGUAGES, blank=True, help_text="The language of their emails."
    )
    tags = models.ManyToManyField("hiring.Tag", blank=True, related_name="candidates")  # search_data.py
    # Chosen (or guessed from the browser) in the candidate portal; their interview times are shown in it.
    time_zone = models.CharField(
        "time zone", max_length=64, blank=True, help_text="The candidate's own, chosen in the portal."
    )
    consent_on = models.DateField(
        "consent date", null=True, blank=True, help_text="When the candidate agreed to processing."
    )
    retain_until = models.DateField(
        "retention date", null=True, blank=True, help_text="Personal data is anonymised after this date."
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint("company", Lower("email"), name="candidate_email_unique_per_company"),
        ]
        indexes = [
            models.Index(fields=["company", "name"], name="candidate_company_name"),
            models.Index(fields=["company", "-created_at"], name="candidate_company_created"),
            # Scale: the unscoped (superuser) list in its default order. Search indexes are
            # PostgreSQL expression indexes created by migration 0002.
            models.Index(fields=["-created_at", "-id"], name="candidate_created_id"),
        ]

    def __str__(self) -> str:
        return self.name


class RejectionKind(models.TextChoices):
    COMPANY = "company", "Rejected by the company"
    CANDIDATE = "candidate", "Candidate withdrew"


class RejectionReason(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="rejection_reasons")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=RejectionKind.choices, default=RejectionKind.COMPANY)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["company_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint("company", Lower("name"), name="rejection_reason_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    HIRED = "hired", "Hired"


class Application(models.Model):
    """A candidate in one job's pipeline. Its stage and status change only through services."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="applications")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.ACTIVE
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OTHER)
    rejection_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    rejection_note = models.TextField(blank=True)
    knockout_flagged = models.BooleanField(
        "knockout flagged", default=False, help_text="An answer to the job's questionnaire was a knockout."
    )
    applied_at = models.DateTimeField("applied")
    stage_entered_at = models.DateTimeField(
        "in stage since", help_text="When the application entered its current stage."
    )
    decided_at = models.DateTimeField("decided", null=True, blank=True)
    hired_at = models.DateTimeField("hired", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job"], name="application_one_per_job"),
            models.CheckConstraint(
                condition=~Q(status="hired") | Q(hired_at__isnull=False), name="application_hired_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "withdrawn"]) | Q(rejection_reason__isnull=False),
                name="application_closed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "-applied_at"], name="application_company_applied"),
            models.Index(fields=["company", "status", "stage_entered_at"], name="application_company_status"),
            models.Index(fields=["job", "stage", "status"], name="application_job_stage"),
            models.Index(fields=["stage_entered_at"], name="application_stage_entered"),
            # The application list: ordering by days in stage and the source filter, per company.
            models.Index(fields=["company", "stage_entered_at"], name="application_company_entered"),
            models.Index(fields=["company", "source"], name="application_company_source"),
            models.Index(
                fields=["company", "-applied_at"],
                condition=Q(knockout_flagged=True),
                name="application_knockout_flagged",
            ),
            # Scale: the unscoped (superuser) list in its default order, and the company list
            # filtered by status and stage. With stage_entered_at, the dashboard counts the open
            # applications per stage and the stuck ones from the index alone.
            models.Index(fields=["-applied_at", "-id"], name="application_applied_id"),
            # The open/stuck counts and the board's pages (ordered by stage_entered_at, id).
            models.Index(
                fields=["company", "status", "stage", "stage_entered_at", "id"],
                name="application_company_stage_in",
            ),
        ]

    def __str__(self) -> str:
        return f"Application #{self.pk}"


class ApplicationTrack(models.Model):
    """The track a candidate chose in a stage that offers tracks."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="tracks")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="+")
    track = models.ForeignKey(Track, on_delete=models.PROTECT, related_name="+")

    company_path = "application__company"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "stage"], name="application_track_one_per_stage"),
        ]

    def __str__(self) -> str:
        return f"Track choice #{self.pk}"


class StageChange(models.Model):
    """Audit row for every move of an application: who, when, from, to, why."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=10, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ApplicationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="moved by",
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField("moved", db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["application", "created_at"], name="stagechange_app_created"),
            models.Index(fields=["company", "to_stage", "created_at"], name="stagechange_company_stage"),
            # With the stages included, the dashboard's moves per week and stages with activity
            # read a date range of a company's changes from the index alone.
            models.Index(
                fields=["company", "created_at"],
                include=["from_stage", "to_stage"],
                name="stagechange_company_moved",
            ),
        ]

    def __str__(self) -> str:
        return f"Stage change #{self.pk}"


# The application state machine: for each move, the statuses it may start from and the status it
# leaves. Stage rules (next stage, last stage, same job) are checked by the services.
APPLICATION_MOVES: dict[str, tuple[frozenset[str], str]] = {
    "advance": (frozenset({ApplicationStatus.ACTIVE}), ApplicationStatus.ACTIVE),
    "move": (frozenset({ApplicationStatus.ACTIVE}), ApplicationStatus.ACTIVE),
    "hold": (frozenset({ApplicationStatus.ACTIVE}), ApplicationStatus.ON_HOLD),
    "resume": (frozenset({ApplicationStatus.ON_HOLD}), ApplicationStatus.ACTIVE),
    "reject": (
        frozenset({ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD}),
        ApplicationStatus.REJECTED,
    ),
    "withdraw": (
        frozenset({ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD}),
        ApplicationStatus.WITHDRAWN,
    ),
    "hire": (frozenset({ApplicationStatus.ACTIVE}), ApplicationStatus.HIRED),
}


# --- Records (records.py), tags and résumé texts (search_data.py), notes (notes.py): imported so
# that this module offers every model.
# --- Personal data held by this app (read by the erasure service; see hiring/personal_data.py) ----

from .notes import NOTES_PERSONAL_DATA, Note, NoteKind  # noqa: E402, F401
from .personal_data import CandidateRows, ErasureHook, ObjectReferences  # noqa: E402
from .questions import (  # noqa: E402, F401
    Answer,
    KnockoutAction,
    KnockoutAnswer,
    Question,
    QuestionChoice,
    QuestionKind,
)
from .records import (  # noqa: E402, F401
    AccessLog,
    ApplicationSubmission,
    BulkAction,
    BulkJob,
    BulkJobResult,
    BulkJobStatus,
    ErasureLog,
    ErasureReason,
    ImportPreview,
    ImportPreviewStatus,
)
from .search_data import SEARCH_PERSONAL_DATA, ResumeText, Tag, TagColour  # noqa: E402, F401

PERSONAL_DATA = (
    CandidateRows(
        Candidate,
        candidate="id",
        replace={
            "name": "Anonymised candidate {candidate_id}",
            "email": "anonymised-{candidate_id}@invalid.example",
        },
        clear=("phone", "location", "linkedin_url", "github_url", "website_url", "time_zone"),
        files=("resume",),
    ),
    *SEARCH_PERSONAL_DATA,
    CandidateRows(Application, candidate="candidate_id", text=("rejection_note",)),
    CandidateRows(ApplicationTrack, candidate="application__candidate_id"),
    # The random key of a careers-site form holds nothing of the candidate; declared as theirs.
    CandidateRows(ApplicationSubmission, candidate="application__candidate_id"),
    CandidateRows(Answer, candidate="application__candidate_id", text=("text",), files=("file",)),
    CandidateRows(StageChange, candidate="application__candidate_id", text=("note",)),
    # A refusal's reason may quote the application; what was moved and when stays.
    CandidateRows(BulkJobResult, candidate="application__candidate_id", text=("reason",)),
    # Who opened which page stays; a candidate's value in the view's text does not.
    ObjectReferences(AccessLog, type_field="object_type", id_field="object_id", scrub=("view",)),
    # Unconfirmed import files naming the candidate's email are deleted.
    ErasureHook("import previews", "hiring.import_previews.import_previews_forget"),
    *NOTES_PERSONAL_DATA,
)
