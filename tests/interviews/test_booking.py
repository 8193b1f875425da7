"""The candidate's booking, reschedule and cancellation (interviews/booking.py) against the
database: the interview comes with the kit's panel and the emails, a taken slot is refused, and
changes stop at the company's notice."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from hiring.models import Role
from interviews.booking import (
    ALREADY_BOOKED,
    NOT_BOOKABLE,
    SLOT_TAKEN,
    TOO_LATE,
    application_kit_bookings,
    interview_book,
    interview_candidate_cancel,
    interview_candidate_reschedule,
    kit_open_slots,
)
from interviews.models import (
    AvailabilityException,
    ExceptionKind,
    Interview,
    InterviewStatus,
    Notification,
    SchedulingSettings,
)
from interviews.notifications.events import NotificationEvent as E
from tests.hiring.factories import MembershipFactory, UserFactory
from tests.interviews.booking_setup import booking_setup, next_monday, second_application
from tests.interviews.factories import InterviewFactory, ScorecardFactory

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def _code(exc_info):
    return exc_info.value.error_list[0].code


def test_open_slots_follow_the_panels_hours_minus_their_interviews(company):
    application, kit, members = booking_setup(company, buffer=15)
    monday = next_monday()
    # the first panelist has another interview at 10:00 on Monday (any candidate, any job)
    other = InterviewFactory(company=company, starts_at=monday + 10 * H, ends_at=monday + 11 * H)
    ScorecardFactory(interview=other, interviewer=members[0])
    # the second is off on Tuesday
    AvailabilityException.objects.create(
        availability=members[1].availability,
        kind=ExceptionKind.UNAVAILABLE,
        starts_on=(monday + 24 * H).date(),
        ends_on=(monday + 24 * H).date(),
    )
    found = kit_open_slots(application=application, kit=kit, now=monday - 24 * H)
    monday_slots = [s for s in found if s.date() == monday.date()]
    assert monday + 9 * H not in monday_slots  # would end at 10:00, inside the 15-minute buffer
    assert monday + 8.5 * H not in monday_slots
    assert monday + 11 * H not in monday_slots
    assert monday + 11.5 * H in monday_slots
    assert not [s for s in found if s.date() == (monday + 24 * H).date()]
    assert monday + 48 * H + 9 * H in found


def test_cancelled_interviews_are_not_busy(company):
    application, kit, members = booking_setup(company)
    monday = next_monday()
    other = InterviewFactory(
        company=company, starts_at=monday + 10 * H, ends_at=monday + 11 * H, status=InterviewStatus.CANCELLED
    )
    ScorecardFactory(interview=other, interviewer=members[0])
    assert monday + 10 * H in kit_open_slots(application=application, kit=kit, now=monday - 24 * H)


def test_notice_and_window_of_the_kit_bound_the_slots(company):
    application, kit, _ = booking_setup(company, notice=48, window=3)
    monday = next_monday()
    found = kit_open_slots(application=application, kit=kit, now=monday)
    assert found and min(found) >= monday + 48 * H and max(found) < monday + 72 * H


def test_a_kit_without_self_scheduling_or_of_another_stage_has_no_slot(company):
    application, kit, _ = booking_setup(company)
    kit.self_scheduling = False
    kit.save()
    assert kit_open_slots(application=application, kit=kit, now=next_monday()) == []
    with pytest.raises(ValidationError) as refused:
        interview_book(application=application, kit=kit, starts_at=next_monday(9), now=next_monday())
    assert _code(refused) == NOT_BOOKABLE


def test_booking_creates_the_interview_with_the_panel_and_everyones_emails(company, recruiter):
    application, kit, members = booking_setup(company)
    manager = MembershipFactory(
        company=company, role=Role.HIRING_MANAGER, user=UserFactory(email="hm@acme.example")
    )
    application.job.hiring_manager = manager
    application.job.save()
    start = next_monday(9)
    interview = interview_book(
        application=application, kit=kit, starts_at=start, time_zone="Europe/Paris", now=next_monday()
    )
    assert (interview.starts_at, interview.ends_at, interview.timezone) == (start, start + H, "Europe/Paris")
    assert set(interview.scorecards.values_list("interviewer_id", flat=True)) == {m.pk for m in members}
    invites = set(
        Notification.objects.filter(event=E.INTERVIEW_SCHEDULED).values_list("recipient", flat=True)
    )
    assert invites == {application.candidate.email, *(m.user.email for m in members)}
    team = set(Notification.objects.filter(event=E.INTERVIEW_BOOKED_TEAM).values_list("recipient", flat=True))
    assert team == {recruiter.email, "hm@acme.example"}
    body = Notification.objects.filter(event=E.INTERVIEW_BOOKED_TEAM).first().body
    assert "booked" in body and application.candidate.name in body


def test_the_same_slot_cannot_be_booked_twice_nor_the_kit_booked_twice(company):
    application, kit, _ = booking_setup(company)
    start = next_monday(9)
    interview_book(application=application, kit=kit, starts_at=start, now=next_monday())
    other = second_application(company, application)
    with pytest.raises(ValidationError) as taken:
        interview_book(application=other, kit=kit, starts_at=start + 0.5 * H, now=next_monday())
    assert _code(taken) == SLOT_TAKEN
    with pytest.raises(ValidationError) as twice:
        interview_book(application=application, kit=kit, starts_at=start + 3 * H, now=next_monday())
    assert _code(twice) == ALREADY_BOOKED
    assert Interview.objects.count() == 1


def test_a_time_outside_the_panels_hours_is_refused(company):
    application, kit, _ = booking_setup(company)
    with pytest.raises(ValidationError) as refused:
        interview_book(application=application, kit=kit, starts_at=next_monday(20), now=next_monday())
    assert _code(refused) == SLOT_TAKEN


def test_reschedule_within_notice_moves_it_and_tells_everyone(company, recruiter):
    application, kit, _ = booking_setup(company)
    SchedulingSettings.objects.create(company=company, change_notice_hours=24)
    interview = interview_book(application=application, kit=kit, starts_at=next_monday(9), now=next_monday())
    # the old time is free for this interview's own move: 09:30 overlaps it and is allowed
    moved = interview_candidate_reschedule(
        interview=interview, starts_at=next_monday(9.5), now=next_monday(-48)
    )
    assert moved.starts_at == next_monday(9.5) and moved.sequence == 1
    assert Notification.objects.filter(event=E.INTERVIEW_RESCHEDULED).count() == 3
    team = Notification.objects.get(event=E.INTERVIEW_BOOKED_TEAM, body__contains="rescheduled")
    assert team.recipient == recruiter.email


def test_reschedule_and_cancel_past_the_notice_are_refused(company):
    application, kit, _ = booking_setup(company)
    SchedulingSettings.objects.create(company=company, change_notice_hours=24)
    interview = interview_book(application=application, kit=kit, starts_at=next_monday(9), now=next_monday())
    late = next_monday(9) - 23 * H
    with pytest.raises(ValidationError) as too_late:
        interview_candidate_cancel(interview=interview, now=late)
    assert _code(too_late) == TOO_LATE
    with pytest.raises(ValidationError):
        interview_candidate_reschedule(interview=interview, starts_at=next_monday(24 + 9), now=late)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED and interview.starts_at == next_monday(9)


def test_cancel_within_notice_cancels_and_the_kit_can_be_booked_again(company, recruiter):
    application, kit, _ = booking_setup(company)
    interview = interview_book(application=application, kit=kit, starts_at=next_monday(9), now=next_monday())
    interview_candidate_cancel(interview=interview, now=next_monday(-48))
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED
    assert Notification.objects.filter(event=E.INTERVIEW_CANCELLED).count() == 3
    assert Notification.objects.filter(event=E.INTERVIEW_BOOKED_TEAM, body__contains="cancelled").exists()
    again = interview_book(application=application, kit=kit, starts_at=next_monday(9), now=next_monday())
    assert again.pk != interview.pk


def test_the_page_data_lists_the_bookable_kits_with_their_interview(company):
    application, kit, _ = booking_setup(company)
    (booking,) = application_kit_bookings(application=application)
    assert booking.kit == kit and booking.interview is None
    interview = interview_book(application=application, kit=kit, starts_at=next_monday(9), now=next_monday())
    (booking,) = application_kit_bookings(application=application)
    assert booking.interview == interview
    assert booking.change_until == interview.starts_at - 24 * H
    assert booking.can_change(next_monday(-48)) and not booking.can_change(next_monday(9))
