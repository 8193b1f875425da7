"""Candidate data: the inventory of personal fields, retention, anonymisation, export and erasure.

Anonymisation keeps every row (counts, stages, scores and decisions stay for the dashboards) and
overwrites the personal values: the candidate's name, email, phone, links, résumé file, notes,
interview locations, scorecard evidence, and the same values in the change-history tables.
"""

import datetime
import json
from collections.abc import Iterable

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.db.models import Case, Count, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import AccessLog, ApplicationStatus, Candidate, Company, ErasureLog, ErasureReason

REDACTED = "[anonymised]"
CLOSED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
RETENTION_TASK = "hiring.tasks.candidates_anonymise_past_retention_task"
RETENTION_SCHEDULE_NAME = "Anonymise candidates past their retention period"

# Where a candidate's personal data lives outside the candidate row: model label -> (ORM path from
# that model to the candidate id, free-text fields to overwrite). History tables of these models are
# handled too. A model missing here is caught by the test that scans every text column.
PERSONAL_TEXT: dict[str, tuple[str, tuple[str, ...]]] = {
    "hiring.Application": ("candidate_id", ("rejection_note",)),
    "hiring.StageChange": ("application__candidate_id", ("note",)),
    "interviews.Interview": ("application__candidate_id", ("location", "video_url")),
    "interviews.Scorecard": ("interview__application__candidate_id", ("summary",)),
    "interviews.Rating": ("scorecard__interview__application__candidate_id", ("evidence",)),
    "interviews.ScorecardAmendment": ("scorecard__interview__application__candidate_id", ("reason",)),
    "interviews.Decision": ("application__candidate_id", ("reason",)),
}
# JSON columns that copy a scorecard: strings under other keys are overwritten, these are kept.
PERSONAL_JSON: dict[str, tuple[str, tuple[str, ...]]] = {
    "interviews.ScorecardAmendment": ("scorecard__interview__application__candidate_id", ("previous",)),
}
JSON_KEYS_KEPT = frozenset(
    {"recommendation", "status", "score", "competency", "competency_id", "submitted_at"}
)
CANDIDATE_CLEARED = ("phone", "location", "linkedin_url", "github_url", "website_url", "resume", "tags")


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _with_history(model: type[models.Model]) -> list[type[models.Model]]:
    history = getattr(model, "history", None)
    historical = getattr(history, "model", None)
    return [model, historical] if historical is not None else [model]


def _redact(value):
    """Overwrite the strings of a JSON value, keeping the keys in JSON_KEYS_KEPT."""
    if isinstance(value, dict):
        return {k: (v if k in JSON_KEYS_KEPT else _redact(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v) for v in value]
    if isinstance(value, str) and value:
        return REDACTED
    return value


# -- reads ------------------------------------------------------------------------------------------


def candidates_past_retention(
    *, now: datetime.datetime | None = None, company_ids: Iterable[int] | None = None
):
    """Candidates not yet anonymised whose every application was closed before their company's
    retention period, and whose own retention date (if any) has passed."""
    now = now or timezone.now()
    companies = Company.objects.all()
    if company_ids is not None:
        companies = companies.filter(pk__in=list(company_ids))
    past = Q(pk__in=[])
    for company_id, days in companies.values_list("pk", "retention_days"):
        past |= Q(company_id=company_id, last_closed_at__lt=now - datetime.timedelta(days=days))
    return (
        Candidate.objects.filter(anonymised_at__isnull=True)
        .filter(Q(retain_until__isnull=True) | Q(retain_until__lt=now.date()))
        .annotate(
            n_applications=Count("applications"),
            n_open=Count("applications", filter=~Q(applications__status__in=CLOSED_STATUSES)),
            last_closed_at=Max(Coalesce("applications__decided_at", "applications__stage_entered_at")),
        )
        .filter(n_applications__gt=0, n_open=0)
        .filter(past)
    )


def candidate_export(*, candidate: Candidate) -> dict:
    """Everything held about a candidate: their row, every row that depends on it (applications,
    moves, interviews, scorecards, decisions...) and the change history."""
    collector = NestedObjects(using=router.db_for_write(Candidate))
    collector.collect([candidate])
    flat: list[models.Model] = [candidate]
    for model, instances in collector.data.items():
        if model is not Candidate:
            flat.extend(sorted(instances, key=lambda obj: obj.pk))
    application_ids = [obj.pk for obj in flat if obj._meta.label == "hiring.Application"]
    for model in _with_history(Candidate)[1:]:
        flat.extend(model.objects.filter(id=candidate.pk).order_by("history_date"))
    application_model = _model("hiring.Application")
    for model in _with_history(application_model)[1:]:
        flat.extend(model.objects.filter(id__in=application_ids).order_by("history_date"))
    records = serializers.serialize("python", flat)
    by_model: dict[str, list[dict]] = {}
    for record in records:
        by_model.setdefault(record["model"], []).append({"id": record["pk"], **record["fields"]})
    return {
        "candidate_id": candidate.pk,
        "company": candidate.company.name,
        "exported_at": timezone.now(),
        "data": by_model,
    }


def candidate_export_json(*, candidate: Candidate) -> str:
    """`candidate_export` as a JSON document."""
    return json.dumps(candidate_export(candidate=candidate), cls=DjangoJSONEncoder, indent=2)


def candidates_export_json(*, candidates: Iterable[Candidate]) -> str:
    """`candidate_export` of several candidates as one JSON list."""
    documents = [candidate_export(candidate=c) for c in candidates]
    return json.dumps(documents, cls=DjangoJSONEncoder, indent=2)


# -- writes -----------------------------------------------------------------------------------------


@transaction.atomic
def candidate_anonymise(
    *, candidate: Candidate, reason: str = ErasureReason.RETENTION, actor=None, now=None
) -> ErasureLog | None:
    """Overwrite a candidate's personal data everywhere it is held, history included; delete the
    résumé files after commit. Idempotent: an anonymised candidate is left alone (returns None)."""
    now = now or timezone.now()
    locked = Candidate.objects.select_for_update().filter(pk=candidate.pk, anonymised_at__isnull=True).first()
    if locked is None:
        return None
    summary: dict[str, int] = {}
    candidate_models = _with_history(Candidate)
    files = {locked.resume.name} if locked.resume else set()
    for model in candidate_models[1:]:
        files |= set(model.objects.filter(id=locked.pk).exclude(resume="").values_list("resume", flat=True))
    personal = {
        "name": f"Anonymised candidate {locked.pk}",
        "email": f"anonymised-{locked.pk}@invalid.example",
        "retain_until": None,
        "anonymised_at": now,
        **dict.fromkeys(CANDIDATE_CLEARED, ""),
    }
    Candidate.objects.filter(pk=locked.pk).update(**personal)
    for model in candidate_models[1:]:
        summary[model._meta.label] = model.objects.filter(id=locked.pk).update(
            **personal, history_change_reason=None
        )
    for label, (path, fields) in PERSONAL_TEXT.items():
        base = _model(label)
        if base is None:
            continue
        for model in _with_history(base):
            updates = {
                f: Case(When(**{f: ""}, then=Value("")), default=Value(REDACTED)) for f in fields
            }
            if model is not base:
                updates["history_change_reason"] = None
            changed = model.objects.filter(**{path: locked.pk}).update(**updates)
            if changed:
                summary[model._meta.label] = summary.get(model._meta.label, 0) + changed
    for label, (path, fields) in PERSONAL_JSON.items():
        base = _model(label)
        if base is None:
            continue
        for obj in base.objects.filter(**{path: locked.pk}).only("pk", *fields):
            for f in fields:
                setattr(obj, f, _redact(getattr(obj, f)))
            obj.save(update_fields=list(fields))
    summary["files"] = len(files)
    log = ErasureLog.objects.create(
        company_id=locked.company_id,
        candidate_id=locked.pk,
        reason=reason,
        actor=actor,
        summary=summary,
        erased_at=now,
    )
    transaction.on_commit(lambda: _delete_files(files))
    return log


def _delete_files(names: Iterable[str]) -> None:
    storage = Candidate._meta.get_field("resume").storage  # the private storage
    for name in names:
        if name and storage.exists(name):
            storage.delete(name)


def candidate_erase(*, candidate: Candidate, actor) -> ErasureLog | None:
    """Erase a candidate now, on their request, whatever the state of their applications."""
    return candidate_anonymise(candidate=candidate, reason=ErasureReason.REQUEST, actor=actor)


def candidates_anonymise_past_retention(*, now=None, limit: int | None = None) -> int:
    """Anonymise every candidate past retention, each in its own transaction (a failure leaves the
    others done). Returns how many were anonymised; a second run finds none."""
    ids = list(candidates_past_retention(now=now).order_by("pk").values_list("pk", flat=True)[:limit])
    done = 0
    for candidate in Candidate.objects.filter(pk__in=ids).order_by("pk"):
        if candidate_anonymise(candidate=candidate, now=now) is not None:
            done += 1
    return done


@transaction.atomic
def retention_schedule_install(*, hour: int = 3, minute: int = 30):
    """Install (or update) the daily beat schedule of the retention task. Idempotent."""
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(minute), hour=str(hour), day_of_week="*", day_of_month="*", month_of_year="*",
        timezone=timezone.get_default_timezone_name(),
    )
    task, _ = PeriodicTask.objects.update_or_create(
        name=RETENTION_SCHEDULE_NAME,
        defaults={"task": RETENTION_TASK, "crontab": crontab, "interval": None, "enabled": True},
    )
    return task


def access_log_record(*, user, object_type: str, object_id: str, view: str, company_id: int | None = None):
    """Log that `user` opened a page of one object with candidate data; None if it does not exist.
    `company_id`: the object's company when the caller has the object already (no lookup)."""
    from .selectors import company_path_of

    model = _model(object_type)
    path = company_path_of(model) if model is not None else None
    if path is None:
        return None
    if company_id is None:
        try:
            company_id = model._base_manager.filter(pk=object_id).values_list(path, flat=True).first()
        except (ValueError, TypeError):
            return None
    if company_id is None:
        return None
    return AccessLog.objects.create(
        company_id=company_id,
        user=user,
        username=user.get_username(),
        object_type=object_type,
        object_id=object_id,
        view=view[:100],
        viewed_at=timezone.now(),
    )
