"""The candidate portal's home under load: a candidate with 3 applications and 6 interviews in the
careers company (``bench-careers``), beside the big dataset, signed in through a real link.

The candidate (PORTAL_EMAIL) and their rows are made on the first run and kept by ``--reuse``;
they are not part of the dataset's counts (tests/test_bench.py leaves them out).
"""

import datetime
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.portal.services import portal_link_create
from hiring.models import Application, ApplicationStatus, Candidate, Company, Job, Source, Stage, StageChange
from interviews.models import Interview, InterviewKit, InterviewStatus

from .measure import Result, Target, measured, sql_ms

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
    url = result.url = reverse("portal:home")
    times, sql_times, counts = [], [], set()
    for i in range(warmup + requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=f"10.9.{i // 250}.{i % 250 + 1}")
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200 or b"Bench Portal" not in response.content:
            result.status = f"HTTP {response.status_code}"
            out.write(f"  {result.label}: {result.status} at {url}\n")
            return result
        if i >= warmup:
            times.append(elapsed)
            sql_times.append(sql_ms(queries.captured_queries))
            counts.add(len(queries.captured_queries))
    result.queries = max(counts)
    result.extra["queries_constant"] = len(counts) == 1
    return measured(result, times, sql_times, out)
