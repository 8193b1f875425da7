"""Interviews, scorecards and stage decisions of the generated demo pipeline: sessions scheduled
for the panel, ratings with written evidence, and each decision recorded next to the hire-bar verdict.
"""

from datetime import timedelta

from interviews.models import (
    Decision,
    DecisionOutcome,
    Interview,
    InterviewStatus,
    KitFormat,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from rubrics.verdicts import PanelCard, PanelRating, RubricBar, stage_verdicts

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


class EvaluationsMixin:
    """The interview and scorecard half of `PipelineGenerator` (see `tools.demo.pipeline`)."""

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
        bars = {
            rubric_id: RubricBar(info.rubric, info.competencies, info.clauses)
            for rubric_id, info in self.rubrics.items()
        }
        cards = [
            PanelCard(
                key=i,
                stage_id=stage.pk,
                stage_name=stage.name,
                stage_position=stage.position,
                rubric_id=sc.interview.kit.rubric_id,
                who=sc.interviewer.display_name,
                ratings=tuple(PanelRating(r.competency.pk, r.score, r.evidence) for r in sc._demo_ratings),
                flags=tuple((f.description, f.is_blocking) for f in sc._demo_flags),
            )
            for i, sc in enumerate(submitted)
        ]
        verdict = stage_verdicts(bars=bars, cards=cards)[0]
        passed, snapshot = verdict.passed, verdict.snapshot()
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
