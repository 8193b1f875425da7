from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config import accounts
from config.two_factor import two_factor_setup

# No URL serves uploaded files, in any settings: they are read through the permission-checked
# download views (hiring/uploads.py), never under MEDIA_URL.
urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/two-factor/", two_factor_setup, name="two_factor_setup"),
    # Accounts: invitations and password reset (config/accounts.py), before the admin's own URLs.
    path("accounts/invitation/<str:token>/", accounts.invitation_accept_view, name="invitation_accept"),
    path("admin/password_reset/", accounts.PasswordResetView.as_view(), name="admin_password_reset"),
    path("admin/password_reset/done/", accounts.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/", accounts.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("admin/", admin.site.urls),
    # The public careers site (careers/urls.py): no login, English or French.
    path("careers/", include("careers.urls")),
    # The candidate portal (careers/portal/urls.py): signed in by an emailed link, no password.
    path("portal/", include("careers.portal.urls")),
]
