"""The candidate portal, mounted at /portal/ (namespace "portal"). Features that add pages put
their paths here, each view wrapped in careers.portal.session.portal_required."""

from django.urls import path

from careers.portal import views, views_booking, views_data, views_handin, views_survey, views_track

app_name = "portal"

urlpatterns = [
    # The candidate's applications when signed in, the email form otherwise.
    path("", views.home_view, name="home"),
    path("start/", views.start_view, name="start"),
    path("start/sent/", views.sent_view, name="sent"),
    path("sign-in/<str:token>/", views.sign_in_view, name="sign_in"),
    path("sign-out/", views.sign_out_view, name="sign_out"),
    path("time-zone/", views.time_zone_view, name="time_zone"),
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
    path("applications/<int:application_id>/withdraw/", views_data.withdraw_view, name="withdraw"),
    path("applications/<int:application_id>/book/<int:kit_id>/", views_booking.book_view, name="book"),
    path(
        "applications/<int:application_id>/interviews/<int:interview_id>/booked/",
        views_booking.booked_view,
        name="booked",
    ),
    path(
        "applications/<int:application_id>/interviews/<int:interview_id>/reschedule/",
        views_booking.reschedule_view,
        name="reschedule",
    ),
    path(
        "applications/<int:application_id>/interviews/<int:interview_id>/cancel/",
        views_booking.cancel_view,
        name="cancel_interview",
    ),
    path("interviews/<int:interview_id>/invite.ics", views.interview_ics_view, name="interview_ics"),
    path("data/", views_data.data_view, name="data"),
    path("data/export.json", views_data.export_view, name="export"),
    path("data/details/", views_data.details_view, name="details"),
    path("data/erase/", views_data.erase_view, name="erase"),
    path("confirm-email/<str:token>/", views_data.confirm_email_view, name="confirm_email"),
]
