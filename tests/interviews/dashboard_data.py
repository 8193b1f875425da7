"""A small fixed pipeline whose dashboard figures are computed by hand in the tests.

Company A (the `company` fixture), one job "Backend" with three stages:
    Review (SLA 5 days), Technical (SLA 3), Offer (SLA 2, kind offer).
"Now" is Wednesday 2026-03-18 12:00 UTC; the date range is 2026-03-01 .. 2026-03-18.

    a1 applied 03-01, Review -> Technical 03-03, -> Offer 03-07, hired 03-08   (referral)
    a2 applied 03-02, Review -> Technical 03-06, rejected 03-08               (referral)
    a3 applied 03-05, withdrew in Review 03-06                                (linkedin)
    a4 applied 03-10, Review -> Technical 03-11, active since                 (linkedin)
    a5 applied 03-12, active in Review                                        (careers site)
    a6 applied 03-15, put on hold in Review 03-16                             (careers site)
    a7 applied 2026-02-01 (before the range), Review -> Technical 02-03, active

Interviews (rubric with competencies C1, C2 on a 1-5 scale), members i1, i2, i3:
    x1 on a1, Thu 03-05 09:00-10:00: i1 C1=4 C2=5 strong yes (+2 h), i2 C1=3 C2=3 yes (+10 h)
    x2 on a2, Sat 03-07 09:00-10:00: i1 C1=2 C2=- no (+4 h),        i3 C1=1 C2=2 strong no (+24 h)
    x3 on a4, Tue 03-17 09:00-10:00, completed: i2 draft (ended 26 h ago: overdue)
    x4 on a5, Thu 03-19 09:00-10:00, scheduled: i1 draft
    x5 on a4, Mon 03-16 09:00-10:00, cancelled: i3 draft (not overdue, not load)
"""

import datetime
from types import SimpleNamespace

from hiring.models import (
    ApplicationStatus,
    RejectionKind,
    RejectionReason,
    Role,
    Source,
    StageChange,
    StageKind,
)
from interviews.models import InterviewStatus, Recommendation, ScorecardStatus
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    RejectionReasonFactory,
    UserFactory,
)
from tests.interviews.factories import InterviewFactory, InterviewKitFactory, RatingFactory, ScorecardFactory
from tests.rubrics.factories import CompetencyFactory, RubricFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
DATE_FROM = datetime.date(2026, 3, 1)
DATE_TO = datetime.date(2026, 3, 18)


def at(month, day, hour=0):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=UTC)


def _change(app, from_stage, to_stage, from_status, to_status, when):
    StageChange.objects.create(
        company=app.company,
        application=app,
        from_stage=from_stage,
        to_stage=to_stage,
        from_status=from_status,
        to_status=to_status,
        created_at=when,
    )


def build_pipeline(company, *, title="Backend"):
    """The job, its stages and applications a1..a7 with their stage histories."""
    job = JobFactory(company=company, title=title)
    review = JobStageFactory(
        job=job, position=0, name="Review", kind=StageKind.APPLICATION_REVIEW, sla_days=5
    )
    tech = JobStageFactory(job=job, position=1, name="Technical", kind=StageKind.TECHNICAL, sla_days=3)
    offer = JobStageFactory(job=job, position=2, name="Offer", kind=StageKind.OFFER, sla_days=2)
    not_enough = RejectionReason.objects.filter(company=company, name="Not enough experience").first()
    not_enough = not_enough or RejectionReasonFactory(company=company, name="Not enough experience")
    other_offer = RejectionReason.objects.filter(company=company, name="Took another offer").first()
    other_offer = other_offer or RejectionReasonFactory(
        company=company, name="Took another offer", kind=RejectionKind.CANDIDATE
    )
    A, H, R, W, HOLD = (
        ApplicationStatus.ACTIVE,
        ApplicationStatus.HIRED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.ON_HOLD,
    )

    def app(applied, stage, entered, status, source, **extra):
        application = ApplicationFactory(
            company=company,
            job=job,
            candidate=CandidateFactory(company=company),
            stage=stage,
            status=status,
            source=source,
            applied_at=applied,
            stage_entered_at=entered,
            **extra,
        )
        _change(application, None, review, "", A, applied)
        return application

    a1 = app(at(3, 1), offer, at(3, 7), H, Source.REFERRAL, hired_at=at(3, 8), decided_at=at(3, 8))
    _change(a1, review, tech, A, A, at(3, 3))
    _change(a1, tech, offer, A, A, at(3, 7))
    _change(a1, offer, offer, A, H, at(3, 8))
    a2 = app(at(3, 2), tech, at(3, 6), R, Source.REFERRAL, rejection_reason=not_enough, decided_at=at(3, 8))
    _change(a2, review, tech, A, A, at(3, 6))
    _change(a2, tech, tech, A, R, at(3, 8))
    a3 = app(
        at(3, 5), review, at(3, 5), W, Source.LINKEDIN, rejection_reason=other_offer, decided_at=at(3, 6)
    )
    _change(a3, review, review, A, W, at(3, 6))
    a4 = app(at(3, 10), tech, at(3, 11), A, Source.LINKEDIN)
    _change(a4, review, tech, A, A, at(3, 11))
    a5 = app(at(3, 12), review, at(3, 12), A, Source.CAREERS_SITE)
    a6 = app(at(3, 15), review, at(3, 15), HOLD, Source.CAREERS_SITE)
    _change(a6, review, review, A, HOLD, at(3, 16))
    a7 = app(at(2, 1), tech, at(2, 3), A, Source.OTHER)
    _change(a7, review, tech, A, A, at(2, 3))
    return SimpleNamespace(
        job=job,
        review=review,
        tech=tech,
        offer=offer,
        not_enough=not_enough,
        other_offer=other_offer,
        apps=[a1, a2, a3, a4, a5, a6, a7],
    )


def build_interviews(company, p, members=None):
    """Interviews x1..x5 and their scorecards on the pipeline `p`."""
    if members is None:
        members = [
            MembershipFactory(company=company, role=Role.INTERVIEWER, user=UserFactory(), display_name=name)
            for name in ("Ida One", "Ivo Two", "Ines Three")
        ]
    i1, i2, i3 = members
    rubric = RubricFactory(company=company)
    c1 = CompetencyFactory(rubric=rubric, position=0)
    c2 = CompetencyFactory(rubric=rubric, position=1)
    kit = InterviewKitFactory(company=company, stage=p.tech, rubric=rubric)
    a1, a2, _, a4, a5, _, _ = p.apps

    def interview(app, start, status=InterviewStatus.COMPLETED):
        ends = start + datetime.timedelta(hours=1)
        return InterviewFactory(application=app, kit=kit, starts_at=start, ends_at=ends, status=status)

    def submitted(iv, member, scores, recommendation, after_hours):
        card = ScorecardFactory(
            interview=iv,
            interviewer=member,
            status=ScorecardStatus.SUBMITTED,
            recommendation=recommendation,
            submitted_at=iv.ends_at + datetime.timedelta(hours=after_hours),
        )
        for competency, score in zip((c1, c2), scores, strict=True):
            RatingFactory(scorecard=card, competency=competency, score=score)
        return card

    x1 = interview(a1, at(3, 5, 9))
    submitted(x1, i1, (4, 5), Recommendation.STRONG_YES, 2)
    submitted(x1, i2, (3, 3), Recommendation.YES, 10)
    x2 = interview(a2, at(3, 7, 9))
    submitted(x2, i1, (2, None), Recommendation.NO, 4)
    submitted(x2, i3, (1, 2), Recommendation.STRONG_NO, 24)
    x3 = interview(a4, at(3, 17, 9))
    ScorecardFactory(interview=x3, interviewer=i2)
    x4 = interview(a5, at(3, 19, 9), InterviewStatus.SCHEDULED)
    ScorecardFactory(interview=x4, interviewer=i1)
    x5 = interview(a4, at(3, 16, 9), InterviewStatus.CANCELLED)
    ScorecardFactory(interview=x5, interviewer=i3)
    return SimpleNamespace(
        members=members, i1=i1, i2=i2, i3=i3, rubric=rubric, c1=c1, c2=c2, interviews=[x1, x2, x3, x4, x5]
    )
