"""The Hireloop admin site: the product's main interface."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.urls import path, reverse
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.ratelimit import limit_reached, too_many_requests


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


class PlatformAdminMixin:
    """Platform-wide data (users, groups, schedules, login lockouts, devices) spans every company:
    only superusers see it, whatever model permissions a company user was given."""

    def _platform(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._platform(request)

    def has_view_permission(self, request, obj=None):
        return self._platform(request)

    def has_add_permission(self, request, *args):
        return self._platform(request)

    def has_change_permission(self, request, obj=None):
        return self._platform(request)

    def has_delete_permission(self, request, obj=None):
        return self._platform(request)


# What a company is set up with (the company, its people, templates, reasons, rubric library,
# email templates, take-home rules): not on the index of people who only interview.
COMPANY_SETUP = {
    ("hiring", "Company"),
    ("hiring", "Membership"),
    ("hiring", "Invitation"),
    ("hiring", "ProcessTemplate"),
    ("hiring", "Question"),
    ("hiring", "RejectionReason"),
    ("interviews", "NotificationTemplate"),
    ("interviews", "HandInPolicy"),
    ("interviews", "KitBriefFile"),
}
SETUP_APPS = {"rubrics"}


def _only_interviews(request) -> bool:
    """The user holds the interviewer role in each of their companies, and no other role."""
    from hiring.admin_scoping import request_roles
    from hiring.roles import READERS

    roles = set(request_roles(request).values())
    return not request.user.is_superuser and bool(roles) and not roles & READERS


class HireloopAdminSite(admin.AdminSite):
    site_header = "Hireloop"
    site_title = "Hireloop"
    index_title = "Hiring"
    enable_nav_sidebar = True

    def register(self, model_or_iterable, admin_class=None, **options):
        # Company data is scoped by its own admins; any other admin is made superuser-only, which
        # also spares every page the look-up of a company user's model permissions.
        from hiring.admin_scoping import CompanyScopedAdminMixin

        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, CompanyScopedAdminMixin | PlatformAdminMixin):
            admin_class = type(admin_class.__name__, (PlatformAdminMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def each_context(self, request):
        from interviews.notifications.publishing import broker_unreachable_since

        # The outbox banner: one cache read, no call to the broker.
        return {**super().each_context(request), "notifications_delayed_since": broker_unreachable_since()}

    # --- manager dashboard (interviews.dashboard) ---------------------------------------
    def get_urls(self):
        dashboard = path("dashboard/", self.admin_view(self.dashboard_view), name="dashboard")
        calibration = path(
            "dashboard/calibration/<int:member_id>/",
            self.admin_view(self.calibration_view),
            name="dashboard_calibration",
        )
        return [dashboard, calibration, *super().get_urls()]

    def dashboard_view(self, request):
        from interviews.dashboard.views import dashboard_view

        return dashboard_view(request, admin_site=self)

    def calibration_view(self, request, member_id):
        from interviews.dashboard.calibration_view import calibration_view

        return calibration_view(request, member_id, admin_site=self)

    def autocomplete_view(self, request):
        # Company scoping folded into the result query (hiring/admin_scoping.py).
        from hiring.admin_scoping import ScopedAutocompleteJsonView

        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        from interviews.dashboard.views import may_see_dashboard

        app_list = super().get_app_list(request, app_label)
        if app_label is None and may_see_dashboard(request):
            url = reverse("admin:dashboard", current_app=self.name)
            dashboards = {
                "name": "Dashboards",
                "app_label": "dashboards",
                "app_url": url,
                "has_module_perms": True,
                "models": [
                    {
                        "name": "Manager dashboard",
                        "object_name": "Dashboard",
                        "perms": {"view": True},
                        "admin_url": url,
                        "add_url": None,
                        "view_only": True,
                    }
                ],
            }
            app_list = [dashboards, *app_list]
        if app_label is None and _only_interviews(request):
            app_list = self._interviewer_app_list(request, app_list)
        return app_list

    def _interviewer_app_list(self, request, app_list):
        """An interviewer's index: "My interviews" first (their interviews and the scorecards they
        owe), then what they work with, without the company's setup."""
        mine = reverse("admin:interviews_interview_my", current_app=self.name)
        first = {
            "name": "My work",
            "app_label": "my_work",
            "app_url": mine,
            "has_module_perms": True,
            "models": [
                {
                    "name": "My interviews",
                    "object_name": "MyInterviews",
                    "perms": {"view": True},
                    "admin_url": mine,
                    "add_url": None,
                    "view_only": True,
                }
            ],
        }
        kept = []
        for app in app_list:
            if app["app_label"] in SETUP_APPS:
                continue
            models = [
                m
                for m in app["models"]
                if (app["app_label"], m["object_name"]) not in COMPANY_SETUP
                # The interview list of an interviewer is "My interviews" (it redirects there).
                and (app["app_label"], m["object_name"]) != ("interviews", "Interview")
            ]
            if models:
                kept.append({**app, "models": models})
        return [first, *kept]

    login_form = TwoFactorLoginForm
    login_template = "admin/login_otp.html"

    def has_permission(self, request):
        if not super().has_permission(request):
            return False
        return not settings.HIRELOOP_REQUIRE_2FA or request.user.is_verified()

    def login(self, request, extra_context=None):
        # Every login attempt counts against the address's rate (config/ratelimit.py); django-axes
        # locks one username out after a few failures, this stops one address trying many.
        if request.method == "POST" and limit_reached(request, "login"):
            return too_many_requests(request)
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
