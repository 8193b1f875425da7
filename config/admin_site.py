"""The Hireloop admin site: the product's main interface."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice


class TwoFactorLoginForm(OTPAdminAuthenticationForm):
    """Password, then a one-time code for staff who have an authenticator app set up."""

    def clean_otp(self, user):
        if user is not None and not user_has_device(user, confirmed=True):
            return  # no authenticator yet: the site sends them to set one up when it is required
        super().clean_otp(user)

    def _chosen_device(self, user):
        # The form asks for a code only: it is checked against the user's authenticator app.
        device = super()._chosen_device(user)
        if device is None:
            device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
        return device


class HireloopAdminSite(admin.AdminSite):
    site_header = "Hireloop"
    site_title = "Hireloop"
    index_title = "Hiring"
    enable_nav_sidebar = True
    login_form = TwoFactorLoginForm
    login_template = "admin/login_otp.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.HIRELOOP_REQUIRE_2FA or request.user.is_verified()

    def login(self, request, extra_context=None):
        user = request.user
        if (
            settings.HIRELOOP_REQUIRE_2FA
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and not user.is_verified()
        ):
            return redirect("two_factor_setup")
        return super().login(request, extra_context)
