"""The candidate portal, mounted at /portal/ (namespace "portal"). Features that add pages put
their paths here, each view wrapped in careers.portal.session.portal_required."""

from django.urls import path

from careers.portal import views, views_handin, views_survey, views_track

app_name = "portal"

urlpatterns = [
    # The candidate's applications when signed in, the email form otherwise.
    path("", views.home_view, name="home"),
    path("start/", views.start_view, name="start"),
    path("start/sent/", views.sent_view, name="sent"),
    path("sign-in/<str:token>/", views.sign_in_view, name="sign_in"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("applications/<int:application_id>/", views.application_view, name="application"),
    path("applications/<int:application_id>/track/", views_track.track_choose_view, name="track_choose"),
    path(
        "applications/<int:application_id>/take-home/<int:kit_id>/",
        views_handin.handin_submit_view,
        name="handin_submit",
    ),
    path(
        "applications/<int:application_id>/take-home/<int:kit_id>/more-time/",
        views_handin.more_time_view,
        name="handin_more_time",
    ),
    path(
        "applications/<int:application_id>/brief/<int:file_id>/",
        views_handin.brief_file_view,
        name="handin_brief_file",
    ),
    path("applications/<int:application_id>/survey/", views_survey.survey_answer_view, name="survey_answer"),
]
