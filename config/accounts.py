"""Account pages outside the admin's login wall: accepting an invitation, resetting a password.

Both are rate-limited (config/ratelimit.py) and shown in the admin's look. Views stay thin: the
hiring services accept invitations, Django's own views reset passwords.
"""

from urllib.parse import urlencode, urlparse

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from config.ratelimit import email_key, rate_limited
from hiring.memberships import invitation_accept, invitation_accept_new_account
from hiring.models import Membership
from hiring.selectors import invitation_account_exists, invitation_open_by_token

# --- Invitations ----------------------------------------------------------------------------------


class NewAccountForm(SetPasswordForm):
    """Name and password of the account an invitation creates (validated against the address)."""

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    field_order = ("first_name", "last_name", "new_password1", "new_password2")

    def __init__(self, invitation, *args, **kwargs):
        User = get_user_model()
        super().__init__(User(username=invitation.email, email=invitation.email), *args, **kwargs)


def _may_act_as(request, user) -> bool:
    """Logged in, and past the second factor when the site requires one."""
    if not user.is_authenticated:
        return False
    return not settings.HIRELOOP_REQUIRE_2FA or user.is_verified()


@rate_limited("link")
@never_cache
@csrf_protect
def invitation_accept_view(request, token: str):
    """The link of an invitation: set a password (new address) or accept while logged in."""
    context = {**admin.site.each_context(request), "title": "Invitation"}
    invitation = invitation_open_by_token(token)
    if invitation is None:
        return TemplateResponse(
            request, "accounts/invitation.html", {**context, "mode": "invalid"}, status=404
        )
    context.update(invitation=invitation, role=invitation.get_role_display(), company=invitation.company.name)
    if not invitation_account_exists(invitation):
        form = NewAccountForm(invitation, request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                invitation_accept_new_account(
                    token=token,
                    password=form.cleaned_data["new_password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, "Your account is ready: log in with your email address and password."
                )
                return redirect("admin:login")
        return TemplateResponse(request, "accounts/invitation.html", {**context, "mode": "new", "form": form})
    user = request.user
    if not _may_act_as(request, user):
        login_url = reverse("admin:login") + "?" + urlencode({"next": request.path})
        return TemplateResponse(
            request, "accounts/invitation.html", {**context, "mode": "log_in", "login_url": login_url}
        )
    if (user.email or "").strip().lower() != invitation.email:
        return TemplateResponse(request, "accounts/invitation.html", {**context, "mode": "other"}, status=403)
    error = ""
    if request.method == "POST":
        try:
            invitation_accept(token=token, user=user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"You joined {invitation.company.name} as {context['role']}.")
            return redirect("admin:index")
    return TemplateResponse(
        request, "accounts/invitation.html", {**context, "mode": "accept", "error": error}
    )


# --- Password reset (Django's views, in the admin's look) ---------------------------------------


class AdminLookMixin:
    def get_context_data(self, **kwargs):
        return {**admin.site.each_context(self.request), **super().get_context_data(**kwargs)}


class MemberPasswordResetForm(PasswordResetForm):
    """Django's form, except that a member whose account has no usable password yet (members were
    once added by email without one) may set one through the emailed link, as anyone else."""

    def get_users(self, email):
        User = get_user_model()
        members = Membership.objects.filter(user=OuterRef("pk"))
        users = User._default_manager.filter(email__iexact=email, is_active=True)
        users = users.annotate(member=Exists(members))
        return (u for u in users if u.has_usable_password() or u.member)


@method_decorator(rate_limited("password_reset", keys=("ip", email_key), methods=("POST",)), name="dispatch")
class PasswordResetView(AdminLookMixin, auth_views.PasswordResetView):
    """Always answers "email sent" (Django's view): whether the address is known shows nowhere.
    Links point at NOTIFICATIONS_BASE_URL, never at the Host header of the request."""

    form_class = MemberPasswordResetForm

    @property
    def extra_email_context(self):
        base = urlparse(settings.NOTIFICATIONS_BASE_URL)
        return {"site_name": "Hireloop", "domain": base.netloc, "protocol": base.scheme}


class PasswordResetDoneView(AdminLookMixin, auth_views.PasswordResetDoneView):
    pass


@method_decorator(rate_limited("link"), name="dispatch")
class PasswordResetConfirmView(AdminLookMixin, auth_views.PasswordResetConfirmView):
    pass


class PasswordResetCompleteView(AdminLookMixin, auth_views.PasswordResetCompleteView):
    pass
