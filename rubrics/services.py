"""Writes for the rubric library: locking a rubric once used, and versioning it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Check, Competency, Gate, HireBarClause, LevelAnchor, Question, RedFlag, Rubric


@transaction.atomic
def rubric_lock(*, rubric: Rubric) -> Rubric:
    """Freeze a rubric because scores now refer to it. Locking twice changes nothing."""
    Rubric.objects.filter(pk=rubric.pk, locked_at__isnull=True).update(locked_at=timezone.now())
    rubric.refresh_from_db(fields=["locked_at"])
    return rubric


@transaction.atomic
def rubric_new_version(*, rubric: Rubric) -> Rubric:
    """Copy a rubric into version N+1 that can be edited; the old version keeps its meaning."""
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if Rubric.objects.filter(previous_version=rubric).exists():
        newer = Rubric.objects.get(previous_version=rubric)
        raise ValidationError(f"{rubric} already has a newer version: {newer}.")
    new = Rubric.objects.create(
        company_id=rubric.company_id,
        name=rubric.name,
        description=rubric.description,
        version=rubric.version + 1,
        previous_version=rubric,
        scale_min=rubric.scale_min,
        scale_max=rubric.scale_max,
    )
    competency_map = {}
    for competency in rubric.competencies.all():
        competency_map[competency.pk] = Competency.objects.create(
            rubric=new,
            position=competency.position,
            name=competency.name,
            description=competency.description,
            is_critical=competency.is_critical,
            weight=competency.weight,
        )
    LevelAnchor.objects.bulk_create(
        LevelAnchor(
            rubric=new,
            competency=competency_map.get(a.competency_id),
            score=a.score,
            text=a.text,
        )
        for a in rubric.anchors.all()
    )
    Question.objects.bulk_create(
        Question(
            competency=competency_map[q.competency_id],
            position=q.position,
            text=q.text,
            follow_ups=q.follow_ups,
        )
        for q in Question.objects.filter(competency__rubric=rubric)
    )
    RedFlag.objects.bulk_create(
        RedFlag(rubric=new, description=f.description, is_blocking=f.is_blocking)
        for f in rubric.red_flags.all()
    )
    Gate.objects.bulk_create(
        Gate(rubric=new, position=g.position, name=g.name, anchor=g.anchor, unlocks_next=g.unlocks_next)
        for g in rubric.gates.all()
    )
    Check.objects.bulk_create(
        Check(rubric=new, position=c.position, name=c.name, anchor=c.anchor) for c in rubric.checks.all()
    )
    HireBarClause.objects.bulk_create(
        HireBarClause(rubric=new, kind=c.kind, score=c.score, count=c.count, aggregation=c.aggregation)
        for c in rubric.hire_bar.all()
    )
    return new
