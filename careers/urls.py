from django.urls import path
from django.views.i18n import set_language

from careers import views, views_apply

app_name = "careers"

urlpatterns = [
    # Django's language switch (POST, works without JavaScript); the cookie it sets is read by
    # careers.middleware.PublicLocaleMiddleware on the public pages only.
    path("language/", set_language, name="set_language"),
    path("<slug:slug>/", views.job_list_view, name="jobs"),
    path("<slug:slug>/theme.css", views.theme_view, name="theme"),
    path("<slug:slug>/logo/", views.logo_view, name="logo"),
    path("<slug:slug>/jobs.json", views.job_feed_view, name="feed"),
    path("<slug:slug>/jobs/<int:job_id>/", views.job_view, name="job"),
    path("<slug:slug>/jobs/<int:job_id>/apply/", views_apply.apply_view, name="apply"),
    path("<slug:slug>/jobs/<int:job_id>/apply/done/", views_apply.apply_done_view, name="apply_done"),
]
