"""A deterministic benchmark dataset: companies with their people, jobs and a big pipeline.

Small set-up rows (companies, users, rubrics, templates) go through the ORM; the big tables
(jobs' plans, candidates, applications, stage changes, interviews, scorecards, ratings and
notifications when that model exists) are streamed with COPY. Companies are interleaved the way
real traffic is: application ids, dates and companies are mixed over the whole table.
"""

import datetime
import random
import sys
import time
from array import array
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Candidate,
    Company,
    Job,
    JobStatus,
    Membership,
    ProcessTemplate,
    RejectionKind,
    RejectionReason,
    Role,
    Source,
    Stage,
    StageChange,
    StageKind,
)
from interviews.models import (
    Interview,
    InterviewKit,
    InterviewStatus,
    KitFormat,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from rubrics.models import Competency, Rubric

from .copy_rows import (
    CopyTable,
    create_indexes,
    drop_indexes,
    reset_sequence,
    secondary_indexes,
    without_foreign_key_checks,
)

SLUG_PREFIX = "bench-"
SUPERUSER = "bench-root"
APPS_PER_JOB = 200
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
STAGE_WEIGHTS = [30, 55, 73, 85, 94, 100]
COMPETENCIES = ["Problem solving", "Code quality", "Communication", "Collaboration"]
FIRST_NAMES = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Anders",
    "Aoife",
    "Arjun",
    "Aya",
    "Bea",
    "Ben",
    "Carla",
    "Chen",
    "Chloe",
    "Dara",
    "David",
    "Elena",
    "Emeka",
    "Emma",
    "Farah",
    "Felix",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jade",
    "Jonas",
    "Joao",
    "Julia",
    "Kai",
    "Kenji",
    "Lea",
    "Leo",
    "Lina",
    "Luca",
    "Maya",
    "Mei",
    "Mila",
    "Nadia",
    "Noah",
    "Nora",
    "Omar",
    "Priya",
    "Rafael",
    "Rosa",
    "Sami",
    "Sara",
    "Sven",
    "Tariq",
    "Tess",
    "Tomas",
    "Uma",
    "Vera",
    "Wen",
    "Yara",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Abbott",
    "Adeyemi",
    "Almeida",
    "Andersen",
    "Baker",
    "Bauer",
    "Berg",
    "Brown",
    "Castro",
    "Chen",
    "Costa",
    "Dubois",
    "Dvorak",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Gupta",
    "Haddad",
    "Hansen",
    "Ito",
    "Jansen",
    "Kaur",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Martin",
    "Meyer",
    "Moreau",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Petrov",
    "Quinn",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Smith",
    "Tanaka",
    "Varga",
    "Wagner",
    "Weber",
    "Wilson",
    "Yilmaz",
    "Young",
    "Zhang",
]
SOURCES = [s.value for s in Source]
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
        return max(1, min(n, -(-int(n * CANDIDATES_PER_APPLICATION * 1000) // 1000)))


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
    return Company.objects.filter(slug__startswith=SLUG_PREFIX).order_by("slug")


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


def _setup_company(c: int, now) -> CompanySetup:
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
                take_home_window_days=None,
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


def _jobs(setups: list[CompanySetup], sizes: Sizes, now, out) -> None:
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


def _name(rng_value: int) -> str:
    first = FIRST_NAMES[rng_value % len(FIRST_NAMES)]
    last = LAST_NAMES[(rng_value // len(FIRST_NAMES)) % len(LAST_NAMES)]
    return f"{first} {last}"


def generate(*, applications: int, companies: int, seed: int = 8, out=sys.stdout) -> dict:
    """Create the dataset; returns timings and row counts per table."""
    if connection.vendor != "postgresql":
        raise RuntimeError("The benchmark generator needs PostgreSQL (it loads rows with COPY).")
    sizes = Sizes(applications=applications, companies=companies)
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    now = timezone.now().replace(microsecond=0)
    start = now - 730 * DAY
    span = (720 * DAY).total_seconds()
    started = time.perf_counter()

    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        fk_checks_off = without_foreign_key_checks(cursor)
    dataset_clear(out=out)
    try:
        with transaction.atomic():
            counts = _generate(sizes, rng, now, start, span, fk_checks_off, out)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET synchronous_commit = DEFAULT")

    seconds = time.perf_counter() - started
    out.write(f"  generated in {seconds:.1f} s; VACUUM ANALYZE...\n")
    out.flush()
    vacuum_started = time.perf_counter()
    vacuum_analyze()
    vacuum = time.perf_counter() - vacuum_started
    out.write(f"  VACUUM ANALYZE in {vacuum:.1f} s\n")
    return {"rows": counts, "generate_seconds": round(seconds, 1), "vacuum_seconds": round(vacuum, 1)}


BIG_MODELS = (Candidate, Application, StageChange, Interview, Scorecard, Rating)


def _generate(sizes: Sizes, rng, now, start, span, fk_checks_off: bool, out) -> dict[str, int]:
    applications, companies = sizes.applications, sizes.companies
    counts: dict[str, int] = {}
    User = get_user_model()
    if not User.objects.filter(username=SUPERUSER).exists():
        User.objects.create(username=SUPERUSER, is_staff=True, is_superuser=True, password="!")
    setups = [_setup_company(c, now) for c in range(companies)]
    out.write(f"  {companies} companies with their people, rubric and template\n")
    _jobs(setups, sizes, now, out)
    counts["jobs"] = sum(len(s.job_ids) for s in setups)
    if not fk_checks_off:
        out.write("  (not a superuser: foreign keys are checked row by row, which is slower)\n")
    big = list(BIG_MODELS)
    outbox = notification_model()
    if outbox is not None:
        big.append(outbox)
    dropped = [index for model in big for index in secondary_indexes(model)]
    drop_indexes(dropped)

    # Applications are decided once, in memory, as compact arrays; every later table reads them.
    n = applications
    app_company = array("l", bytes(8 * n)) if n else array("l")
    app_stage = array("b", bytes(n))
    app_status = array("b", bytes(n))
    app_applied = array("d", bytes(8 * n))
    app_entered = array("d", bytes(8 * n))
    statuses = [
        ApplicationStatus.ACTIVE,
        ApplicationStatus.ON_HOLD,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.HIRED,
    ]
    t0 = start.timestamp()
    now_ts = now.timestamp()
    for g in range(n):
        app_company[g] = g % companies
        roll = rng.randrange(100)
        s = next(i for i, w in enumerate(STAGE_WEIGHTS) if roll < w)
        app_stage[g] = s
        roll = rng.randrange(100)
        if s == len(PLAN) - 1 and roll < 40:
            status = 4
        elif roll < 55:
            status = 0
        elif roll < 60:
            status = 1
        elif roll < 95:
            status = 2
        else:
            status = 3
        app_status[g] = status
        applied = t0 + span * g / max(n, 1) + rng.random() * 2 * 86400
        app_applied[g] = applied
        app_entered[g] = min(applied + s * (2 + rng.random() * 4) * 86400, now_ts - 3600)

    def ts(value: float) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(value, tz=datetime.UTC)

    # Candidates: the j-th application of a company creates candidate j when j < candidates(c),
    # otherwise it is the second application of candidate j - candidates(c) (to another job).
    cand_table = CopyTable(
        Candidate, ["id", "company_id", "name", "email", "phone", "location", "source", "created_at"], now=now
    )
    cand_base = cand_table.next_id()
    ncand = [sizes.candidates(c) for c in range(companies)]
    cand_ids = [array("q", bytes(8 * ncand[c])) for c in range(companies)]

    def candidate_rows():
        next_id = cand_base
        for g in range(n):
            c = g % companies
            j = g // companies
            if j < ncand[c]:
                cand_ids[c][j] = next_id
                number = j * companies + c
                yield (
                    next_id,
                    setups[c].company.pk,
                    _name(number * 7919),
                    f"candidate{number}@{SLUG_PREFIX}{c:03d}.example.com",
                    f"+33 6 {number % 100000000:08d}",
                    ["Remote", "Paris", "Berlin", "London", "Lisbon"][number % 5],
                    SOURCES[number % len(SOURCES)],
                    ts(app_applied[g]),
                )
                next_id += 1

    counts["candidates"] = cand_table.load(candidate_rows(), label="candidates", expected=sum(ncand), out=out)

    app_table = CopyTable(
        Application,
        [
            "id",
            "company_id",
            "candidate_id",
            "job_id",
            "stage_id",
            "status",
            "source",
            "rejection_reason_id",
            "applied_at",
            "stage_entered_at",
            "decided_at",
            "hired_at",
        ],
        now=now,
    )
    app_base = app_table.next_id()

    def app_job(g: int) -> tuple[int, int]:
        """(candidate local index, job index) of application g."""
        c = g % companies
        j = g // companies
        second = j >= ncand[c]
        k = j - ncand[c] if second else j
        return k, (k * 31 + int(second)) % len(setups[c].job_ids)

    def application_rows():
        for g in range(n):
            c = g % companies
            setup = setups[c]
            k, job = app_job(g)
            s = app_stage[g]
            status = app_status[g]
            entered = ts(app_entered[g])
            decided = entered + DAY if status in (2, 3, 4) else None
            reason = None
            if status == 2:
                reason = setup.reason_company_ids[g % 3]
            elif status == 3:
                reason = setup.reason_candidate_id
            yield (
                app_base + g,
                setup.company.pk,
                cand_ids[c][k],
                setup.job_ids[job],
                setup.job_stage_ids[job][s],
                statuses[status],
                SOURCES[g % len(SOURCES)],
                reason,
                ts(app_applied[g]),
                entered,
                decided,
                decided if status == 4 else None,
            )

    counts["applications"] = app_table.load(application_rows(), label="applications", expected=n, out=out)

    change_table = CopyTable(
        StageChange,
        [
            "company_id",
            "application_id",
            "from_stage_id",
            "to_stage_id",
            "from_status",
            "to_status",
            "actor_id",
            "note",
            "created_at",
        ],
        now=now,
    )

    def change_rows():
        for g in range(n):
            c = g % companies
            setup = setups[c]
            _, job = app_job(g)
            plan = setup.job_stage_ids[job]
            s = app_stage[g]
            status = statuses[app_status[g]]
            applied = app_applied[g]
            step = (app_entered[g] - applied) / s if s else 86400.0
            actor = setup.recruiter_user_id
            rows = [(None, plan[0], "", "active", None, "", applied)]
            for i in range(1, s + 1):
                rows.append((plan[i - 1], plan[i], "active", "active", actor, "", applied + step * i))
            if status != "active":
                rows.append((plan[s], plan[s], "active", status, actor, "", app_entered[g] + 3600))
            if len(rows) > 4:
                rows = rows[:1] + rows[-3:]
            if len(rows) < 2:
                rows.append((plan[0], plan[0], "active", "active", actor, "Screened the CV", applied + 3600))
            app_id = app_base + g
            company_id = setup.company.pk
            for from_stage, to_stage, from_status, to_status, actor_id, note, at in rows:
                yield (
                    company_id,
                    app_id,
                    from_stage,
                    to_stage,
                    from_status,
                    to_status,
                    actor_id,
                    note,
                    ts(at),
                )

    counts["stage_changes"] = change_table.load(change_rows(), label="stage changes", expected=3 * n, out=out)

    # Interviews: applications past the screen have one or two, on the stages they went through.
    interview_table = CopyTable(
        Interview,
        ["id", "company_id", "application_id", "kit_id", "starts_at", "ends_at", "status", "created_at"],
        now=now,
    )
    interview_base = interview_table.next_id()
    # (interview id, application index, kit position, start)
    interview_plan: list[tuple[int, int, int, float]] = []

    def interview_rows():
        next_id = interview_base
        for g in range(n):
            s = app_stage[g]
            if s < 2:
                continue
            c = g % companies
            setup = setups[c]
            _, job = app_job(g)
            for position in range(s - 1, s + 1) if g % 2 else (s,):
                begins = min(app_entered[g] - 86400 + (position - s + 1) * 7200, now_ts - 86400)
                begins = begins - begins % 1800
                minutes = PLAN[position][3]
                state = InterviewStatus.COMPLETED if g % 17 else InterviewStatus.SCHEDULED
                if state == InterviewStatus.SCHEDULED:
                    begins = now_ts + (g % 14 + 1) * 86400 - (now_ts % 1800)
                interview_plan.append((next_id, g, position, begins))
                yield (
                    next_id,
                    setup.company.pk,
                    app_base + g,
                    setup.job_kit_ids[job][position],
                    ts(begins),
                    ts(begins + minutes * 60),
                    state,
                    ts(begins - 3 * 86400),
                )
                next_id += 1

    counts["interviews"] = interview_table.load(interview_rows(), label="interviews", expected=n, out=out)

    scorecard_table = CopyTable(
        Scorecard,
        [
            "id",
            "company_id",
            "interview_id",
            "interviewer_id",
            "status",
            "recommendation",
            "summary",
            "submitted_at",
            "interview_starts_at",
        ],
        now=now,
    )
    scorecard_base = scorecard_table.next_id()
    recommendations = [r.value for r in Recommendation]

    def scorecard_rows():
        next_id = scorecard_base
        for interview_id, g, position, begins in interview_plan:
            setup = setups[g % companies]
            interviewers = setup.interviewer_membership_ids
            first = (g + position) % len(interviewers)
            submitted = g % 17 != 0
            for offset in (0, 1):
                member = interviewers[(first + offset) % len(interviewers)]
                at = ts(app_entered[g] - 43200) if submitted else None
                rec = recommendations[(g + offset + position) % 4] if submitted else ""
                yield (
                    next_id,
                    setup.company.pk,
                    interview_id,
                    member,
                    ScorecardStatus.SUBMITTED if submitted else ScorecardStatus.DRAFT,
                    rec,
                    "Solid signal on the core skills." if submitted else "",
                    at,
                    ts(begins),
                )
                next_id += 1

    counts["scorecards"] = scorecard_table.load(
        scorecard_rows(), label="scorecards", expected=2 * len(interview_plan), out=out
    )

    rating_table = CopyTable(
        Rating, ["scorecard_id", "competency_id", "score", "scale_min", "scale_max", "evidence"], now=now
    )

    def rating_rows():
        scorecard_id = scorecard_base
        for _, g, position, _ in interview_plan:
            setup = setups[g % companies]
            submitted = g % 17 != 0
            for offset in (0, 1):
                if submitted:
                    for i, competency in enumerate(setup.competency_ids):
                        score = 1 + (g * 7 + i * 3 + offset + position) % 5
                        yield (scorecard_id, competency, score, 1, 5, "Walked through the trade-offs.")
                scorecard_id += 1

    counts["ratings"] = rating_table.load(
        rating_rows(), label="ratings", expected=8 * len(interview_plan), out=out
    )

    notification_rows = _notifications(n, companies, setups, app_base, app_applied, now, out)
    if notification_rows is not None:
        counts["notifications"] = notification_rows

    for model in (Candidate, Application, Interview, Scorecard, StageChange, Rating):
        reset_sequence(model)
    index_started = time.perf_counter()
    create_indexes(dropped)
    out.write(f"  {len(dropped)} indexes rebuilt in {time.perf_counter() - index_started:.1f} s\n")
    return counts


def notification_model():
    """The notification outbox model, when this version of Hireloop has one."""
    for model in apps.get_app_config("interviews").get_models():
        if model.__name__ == "Notification":
            return model
    return None


def _notifications(n, companies, setups, app_base, app_applied, now, out) -> int | None:
    """One or two sent notifications per application, to the candidate, if the outbox exists."""
    model = notification_model()
    if model is None:
        out.write("  notifications: not available (no outbox model in this version)\n")
        return None
    names = {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields}
    wanted = [
        "company_id",
        "application_id",
        "event",
        "recipient",
        "recipient_name",
        "subject",
        "body",
        "status",
        "attempts",
        "sent_at",
        "created_at",
        "updated_at",
        "idempotency_key",
    ]
    fields = [name for name in wanted if name in names]
    table = CopyTable(model, fields, now=now)
    events = _choices(model, "event") or ["application_received", "stage_moved"]
    statuses = _choices(model, "status") or ["sent"]
    sent = "sent" if "sent" in statuses else statuses[0]

    def rows():
        for g in range(n):
            setup = setups[g % companies]
            count = 1 + g % 2
            for i in range(count):
                at = datetime.datetime.fromtimestamp(app_applied[g] + i * 86400, tz=datetime.UTC)
                event = events[i % len(events)]
                values = {
                    "company_id": setup.company.pk,
                    "application_id": app_base + g,
                    "event": event,
                    "recipient": f"candidate{g}@{SLUG_PREFIX}example.com",
                    "recipient_name": "Candidate",
                    "subject": "Your application",
                    "body": "Thank you for applying.",
                    "status": sent,
                    "attempts": 1,
                    "sent_at": at,
                    "created_at": at,
                    "updated_at": at,
                    "idempotency_key": f"bench:{event}:{app_base + g}:{i}",
                }
                yield tuple(values[name] for name in fields)

    written = table.load(rows(), label="notifications", expected=int(1.5 * n), out=out)
    reset_sequence(model)
    return written


def _choices(model, name) -> list[str]:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return []
    return [value for value, _ in (field.choices or [])]


def vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        for table in _table_names():
            if table.startswith(("hiring_", "interviews_", "rubrics_")):
                cursor.execute(f'VACUUM ANALYZE "{table}"')
