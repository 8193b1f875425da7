"""Generated pipeline volume for a demo company: candidates, applications with their stage
histories over the last 90 days, interviews and scorecards consistent with each outcome.

Everything is drawn from one seeded random generator, so a load is reproducible for a given day.
Rows are written with bulk_create, a few statements per table.
"""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

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
from interviews.models import (
    Decision,
    DecisionOutcome,
    Interview,
    InterviewKit,
    InterviewStatus,
    KitFormat,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from rubrics.hire_bar import Clause, CompetencyScore, evaluate_hire_bar
from rubrics.models import ClauseKind, Competency, RedFlag, Rubric

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

TIMEZONES = {"larkspur": "Europe/Paris", "brightwave": "America/Los_Angeles", "quillmate": "America/New_York"}

EVIDENCE = {
    1: (
        "Could not give an example of {c}; answers stayed hypothetical even after two prompts.",
        "The example offered on {c} contradicted itself and had no outcome.",
    ),
    2: (
        "One thin example of {c}; no numbers and their own part was unclear.",
        "Needed heavy prompting on {c}; the story stopped at the plan, not the result.",
    ),
    3: (
        "A sound example of {c} with one concrete number; trade-offs named when asked.",
        "Handled {c} adequately: a clear situation and actions, results only roughly measured.",
    ),
    4: (
        "Strong, specific evidence on {c}: described the options, chose with reasons, showed the result.",
        "Convincing on {c}: owned the work end to end and quoted before/after figures unprompted.",
    ),
    5: (
        "Exceptional on {c}: led the work across teams and left a mechanism others still use.",
        "Best answer I have heard on {c} this quarter; depth held under every follow-up.",
    ),
}

ADVANCE_AGAINST_BAR = (
    "One severe session pulled the average down; the rest of the panel saw clear strengths. "
    "Advancing to test the weak area again in the next stage.",
    "Below the bar on paper, but the evidence on the critical competency was strong. Worth one more round.",
)
REJECT_DESPITE_BAR = (
    "Meets the bar, but another candidate is further along for the only open seat.",
    "Scores pass, yet the summaries agree on a concern the rubric does not capture: ownership of past work.",
)

SUMMARIES = {
    Recommendation.STRONG_YES: "Clear hire for this stage. Evidence was consistent across competencies.",
    Recommendation.YES: "Above the bar overall, with one area to probe in the next stage.",
    Recommendation.NO: "Below the bar: the examples lacked depth where it matters for this role.",
    Recommendation.STRONG_NO: "Well below the bar on the critical competencies.",
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


class PipelineGenerator:
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
                [Clause(c.kind, c.score, c.count) for c in r.hire_bar.all()],
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
            tags=", ".join(self.rng.sample(TAGS, self.rng.randint(0, 3))),
            consent_on=applied_at.date(),
            retain_until=(applied_at + timedelta(days=365)).date(),
        )
        candidate._demo_created_at = applied_at
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

    def _interviews(self, job, app, kits, entered, ends, base: float) -> list[Scorecard]:
        if not kits:
            return []
        start = self._work_hour(entered + (ends - entered) * self.rng.uniform(0.3, 0.6))
        # Every session ends before the decision that follows it.
        total = sum(k.duration_minutes if k.format != KitFormat.TAKE_HOME else 60 for k in kits)
        latest = ends - timedelta(minutes=total + 15 * len(kits) + 60)
        start = max(entered, min(start, latest))
        return self._schedule(job, app, kits, start, upcoming=False, base=base, decided=True)

    def _schedule(self, job, app, kits, start, *, upcoming, base=3.0, decided=False) -> list[Scorecard]:
        rng = self.rng
        scorecards = []
        tz = TIMEZONES.get(self.company.slug, "UTC")
        for kit in kits:
            minutes = kit.duration_minutes if kit.format != KitFormat.TAKE_HOME else 60
            ends = start + timedelta(minutes=minutes)
            interview = Interview(
                company=self.company,
                application=app,
                kit=kit,
                starts_at=start,
                ends_at=ends,
                timezone=tz,
                location="Office, 3rd floor" if kit.format == KitFormat.ONSITE else "",
                video_url=f"https://meet.example.com/{self.company.slug}-{len(self.rows.interviews) + 1}"
                if kit.format == KitFormat.VIDEO
                else "",
                status=InterviewStatus.SCHEDULED if upcoming else InterviewStatus.COMPLETED,
            )
            self.rows.interviews.append(interview)
            panel = self._panel(kit, job)
            if upcoming and self.focus_upcoming > 0 and self.focus not in panel:
                if self.rubrics[kit.rubric_id].rubric.name != "Recruiter screen":
                    panel[0] = self.focus
            if upcoming and self.focus in panel:
                self.focus_upcoming -= 1
            for member in panel:
                if upcoming:
                    self._scorecard(interview, member, draft=True)
                    continue
                owed = not decided and (rng.random() < 0.3 or member == self.focus and self.focus_owed > 0)
                if owed and member == self.focus:
                    self.focus_owed -= 1
                if owed:
                    self._scorecard(interview, member, draft=True)
                else:
                    submitted = ends + timedelta(hours=rng.uniform(1, 40))
                    self._scorecard(interview, member, draft=False, base=base, at=min(submitted, self.now))
            scorecards += self.rows.scorecards[-len(panel) :]
            # Panel sessions run back to back on the same day.
            start = ends + timedelta(minutes=15)
        return scorecards

    def _rate(self, scorecard, rating: Rating) -> None:
        self.rows.ratings.append(rating)
        scorecard._demo_ratings.append(rating)

    def _decide(self, job, app, stage, scorecards, *, advance: bool, at) -> None:
        """Record the stage decision next to the hire-bar verdict of the panel's scores."""
        submitted = [sc for sc in scorecards if sc.status == ScorecardStatus.SUBMITTED]
        if not submitted:
            return
        snapshot, passed = [], True
        for rubric_id in dict.fromkeys(sc.interview.kit.rubric_id for sc in submitted):
            info = self.rubrics[rubric_id]
            mine = [sc for sc in submitted if sc.interview.kit.rubric_id == rubric_id]
            by_competency = defaultdict(list)
            for sc in mine:
                for rating in sc._demo_ratings:
                    if rating.score is not None:
                        by_competency[rating.competency.pk].append(rating.score)
            scores = [
                CompetencyScore(
                    name=c.name,
                    score=Decimal(sum(by_competency[c.pk])) / len(by_competency[c.pk])
                    if by_competency[c.pk]
                    else None,
                    weight=c.weight,
                    is_critical=c.is_critical,
                )
                for c in info.competencies
            ]
            flags = {f.description: f.is_blocking for sc in mine for f in sc._demo_flags}
            verdict = evaluate_hire_bar(info.clauses, scores, flags)
            passed = passed and verdict.passed
            snapshot += [
                {
                    "rubric": info.rubric.name,
                    "clause": ClauseKind(r.clause.kind).label,
                    "passed": r.passed,
                    "reason": r.reason,
                }
                for r in verdict.clauses
            ]
        against = advance != passed
        reason = ""
        if against:
            reason = self.rng.choice(ADVANCE_AGAINST_BAR if advance else REJECT_DESPITE_BAR)
        decision = Decision(
            company=self.company,
            application=app,
            stage=stage,
            outcome=DecisionOutcome.ADVANCE if advance else DecisionOutcome.REJECT,
            verdict_passed=passed,
            against_verdict=against,
            reason=reason,
            verdict_snapshot=snapshot,
            decided_by_id=job.hiring_manager.user_id if job.hiring_manager_id else None,
        )
        decision._demo_decided_at = at
        self.rows.decisions.append(decision)

    def _scorecard(self, interview, member, *, draft, base=3.0, at=None) -> None:
        scorecard = Scorecard(
            company=self.company,
            interview=interview,
            interviewer=member,
            interview_starts_at=interview.starts_at,
        )
        scorecard._demo_ratings = []
        scorecard._demo_flags = []
        self.rows.scorecards.append(scorecard)
        if draft:
            return
        rng = self.rng
        info = self.rubrics[interview.kit.rubric_id]
        rubric = info.rubric
        bias = self.bias.get(member.pk, 0.0)
        scores = []
        for competency in info.competencies:
            if rng.random() < 0.08:
                self._rate(
                    scorecard,
                    Rating(
                        scorecard=scorecard,
                        competency=competency,
                        score=None,
                        scale_min=rubric.scale_min,
                        scale_max=rubric.scale_max,
                    ),
                )
                continue
            raw = base + bias + rng.gauss(0, 0.6)
            score = int(min(rubric.scale_max, max(rubric.scale_min, round(raw))))
            scores.append(score)
            text = rng.choice(EVIDENCE[min(5, max(1, score))]).format(c=competency.name.lower())
            self._rate(
                scorecard,
                Rating(
                    scorecard=scorecard,
                    competency=competency,
                    score=score,
                    evidence=text,
                    scale_min=rubric.scale_min,
                    scale_max=rubric.scale_max,
                ),
            )
        mean = sum(scores) / len(scores) if scores else base
        if mean >= 4.3:
            recommendation = Recommendation.STRONG_YES
        elif mean >= 3.3:
            recommendation = Recommendation.YES
        elif mean >= 2.4:
            recommendation = Recommendation.NO
        else:
            recommendation = Recommendation.STRONG_NO
        if mean < 2.6 and info.red_flags and rng.random() < 0.25:
            flag = rng.choice(info.red_flags)
            self.rows.flags.append((scorecard, flag))
            scorecard._demo_flags.append(flag)
        scorecard.status = ScorecardStatus.SUBMITTED
        scorecard.recommendation = recommendation
        scorecard.summary = SUMMARIES[recommendation]
        scorecard.submitted_at = at


def pipeline_write(rows: Rows) -> dict[str, int]:
    """Write generated rows in dependency order; returns the number of rows per kind."""
    Candidate.objects.bulk_create(rows.candidates, batch_size=500)
    # Inserting stamps "now" on auto_now_add fields; a candidate really arrived with their application.
    for candidate in rows.candidates:
        candidate.created_at = candidate._history_date = candidate._demo_created_at
    Candidate.objects.bulk_update(rows.candidates, ["created_at"], batch_size=500)
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
