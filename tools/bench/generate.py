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

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Candidate,
    ResumeText,
    Source,
    StageChange,
)
from interviews.models import (
    Interview,
    InterviewStatus,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)

from .companies import (
    DAY,
    PLAN,
    SLUG_PREFIX,
    SUPERUSER,
    Sizes,
    company_setup,
    dataset_clear,
    jobs_create,
    vacuum_analyze,
)
from .copy_rows import (
    CopyTable,
    create_indexes,
    drop_indexes,
    reset_sequence,
    secondary_indexes,
    without_foreign_key_checks,
)
from .notifications import notification_model, notifications_load
from .search_data import surname, tags_and_resumes_load

# Share of applications whose current stage is each stage of the plan (cumulative weights).
STAGE_WEIGHTS = [30, 55, 73, 85, 94, 100]
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


def _name(rng_value: int) -> str:
    first = FIRST_NAMES[rng_value % len(FIRST_NAMES)]
    return f"{first} {surname(rng_value // len(FIRST_NAMES), LAST_NAMES)}"


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


BIG_MODELS = (
    Candidate,
    Application,
    StageChange,
    Interview,
    Scorecard,
    Rating,
    ResumeText,
    Candidate.tags.through,
)


def _generate(sizes: Sizes, rng, now, start, span, fk_checks_off: bool, out) -> dict[str, int]:
    applications, companies = sizes.applications, sizes.companies
    counts: dict[str, int] = {}
    User = get_user_model()
    if not User.objects.filter(username=SUPERUSER).exists():
        User.objects.create(username=SUPERUSER, is_staff=True, is_superuser=True, password="!")
    setups = [company_setup(c, now) for c in range(companies)]
    out.write(f"  {companies} companies with their people, rubric and template\n")
    jobs_create(setups, sizes, now, out)
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
    counts.update(tags_and_resumes_load(setups, cand_ids, now, out))

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

    big = [sizes.board_job_size(c) for c in range(companies)]

    def app_job(g: int) -> tuple[int, int]:
        """(candidate local index, job index) of application g."""
        c = g % companies
        j = g // companies
        second = j >= ncand[c]
        k = j - ncand[c] if second else j
        if big[c]:
            # The board's big job: `big` of the company's candidates, spread evenly over its
            # applications (and so over its dates), apply to job 0; the others to the other jobs.
            if (k + 1) * big[c] // ncand[c] != k * big[c] // ncand[c]:
                return k, 0
            return k, 1 + (k * 31 + int(second)) % (len(setups[c].job_ids) - 1)
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

    notification_rows = notifications_load(n, companies, setups, app_base, app_applied, now, out)
    if notification_rows is not None:
        counts["notifications"] = notification_rows

    for model in (Candidate, Application, Interview, Scorecard, StageChange, Rating, Candidate.tags.through):
        reset_sequence(model)
    index_started = time.perf_counter()
    create_indexes(dropped)
    out.write(f"  {len(dropped)} indexes rebuilt in {time.perf_counter() - index_started:.1f} s\n")
    return counts
