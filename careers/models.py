"""What the candidate portal keeps: sign-in links (hashed, single use, expiring) and erasure
requests waiting for staff. The candidate's chosen time zone lives on hiring.Candidate."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hiring.models import Candidate, Company
from hiring.personal_data import CandidateRows, ErasureHook


class PortalTokenPurpose(models.TextChoices):
    SIGN_IN = "sign_in", "Sign in"
    # A new email address typed in the portal, applied once its owner opens the link sent to it.
    EMAIL_CHANGE = "email_change", "Email change"


class PortalToken(models.Model):
    """One link sent to a candidate: only the sha256 of its token is kept; it works once, until
    `expires_at` (HIRELOOP_PORTAL_LINK_HOURS after it was made)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="portal_tokens")
    purpose = models.CharField(
        max_length=16, choices=PortalTokenPurpose.choices, default=PortalTokenPurpose.SIGN_IN
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    new_email = models.EmailField(max_length=254, blank=True, help_text="For an email change only.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["candidate", "-created_at"], name="portaltoken_candidate_created")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="email_change") | ~Q(new_email=""),
                name="portaltoken_email_change_has_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Portal link #{self.pk}"


class ErasureRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    DONE = "done", "Erased"
    REFUSED = "refused", "Refused"


class ErasureRequest(models.Model):
    """A candidate asked, in the portal, to be erased: staff confirm it in the admin, unless the
    company erases at once (Company.portal_erasure_immediate)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="erasure_requests")
    status = models.CharField(
        max_length=10, choices=ErasureRequestStatus.choices, default=ErasureRequestStatus.PENDING
    )
    requested_at = models.DateTimeField("requested")
    decided_at = models.DateTimeField("decided", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["company", "status", "-requested_at"], name="erasurerequest_company")]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(status="pending"), name="erasurerequest_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"Erasure request #{self.pk}"


# --- Personal data held by this app (read by the erasure service; see hiring/personal_data.py) ----

PERSONAL_DATA = (
    # A link is worthless once its candidate is erased; the address of an email change is theirs.
    CandidateRows(PortalToken, candidate="candidate_id", clear=("new_email",)),
    # Who asked and when stays, as the record that the erasure was asked for; it holds no text.
    CandidateRows(ErasureRequest, candidate="candidate_id"),
    # The portal's emails name no application; they are filed under the candidate instead.
    ErasureHook("portal emails", "careers.erasure.portal_emails_forget"),
)
