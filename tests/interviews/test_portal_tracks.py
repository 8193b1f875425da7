"""Choosing a track: by the candidate or by staff with a note, until the stage's interviews are
scheduled; every change recorded with its emails in the same transaction."""

import pytest
from django.core.exceptions import ValidationError

from hiring.models import ApplicationTrack, Role
from interviews.models import InterviewStatus, Notification, TrackChange
from interviews.portal_actions import application_track_choose
from interviews.portal_selectors import application_track_stages
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import InterviewFactory
from tests.interviews.portal_data import loop

pytestmark = pytest.mark.django_db


def test_candidate_chooses_then_changes_a_track_with_history_and_emails(company):
    # given
    lp = loop(company)
    recruiter = MembershipFactory(company=company, role=Role.RECRUITER)
    app = lp.application
    # when
    first = application_track_choose(application=app, track=lp.live, by_candidate=True)
    second = application_track_choose(application=app, track=lp.take_home, by_candidate=True)
    # then
    assert ApplicationTrack.objects.get(application=app).track == lp.take_home
    assert (first.from_track, first.to_track, second.from_track) == (None, lp.live, lp.live)
    assert second.by_candidate and second.actor is None
    rows = Notification.objects.filter(application=app)
    candidate_rows = rows.filter(event="track_chosen")
    team = set(rows.filter(event="track_chosen_team").values_list("recipient", flat=True))
    assert candidate_rows.count() == 2 and set(candidate_rows.values_list("recipient", flat=True)) == {
        app.candidate.email
    }
    assert team == {recruiter.user.email, app.job.hiring_manager.user.email}
    assert "changed from Live coding to Take-home" in candidate_rows.order_by("pk").last().body


def test_same_track_again_changes_nothing(company):
    lp = loop(company)
    application_track_choose(application=lp.application, track=lp.live, by_candidate=True)
    assert application_track_choose(application=lp.application, track=lp.live, by_candidate=True) is None
    assert TrackChange.objects.count() == 1


def test_refused_once_the_stage_interviews_are_scheduled(company):
    lp = loop(company)
    application_track_choose(application=lp.application, track=lp.live, by_candidate=True)
    InterviewFactory(application=lp.application, kit=lp.live_kit, company=company)
    with pytest.raises(ValidationError, match="already scheduled"):
        application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)
    assert ApplicationTrack.objects.get(application=lp.application).track == lp.live
    assert [s.locked for s in application_track_stages(application=lp.application)] == [True]


def test_a_cancelled_interview_does_not_lock_the_track(company):
    lp = loop(company)
    InterviewFactory(
        application=lp.application, kit=lp.live_kit, company=company, status=InterviewStatus.CANCELLED
    )
    assert application_track_choose(application=lp.application, track=lp.take_home, by_candidate=True)


def test_staff_record_a_choice_with_a_note(company, recruiter):
    lp = loop(company)
    with pytest.raises(ValidationError, match="note"):
        application_track_choose(application=lp.application, track=lp.live, actor=recruiter)
    change = application_track_choose(
        application=lp.application, track=lp.live, actor=recruiter, note="Answered by email on Monday"
    )
    assert (
        change.actor == recruiter and not change.by_candidate and change.note == "Answered by email on Monday"
    )
    team = Notification.objects.get(
        event="track_chosen_team", recipient=lp.application.job.hiring_manager.user.email
    )
    assert "Answered by email on Monday" in team.body and recruiter.get_full_name() in team.body


def test_a_failed_change_writes_no_email(company):
    lp = loop(company)
    InterviewFactory(application=lp.application, kit=lp.live_kit, company=company)
    with pytest.raises(ValidationError):
        application_track_choose(application=lp.application, track=lp.live, by_candidate=True)
    assert not Notification.objects.exists() and not TrackChange.objects.exists()
