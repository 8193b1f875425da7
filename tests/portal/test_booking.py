"""The portal's booking pages: the open slots in the candidate's time zone, booking, confirmation,
reschedule and cancel; another candidate's application, kit or interview is 404; the slots page
costs the same number of queries for a bigger panel."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from hiring.models import Company
from interviews.booking import interview_book
from interviews.models import Interview, InterviewStatus, Notification, SchedulingSettings
from tests.hiring.factories import CompanyFactory
from tests.interviews.booking_setup import available, booking_setup, next_monday, panel_member
from tests.portal.helpers import portal_client

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


@pytest.fixture
def booked_kit(company):
    application, kit, members = booking_setup(company, notice=0, window=28)
    application.candidate.time_zone = "Europe/Paris"
    application.candidate.save()
    return application, kit, members


def test_the_application_page_offers_the_booking(booked_kit):
    application, kit, _ = booked_kit
    page = portal_client(application.candidate).get(reverse("portal:application", args=[application.pk]))
    assert page.status_code == 200
    assert reverse("portal:book", args=[application.pk, kit.pk]) in page.content.decode()


def test_slots_are_listed_by_day_in_the_candidates_time_zone(booked_kit):
    application, kit, _ = booked_kit
    page = portal_client(application.candidate).get(reverse("portal:book", args=[application.pk, kit.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Europe/Paris" in body
    start = next_monday(9)  # 09:00 UTC is 10:00 in Paris in winter, 11:00 in summer
    local = start.astimezone(datetime.UTC).isoformat()
    assert f'value="{local}"' in body
    paris_hour = start.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris")).strftime("%H:%M")
    assert paris_hour in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_the_company_time_zone_is_used_when_the_candidate_chose_none(company):
    application, kit, _ = booking_setup(company)
    Company.objects.filter(pk=company.pk).update(time_zone="America/New_York")
    page = portal_client(application.candidate).get(reverse("portal:book", args=[application.pk, kit.pk]))
    assert "America/New_York" in page.content.decode()


def test_booking_a_slot_creates_the_interview_and_confirms_it(booked_kit):
    application, kit, members = booked_kit
    client = portal_client(application.candidate)
    start = next_monday(9)
    response = client.post(
        reverse("portal:book", args=[application.pk, kit.pk]), {"start": start.isoformat()}
    )
    interview = Interview.objects.get(application=application, kit=kit)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:booked", args=[application.pk, interview.pk])
    assert interview.starts_at == start and interview.timezone == "Europe/Paris"
    assert interview.scorecards.count() == len(members)
    assert Notification.objects.filter(interview=interview, recipient=application.candidate.email).exists()
    done = client.get(response["Location"])
    assert done.status_code == 200 and "Your interview is booked" in done.content.decode()


def test_a_time_not_offered_is_refused_in_words(booked_kit):
    application, kit, _ = booked_kit
    client = portal_client(application.candidate)
    url = reverse("portal:book", args=[application.pk, kit.pk])
    for value in ("", "tomorrow", next_monday(20).isoformat(), "2026-01-01T10:00:00"):
        response = client.post(url, {"start": value})
        assert response.status_code == 400 and "Choose one of the times offered" in response.content.decode()
    assert not Interview.objects.exists()


def test_reschedule_and_cancel_through_the_pages(booked_kit):
    application, kit, _ = booked_kit
    interview = interview_book(application=application, kit=kit, starts_at=next_monday(9))
    client = portal_client(application.candidate)
    url = reverse("portal:reschedule", args=[application.pk, interview.pk])
    assert client.get(url).status_code == 200
    new = next_monday(24 + 9)
    assert client.post(url, {"start": new.isoformat()}).status_code == 302
    interview.refresh_from_db()
    assert interview.starts_at == new
    cancel = reverse("portal:cancel_interview", args=[application.pk, interview.pk])
    assert client.get(cancel).status_code == 200
    assert client.post(cancel).status_code == 302
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.CANCELLED


def test_cancel_past_the_notice_is_refused_and_says_whom_to_contact(booked_kit):
    application, kit, _ = booked_kit
    SchedulingSettings.objects.create(company=application.company, change_notice_hours=720)
    interview = interview_book(application=application, kit=kit, starts_at=next_monday(9))
    client = portal_client(application.candidate)
    page = client.get(reverse("portal:application", args=[application.pk])).content.decode()
    assert "please contact the hiring team" in page
    response = client.post(reverse("portal:cancel_interview", args=[application.pk, interview.pk]))
    assert response.status_code == 409 and "too late" in response.content.decode()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED


def test_another_candidates_application_kit_or_interview_is_404(booked_kit):
    application, kit, _ = booked_kit
    other_company = CompanyFactory()
    theirs, their_kit, _ = booking_setup(other_company)
    interview = interview_book(application=theirs, kit=their_kit, starts_at=next_monday(9))
    mine = interview_book(application=application, kit=kit, starts_at=next_monday(11))
    client = portal_client(application.candidate)
    urls = [
        reverse("portal:book", args=[theirs.pk, their_kit.pk]),
        reverse("portal:book", args=[application.pk, their_kit.pk]),  # their kit on my application
        reverse("portal:booked", args=[theirs.pk, interview.pk]),
        reverse("portal:booked", args=[application.pk, interview.pk]),
        reverse("portal:reschedule", args=[application.pk, interview.pk]),
        reverse("portal:cancel_interview", args=[application.pk, interview.pk]),
        reverse("portal:cancel_interview", args=[theirs.pk, mine.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
        if "/booked/" not in url:  # the confirmation answers GET only
            assert client.post(url, {"start": next_monday(13).isoformat()}).status_code == 404, url
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.SCHEDULED and interview.starts_at == next_monday(9)


def test_booking_posts_are_rate_limited(booked_kit, settings):
    settings.HIRELOOP_RATE_LIMITS = {**settings.HIRELOOP_RATE_LIMITS, "booking": "2/h"}
    application, kit, _ = booked_kit
    client = portal_client(application.candidate)
    url = reverse("portal:book", args=[application.pk, kit.pk])
    codes = [client.post(url, {"start": "nope"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_the_slots_page_costs_the_same_queries_for_a_bigger_panel(company):
    application, kit, members = booking_setup(company, panel=2)
    client = portal_client(application.candidate)
    url = reverse("portal:book", args=[application.pk, kit.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for i in range(2, 6):
        member = panel_member(company, f"extra{i}")
        available(member, zone="Asia/Tokyo", start=0, end=23)
        kit.default_interviewers.add(member)
    assert count() == small


def test_the_booking_pages_speak_french(booked_kit):
    application, kit, _ = booked_kit
    client = portal_client(application.candidate)
    with translation.override("fr"):
        url = reverse("portal:book", args=[application.pk, kit.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Réservez votre créneau" in page or "fuseau horaire" in page
