"""The candidate portal's home under load: a candidate with 3 applications and 6 interviews in the
careers company (``bench-careers``), beside the big dataset, signed in through a real link.

The candidate (PORTAL_EMAIL) and their rows are made on the first run and kept by ``--reuse``;
they are not part of the dataset's counts (tests/test_bench.py leaves them out).
"""

import datetime

from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from careers.portal.services import portal_link_create
from hiring.models import Application, ApplicationStatus, Candidate, Company, Job, Source, Stage, StageChange
from interviews.models import Interview, InterviewKit, InterviewStatus

from .measure import Result, Target, measure_public_page

PORTAL_EMAIL = "bench.portal@example.org"
APPLICATIONS = 3
INTERVIEWS_PER_APPLICATION = 2


def portal_candidate_ensure(company: Company) -> Candidate:
    """The bench candidate with 3 applications in their third stage, each with 2 upcoming
    interviews, created once."""
    candidate = Candidate.objects.filter(company=company, email=PORTAL_EMAIL).first()
    if candidate is not None and candidate.applications.count() == APPLICATIONS:
        return candidate
    with transaction.atomic():
        if candidate is not None:
            candidate.delete()
        candidate = Candidate.objects.create(
            company=company, name="Bench Portal", email=PORTAL_EMAIL, time_zone="Europe/Paris"
        )
        now = timezone.now()
        for job in Job.objects.filter(company=company).order_by("id")[:APPLICATIONS]:
            stage = Stage.objects.filter(job=job).order_by("position", "id")[2]
            application = Application.objects.create(
                company=company,
                candidate=candidate,
                job=job,
                stage=stage,
                status=ApplicationStatus.ACTIVE,
                source=Source.CAREERS_SITE,
                applied_at=now - datetime.timedelta(days=10),
                stage_entered_at=now - datetime.timedelta(days=2),
            )
            StageChange.objects.create(
                company=company,
                application=application,
                to_stage=stage,
                to_status=ApplicationStatus.ACTIVE,
                created_at=application.applied_at,
            )
            kit = InterviewKit.objects.filter(stage=stage).first()
            for i in range(INTERVIEWS_PER_APPLICATION):
                start = now + datetime.timedelta(days=3 + i, hours=job.pk % 5)
                Interview.objects.create(
                    company=company,
                    application=application,
                    kit=kit,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=kit.duration_minutes),
                    timezone="UTC",
                    video_url="https://meet.example.com/bench",
                    status=InterviewStatus.SCHEDULED,
                )
    return candidate


def measure_home(*, company: Company, warmup: int, requests: int, out) -> Result:
    """GET /portal/ as the signed-in candidate (a link used once, then the session)."""
    # The portal's time zone select lists every IANA zone (about 420): not a table that grows.
    interviews = APPLICATIONS * INTERVIEWS_PER_APPLICATION
    result = Result(
        name="portal_home",
        label=f"Portal home, {APPLICATIONS} applications, {interviews} interviews",
        target=Target(p50_ms=30, options=None),
    )
    candidate = portal_candidate_ensure(company)
    client = Client()
    token = portal_link_create(candidate=candidate).rstrip("/").rsplit("/", 1)[-1]
    client.post(reverse("portal:sign_in", args=[token]), REMOTE_ADDR="10.9.0.1")
    return measure_public_page(
        result,
        client,
        reverse("portal:home"),
        warmup=warmup,
        requests=requests,
        out=out,
        subnet=9,
        expect=b"Bench Portal",
    )
