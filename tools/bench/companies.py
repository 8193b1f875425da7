"""The benchmark's companies: their people, rubric, template and jobs with their plans, through
the ORM (hundreds of rows); and the dataset as a whole (its size, clearing it, VACUUM ANALYZE).
"""

import datetime
import sys
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection

from hiring.models import (
    Application,
    Company,
    Job,
    JobStatus,
    Membership,
    ProcessTemplate,
    RejectionKind,
    RejectionReason,
    Role,
    Stage,
    StageKind,
)
from interviews.models import (
    InterviewKit,
    KitFormat,
)
from rubrics.models import Competency, Rubric

from .copy_rows import (
    CopyTable,
    reset_sequence,
)

SLUG_PREFIX = "bench-"
# The careers site's company (tools/bench/careers.py): jobs without a pipeline, not part of the
# dataset's size; cleared with it.
CAREERS_SLUG = "bench-careers"
SUPERUSER = "bench-root"
APPS_PER_JOB = 200
# The pipeline board is measured on one big job: the last company's first job holds up to this many
# of its applications (all of them at 1,000,000 across 50 companies). That company's candidates
# apply once each, so that one job can hold them all; every other company keeps the shape above.
BOARD_JOB_APPLICATIONS = 20_000
CANDIDATES_PER_APPLICATION = 0.8
INTERVIEWERS_PER_COMPANY = 6
DAY = datetime.timedelta(days=1)

PLAN = [
    ("Application review", StageKind.APPLICATION_REVIEW, KitFormat.ASYNC_CHAT, 30),
    ("Recruiter screen", StageKind.RECRUITER_SCREEN, KitFormat.PHONE, 30),
    ("Live coding", StageKind.TECHNICAL, KitFormat.VIDEO, 60),
    ("System design", StageKind.SYSTEM_DESIGN, KitFormat.VIDEO, 60),
    ("Onsite panel", StageKind.PANEL, KitFormat.ONSITE, 120),
    ("Offer", StageKind.OFFER, KitFormat.VIDEO, 30),
]
# Share of applications whose current stage is each stage of the plan (cumulative weights).

COMPETENCIES = ["Problem solving", "Code quality", "Communication", "Collaboration"]
JOB_TITLES = ["Backend", "Frontend", "Platform", "Data", "Mobile", "Security"]


@dataclass
class Sizes:
    applications: int
    companies: int

    def per_company(self, c: int) -> int:
        base, extra = divmod(self.applications, self.companies)
        return base + (1 if c < extra else 0)

    def jobs(self, c: int) -> int:
        return max(2, self.per_company(c) // APPS_PER_JOB)

    def candidates(self, c: int) -> int:
        n = self.per_company(c)
        if c == self.board_company:
            return max(1, n)
        return max(1, min(n, -(-int(n * CANDIDATES_PER_APPLICATION * 1000) // 1000)))

    @property
    def board_company(self) -> int:
        """The company whose first job is the board's big job (the last: the first company is the
        one the other page measures use)."""
        return self.companies - 1

    def board_job_size(self, c: int) -> int:
        """How many of company c's applications its first job holds when c is the board company."""
        return min(BOARD_JOB_APPLICATIONS, self.per_company(c)) if c == self.board_company else 0


@dataclass
class CompanySetup:
    company: Company
    admin_user_id: int
    recruiter_user_id: int
    manager_membership_id: int
    interviewer_membership_ids: list[int]
    reason_company_ids: list[int]
    reason_candidate_id: int
    competency_ids: list[int]
    job_ids: list[int] = field(default_factory=list)
    # job_stage_ids[job index][position], job_kit_ids likewise
    job_stage_ids: list[list[int]] = field(default_factory=list)
    job_kit_ids: list[list[int]] = field(default_factory=list)


def bench_companies():
    return Company.objects.filter(slug__startswith=SLUG_PREFIX).exclude(slug=CAREERS_SLUG).order_by("slug")


def dataset_size() -> tuple[int, int]:
    """(applications, companies) of the benchmark data already in the database."""
    ids = list(bench_companies().values_list("pk", flat=True))
    if not ids:
        return 0, 0
    return Application.objects.filter(company_id__in=ids).count(), len(ids)


def _table_names() -> list[str]:
    names = []
    for label in ("hiring", "rubrics", "interviews"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            names.append(model._meta.db_table)
    return names


def dataset_clear(out=sys.stdout) -> None:
    """Remove benchmark data. Only when the database holds nothing but benchmark companies, since
    removing millions of rows one company at a time would take longer than generating them."""
    others = Company.objects.exclude(slug__startswith=SLUG_PREFIX).exists()
    if others and bench_companies().exists():
        raise RuntimeError(
            "This database holds benchmark data of another size next to other companies. Run the "
            "benchmark against a database of its own (DATABASE_URL), or pass the same sizes with --reuse."
        )
    if others:
        return
    tables = ", ".join(f'"{t}"' for t in _table_names())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    get_user_model().objects.filter(username__startswith=SLUG_PREFIX).delete()
    out.write("  removed the previous benchmark data\n")


def company_setup(c: int, now) -> CompanySetup:
    User = get_user_model()
    slug = f"{SLUG_PREFIX}{c:03d}"
    company = Company.objects.create(name=f"Bench Company {c:03d}", slug=slug)
    people = [("admin", Role.COMPANY_ADMIN), ("recruiter", Role.RECRUITER), ("manager", Role.HIRING_MANAGER)]
    people += [(f"interviewer{i}", Role.INTERVIEWER) for i in range(INTERVIEWERS_PER_COMPANY)]
    users = User.objects.bulk_create(
        [
            User(
                username=f"{slug}-{name}",
                email=f"{name}@{slug}.example.com",
                first_name=name.capitalize(),
                last_name=f"Bench{c:03d}",
                is_staff=True,
                password="!",  # unusable: the benchmark logs in with force_login
            )
            for name, _ in people
        ]
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(
                user=user, company=company, role=role, display_name=f"{user.first_name} {user.last_name}"
            )
            for user, (_, role) in zip(users, people, strict=True)
        ]
    )
    reasons = RejectionReason.objects.bulk_create(
        [
            RejectionReason(company=company, name="Skills gap", kind=RejectionKind.COMPANY),
            RejectionReason(company=company, name="Not enough experience", kind=RejectionKind.COMPANY),
            RejectionReason(company=company, name="Position filled", kind=RejectionKind.COMPANY),
            RejectionReason(company=company, name="Accepted another offer", kind=RejectionKind.CANDIDATE),
        ]
    )
    rubric = Rubric.objects.create(company=company, name="Engineering rubric", locked_at=now)
    competencies = Competency.objects.bulk_create(
        [Competency(rubric=rubric, position=i, name=name) for i, name in enumerate(COMPETENCIES)]
    )
    template = ProcessTemplate.objects.create(company=company, name="Engineering loop")
    stages = Stage.objects.bulk_create(
        [
            Stage(company=company, template=template, position=i, name=name, kind=kind, sla_days=5 + i)
            for i, (name, kind, _, _) in enumerate(PLAN)
        ]
    )
    InterviewKit.objects.bulk_create(
        [
            InterviewKit(
                company=company,
                stage=stage,
                position=0,
                name=name,
                format=fmt,
                duration_minutes=minutes,
                rubric=rubric,
                window_days=None,
            )
            for stage, (name, _, fmt, minutes) in zip(stages, PLAN, strict=True)
        ]
    )
    return CompanySetup(
        company=company,
        admin_user_id=users[0].pk,
        recruiter_user_id=users[1].pk,
        manager_membership_id=memberships[2].pk,
        interviewer_membership_ids=[m.pk for m in memberships[3:]],
        reason_company_ids=[r.pk for r in reasons[:3]],
        reason_candidate_id=reasons[3].pk,
        competency_ids=[comp.pk for comp in competencies],
    )


def jobs_create(setups: list[CompanySetup], sizes: Sizes, now, out) -> None:
    """Jobs through the ORM (thousands), their plans copied from the template with COPY."""
    rubric_by_company = dict(
        Rubric.objects.filter(company__in=[s.company for s in setups]).values_list("company_id", "pk")
    )
    template_by_company = dict(
        ProcessTemplate.objects.filter(company__in=[s.company for s in setups]).values_list(
            "company_id", "pk"
        )
    )
    jobs = []
    for c, setup in enumerate(setups):
        for j in range(sizes.jobs(c)):
            jobs.append(
                Job(
                    company=setup.company,
                    title=f"{JOB_TITLES[j % len(JOB_TITLES)]} engineer {j:04d}",
                    team=["Core", "Growth", "Infra", "Payments"][j % 4],
                    location=["Remote", "Paris", "Berlin", "London"][j % 4],
                    level=["Mid", "Senior", "Staff"][j % 3],
                    hiring_manager_id=setup.manager_membership_id,
                    template_id=template_by_company[setup.company.pk],
                    status=JobStatus.OPEN if j % 5 else JobStatus.CLOSED,
                    opened_on=(now - 720 * DAY).date(),
                )
            )
    created = Job.objects.bulk_create(jobs, batch_size=2000)
    by_company: dict[int, list[int]] = {}
    for job in created:
        by_company.setdefault(job.company_id, []).append(job.pk)
    stage_table = CopyTable(
        Stage, ["id", "company_id", "job_id", "position", "name", "kind", "sla_days"], now=now
    )
    kit_table = CopyTable(
        InterviewKit,
        ["id", "company_id", "stage_id", "position", "name", "duration_minutes", "format", "rubric_id"],
        now=now,
    )
    stage_id = stage_table.next_id()
    kit_id = kit_table.next_id()
    stage_rows, kit_rows = [], []
    for setup in setups:
        setup.job_ids = by_company[setup.company.pk]
        for job_id in setup.job_ids:
            stage_ids, kit_ids = [], []
            for position, (name, kind, fmt, minutes) in enumerate(PLAN):
                stage_rows.append((stage_id, setup.company.pk, job_id, position, name, kind, 5 + position))
                kit_rows.append(
                    (
                        kit_id,
                        setup.company.pk,
                        stage_id,
                        0,
                        name,
                        minutes,
                        fmt,
                        rubric_by_company[setup.company.pk],
                    )
                )
                stage_ids.append(stage_id)
                kit_ids.append(kit_id)
                stage_id += 1
                kit_id += 1
            setup.job_stage_ids.append(stage_ids)
            setup.job_kit_ids.append(kit_ids)
    stage_table.load(stage_rows, label="job stages", out=out)
    kit_table.load(kit_rows, label="interview kits", out=out)
    reset_sequence(Stage)
    reset_sequence(InterviewKit)


def vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        for table in _table_names():
            if table.startswith(("hiring_", "interviews_", "rubrics_")):
                cursor.execute(f'VACUUM ANALYZE "{table}"')
