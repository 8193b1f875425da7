"""Scheduling from the application page, double-booking warnings, status actions, My interviews."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hiring.models import Role
from interviews.models import Interview, InterviewStatus, Scorecard
from interviews.services import interview_schedule
from tests.hiring.factories import MembershipFactory
from tests.interviews.factories import interview_setup

pytestmark = pytest.mark.django_db


def member(user):
    return user.memberships.get()


def _add_url(application):
    return reverse("admin:interviews_interview_add") + f"?application={application.pk}"


def _form(application, kit, members, start):
    return {
        "application": application.pk,
        "kit": kit.pk,
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": start.strftime("%H:%M:%S"),
        "ends_at_0": "",
        "ends_at_1": "",
        "timezone": "Europe/Paris",
        "location": "",
        "video_url": "https://meet.example.com/room",
        "panel": [m.pk for m in members],
    }


def test_schedule_from_the_application_prefills_and_creates_the_scorecards(
    company, recruiter_client, interviewer, hiring_manager
):
    application, kits = interview_setup(company)
    page = recruiter_client.get(_add_url(application))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert form.initial["application"] == str(application.pk)
    assert form.initial["kit"] == kits[0]
    assert set(form.fields["kit"].queryset) == set(kits)
    start = datetime.datetime(2031, 5, 6, 10, 0)
    response = recruiter_client.post(
        _add_url(application),
        _form(application, kits[0], [member(interviewer), member(hiring_manager)], start),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    interview = Interview.objects.get()
    # typed in the interview's time zone: 10:00 in Paris is 08:00 UTC in May
    assert interview.starts_at == datetime.datetime(2031, 5, 6, 8, 0, tzinfo=datetime.UTC)
    assert interview.ends_at - interview.starts_at == datetime.timedelta(minutes=kits[0].duration_minutes)
    assert Scorecard.objects.filter(interview=interview).count() == 2


def test_double_booking_is_a_warning_not_a_refusal(company, recruiter_client, interviewer):
    application, kits = interview_setup(company)
    start = timezone.now() + datetime.timedelta(days=3)
    interview_schedule(
        application=application, kit=kits[0], starts_at=start, interviewers=[member(interviewer)]
    )
    local = timezone.make_naive(start + datetime.timedelta(minutes=15), datetime.UTC)
    data = _form(application, kits[1], [member(interviewer)], local) | {"timezone": "UTC"}
    response = recruiter_client.post(_add_url(application), data)
    assert response.status_code == 302
    assert Interview.objects.count() == 2
    texts = [m.message for m in get_messages(response.wsgi_request)]
    assert any("double-booked" in t for t in texts), texts


def test_schedule_refuses_members_of_another_company_and_foreign_applications(
    company, recruiter_client, other_company_admin, interviewer
):
    application, kits = interview_setup(company)
    start = datetime.datetime(2031, 5, 6, 10, 0)
    response = recruiter_client.post(
        _add_url(application), _form(application, kits[0], [member(other_company_admin)], start)
    )
    assert response.status_code == 200 and not Interview.objects.exists()
    assert "panel" in response.context["adminform"].form.errors
    foreign, foreign_kits = interview_setup(member(other_company_admin).company)
    response = recruiter_client.post(
        _add_url(foreign), _form(foreign, foreign_kits[0], [member(interviewer)], start)
    )
    assert response.status_code == 200 and not Interview.objects.exists()


def test_interviewer_cannot_schedule(company, interviewer_client, interviewer):
    application, _ = interview_setup(company)
    assert interviewer_client.get(_add_url(application)).status_code == 403


def test_cancel_action(company, recruiter_client, interviewer):
    application, kits = interview_setup(company)
    interview = interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=timezone.now() + datetime.timedelta(days=1),
        interviewers=[member(interviewer)],
    )
    response = recruiter_client.post(
        reverse("admin:interviews_interview_changelist"),
        {"action": "cancel", "_selected_action": [interview.pk]},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED and interview.sequence == 1


def _my_world(company, interviewer, n):
    """n upcoming interviews and n owed scorecards for the interviewer, plus noise of colleagues."""
    colleague = MembershipFactory(company=company, role=Role.INTERVIEWER)
    now = timezone.now()
    for i in range(n):
        application, kits = interview_setup(company)
        interview_schedule(
            application=application,
            kit=kits[0],
            starts_at=now + datetime.timedelta(days=i + 1),
            interviewers=[member(interviewer), colleague],
        )
        past = now - datetime.timedelta(days=i + 1)
        interview_schedule(
            application=application,
            kit=kits[1],
            starts_at=past,
            ends_at=past + datetime.timedelta(hours=1),
            interviewers=[member(interviewer)],
        )
        interview_schedule(
            application=application,
            kit=kits[1],
            starts_at=now + datetime.timedelta(days=i + 1, hours=3),
            interviewers=[colleague],
        )


def _my_page(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("admin:interviews_interview_my"))
    assert response.status_code == 200
    return response, len(ctx)


def test_my_interviews_shows_only_own_upcoming_and_owed_with_constant_queries(
    company, interviewer, interviewer_client
):
    _my_world(company, interviewer, 2)
    small, small_count = _my_page(interviewer_client)
    assert len(small.context["upcoming"]) == 2 and len(small.context["owed"]) == 2
    _my_world(company, interviewer, 2)
    large, large_count = _my_page(interviewer_client)
    assert len(large.context["upcoming"]) == 4 and len(large.context["owed"]) == 4
    assert small_count == large_count
    me = member(interviewer)
    assert all(me.pk in {sc.interviewer_id for sc in i.scorecards.all()} for i in large.context["upcoming"])
    assert all(sc.interviewer_id == me.pk for sc in large.context["owed"])
    assert "Write scorecard" in large.content.decode()


def test_my_interviews_shows_nothing_of_another_company(
    other_company_admin, admin_client_for, company, interviewer
):
    _my_world(company, interviewer, 1)
    response, _ = _my_page(admin_client_for(other_company_admin))
    assert response.context["upcoming"] == [] and response.context["owed"] == []


def test_my_interviews_shows_times_in_the_viewers_time_zone(company, interviewer, interviewer_client):
    application, kits = interview_setup(company)
    start = datetime.datetime(2031, 1, 15, 9, 0, tzinfo=datetime.UTC)
    interview_schedule(
        application=application,
        kit=kits[0],
        starts_at=start,
        time_zone="America/New_York",
        interviewers=[member(interviewer)],
    )
    html = interviewer_client.get(reverse("admin:interviews_interview_my")).content.decode()
    # in the interviewer's zone (here the site's: no choice of theirs, none for the company), named
    assert "15 Jan 2031, 09:00 UTC" in html and "04:00" not in html


@pytest.mark.parametrize("name", ["interview", "scorecard", "decision"])
def test_changelists_query_count_is_the_same_for_n_and_2n_rows(company, recruiter, recruiter_client, name):
    from interviews.services import RatingInput, decision_record, scorecard_submit
    from tests.hiring.factories import RejectionReasonFactory

    def grow(n):
        for _ in range(n):
            members = [MembershipFactory(company=company, role=Role.INTERVIEWER) for _ in range(2)]
            application, kits = interview_setup(company)
            past = timezone.now() - datetime.timedelta(hours=3)
            interview = interview_schedule(
                application=application,
                kit=kits[0],
                starts_at=past,
                ends_at=past + datetime.timedelta(hours=1),
                interviewers=members,
            )
            for card in interview.scorecards.all():
                scorecard_submit(
                    scorecard=card,
                    ratings=[RatingInput(c.pk, 4, "ok") for c in kits[0].rubric.competencies.all()],
                    recommendation="yes",
                )
            decision_record(
                application=application,
                outcome="reject",
                actor=recruiter,
                reason="Seat filled",
                rejection_reason=RejectionReasonFactory(company=company),
            )

    url = reverse(f"admin:interviews_{name}_changelist")
    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert recruiter_client.get(url).status_code == 200
    grow(2)
    with CaptureQueriesContext(connection) as large:
        response = recruiter_client.get(url)
    assert response.context["cl"].result_count == (4 if name != "scorecard" else 8)
    assert len(small) == len(large)
    assert len(large) <= 8  # the session and the user included


def test_reschedule_and_panel_change_through_the_change_form(
    company, recruiter_client, interviewer, hiring_manager
):
    application, kits = interview_setup(company)
    kits[0].default_interviewers.set([member(hiring_manager)])
    page = recruiter_client.get(_add_url(application))
    assert page.context["adminform"].form.initial["panel"] == [member(hiring_manager).pk]
    start = timezone.now() + datetime.timedelta(days=2)
    interview = interview_schedule(
        application=application, kit=kits[0], starts_at=start, interviewers=[member(interviewer)]
    )
    url = reverse("admin:interviews_interview_change", args=[interview.pk])
    later = timezone.make_naive(start + datetime.timedelta(days=1), datetime.UTC)
    data = _form(application, kits[0], [member(hiring_manager)], later) | {"timezone": "UTC"}
    response = recruiter_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    interview.refresh_from_db()
    assert (
        interview.sequence == 1 and interview.starts_at.date() == (start + datetime.timedelta(days=1)).date()
    )
    assert list(interview.scorecards.values_list("interviewer_id", flat=True)) == [member(hiring_manager).pk]


def test_interviewing_in_another_company_does_not_allow_scheduling_there(
    company, other_company, recruiter, recruiter_client
):
    # given the recruiter of company A also interviews for company B
    b_member = MembershipFactory(user=recruiter, company=other_company, role=Role.INTERVIEWER)
    foreign, foreign_kits = interview_setup(other_company)
    start = datetime.datetime(2031, 5, 6, 10, 0)
    response = recruiter_client.post(_add_url(foreign), _form(foreign, foreign_kits[0], [b_member], start))
    assert response.status_code == 200
    assert "application" in response.context["adminform"].form.errors
    assert not Interview.objects.exists()
