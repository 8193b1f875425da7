"""The public careers site under load: a company with 1,000 open jobs beside the big dataset.

The company (slug ``bench-careers``) is not one of the benchmark's pipeline companies: it holds
jobs with their plans and no applications, so the pages read a 1,000-job company while the tables
around it hold the whole dataset. It is created on the first run and kept by ``--reuse``.
Requests come from anonymous visitors, each with its own address, as on the public site.
"""

import datetime
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from hiring.models import Company, Job, JobStatus, RemoteOption, Stage
from interviews.models import InterviewKit
from rubrics.models import Competency, Rubric

from . import careers_apply, portal, portal_slots
from .companies import CAREERS_SLUG, COMPETENCIES, JOB_TITLES, PLAN
from .measure import Result, Target, measure_public_page

CAREERS_JOBS = 1000
TEAMS = ["Core", "Growth", "Infra", "Payments", "Data", "Security"]
LOCATIONS = ["Paris", "Berlin", "London", "Lisbon", "Remote"]
REMOTES = [RemoteOption.REMOTE, RemoteOption.HYBRID, RemoteOption.ONSITE]
DESCRIPTION = """## What you will do

You will own a part of our platform end to end: design it with the team, build it, run it, and
make it better every week. We ship small changes often and review each other's code.

## What we look for

- Several years of building and running production services
- Clear written communication
- Curiosity about how the whole system behaves, not only your part of it

## How we interview

Every step of the loop is listed below, with its format, length and AI policy.
"""


def careers_company_ensure(out) -> Company:
    """The careers company with its 1,000 published open jobs, created once."""
    company = Company.objects.filter(slug=CAREERS_SLUG).first()
    if company is not None and Job.objects.filter(company=company, is_published=True).count() == CAREERS_JOBS:
        return company
    started = time.perf_counter()
    with transaction.atomic():
        if company is not None:
            company.delete()
        company = Company.objects.create(
            name="Bench Careers", slug=CAREERS_SLUG, privacy_notice="We keep your data for six months."
        )
        rubric = Rubric.objects.create(company=company, name="Engineering rubric", locked_at=timezone.now())
        Competency.objects.bulk_create(
            [Competency(rubric=rubric, position=i, name=name) for i, name in enumerate(COMPETENCIES)]
        )
        opened = timezone.now().date() - datetime.timedelta(days=30)
        jobs = Job.objects.bulk_create(
            [
                Job(
                    company=company,
                    title=f"{JOB_TITLES[j % len(JOB_TITLES)]} engineer {j:04d}",
                    team=TEAMS[j % len(TEAMS)],
                    location=LOCATIONS[j % len(LOCATIONS)],
                    level=["Mid", "Senior", "Staff"][j % 3],
                    remote=REMOTES[j % len(REMOTES)],
                    status=JobStatus.OPEN,
                    is_published=True,
                    description=DESCRIPTION,
                    opened_on=opened,
                )
                for j in range(CAREERS_JOBS)
            ],
            batch_size=1000,
        )
        stages = Stage.objects.bulk_create(
            [
                Stage(company=company, job=job, position=i, name=name, kind=kind, sla_days=5)
                for job in jobs
                for i, (name, kind, _, _) in enumerate(PLAN)
            ],
            batch_size=2000,
        )
        formats = {name: (fmt, minutes) for name, _, fmt, minutes in PLAN}
        InterviewKit.objects.bulk_create(
            [
                InterviewKit(
                    company=company,
                    stage=stage,
                    name=stage.name,
                    format=formats[stage.name][0],
                    duration_minutes=formats[stage.name][1],
                    rubric=rubric,
                )
                for stage in stages
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        for model in (Job, Stage, InterviewKit):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')
    seconds = time.perf_counter() - started
    out.write(f"  careers company: {CAREERS_JOBS:,} published jobs in {seconds:.1f} s\n")
    return company


def run(*, warmup: int, requests: int, out) -> list[Result]:
    company = careers_company_ensure(out)
    job = Job.objects.filter(company=company).order_by("title", "id")[CAREERS_JOBS // 2]
    page_target = Target(p50_ms=30, queries=4, options=None)
    list_url = reverse("careers:jobs", args=[company.slug])
    plan = [
        ("careers_list", f"Careers list, {CAREERS_JOBS:,} open jobs, page 1", list_url, page_target),
        (
            "careers_list_filtered",
            "Careers list, search and filters",
            f"{list_url}?q=platform&team=Infra&remote=onsite",
            page_target,
        ),
        (
            "careers_job",
            "Careers job page with its loop",
            reverse("careers:job", args=[company.slug, job.pk]),
            page_target,
        ),
        (
            "careers_feed",
            f"Careers JSON feed, {CAREERS_JOBS:,} jobs",
            reverse("careers:feed", args=[company.slug]),
            Target(queries=4, options=None),
        ),
    ]
    results = []
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        for name, label, url, target in plan:
            result = Result(name=name, label=label, target=target)
            results.append(
                measure_public_page(
                    result, Client(), url, warmup=warmup, requests=requests, out=out, subnet=8
                )
            )
        results.append(
            careers_apply.measure_apply(company=company, warmup=warmup, requests=requests, out=out)
        )
        results.append(portal.measure_home(company=company, warmup=warmup, requests=requests, out=out))
        results.append(portal_slots.measure_open_slots(warmup=warmup, requests=requests, out=out))
    return results
