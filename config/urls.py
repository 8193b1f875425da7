from django.conf import settings
from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

from config.two_factor import two_factor_setup

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/two-factor/", two_factor_setup, name="two_factor_setup"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
