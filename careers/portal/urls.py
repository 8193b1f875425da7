"""The candidate portal, mounted at /portal/ (namespace "portal"). Features that add pages put
their paths here, each view wrapped in careers.portal.session.portal_required."""

from django.urls import path

from careers.portal import views

app_name = "portal"

urlpatterns = [
    # The candidate's applications when signed in, the email form otherwise.
    path("", views.home_view, name="home"),
    path("start/", views.start_view, name="start"),
    path("start/sent/", views.sent_view, name="sent"),
    path("sign-in/<str:token>/", views.sign_in_view, name="sign_in"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("applications/<int:application_id>/", views.application_view, name="application"),
]
