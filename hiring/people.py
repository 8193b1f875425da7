"""Staff records of the hiring app: invitations to join a company, and each staff user's own
preferences (the time zone of their admin pages).

Kept apart from the domain core in `models.py`, which imports this module so that every model stays
`hiring.<Model>` (same app label, tables and migrations). The core models are named by label
("hiring.Company"), so this module imports nothing of `models.py`. Roles are here because an
invitation is to a role; `hiring.models` offers them too.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from .display import time_zone_choices


class Role(models.TextChoices):
    COMPANY_ADMIN = "company_admin", "Company admin"
    RECRUITER = "recruiter", "Recruiter"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    INTERVIEWER = "interviewer", "Interviewer"


class Invitation(models.Model):
    """An email address invited to a role in a company. The link's token is stored as its SHA-256
    digest only; it works once, until `expires_at`, unless revoked. Accepting it creates the
    membership (and the account, for an address that has none)."""

    company = models.ForeignKey("hiring.Company", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(help_text="When the current link was sent (a resend replaces it).")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["company_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                "company",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]
        indexes = [models.Index(fields=["company", "-created_at"], name="invitation_company_created")]

    def __str__(self) -> str:
        return self.email

    def status_at(self, now) -> str:
        """Pending, expired, accepted or revoked, from the row's own dates."""
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        return InvitationStatus.EXPIRED if self.expires_at <= now else InvitationStatus.PENDING


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    EXPIRED = "expired", "Expired"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"


class StaffProfile(models.Model):
    """A staff user's own preferences: the time zone every time in the admin is shown in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    time_zone = models.CharField(
        "time zone",
        max_length=64,
        blank=True,
        choices=time_zone_choices,
        help_text="Every time in Hireloop is shown to you in this zone. Empty: your company's.",
    )

    class Meta:
        verbose_name = "my preferences"
        verbose_name_plural = "my preferences"

    def __str__(self) -> str:
        return "Preferences"
