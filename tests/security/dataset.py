"""A full dataset for one company, every text value carrying a marker, to prove it never leaks.

`build_company_dataset` creates one row of every company-owned model it knows (templates, rubrics,
jobs, candidates, applications, interviews, scorecards...). Models it does not know yet are filled
generically from their fields, so a model added later gets a row without this file changing.
"""

import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from hiring.models import Answer, ApplicationStatus, Role, StageChange
from hiring.selectors import company_path_of
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    JobFactory,
    JobStageFactory,
    MembershipFactory,
    ProcessTemplateFactory,
    RejectionReasonFactory,
    TemplateStageFactory,
    TrackFactory,
    UserFactory,
)
from tests.hiring.factories import question as hiring_question
from tests.interviews.factories import InterviewFactory, InterviewKitFactory, RatingFactory, ScorecardFactory
from tests.rubrics.factories import (
    CompetencyFactory,
    HireBarClauseFactory,
    LevelAnchorFactory,
    QuestionFactory,
    RedFlagFactory,
    RubricFactory,
)

MARKER = "Qzxv"


def company_models() -> list[type[models.Model]]:
    """Every concrete model whose rows belong to a company (history tables included)."""
    return [
        m
        for m in apps.get_models()
        if not m._meta.abstract
        and not m._meta.proxy
        and m is not get_user_model()
        and company_path_of(m) is not None
    ]


def rows_of(company) -> dict[str, list[dict]]:
    """Every row of every company-owned model for one company, to compare before and after."""
    snapshot = {}
    for model in company_models():
        path = company_path_of(model)
        qs = model._base_manager.filter(**{path: company.pk}).order_by("pk")
        snapshot[model._meta.label] = list(qs.values())
    return snapshot


def build_company_dataset(company, *, marker: str = MARKER) -> dict[type[models.Model], list[models.Model]]:
    """One row of every company-owned model for `company`, all names containing `marker`."""
    m = marker
    users = {
        role: UserFactory(
            username=f"{m.lower()}-{company.slug}-{role}",
            email=f"{m.lower()}.{role}@{company.slug}.test",
            first_name=f"{m}First{role.title().replace('_', '')}",
            last_name=f"{m}Last",
        )
        for role in Role.values
    }
    members = {
        role: MembershipFactory(user=user, company=company, role=role, display_name=f"{m} Member {role}")
        for role, user in users.items()
    }
    template = ProcessTemplateFactory(company=company, name=f"{m} Secret Template", description=f"{m} loop")
    template_stage = TemplateStageFactory(template=template, name=f"{m} Template Stage", instructions=m)
    track = TrackFactory(stage=template_stage, name=f"{m} Track", description=m)
    rubric = RubricFactory(company=company, name=f"{m} Secret Rubric", description=m)
    competency = CompetencyFactory(rubric=rubric, name=f"{m} Competency", description=m)
    anchor = LevelAnchorFactory(rubric=rubric, text=f"{m} anchor")
    question = QuestionFactory(competency=competency, text=f"{m} question", follow_ups=m)
    red_flag = RedFlagFactory(rubric=rubric, description=f"{m} red flag")
    clause = HireBarClauseFactory(rubric=rubric)
    template_kit = InterviewKitFactory(
        stage=template_stage, rubric=rubric, name=f"{m} Template Kit", ai_note=m
    )

    job = JobFactory(
        company=company,
        title=f"{m} Secret Job",
        team=m,
        template=template,
        hiring_manager=members[Role.HIRING_MANAGER],
    )
    job_stage = JobStageFactory(job=job, name=f"{m} Job Stage", instructions=m)
    kit = InterviewKitFactory(stage=job_stage, rubric=rubric, name=f"{m} Job Kit", ai_note=m)
    candidate = CandidateFactory(
        company=company,
        name=f"{m} Candidate Person",
        email=f"{m.lower()}.candidate@{company.slug}.test",
        phone="+1 555 0100",
        linkedin_url=f"https://linkedin.example/{m.lower()}",
    )
    reason = RejectionReasonFactory(company=company, name=f"{m} Reason")
    application = ApplicationFactory(
        company=company,
        job=job,
        candidate=candidate,
        stage=job_stage,
        rejection_note=m,
    )
    rejected = ApplicationFactory(
        company=company,
        job=JobFactory(company=company, title=f"{m} Second Job"),
        candidate=candidate,
        status=ApplicationStatus.REJECTED,
        rejection_reason=reason,
        rejection_note=f"{m} rejected",
        decided_at=timezone.now(),
    )
    change = StageChange.objects.create(
        company=company,
        application=application,
        to_stage=job_stage,
        to_status=ApplicationStatus.ACTIVE,
        note=f"{m} moved",
        created_at=timezone.now(),
    )
    interview = InterviewFactory(application=application, kit=kit, location=f"{m} room")
    scorecard = ScorecardFactory(
        interview=interview,
        interviewer=members[Role.INTERVIEWER],
        summary=f"{m} summary",
    )
    rating = RatingFactory(scorecard=scorecard, competency=competency, score=4, evidence=f"{m} evidence")
    job_question = hiring_question(
        job=job, kind="single_choice", label=f"{m} job question", help_text=m, choices=[f"{m} choice"]
    )
    template_question = hiring_question(template=template, kind="short_text", label=f"{m} template question")
    answer = Answer.objects.create(
        company=company, application=application, question=job_question, text=f"{m} answer"
    )
    built = [
        *members.values(),
        template,
        template_stage,
        track,
        rubric,
        competency,
        anchor,
        question,
        red_flag,
        clause,
        template_kit,
        job,
        job_stage,
        kit,
        candidate,
        reason,
        application,
        rejected,
        change,
        interview,
        scorecard,
        rating,
        job_question,
        template_question,
        job_question.choices.get(),
        answer,
    ]
    _fill_remaining_models(company, built, marker=m)
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for model in company_models():
        path = company_path_of(model)
        rows = list(model._base_manager.filter(**{path: company.pk}))
        if rows:
            by_model[model] = rows
    return by_model


def _fill_remaining_models(company, built, *, marker: str) -> None:
    """Create one row for each company-owned model that has none yet, from its fields alone."""
    existing: dict[type[models.Model], models.Model] = {type(obj): obj for obj in built}
    existing[type(company)] = company
    existing[get_user_model()] = built[0].user
    pending = [m for m in company_models() if m not in existing and not _is_history(m)]
    for _ in range(3):  # a few passes, so a model can point at one created in an earlier pass
        still = []
        for model in pending:
            obj = _autofill(model, existing, marker)
            if obj is None:
                still.append(model)
            else:
                existing[model] = obj
        pending = still


def _is_history(model) -> bool:
    return model.__name__.startswith("Historical")


def _autofill(model, existing, marker):
    values = {}
    for field in model._meta.concrete_fields:
        if (
            field.primary_key
            or field.has_default()
            or getattr(field, "auto_now", False)
            or getattr(field, "auto_now_add", False)
        ):
            continue
        if field.null and not isinstance(field, models.CharField | models.TextField):
            continue
        if field.is_relation:
            target = existing.get(field.related_model)
            if target is None:
                return None
            values[field.name] = target
        elif field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.EmailField):
            values[field.name] = f"{marker.lower()}@example.test"
        elif isinstance(field, models.URLField):
            values[field.name] = f"https://example.test/{marker.lower()}"
        elif isinstance(field, models.CharField | models.TextField):
            values[field.name] = f"{marker} {model.__name__} {field.name}"[: field.max_length or 200]
        elif isinstance(field, models.BooleanField):
            values[field.name] = False
        elif isinstance(field, models.DecimalField):
            values[field.name] = Decimal("1")
        elif isinstance(field, models.IntegerField | models.FloatField):
            values[field.name] = 1
        elif isinstance(field, models.DateTimeField):
            values[field.name] = timezone.now()
        elif isinstance(field, models.DateField):
            values[field.name] = datetime.date.today()
        elif isinstance(field, models.JSONField):
            values[field.name] = {}
        elif isinstance(field, models.FileField):
            values[field.name] = ""
        else:
            return None
    try:
        with transaction.atomic():
            return model._base_manager.create(**values)
    except (IntegrityError, ValueError, TypeError):
        return None
