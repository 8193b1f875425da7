"""Calibration of one interviewer, for the page linked from the dashboard's calibration table:
their score distribution against the company's, their leniency against co-panelists month by
month, how often their recommendation matched the stage's decision, and their overdue feedback.

Every figure is an aggregate of the database (a constant number of statements whatever the
number of scorecards), read only from the scorecards the viewer may read (`scorecard_visibility`,
the independence rule of the scorecard pages) and the decisions they may read.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth

from hiring.models import Membership
from interviews.models import (
    DecisionOutcome,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardStatus,
)
from interviews.selectors import OWING_STATUSES, decisions_visible_to, scorecard_visibility

from .selectors import FEEDBACK_DUE_HOURS

POSITIVE = (Recommendation.YES, Recommendation.STRONG_YES)
NEGATIVE = (Recommendation.NO, Recommendation.STRONG_NO)
MAX_OVERDUE_SHOWN = 50


@dataclass
class InterviewerCalibration:
    member: Membership
    # [(score, the interviewer's share %, the company's share %)], every score of the scale seen
    distribution: list[tuple[int, float, float]] = field(default_factory=list)
    scores: int = 0
    company_scores: int = 0
    # [(month, scores compared, mean difference from the co-panelists)], oldest first
    leniency: list[tuple[datetime.date, int, float]] = field(default_factory=list)
    decided: int = 0  # their submitted scorecards whose stage has a decision
    matched: int = 0  # ... whose recommendation went the way of the decision
    overdue: list = field(default_factory=list)  # Scorecard rows (drafts past due), oldest first
    overdue_count: int = 0

    @property
    def match_rate(self) -> float | None:
        return 100 * self.matched / self.decided if self.decided else None


def _readable(user, roles, company_id: int):
    return Scorecard.objects.filter(scorecard_visibility(user, roles=roles), company_id=company_id)


def interviewer_calibration(
    *, member: Membership, user, roles=None, now: datetime.datetime
) -> InterviewerCalibration:
    """The calibration figures of `member` as `user` may read them (four statements)."""
    figures = InterviewerCalibration(member=member)
    readable = _readable(user, roles, member.company_id).filter(status=ScorecardStatus.SUBMITTED)
    scored = Rating.objects.filter(scorecard__in=readable.values("pk"), score__isnull=False).order_by()
    # 1. Score distribution: the interviewer's scores and the company's, by score.
    rows = list(
        scored.values("score")
        .annotate(mine=Count("id", filter=Q(scorecard__interviewer_id=member.pk)), every=Count("id"))
        .order_by("score")
    )
    figures.scores = sum(r["mine"] for r in rows)
    figures.company_scores = sum(r["every"] for r in rows)
    figures.distribution = [
        (
            r["score"],
            100 * r["mine"] / figures.scores if figures.scores else 0.0,
            100 * r["every"] / figures.company_scores if figures.company_scores else 0.0,
        )
        for r in rows
    ]
    # 2. Leniency over time: each of their scores minus the co-panelists' mean for the same
    # competency in the same interview, averaged per month of the interview.
    others = (
        scored.filter(
            scorecard__interview_id=OuterRef("scorecard__interview_id"),
            competency_id=OuterRef("competency_id"),
        )
        .exclude(scorecard__interviewer_id=member.pk)
        .values("competency_id")
        .annotate(mean=Avg("score"))
        .values("mean")
    )
    monthly = (
        scored.filter(scorecard__interviewer_id=member.pk)
        .annotate(others=Subquery(others[:1]), month=TruncMonth("scorecard__interview__ends_at"))
        .filter(others__isnull=False)
        .values("month")
        .annotate(n=Count("id"), difference=Avg(F("score") - F("others")))
        .order_by("month")
    )
    figures.leniency = [(r["month"], r["n"], float(r["difference"])) for r in monthly]
    # 3. Recommendation against the decision of the interview's stage (the latest one).
    decision = (
        decisions_visible_to(user, roles=roles)
        .filter(
            application_id=OuterRef("interview__application_id"),
            stage_id=OuterRef("interview__kit__stage_id"),
        )
        .order_by("-decided_at", "-id")
        .values("outcome")[:1]
    )
    went_ahead = (DecisionOutcome.ADVANCE, DecisionOutcome.HIRE)
    matches = (
        readable.filter(interviewer_id=member.pk)
        .order_by()
        .annotate(outcome=Subquery(decision))
        .aggregate(
            decided=Count("id", filter=Q(outcome__isnull=False)),
            matched=Count(
                "id",
                filter=Q(recommendation__in=POSITIVE, outcome__in=went_ahead)
                | Q(recommendation__in=NEGATIVE, outcome=DecisionOutcome.REJECT),
            ),
        )
    )
    figures.decided, figures.matched = matches["decided"], matches["matched"]
    # 4. Overdue feedback: their drafts of interviews that ended more than a day ago.
    due = now - datetime.timedelta(hours=FEEDBACK_DUE_HOURS)
    overdue = (
        Scorecard.objects.filter(
            interviewer_id=member.pk,
            status=ScorecardStatus.DRAFT,
            interview__status__in=OWING_STATUSES,
            interview__ends_at__lt=due,
        )
        .select_related("interview__kit", "interview__application__candidate", "interview__application__job")
        .order_by("interview__ends_at", "id")
    )
    figures.overdue = list(overdue[: MAX_OVERDUE_SHOWN + 1])
    figures.overdue_count = len(figures.overdue)
    if figures.overdue_count > MAX_OVERDUE_SHOWN:
        figures.overdue_count = overdue.count()
        figures.overdue = figures.overdue[:MAX_OVERDUE_SHOWN]
    return figures
