"""Generated pipeline volume for a demo company: candidates, applications with their stage
histories over the last 90 days, interviews and scorecards consistent with each outcome.

Everything is drawn from one seeded random generator, so a load is reproducible for a given day.
Rows are written with bulk_create, a few statements per table.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.text import slugify
from faker import Faker

from hiring.models import (
    Application,
    ApplicationStatus,
    ApplicationTrack,
    Candidate,
    Membership,
    RejectionKind,
    Role,
    Source,
    Stage,
    StageChange,
    StageKind,
    Track,
)
from hiring.tagging import tags_add_by_name
from interviews.models import (
    Decision,
    Interview,
    InterviewKit,
    Rating,
    Scorecard,
)
from rubrics.hire_bar import Clause
from rubrics.models import Competency, RedFlag, Rubric
from rubrics.verdicts import clause_of

from .evaluations import EvaluationsMixin
from .loader import LoadedCompany
from .people import SOURCES, TAGS

HISTORY_DAYS = 90

# Share of applications that pass each kind of stage.
PASS_RATE = {
    StageKind.APPLICATION_REVIEW: 0.4,
    StageKind.RECRUITER_SCREEN: 0.6,
    StageKind.TECHNICAL: 0.55,
    StageKind.SYSTEM_DESIGN: 0.6,
    StageKind.BEHAVIORAL: 0.7,
    StageKind.TAKE_HOME: 0.6,
    StageKind.FOUNDER: 0.8,
    StageKind.PANEL: 0.55,
    StageKind.REFERENCE_CHECK: 0.95,
    StageKind.OTHER: 0.7,
}


@dataclass
class PlanStage:
    stage: Stage
    kits: list[InterviewKit]
    tracks: list[tuple[Track, list[InterviewKit]]]


@dataclass
class RubricInfo:
    rubric: Rubric
    competencies: list[Competency]
    red_flags: list[RedFlag]
    clauses: list[Clause]


@dataclass
class Rows:
    candidates: list = field(default_factory=list)
    applications: list = field(default_factory=list)
    tracks: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    interviews: list = field(default_factory=list)
    scorecards: list = field(default_factory=list)
    ratings: list = field(default_factory=list)
    flags: list = field(default_factory=list)  # (scorecard, red flag)
    decisions: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)


class PipelineGenerator(EvaluationsMixin):
    """Generates the pipeline of one company. `focus` is the interviewer whose "My interviews"
    must show upcoming interviews and scorecards still to write."""

    def __init__(self, loaded: LoadedCompany, *, now: datetime, seed: int, focus: Membership | None = None):
        self.loaded = loaded
        self.company = loaded.company
        self.now = now
        self.rng = random.Random(f"{seed}:{loaded.company.slug}")  # noqa: S311 (demo data, not secrets)
        self.fakers = [Faker(locale) for locale in loaded.data.locales]
        for i, faker in enumerate(self.fakers):
            faker.seed_instance(seed + i)
        self.rows = Rows()
        self.focus = focus
        self.focus_upcoming = 3 if focus else 0
        self.focus_owed = 2 if focus else 0
        self.bias = {}
        from .people import PEOPLE

        bias_by_username = {p.username: p.bias for p in PEOPLE}
        for username, member in loaded.members.items():
            self.bias[member.pk] = bias_by_username.get(username, 0.0)
        self.recruiters = loaded.members_with(Role.RECRUITER) or loaded.members_with(Role.COMPANY_ADMIN)
        self.interviewers = loaded.members_with(Role.INTERVIEWER, Role.HIRING_MANAGER)
        self.reject_reasons = [r for r in loaded.reasons if r.kind == RejectionKind.COMPANY]
        self.withdraw_reasons = [r for r in loaded.reasons if r.kind == RejectionKind.CANDIDATE]
        self.emails = set()
        self.hires = Counter()
        self.filled_reason = next(r for r in self.reject_reasons if r.name.startswith("Position filled"))
        self.rubrics = self._rubric_info()

    # --- reference data -------------------------------------------------------------------

    def _rubric_info(self) -> dict[int, RubricInfo]:
        rubrics = Rubric.objects.filter(company=self.company).prefetch_related(
            "competencies", "red_flags", "hire_bar"
        )
        return {
            r.pk: RubricInfo(
                r,
                list(r.competencies.all()),
                list(r.red_flags.all()),
                [clause_of(c) for c in r.hire_bar.all()],
            )
            for r in rubrics
        }

    def _plan(self, job) -> list[PlanStage]:
        stages = list(job.stages.order_by("position", "id").prefetch_related("kits", "tracks"))
        plan = []
        for stage in stages:
            kits = sorted(stage.kits.all(), key=lambda k: (k.position, k.pk))
            tracks = sorted(stage.tracks.all(), key=lambda t: (t.position, t.pk))
            plan.append(
                PlanStage(
                    stage,
                    [k for k in kits if k.track_id is None],
                    [(t, [k for k in kits if k.track_id == t.pk]) for t in tracks],
                )
            )
        return plan

    # --- people ---------------------------------------------------------------------------

    def _candidate(self, applied_at: datetime, source: str) -> Candidate:
        faker = self.rng.choice(self.fakers)
        first, last = faker.first_name(), faker.last_name()
        base = f"{slugify(first)}.{slugify(last)}".strip(".") or "candidate"
        email = f"{base}@example.com"
        n = 2
        while email in self.emails:
            email = f"{base}{n}@example.com"
            n += 1
        self.emails.add(email)
        handle = base.replace(".", "-")
        candidate = Candidate(
            company=self.company,
            name=f"{first} {last}",
            email=email,
            phone=faker.phone_number()[:50],
            location=self.rng.choice(self.loaded.data.locations),
            linkedin_url=f"https://www.linkedin.com/in/{handle}" if self.rng.random() < 0.8 else "",
            github_url=f"https://github.com/{handle}" if self.rng.random() < 0.5 else "",
            source=source,
            consent_on=applied_at.date(),
            retain_until=(applied_at + timedelta(days=365)).date(),
        )
        candidate._demo_created_at = applied_at
        candidate._demo_tags = self.rng.sample(TAGS, self.rng.randint(0, 3))
        self.rows.candidates.append(candidate)
        return candidate

    def _source(self) -> str:
        names, weights = zip(*SOURCES, strict=True)
        return self.rng.choices(names, weights)[0]

    def _panel(self, kit: InterviewKit, job) -> list[Membership]:
        """Who interviews for a kit: recruiters screen, the hiring manager meets founders' stages,
        interviewers do the rest (two of them for some sessions)."""
        rubric_name = self.rubrics[kit.rubric_id].rubric.name
        if rubric_name == "Recruiter screen":
            return [self.rng.choice(self.recruiters)]
        pool = list(self.interviewers)
        if self.focus is not None and self.focus in pool:
            pool.append(self.focus)  # the demo interviewer is busier than most
        first = self.rng.choice(pool)
        if self.rng.random() < 0.3:
            second = self.rng.choice([m for m in self.interviewers if m.pk != first.pk])
            return [first, second]
        return [first]

    # --- time -----------------------------------------------------------------------------

    def _work_hour(self, moment: datetime) -> datetime:
        return moment.replace(
            hour=self.rng.randint(8, 16), minute=self.rng.choice((0, 30)), second=0, microsecond=0
        )

    # --- applications ---------------------------------------------------------------------

    def generate(self) -> Rows:
        used_candidates: list[Candidate] = []
        for job, job_data in self.loaded.jobs:
            plan = self._plan(job)
            window = min(job_data.opened_days_ago, HISTORY_DAYS)
            for _ in range(job_data.applications):
                # More recent applications than old ones: the pipeline is alive.
                applied_at = self.now - timedelta(days=0.1 + (window - 0.1) * self.rng.random() ** 1.5)
                source = self._source()
                # A few people apply to more than one job of the same company.
                reuse = [c for c in used_candidates[-200:] if job.pk not in c._demo_jobs]
                if reuse and self.rng.random() < 0.04:
                    candidate = self.rng.choice(reuse)
                else:
                    candidate = self._candidate(applied_at, source)
                    candidate._demo_jobs = set()
                    used_candidates.append(candidate)
                candidate._demo_jobs.add(job.pk)
                self._application(job, plan, candidate, applied_at, source)
        return self.rows

    def _actor(self, job, stage: Stage):
        if stage.kind in (StageKind.APPLICATION_REVIEW, StageKind.RECRUITER_SCREEN):
            return self.rng.choice(self.recruiters).user_id
        return job.hiring_manager.user_id if job.hiring_manager_id else None

    def _application(self, job, plan: list[PlanStage], candidate, applied_at, source) -> None:
        rng = self.rng
        app = Application(
            company=self.company,
            candidate=candidate,
            job=job,
            stage=plan[0].stage,
            source=source,
            applied_at=applied_at,
            stage_entered_at=applied_at,
        )
        self.rows.applications.append(app)
        self._change(
            app,
            None,
            plan[0].stage,
            "",
            ApplicationStatus.ACTIVE,
            applied_at,
            None,
            note=f"Applied via {Source(source).label}.",
        )
        # The candidate's underlying strength shapes the scores of the stages still open.
        strength = min(4.6, max(1.6, rng.gauss(3.2, 0.7)))
        entered = applied_at
        for index, ps in enumerate(plan):
            stage = ps.stage
            app.stage = stage
            app.stage_entered_at = entered
            kits = ps.kits
            if ps.tracks:
                track, kits = rng.choices(ps.tracks, weights=(5, 3, 2)[: len(ps.tracks)])[0]
                self.rows.tracks.append(ApplicationTrack(application=app, stage=stage, track=track))
            duration = timedelta(days=stage.sla_days * rng.uniform(0.3, 1.6))
            ends = entered + duration
            if ends > self.now:
                self._current(job, app, stage, kits, entered, strength)
                return
            if stage.kind == StageKind.OFFER:
                if self.hires[job.pk] >= job.headcount:
                    self._close(app, ApplicationStatus.REJECTED, ends, job, stage, reason=self.filled_reason)
                elif rng.random() < 0.8:
                    self.hires[job.pk] += 1
                    self._close(app, ApplicationStatus.HIRED, ends, job, stage)
                else:
                    self._close(
                        app,
                        ApplicationStatus.WITHDRAWN,
                        ends,
                        job,
                        stage,
                        reason=rng.choice(self.withdraw_reasons[:2]),
                    )
                return
            passed = rng.random() < PASS_RATE.get(stage.kind, 0.7)
            withdrew = not passed and rng.random() < 0.18
            if not withdrew:
                scorecards = self._interviews(job, app, kits, entered, ends, base=3.85 if passed else 2.1)
                self._decide(job, app, stage, scorecards, advance=passed, at=ends)
            if passed:
                nxt = plan[index + 1].stage
                self._change(
                    app,
                    stage,
                    nxt,
                    ApplicationStatus.ACTIVE,
                    ApplicationStatus.ACTIVE,
                    ends,
                    self._actor(job, stage),
                )
                entered = ends
                continue
            if withdrew:
                self._close(
                    app,
                    ApplicationStatus.WITHDRAWN,
                    ends,
                    job,
                    stage,
                    reason=rng.choice(self.withdraw_reasons),
                )
            else:
                self._close(
                    app, ApplicationStatus.REJECTED, ends, job, stage, reason=rng.choice(self.reject_reasons)
                )
            return

    def _change(self, app, from_stage, to_stage, from_status, to_status, at, actor_id, note=""):
        self.rows.changes.append(
            StageChange(
                company=self.company,
                application=app,
                from_stage=from_stage,
                to_stage=to_stage,
                from_status=from_status,
                to_status=to_status,
                actor_id=actor_id,
                note=note,
                created_at=at,
            )
        )

    def _close(self, app, status, at, job, stage, reason=None) -> None:
        app.status = status
        app.decided_at = at
        note = ""
        if status == ApplicationStatus.HIRED:
            app.hired_at = at
            note = "Offer accepted."
        else:
            app.rejection_reason = reason
            note = reason.name
            app.rejection_note = note
        self.rows.statuses[status] += 1
        self._change(app, stage, stage, ApplicationStatus.ACTIVE, status, at, self._actor(job, stage), note)

    def _current(self, job, app, stage, kits, entered, strength) -> None:
        """The application is still in this stage: on hold, waiting for an interview, or waiting for
        scorecards and a decision."""
        rng = self.rng
        if rng.random() < 0.07:
            app.status = ApplicationStatus.ON_HOLD
            at = entered + (self.now - entered) * rng.uniform(0.2, 0.8)
            self._change(
                app,
                stage,
                stage,
                ApplicationStatus.ACTIVE,
                ApplicationStatus.ON_HOLD,
                at,
                self._actor(job, stage),
                "Candidate asked to pause for a few weeks.",
            )
            self.rows.statuses[ApplicationStatus.ON_HOLD] += 1
            return
        self.rows.statuses[ApplicationStatus.ACTIVE] += 1
        if not kits:
            return
        elapsed = self.now - entered
        wants_upcoming = self.focus_upcoming > 0 and stage.kind != StageKind.RECRUITER_SCREEN
        if elapsed < timedelta(days=stage.sla_days) * 0.4 or wants_upcoming and rng.random() < 0.5:
            start = self._work_hour(self.now + timedelta(days=rng.uniform(0.6, 6)))
            if start <= self.now:
                start += timedelta(days=1)
            self._schedule(job, app, kits, start, upcoming=True)
        else:
            start = self._work_hour(entered + elapsed * rng.uniform(0.2, 0.5))
            if start + timedelta(hours=9) >= self.now:
                start -= timedelta(days=1)
            self._schedule(job, app, kits, start, upcoming=False, base=strength)

    # --- interviews and scorecards --------------------------------------------------------


def pipeline_write(rows: Rows) -> dict[str, int]:
    """Write generated rows in dependency order; returns the number of rows per kind."""
    Candidate.objects.bulk_create(rows.candidates, batch_size=500)
    # Inserting stamps "now" on auto_now_add fields; a candidate really arrived with their application.
    for candidate in rows.candidates:
        candidate.created_at = candidate._history_date = candidate._demo_created_at
    Candidate.objects.bulk_update(rows.candidates, ["created_at"], batch_size=500)
    tagged: dict[int, dict[int, list[str]]] = defaultdict(dict)
    for candidate in rows.candidates:
        if candidate._demo_tags:
            tagged[candidate.company_id][candidate.pk] = candidate._demo_tags
    for company_id, names_by_candidate in tagged.items():
        tags_add_by_name(company_id=company_id, names_by_candidate=names_by_candidate)
    Application.objects.bulk_create(rows.applications, batch_size=500)
    # The change history starts when each record entered the system.
    Candidate.history.bulk_history_create(rows.candidates, batch_size=500)
    for app in rows.applications:
        app._history_date = app.applied_at
    Application.history.bulk_history_create(rows.applications, batch_size=500)
    ApplicationTrack.objects.bulk_create(rows.tracks, batch_size=500)
    StageChange.objects.bulk_create(rows.changes, batch_size=500)
    Interview.objects.bulk_create(rows.interviews, batch_size=500)
    Scorecard.objects.bulk_create(rows.scorecards, batch_size=500)
    Rating.objects.bulk_create(rows.ratings, batch_size=1000)
    Decision.objects.bulk_create(rows.decisions, batch_size=500)
    for decision in rows.decisions:
        decision.decided_at = decision._demo_decided_at
    Decision.objects.bulk_update(rows.decisions, ["decided_at"], batch_size=500)
    Through = Scorecard.red_flags.through
    Through.objects.bulk_create(
        [Through(scorecard_id=sc.pk, redflag_id=flag.pk) for sc, flag in rows.flags], batch_size=500
    )
    # Scores now refer to these rubrics: lock them so that their meaning cannot change.
    used = {r.competency.rubric_id for r in rows.ratings}
    if rows.ratings:
        Rubric.objects.filter(pk__in=used, locked_at__isnull=True).update(
            locked_at=max(sc.submitted_at for sc in rows.scorecards if sc.submitted_at)
        )
    counts = defaultdict(int)
    counts.update(
        candidates=len(rows.candidates),
        applications=len(rows.applications),
        stage_changes=len(rows.changes),
        interviews=len(rows.interviews),
        scorecards=len(rows.scorecards),
        ratings=len(rows.ratings),
        decisions=len(rows.decisions),
    )
    return dict(counts)
