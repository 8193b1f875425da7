import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from interviews.models import Interview, InterviewKit, Rating, Scorecard
from tests.hiring.factories import ApplicationFactory, MembershipFactory, TemplateStageFactory
from tests.rubrics.factories import RubricFactory


class InterviewKitFactory(DjangoModelFactory):
    class Meta:
        model = InterviewKit

    stage = factory.SubFactory(TemplateStageFactory)
    company = factory.SelfAttribute("stage.company")
    name = factory.Sequence(lambda n: f"Kit {n}")
    rubric = factory.SubFactory(RubricFactory, company=factory.SelfAttribute("..company"))


class InterviewFactory(DjangoModelFactory):
    """An interview of the application's current stage, with a kit of that stage."""

    class Meta:
        model = Interview

    application = factory.SubFactory(ApplicationFactory)
    company = factory.SelfAttribute("application.company")
    kit = factory.SubFactory(InterviewKitFactory, stage=factory.SelfAttribute("..application.stage"))
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))


class ScorecardFactory(DjangoModelFactory):
    class Meta:
        model = Scorecard

    interview = factory.SubFactory(InterviewFactory)
    company = factory.SelfAttribute("interview.company")
    interviewer = factory.SubFactory(MembershipFactory, company=factory.SelfAttribute("..company"))
    interview_starts_at = factory.SelfAttribute("interview.starts_at")


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    scorecard = factory.SubFactory(ScorecardFactory)
    competency = factory.SubFactory("tests.rubrics.factories.CompetencyFactory")
    scale_min = 1
    scale_max = 5


# --- A job with one interview stage, a kit scored with a full rubric, and an application ------


def rubric_with_bar(company, *, competencies=3, scale=(1, 5)):
    """A rubric with anchored competencies (one critical), questions, red flags and a hire bar."""
    from decimal import Decimal

    from rubrics.models import ClauseKind
    from tests.rubrics.factories import (
        CompetencyFactory,
        HireBarClauseFactory,
        LevelAnchorFactory,
        QuestionFactory,
        RedFlagFactory,
    )

    rubric = RubricFactory(company=company, scale_min=scale[0], scale_max=scale[1])
    for i in range(competencies):
        competency = CompetencyFactory(
            rubric=rubric, name=f"Skill {i}", description=f"What skill {i} means", is_critical=i == 0
        )
        QuestionFactory(competency=competency, text=f"Question about skill {i}")
        LevelAnchorFactory(rubric=rubric, competency=competency, score=scale[1], text=f"Outstanding at {i}")
    for score in range(scale[0], scale[1] + 1):
        LevelAnchorFactory(rubric=rubric, score=score, text=f"Level {score} in general")
    RedFlagFactory(rubric=rubric, description="Blamed the team", is_blocking=True)
    RedFlagFactory(rubric=rubric, description="Vague on numbers")
    HireBarClauseFactory(rubric=rubric, kind=ClauseKind.MIN_AVERAGE, score=Decimal("3.5"))
    HireBarClauseFactory(rubric=rubric, kind=ClauseKind.NO_CRITICAL_AT_OR_BELOW, score=Decimal("2"))
    HireBarClauseFactory(rubric=rubric, kind=ClauseKind.NO_BLOCKING_RED_FLAG, score=None)
    return rubric


def interview_setup(company, *, competencies=3, stages=2):
    """An application in the first of `stages` job stages, each with a kit on a full rubric."""
    from tests.hiring.factories import ApplicationFactory, JobFactory, JobStageFactory

    job = JobFactory(company=company)
    plan = [JobStageFactory(job=job, position=i, name=f"Round {i}") for i in range(stages)]
    rubric = rubric_with_bar(company, competencies=competencies)
    kits = [InterviewKitFactory(stage=s, company=company, rubric=rubric, name=f"Kit {s.name}") for s in plan]
    application = ApplicationFactory(company=company, job=job, stage=plan[0])
    return application, kits


# --- Notifications ---------------------------------------------------------------------------------


class NotificationTemplateFactory(DjangoModelFactory):
    class Meta:
        model = "interviews.NotificationTemplate"
        django_get_or_create = ("company", "event")

    company = factory.SubFactory("tests.hiring.factories.CompanyFactory")
    event = "application_received"
    subject = "Hello {{ candidate_name }}"
    body = "Thanks for applying to {{ job_title }}."


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = "interviews.Notification"

    company = factory.SubFactory("tests.hiring.factories.CompanyFactory")
    event = "application_received"
    recipient = factory.Sequence(lambda n: f"person{n}@example.org")
    subject = "Subject"
    body = "Body"
    idempotency_key = factory.Sequence(lambda n: f"test:{n}")
    updated_at = factory.LazyFunction(timezone.now)
