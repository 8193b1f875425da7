"""The portal's open slots under load: a 4-interviewer panel over 14 days, in a company of the big
dataset (so the panel's busy intervals are read from the full interviews and scorecards tables).

Set up once, kept by ``--reuse``: the four interviewers of the first benchmark company with the
most interviews get weekday hours in four time zones and an exception each; a self-scheduled kit is
added to the stage of one active application, whose candidate signs in to the portal. The timed
request is the candidate's "Book your slot" page (GET), slots grouped by day.
"""

import datetime

from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careers.portal.services import portal_link_create
from hiring.models import Application, ApplicationStatus, Membership, Role
from interviews.models import Availability, AvailabilityException, InterviewKit, WeeklyHours

from .companies import bench_companies
from .measure import Result, Target, measure_public_page

KIT_NAME = "Bench self-scheduled session"
PANEL_ZONES = ["Europe/Paris", "Europe/London", "America/New_York", "UTC"]
# Local weekday hours that overlap for a few hours a day across the four zones.
PANEL_HOURS = [(9, 18), (8, 17), (4, 14), (8, 18)]


def _panel(company) -> list[Membership]:
    return list(
        Membership.objects.filter(company=company, role=Role.INTERVIEWER)
        .annotate(load=Count("scorecards"))
        .order_by("-load", "pk")[:4]
    )


def slots_setup(company):
    """The self-scheduled kit with its panel and an application in its stage (created once)."""
    kit = InterviewKit.objects.filter(company=company, name=KIT_NAME).first()
    if kit is not None:
        application = Application.objects.filter(
            stage_id=kit.stage_id, status=ApplicationStatus.ACTIVE
        ).first()
        if application is not None:
            return kit, application
    application = (
        Application.objects.filter(company=company, status=ApplicationStatus.ACTIVE).order_by("pk").first()
    )
    model_kit = InterviewKit.objects.filter(company=company).order_by("pk").first()
    panel = _panel(company)
    today = timezone.localdate()
    with transaction.atomic():
        kit = InterviewKit.objects.create(
            company=company,
            stage_id=application.stage_id,
            position=99,
            name=KIT_NAME,
            rubric_id=model_kit.rubric_id,
            duration_minutes=60,
            self_scheduling=True,
            booking_window_days=14,
            min_notice_hours=24,
            buffer_minutes=10,
        )
        kit.default_interviewers.set(panel)
        for member, zone, (start, end) in zip(panel, PANEL_ZONES, PANEL_HOURS, strict=False):
            availability, _ = Availability.objects.update_or_create(
                membership=member, defaults={"company": company, "time_zone": zone}
            )
            availability.weekly_hours.all().delete()
            WeeklyHours.objects.bulk_create(
                WeeklyHours(
                    availability=availability,
                    weekday=d,
                    starts_at=datetime.time(start),
                    ends_at=datetime.time(end),
                )
                for d in range(5)
            )
            AvailabilityException.objects.create(
                availability=availability,
                starts_on=today + datetime.timedelta(days=3),
                ends_on=today + datetime.timedelta(days=3),
                starts_at=datetime.time(12),
                ends_at=datetime.time(14),
            )
    return kit, application


def measure_open_slots(*, warmup: int, requests: int, out) -> Result:
    result = Result(
        name="portal_open_slots",
        label="Portal open slots, 4-interviewer panel, 14 days",
        target=Target(p50_ms=100, options=None),
    )
    company = bench_companies().first()
    if company is None:
        result.status = "no benchmark company"
        return result
    kit, application = slots_setup(company)
    client = Client()
    token = portal_link_create(candidate=application.candidate).rstrip("/").rsplit("/", 1)[-1]
    client.post(reverse("portal:sign_in", args=[token]), REMOTE_ADDR="10.7.0.1")
    url = reverse("portal:book", args=[application.pk, kit.pk])
    return measure_public_page(
        result,
        client,
        url,
        warmup=warmup,
        requests=requests,
        out=out,
        subnet=7,
        expect=b'name="start"',
        missing="no slot",
    )
