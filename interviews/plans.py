"""Interview plans: copying stages, tracks and kits into a template or a new job, duplicating a
process template, and the rule that holds a stage's tracks and kits together."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from hiring.models import Company, Job, JobStatus, ProcessTemplate, Stage, Track
from hiring.questionnaires import questions_copy

from .ai_use import kit_copy_no_ai_blocks
from .models import InterviewKit


def plan_copy(
    *, stages: Iterable[Stage], template: ProcessTemplate | None = None, job: Job | None = None
) -> list[Stage]:
    """Deep-copy stages with their tracks and kits into a template or a job (exactly one)."""
    if (template is None) == (job is None):
        raise ValueError("Copy a plan into exactly one template or one job.")
    owner = template or job
    copies = []
    for stage in stages:
        tracks = list(stage.tracks.all())
        kits = list(stage.kits.all().prefetch_related("default_interviewers", "no_ai_blocks"))
        new_stage = Stage.objects.create(
            company_id=owner.company_id,
            template=template,
            job=job,
            position=stage.position,
            name=stage.name,
            kind=stage.kind,
            sla_days=stage.sla_days,
            is_optional=stage.is_optional,
            is_paid=stage.is_paid,
            pay_amount=stage.pay_amount,
            pay_currency=stage.pay_currency,
            pay_unit=stage.pay_unit,
            pay_expenses=stage.pay_expenses,
            instructions=stage.instructions,
        )
        track_map = {
            t.pk: Track.objects.create(
                company_id=owner.company_id,
                stage=new_stage,
                position=t.position,
                name=t.name,
                description=t.description,
            )
            for t in tracks
        }
        for kit in kits:
            interviewers = list(kit.default_interviewers.all())
            kit_copy = InterviewKit.objects.create(
                company_id=owner.company_id,
                stage=new_stage,
                track=track_map.get(kit.track_id),
                position=kit.position,
                name=kit.name,
                duration_minutes=kit.duration_minutes,
                format=kit.format,
                window_days=kit.window_days,
                is_internal=kit.is_internal,
                rubric_id=kit.rubric_id,
                ai_policy=kit.ai_policy,
                no_ai_minutes=kit.no_ai_minutes,
                ai_note=kit.ai_note,
            )
            kit_copy.default_interviewers.set(interviewers)
            kit_copy_no_ai_blocks(source=kit, copy=kit_copy)
        copies.append(new_stage)
    return copies


def job_check(
    *, company_id: int, template: ProcessTemplate | None = None, hiring_manager=None, stages=None
) -> None:
    """Refuse a job that cannot be opened or kept as given (the job admin's forms show the same
    refusals): a ValidationError keyed by the field at fault (`template`, `hiring_manager`).
    `stages` is the template's stages when already read."""
    errors = {}
    if template is not None:
        if template.company_id != company_id:
            errors["template"] = "The process template belongs to another company."
        elif not (stages if stages is not None else template.stages.exists()):
            errors["template"] = (
                f"The template {template} has no stages yet; add stages before opening a job."
            )
    if hiring_manager is not None and hiring_manager.company_id != company_id:
        errors["hiring_manager"] = "The hiring manager must be a member of the job's company."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def job_create_from_template(
    *, company: Company, template: ProcessTemplate, title: str, actor=None, **fields
) -> Job:
    """Open a job in a company with its own copy of a template's plan (stages, tracks, kits).

    Here rather than in hiring: the plan holds interview kits, which this app owns."""
    stages = list(template.stages.all()) if template.company_id == company.pk else None
    manager = fields.get("hiring_manager")
    job_check(company_id=company.pk, template=template, hiring_manager=manager, stages=stages)
    job = Job(company=company, template=template, title=title, **fields)
    if job.status == JobStatus.OPEN and job.opened_on is None:
        job.opened_on = timezone.localdate()
    job.full_clean()
    job._history_user = actor
    job.save()
    plan_copy(stages=stages, job=job)
    questions_copy(source=template, job=job)
    return job


def _free_copy_name(company_id: int, name: str) -> str:
    taken = set(
        ProcessTemplate.objects.filter(company_id=company_id, name__istartswith=name)
        .annotate(lname=Lower("name"))
        .values_list("lname", flat=True)
    )
    candidate = f"{name} (copy)"
    n = 2
    while candidate.lower() in taken:
        candidate = f"{name} (copy {n})"
        n += 1
    return candidate


@transaction.atomic
def process_template_duplicate(*, template: ProcessTemplate, name: str = "") -> ProcessTemplate:
    """Copy a template with its stages, tracks and kits, under a free name in the same company."""
    name = name.strip() or _free_copy_name(template.company_id, template.name)
    if ProcessTemplate.objects.filter(company_id=template.company_id, name__iexact=name).exists():
        raise ValidationError(f"A template named {name!r} already exists.")
    copy = ProcessTemplate.objects.create(
        company_id=template.company_id, name=name, description=template.description
    )
    plan_copy(stages=template.stages.all(), template=copy)
    questions_copy(source=template, template=copy)
    return copy


def stage_validate_tracks(*, stage: Stage, kits: Iterable[InterviewKit]) -> None:
    """Kits of a stage with tracks each belong to one of its tracks and share one rubric."""
    kits = list(kits)
    track_ids = set(stage.tracks.values_list("pk", flat=True)) if stage.pk else set()
    if not track_ids:
        if any(k.track_id for k in kits):
            raise ValidationError("This stage has no tracks; leave the kits' track empty.")
        return
    if any(k.track_id not in track_ids for k in kits):
        raise ValidationError("In a stage with tracks, every kit belongs to one of its tracks.")
    rubrics = {k.rubric_id for k in kits}
    if len(rubrics) > 1:
        raise ValidationError(
            "Every track of a stage is scored with the same rubric, so that results stay "
            "comparable: choose one rubric for all kits of this stage."
        )
