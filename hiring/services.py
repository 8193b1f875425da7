"""Writes for the hiring app: memberships."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Company, Membership, Role


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def membership_add(
    *, company: Company, email: str, role: str, first_name: str = "", last_name: str = ""
) -> Membership:
    """Give a person a role in a company, creating their staff account when the email is new."""
    email = email.strip().lower()
    validate_email(email)
    if role not in Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=email, email=email, first_name=first_name, last_name=last_name)
        user.is_staff = True
        user.set_unusable_password()
        user.save()
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if Membership.objects.filter(user=user, company=company).exists():
        raise ValidationError(f"{email} is already a member of {company}.")
    return Membership.objects.create(user=user, company=company, role=role, display_name=_display_name(user))


def _refuse_losing_last_admin(membership: Membership) -> None:
    others = (
        Membership.objects.filter(company_id=membership.company_id, role=Role.COMPANY_ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )
    if membership.role == Role.COMPANY_ADMIN and not others:
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


def membership_refresh_display_name(*, user) -> None:
    """Copy a user's current name onto their memberships (used after a name change)."""
    Membership.objects.filter(user=user).update(display_name=_display_name(user))
