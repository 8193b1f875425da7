"""Turns the demo data modules into rows: people, companies, rubrics, templates and jobs.

Each company is loaded in one transaction, and a company that already exists is left alone, so
loading twice changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hiring.models import Company, Job, Membership, ProcessTemplate, RejectionReason, Role, Stage, Track
from hiring.privacy import import_sweep_schedule_install, retention_schedule_install
from hiring.questionnaires import questions_copy
from interviews.ai_use import kit_set_no_ai_blocks
from interviews.kits import kit_check
from interviews.models import InterviewKit
from interviews.notifications.schedules import notifications_install
from interviews.plans import plan_copy
from rubrics.models import Check, Competency, Gate, HireBarClause, LevelAnchor, Question, RedFlag, Rubric

from . import careers
from .evaluations import TIMEZONES
from .people import COMPANIES, DEMO_PASSWORD, PEOPLE, REJECTION_REASONS, CompanyData, PersonData
from .questionnaire import questionnaire_create
from .rubric import RUBRICS, RubricData
from .templates import TEMPLATES, StageData, TemplateData


def users_ensure() -> dict[str, object]:
    """Create the demo users that do not exist yet; existing users are not touched."""
    User = get_user_model()
    existing = {u.username: u for u in User.objects.filter(username__in=[p.username for p in PEOPLE])}
    for person in PEOPLE:
        if person.username in existing:
            continue
        user = User(
            username=person.username,
            email=person.email,
            first_name=person.first_name,
            last_name=person.last_name,
            is_staff=True,
            is_superuser=not person.company,
        )
        if person.can_log_in:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
        user.save()
        existing[person.username] = user
    return existing


def _people_of(company: CompanyData) -> list[PersonData]:
    return [p for p in PEOPLE if p.company == company.slug]


def rubric_create(*, company: Company, data: RubricData) -> Rubric:
    """Create one rubric of the library with its competencies, anchors, questions, flags and bar."""
    rubric = Rubric.objects.create(
        company=company,
        name=data.name,
        description=data.description,
        scale_min=data.scale_min,
        scale_max=data.scale_max,
    )
    anchors = [LevelAnchor(rubric=rubric, score=score, text=text) for score, text in data.anchors.items()]
    questions = []
    for position, comp in enumerate(data.competencies):
        competency = Competency.objects.create(
            rubric=rubric,
            position=position,
            name=comp.name,
            description=comp.description,
            is_critical=comp.is_critical,
            weight=comp.weight,
        )
        anchors += [
            LevelAnchor(rubric=rubric, competency=competency, score=score, text=text)
            for score, text in comp.anchors.items()
        ]
        questions += [
            Question(competency=competency, position=i, text=q.text, follow_ups="\n".join(q.follow_ups))
            for i, q in enumerate(comp.questions)
        ]
    LevelAnchor.objects.bulk_create(anchors)
    Question.objects.bulk_create(questions)
    RedFlag.objects.bulk_create(
        RedFlag(rubric=rubric, description=desc, is_blocking=blocking) for desc, blocking in data.red_flags
    )
    HireBarClause.objects.bulk_create(
        HireBarClause(
            rubric=rubric, kind=kind, score=score, count=count, aggregation=how[0] if how else "mean"
        )
        for kind, score, count, *how in data.hire_bar
    )
    Gate.objects.bulk_create(
        Gate(rubric=rubric, position=i, name=name, anchor=anchor, unlocks_next=i < len(data.gates))
        for i, (name, anchor) in enumerate(data.gates, start=1)
    )
    Check.objects.bulk_create(
        Check(rubric=rubric, position=i, name=name, anchor=anchor)
        for i, (name, anchor) in enumerate(data.checks)
    )
    return rubric


def _kit_create(*, stage: Stage, track: Track | None, position: int, kit, rubrics, interviewers) -> None:
    obj = InterviewKit(
        company_id=stage.company_id,
        stage=stage,
        track=track,
        position=position,
        name=kit.name,
        duration_minutes=kit.minutes,
        format=kit.format,
        window_days=kit.window_days,
        rubric=rubrics[kit.rubric],
        ai_policy=kit.ai_policy,
        no_ai_minutes=kit.no_ai_minutes,
        ai_note=kit.ai_note,
        is_internal=kit.is_internal,
    )
    kit_check(obj)
    obj.full_clean()
    obj.save()
    obj.default_interviewers.set(interviewers)
    kit_set_no_ai_blocks(kit=obj, blocks=kit.no_ai_blocks)


def template_create(
    *, company: Company, data: TemplateData, rubrics: dict[str, Rubric], panel: dict[str, list[Membership]]
) -> ProcessTemplate:
    """Create a process template with its stages, tracks and kits. `panel` maps a rubric key to
    the members who interview with it by default."""
    template = ProcessTemplate.objects.create(company=company, name=data.name, description=data.description)
    for position, sd in enumerate(data.stages):
        stage = _stage_create(template=template, position=position, data=sd)
        for i, kit in enumerate(sd.kits):
            _kit_create(
                stage=stage,
                track=None,
                position=i,
                kit=kit,
                rubrics=rubrics,
                interviewers=panel.get(kit.rubric, []),
            )
        for t_pos, td in enumerate(sd.tracks):
            track = Track.objects.create(
                company=company, stage=stage, position=t_pos, name=td.name, description=td.description
            )
            for i, kit in enumerate(td.kits):
                _kit_create(
                    stage=stage,
                    track=track,
                    position=i,
                    kit=kit,
                    rubrics=rubrics,
                    interviewers=panel.get(kit.rubric, []),
                )
    return template


def _stage_create(*, template: ProcessTemplate, position: int, data: StageData) -> Stage:
    stage = Stage(
        company_id=template.company_id,
        template=template,
        position=position,
        name=data.name,
        kind=data.kind,
        sla_days=data.sla_days,
        is_optional=data.is_optional,
        is_paid=data.is_paid,
        instructions=data.instructions,
    )
    if data.pay:
        amount, stage.pay_currency, stage.pay_unit, stage.pay_expenses = data.pay
        stage.pay_amount = Decimal(amount)
    stage.full_clean()
    stage.save()
    return stage


def job_create(
    *, company: Company, template: ProcessTemplate, data, hiring_manager: Membership, today
) -> Job:
    """Open a job from a template; the job gets its own copy of the plan."""
    job = Job.objects.create(
        company=company,
        title=data.title,
        team=data.team,
        location=data.location,
        level=data.level,
        hiring_manager=hiring_manager,
        template=template,
        status=data.status,
        headcount=data.headcount,
        opened_on=today - timedelta(days=data.opened_days_ago),
        **careers.job_fields(company.slug, data),
    )
    plan_copy(stages=template.stages.all(), job=job)
    questions_copy(source=template, job=job)
    return job


class LoadedCompany:
    """What the pipeline generator needs to know about a freshly loaded company."""

    def __init__(self, company, data, members, jobs, reasons):
        self.company = company
        self.data = data
        self.members: dict[str, Membership] = members
        self.jobs: list[tuple[Job, object]] = jobs
        self.reasons: list[RejectionReason] = reasons

    def members_with(self, *roles) -> list[Membership]:
        return [m for m in self.members.values() if m.role in roles]


@transaction.atomic
def company_load(*, data: CompanyData, users: dict) -> LoadedCompany:
    """Create one demo company: members, rejection reasons, rubrics, templates and open jobs."""
    company = Company.objects.create(
        name=data.name,
        slug=data.slug,
        time_zone=TIMEZONES.get(data.slug, ""),  # staff see the demo's times in the company's zone
        **careers.BRANDING.get(data.slug, {}),
    )
    members = {}
    for person in _people_of(data):
        user = users[person.username]
        members[person.username] = Membership.objects.create(
            user=user,
            company=company,
            role=person.role,
            display_name=f"{person.first_name} {person.last_name}",
        )
    reasons = RejectionReason.objects.bulk_create(
        RejectionReason(company=company, name=name, kind=kind) for name, kind in REJECTION_REASONS
    )
    rubrics = {rd.key: rubric_create(company=company, data=rd) for rd in RUBRICS}
    loaded = LoadedCompany(company, data, members, [], reasons)
    recruiters = loaded.members_with(Role.RECRUITER)
    managers = loaded.members_with(Role.HIRING_MANAGER)
    interviewers = loaded.members_with(Role.INTERVIEWER)
    panel = {
        "screen": recruiters,
        "values": managers,
        "behavioral": managers[:1] + interviewers[:1],
        "coding": interviewers[:2],
        "design": interviewers[1:3],
        "work_sample": interviewers[-2:],
        "progressive": interviewers[:2],
    }
    templates = {
        key: template_create(company=company, data=TEMPLATES[key], rubrics=rubrics, panel=panel)
        for key in data.templates
    }
    for template in templates.values():
        questionnaire_create(template=template, reasons=reasons)
    notifications_install(company=company)
    retention_schedule_install()
    import_sweep_schedule_install()
    today = timezone.localdate()
    for job_data in data.jobs:
        job = job_create(
            company=company,
            template=templates[job_data.template],
            data=job_data,
            hiring_manager=managers[0],
            today=today,
        )
        loaded.jobs.append((job, job_data))
    return loaded


def companies_to_load() -> list[CompanyData]:
    """The demo companies that do not exist yet."""
    existing = set(
        Company.objects.filter(slug__in=[c.slug for c in COMPANIES]).values_list("slug", flat=True)
    )
    return [c for c in COMPANIES if c.slug not in existing]
