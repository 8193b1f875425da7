from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from config.two_factor import two_factor_setup

# No URL serves uploaded files, in any settings: they are read through the permission-checked
# download views (hiring/uploads.py), never under MEDIA_URL.
urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/two-factor/", two_factor_setup, name="two_factor_setup"),
    path("admin/", admin.site.urls),
]
