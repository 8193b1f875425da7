"""A job whose first stage has a self-scheduled kit with a panel of interviewers, each available
on weekdays 09:00-17:00 in their own time zone, and an application in that stage."""

import datetime

from django.utils import timezone

from hiring.models import Role
from interviews.models import Availability, WeeklyHours
from tests.hiring.factories import ApplicationFactory, CandidateFactory, MembershipFactory, UserFactory
from tests.interviews.factories import interview_setup


def next_monday(hour=0) -> datetime.datetime:
    """Midnight UTC of the Monday after next (always in the future, whatever today is)."""
    today = timezone.now().astimezone(datetime.UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + datetime.timedelta(days=7 - today.weekday() + 7, hours=hour)


def available(member, *, zone="UTC", start=9, end=17, days=range(5)) -> Availability:
    availability = Availability.objects.create(
        company_id=member.company_id, membership=member, time_zone=zone
    )
    WeeklyHours.objects.bulk_create(
        WeeklyHours(
            availability=availability, weekday=d, starts_at=datetime.time(start), ends_at=datetime.time(end)
        )
        for d in days
    )
    return availability


def panel_member(company, name):
    user = UserFactory(username=f"{company.slug}-{name}", email=f"{name}@{company.slug}.example")
    return MembershipFactory(user=user, company=company, role=Role.INTERVIEWER)


def booking_setup(company, *, panel=2, zone="UTC", notice=0, window=28, buffer=0, duration=60):
    application, kits = interview_setup(company, stages=2)
    kit = kits[0]
    members = [panel_member(company, f"panel{i}") for i in range(panel)]
    for m in members:
        available(m, zone=zone)
    kit.default_interviewers.set(members)
    kit.self_scheduling = True
    kit.min_notice_hours, kit.booking_window_days, kit.buffer_minutes = notice, window, buffer
    kit.duration_minutes = duration
    kit.save()
    return application, kit, members


def second_application(company, application):
    """Another candidate in the same job and stage."""
    return ApplicationFactory(
        company=company,
        job=application.job,
        stage=application.stage,
        candidate=CandidateFactory(company=company),
    )
