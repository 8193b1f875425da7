import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from hiring.models import (
    Application,
    Candidate,
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
    Tag,
    Track,
)


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Role.RECRUITER
    display_name = factory.LazyAttribute(lambda o: o.user.get_full_name() or o.user.username)


class ProcessTemplateFactory(DjangoModelFactory):
    class Meta:
        model = ProcessTemplate

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Template {n}")
    description = "A loop"


class TemplateStageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    template = factory.SubFactory(ProcessTemplateFactory)
    company = factory.SelfAttribute("template.company")
    job = None
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Stage {n}")
    kind = StageKind.TECHNICAL
    sla_days = 5


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    company = factory.SubFactory(CompanyFactory)
    title = factory.Sequence(lambda n: f"Engineer {n}")
    status = JobStatus.OPEN


class JobStageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    job = factory.SubFactory(JobFactory)
    company = factory.SelfAttribute("job.company")
    template = None
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Job stage {n}")
    kind = StageKind.TECHNICAL
    sla_days = 5


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = Track

    stage = factory.SubFactory(TemplateStageFactory)
    company = factory.SelfAttribute("stage.company")
    name = factory.Sequence(lambda n: f"Track {n}")


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    company = factory.SubFactory(CompanyFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Tag {n}")


class RejectionReasonFactory(DjangoModelFactory):
    class Meta:
        model = RejectionReason

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Reason {n}")
    kind = RejectionKind.COMPANY


class ApplicationFactory(DjangoModelFactory):
    """An application in the first stage of its job; the job and candidate share its company."""

    class Meta:
        model = Application

    company = factory.SubFactory(CompanyFactory)
    job = factory.SubFactory(JobFactory, company=factory.SelfAttribute("..company"))
    candidate = factory.SubFactory(CandidateFactory, company=factory.SelfAttribute("..company"))
    stage = factory.SubFactory(JobStageFactory, job=factory.SelfAttribute("..job"))
    applied_at = factory.LazyFunction(timezone.now)
    stage_entered_at = factory.LazyFunction(timezone.now)


def question(*, job=None, template=None, kind="short_text", choices=(), **fields):
    """A question on a job's plan or a template, with choices given as labels ("label!" marks a
    knockout)."""
    from hiring.questions import Question, QuestionChoice

    owner = job or template
    q = Question.objects.create(
        company_id=owner.company_id,
        job=job,
        template=template,
        kind=kind,
        label=fields.pop("label", kind),
        **fields,
    )
    for position, label in enumerate(choices):
        QuestionChoice.objects.create(
            company_id=owner.company_id,
            question=q,
            position=position,
            label=label.rstrip("!"),
            is_knockout=label.endswith("!"),
        )
    return q
