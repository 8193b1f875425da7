"""Writes for the team of a company: memberships (role changes, removal) and invitations (sent,
resent, revoked, accepted with an existing or a new account)."""

import datetime
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from .display import person_name, valid_zone
from .models import Company, Invitation, Membership, Role, StaffProfile
from .roles import ADMINISTRATORS
from .selectors import invitation_account_exists, invitation_token_hash


def _display_name(user) -> str:
    return person_name(user)


def _refuse_losing_last_admin(membership: Membership) -> None:
    others = (
        Membership.objects.filter(company_id=membership.company_id, role__in=ADMINISTRATORS)
        .exclude(pk=membership.pk)
        .exists()
    )
    if membership.role in ADMINISTRATORS and not others:
        raise ValidationError("A company keeps at least one company admin.")


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role; the last company admin cannot be demoted."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if role != membership.role:
        _refuse_losing_last_admin(membership)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a member from a company; the last company admin cannot be removed."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _refuse_losing_last_admin(membership)
    membership.delete()


# --- A staff user's own preferences ---------------------------------------------------------------


@transaction.atomic
def staff_profile_set_time_zone(*, user, time_zone: str) -> StaffProfile:
    """Set the zone the user's admin pages are shown in; empty means their company's."""
    if time_zone and valid_zone(time_zone) != time_zone:
        raise ValidationError(f"Unknown time zone {time_zone!r}; choose one from the list.")
    profile, _created = StaffProfile.objects.select_for_update().get_or_create(user=user)
    if profile.time_zone != time_zone:
        profile.time_zone = time_zone
        profile.save(update_fields=["time_zone"])
    return profile


# --- Invitations ---------------------------------------------------------------------------------
#
# A company admin invites an email address to a role; nothing about the address's account (if
# any) is read or changed then. Whoever holds the link accepts it: with a new account and a
# password when the address has none, or logged in as the account that has it. The raw token
# exists only in the link (the emailed one): the row keeps its SHA-256 digest.

# Invitation handlers: how the email leaves (the notification outbox, in the interviews app) without
# the hiring app importing it. Called INSIDE the transaction with the invitation and its raw token,
# they write their outbox row there and enqueue its sending with on_commit only.
INVITATION_HANDLERS: list[Callable[[Invitation, str], object]] = []


def register_invitation_handler(handler: Callable[[Invitation, str], object]) -> Callable:
    """Call `handler(invitation, token)` for every link sent. Registering twice is a no-op."""
    if handler not in INVITATION_HANDLERS:
        INVITATION_HANDLERS.append(handler)
    return handler


def _invitation_send(invitation: Invitation) -> str:
    """Give the invitation a new token (the previous link dies) and a new expiry, then send it."""
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    invitation.token_hash = invitation_token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.HIRELOOP_INVITE_DAYS)
    invitation.save()
    for handler in INVITATION_HANDLERS:
        handler(invitation, token)
    return token


def invitation_check(*, company: Company, email: str) -> None:
    """Refuse to invite an address that is already a member of the company (the invitation form
    shows the same refusal). Only the company's members are looked at: nothing here says whether
    the address has an account elsewhere."""
    email = email.strip().lower()
    if Membership.objects.filter(company=company, user__email__iexact=email).exists():
        raise ValidationError(f"{email} is already a member of {company}.")


@transaction.atomic
def invitation_create(*, company: Company, email: str, role: str, invited_by=None) -> Invitation:
    """Invite an address to a role in a company and send the link. An open invitation of the same
    address is refreshed instead (its role updated, a new link sent, the old one dead)."""
    email = email.strip().lower()
    validate_email(email)
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    invitation_check(company=company, email=email)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(company=company, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None:
        invitation = Invitation(company=company, email=email)
    invitation.role, invitation.invited_by = role, invited_by
    try:
        with transaction.atomic():
            _invitation_send(invitation)
    except IntegrityError as exc:  # the same address invited at the same moment by someone else
        raise ValidationError(f"{email} was just invited by someone else; see the list.") from exc
    return invitation


def _invitation_locked(pk: int) -> Invitation:
    return Invitation.objects.select_for_update().select_related("company").get(pk=pk)


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """Send a pending or expired invitation again, with a new link: the previous link dies."""
    invitation = _invitation_locked(invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(f"The invitation of {invitation.email} was accepted or revoked; invite again.")
    _invitation_send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Revoke an invitation that was not accepted: its link no longer works."""
    invitation = _invitation_locked(invitation.pk)
    if invitation.accepted_at:
        raise ValidationError(f"{invitation.email} already accepted; remove the membership instead.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _invitation_usable(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("company")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if (
        invitation is None
        or invitation.accepted_at
        or invitation.revoked_at
        or invitation.expires_at <= timezone.now()
    ):
        raise ValidationError(INVITATION_INVALID)
    return invitation


INVITATION_INVALID = "This invitation link is not valid: it was used, revoked, replaced or has expired."


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """The logged-in user accepts an invitation of their own address: the membership is created.

    Never for a superuser, an inactive account or one without admin access: their flags are not
    changed by anyone's invitation."""
    invitation = _invitation_usable(token)
    if (user.email or "").strip().lower() != invitation.email:
        raise ValidationError("This invitation is for another address. Log in as the invited account.")
    if user.is_superuser:
        raise ValidationError("A platform administrator's account does not join a company by invitation.")
    if not (user.is_active and user.is_staff):
        raise ValidationError("This account has no access to Hireloop; ask the platform administrator.")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    existing = Membership.objects.filter(user=user, company=invitation.company).first()
    if existing is not None:  # joined meanwhile: the role they hold stays
        return existing
    return Membership.objects.create(
        user=user, company=invitation.company, role=invitation.role, display_name=_display_name(user)
    )


@transaction.atomic
def invitation_accept_new_account(*, token: str, password: str, first_name: str = "", last_name: str = ""):
    """Accept an invitation of an address that has no account: create the account with its
    password and the membership. Returns the new user."""
    invitation = _invitation_usable(token)
    User = get_user_model()
    email = invitation.email
    if invitation_account_exists(invitation):
        raise ValidationError("An account with this address exists: log in, then open the link again.")
    user = User(username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip())
    user.is_staff = True
    validate_password(password, user)
    user.set_password(password)
    user.save()
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    Membership.objects.create(
        user=user, company=invitation.company, role=invitation.role, display_name=_display_name(user)
    )
    return user
