"""The portal's writes: sign-in links (made, sent, used) and the candidate's own actions. Every
email goes through the outbox, written in the transaction of its cause."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from careers.models import PortalToken, PortalTokenPurpose
from hiring.models import Candidate
from interviews.notifications.context import absolute, when
from interviews.notifications.events import NotificationEvent
from interviews.notifications.outbox import Recipient, outbox_enqueue_on_commit, outbox_write
from interviews.notifications.templates import notification_templates_resolve

# The links' paths, as the outbox hides them from everyone but their recipient (registered with
# interviews.notifications.candidate_links in careers.apps).
PERSONAL_LINK_PATTERN = r"/portal/(?:sign-in|confirm-email)/[A-Za-z0-9_-]+/"
PERSONAL_LINK_HIDDEN = "/portal/(personal link, hidden)/"


class PortalLinkError(Exception):
    """A link that cannot be used: `code` is "unknown", "used" or "expired"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.HIRELOOP_PORTAL_LINK_HOURS)


def _token_create(*, candidate: Candidate, purpose: str, new_email: str = "") -> tuple[str, PortalToken]:
    token = secrets.token_urlsafe(32)
    row = PortalToken.objects.create(
        company_id=candidate.company_id,
        candidate=candidate,
        purpose=purpose,
        token_hash=token_hash(token),
        new_email=new_email,
        expires_at=timezone.now() + link_lifetime(),
    )
    return token, row


@transaction.atomic
def portal_link_create(*, candidate: Candidate) -> str:
    """A fresh single-use sign-in link for the candidate (absolute URL); only its hash is kept."""
    token, _ = _token_create(candidate=candidate, purpose=PortalTokenPurpose.SIGN_IN)
    return absolute(reverse("portal:sign_in", args=[token]))


def portal_token_check(*, token: str, purpose: str = PortalTokenPurpose.SIGN_IN) -> PortalToken:
    """The link's row, unused and unexpired, or PortalLinkError (nothing is written)."""
    row = (
        PortalToken.objects.select_related("candidate__company")
        .filter(token_hash=token_hash(token or ""), purpose=purpose)
        .first()
    )
    if row is None or row.candidate.anonymised_at is not None:
        raise PortalLinkError("unknown")
    if row.used_at is not None:
        raise PortalLinkError("used")
    if row.expires_at <= timezone.now():
        raise PortalLinkError("expired")
    return row


@transaction.atomic
def portal_token_use(*, token: str, purpose: str = PortalTokenPurpose.SIGN_IN) -> PortalToken:
    """Use a link once: the conditional update lets exactly one of two racing requests through;
    the other gets PortalLinkError("used")."""
    row = portal_token_check(token=token, purpose=purpose)
    now = timezone.now()
    unused = PortalToken.objects.filter(pk=row.pk, used_at__isnull=True, expires_at__gt=now)
    claimed = unused.update(used_at=now)
    if claimed != 1:
        raise PortalLinkError("used")
    row.used_at = now
    return row


def _candidate_templates(company_id: int, event: str, language: str):
    return notification_templates_resolve(company_id, [event], language or "en")[event]


@transaction.atomic
def portal_links_send(*, email: str) -> int:
    """Email a fresh sign-in link to every candidate row of this address (one per company it is
    known at; an erased candidate gets none). Returns how many were written; the visitor is told
    the same whatever the number (see views.start_view)."""
    email = (email or "").strip()
    if not email:
        return 0
    candidates = list(
        Candidate.objects.select_related("company")
        .filter(email__iexact=email, anonymised_at__isnull=True)
        .order_by("pk")
    )
    ids = []
    for candidate in candidates:
        event = NotificationEvent.PORTAL_LINK
        template = _candidate_templates(candidate.company_id, event, candidate.language)
        token, row = _token_create(candidate=candidate, purpose=PortalTokenPurpose.SIGN_IN)
        ids += outbox_write(
            company_id=candidate.company_id,
            event=NotificationEvent.PORTAL_LINK,
            template=template,
            recipients=[Recipient(candidate.email, candidate.name)],
            context={
                "company_name": candidate.company.name,
                "candidate_name": candidate.name,
                "portal_link": absolute(reverse("portal:sign_in", args=[token])),
                "expires": when(row.expires_at, candidate.time_zone or settings.TIME_ZONE),
            },
            subject_of=f"candidate-{candidate.pk}",
            occurrence=f"link-{row.token_hash[:16]}",
        )
    return len(outbox_enqueue_on_commit(ids))
