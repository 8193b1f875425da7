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


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    scorecard = factory.SubFactory(ScorecardFactory)
    competency = factory.SubFactory("tests.rubrics.factories.CompetencyFactory")
    scale_min = 1
    scale_max = 5


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
