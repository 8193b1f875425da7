"""Notification templates per company and event, and the outbox of emails to send."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hiring.models import Company

from .events import NotificationEvent


class NotificationTemplate(models.Model):
    """A company's wording for one event in one language. A disabled template switches the event
    off (see templates.notification_templates_resolve)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="notification_templates")
    event = models.CharField(max_length=32, choices=NotificationEvent.choices)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="Candidates receive the wording in the language they applied in; staff get English.",
    )
    subject = models.CharField(max_length=300)
    body = models.TextField(help_text="Django template syntax; see the variables listed below the form.")
    enabled = models.BooleanField(default=True, help_text="Unticked: this event sends no email.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company_id", "event", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "event", "language"], name="notification_template_one_per_event_language"
            ),
        ]

    def __str__(self) -> str:
        return self.get_event_display()

    def clean(self):
        # Refuse a template that does not parse, uses a tag outside the sandbox or a variable
        # the event does not offer.
        from .events import CANDIDATE_EVENTS, PLATFORM_EVENTS
        from .rendering import template_errors

        errors = {}
        if self.event in PLATFORM_EVENTS:
            errors["event"] = "This email keeps the platform's wording; it cannot be edited per company."
        elif self.event and self.event not in CANDIDATE_EVENTS and self.language != "en":
            errors["language"] = (
                "Emails to the hiring team are in English; only candidate emails take a language."
            )
        elif self.event:
            for field in ("subject", "body"):
                problems = template_errors(getattr(self, field) or "", event=self.event)
                if problems:
                    errors[field] = problems
        if errors:
            from django.core.exceptions import ValidationError

            raise ValidationError(errors)


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    # The mail server accepted the message but its "sent" mark could not be saved (the database
    # connection was lost at that moment): probably delivered, never sent again by itself.
    UNKNOWN = "unknown", "Delivery unknown"


class Notification(models.Model):
    """One email in the outbox: written in the transaction that causes it, sent by a task."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=32, choices=NotificationEvent.choices)
    recipient = models.EmailField(max_length=254)
    recipient_name = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    ics = models.TextField("calendar invite", blank=True, help_text="iCalendar attachment, if any.")
    application = models.ForeignKey(
        "hiring.Application", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    interview = models.ForeignKey(
        "interviews.Interview", on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    status = models.CharField(
        max_length=10, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(
        help_text="Last change of status; the sweeper re-enqueues rows pending for too long."
    )
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker took the row; also its claim token."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(
        "next attempt",
        null=True,
        blank=True,
        help_text="After a transient error: not sent again before this time (exponential backoff).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="notification_sent_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="notification_sending_is_claimed",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "-created_at"], name="notification_company_created"),
            models.Index(fields=["company", "status", "-created_at"], name="notification_company_status"),
            models.Index(fields=["company", "event", "-created_at"], name="notification_company_event"),
            models.Index(fields=["status", "updated_at"], name="notification_status_updated"),
            models.Index(fields=["recipient"], name="notification_recipient"),
        ]

    def __str__(self) -> str:
        return f"Notification #{self.pk}"
