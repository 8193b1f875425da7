"""Offers as rows: an offer on an application, every version of its terms, the company's extra
fields, decline reasons and letter templates.

Imported by models.py so that every model stays `interviews.<Model>`; this module imports nothing
of models.py (which imports it). The services are in offers.py.
"""

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower

from hiring.personal_data import CandidateRows

from .approval_models import ApprovalStep


class OfferStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
    APPROVED = "approved", "Approved, not sent"
    SENT = "sent", "Sent to the candidate"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


# An offer in one of these is over: the application may get a new one.
OFFER_CLOSED = frozenset(
    {OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.WITHDRAWN}
)
# Staff may still change the terms (a new version) of an offer in one of these.
OFFER_REVISABLE = frozenset(
    {OfferStatus.DRAFT, OfferStatus.AWAITING_APPROVAL, OfferStatus.APPROVED, OfferStatus.SENT}
)


class PayPeriod(models.TextChoices):
    YEAR = "year", "per year"
    MONTH = "month", "per month"
    DAY = "day", "per day"
    HOUR = "hour", "per hour"


# How many of a period make a year: approval thresholds compare yearly amounts.
PERIODS_PER_YEAR = {PayPeriod.YEAR: 1, PayPeriod.MONTH: 12, PayPeriod.DAY: 220, PayPeriod.HOUR: 1760}


class ContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term"
    PART_TIME = "part_time", "Part time"
    CONTRACTOR = "contractor", "Contractor"
    INTERNSHIP = "internship", "Internship"


class Offer(models.Model):
    """What a company offers a candidate for one application, and what became of it. Its terms
    are in its versions; `current` is the one in force (the one approved, sent and answered)."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey("hiring.Application", on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=20, choices=OfferStatus.choices, default=OfferStatus.DRAFT)
    current = models.ForeignKey(
        "interviews.OfferVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    letter_template = models.ForeignKey(
        "interviews.OfferLetterTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The letter sent with the offer; the company's default when empty.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The candidate's acceptance: the name they typed, and where from.
    accepted_name = models.CharField("signed as", max_length=300, blank=True)
    accepted_ip = models.GenericIPAddressField("accepted from", null=True, blank=True)
    decline_reason = models.ForeignKey(
        "interviews.OfferDeclineReason", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_note = models.TextField(blank=True, max_length=2000)
    # The letter as sent (HTML of the company's template with this offer's values): what the
    # candidate reads in the portal, whatever the template becomes.
    letter_html = models.TextField(blank=True)
    withdrawn_note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=~Q(status__in=["accepted", "declined", "expired", "withdrawn"]),
                name="offer_one_open_per_application",
                violation_error_message="This application already has an offer under way.",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | (Q(answered_at__isnull=False) & ~Q(accepted_name="")),
                name="offer_accepted_is_signed",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | Q(decline_reason__isnull=False),
                name="offer_declined_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "status", "-created_at"], name="offer_company_status"),
            models.Index(fields=["status", "sent_at"], name="offer_status_sent"),
        ]

    def __str__(self) -> str:
        return f"Offer #{self.pk}"


class OfferVersion(models.Model):
    """One version of an offer's terms. A change of terms is a new version: earlier ones stay."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    base_salary = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    currency = models.CharField(
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter currency code, e.g. EUR or USD.")],
        help_text="ISO 4217 code, e.g. EUR, USD, GBP.",
    )
    pay_period = models.CharField(max_length=10, choices=PayPeriod.choices, default=PayPeriod.YEAR)
    bonus = models.CharField(
        max_length=200, blank=True, help_text="E.g. '10% of base, yearly' or '5,000 signing'."
    )
    equity = models.CharField(max_length=200, blank=True, help_text="E.g. '2,000 options, 4-year vesting'.")
    start_date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    contract_type = models.CharField(
        max_length=20, choices=ContractType.choices, default=ContractType.PERMANENT
    )
    expires_on = models.DateField(
        "answer by", help_text="The last day the candidate may accept; the offer expires after it."
    )
    extra = models.JSONField(default=dict, blank=True, help_text="Values of the company's own offer fields.")
    note = models.CharField("what changed", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["offer_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "number"], name="offerversion_number_unique"),
            models.CheckConstraint(condition=Q(base_salary__gte=0), name="offerversion_salary_positive"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class OfferField(models.Model):
    """A term a company adds to its offers (e.g. 'Relocation package', 'Notice period')."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="offer_fields")
    key = models.SlugField(
        max_length=40,
        help_text="Name in letter templates, e.g. relocation gives {{ extra.relocation }}.",
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", "Lower-case letters, digits and _ only.")],
    )
    label = models.CharField(max_length=100)
    help_text = models.CharField(max_length=200, blank=True)
    is_required = models.BooleanField("required", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["company_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "key"], name="offerfield_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class OfferDeclineReason(models.Model):
    """A reason a candidate may give for declining, from the company's list."""

    company = models.ForeignKey(
        "hiring.Company", on_delete=models.CASCADE, related_name="offer_decline_reasons"
    )
    name = models.CharField(max_length=200)
    is_active = models.BooleanField("offered", default=True, help_text="Shown to candidates who decline.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["company_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "company", name="offerdeclinereason_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class OfferLetterTemplate(models.Model):
    """A company's offer letter: a template in the notification templates' sandbox, with their
    variables plus the offer's terms, kept with the offer as sent."""

    company = models.ForeignKey(
        "hiring.Company", on_delete=models.CASCADE, related_name="offer_letter_templates"
    )
    name = models.CharField(max_length=100)
    body = models.TextField(
        max_length=20_000,
        help_text="Plain text with {{ variables }}; a blank line starts a paragraph. See the list below.",
    )
    is_default = models.BooleanField(
        "default", default=False, help_text="Used when an offer names no letter."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(is_default=True), name="offerlettertemplate_one_default"
            ),
            models.UniqueConstraint(Lower("name"), "company", name="offerlettertemplate_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


# Erased with the candidate: the terms offered to them, their signature and address, their reason.
OFFER_PERSONAL_DATA = (
    CandidateRows(
        Offer,
        candidate="application__candidate_id",
        text=("accepted_name", "decline_note", "withdrawn_note", "letter_html"),
        replace={"accepted_ip": Value(None, output_field=models.GenericIPAddressField())},
    ),
    CandidateRows(
        OfferVersion,
        candidate="offer__application__candidate_id",
        text=("bonus", "equity", "location", "note"),
        replace={"base_salary": Value(0, output_field=models.DecimalField())},
        json=("extra",),
    ),
    # An approver's comment on the candidate's offer.
    CandidateRows(
        ApprovalStep,
        candidate="request__offer_version__offer__application__candidate_id",
        text=("comment", "label"),
    ),
)
