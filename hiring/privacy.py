"""Candidate data: retention, anonymisation, export and erasure.

Anonymisation keeps every row (counts, stages, scores and decisions stay for the dashboards) and
overwrites the personal values wherever an app declares them (`PERSONAL_DATA` next to its models,
see hiring/personal_data.py): the candidate's name, email, phone, links, résumé files, notes,
interview details, scorecard evidence, the outbox, the admin log, the access log, unconfirmed
import files, and the same values in the change-history tables.
"""

import datetime
import json
import re
from collections.abc import Iterable

from django.apps import apps
from django.contrib.admin.utils import NestedObjects
from django.core import serializers
from django.core.files.storage import Storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.db.models import Case, Count, F, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import AccessLog, ApplicationStatus, Candidate, Company, ErasureLog, ErasureReason, Stage
from .personal_data import (
    REDACTED,
    CandidateRows,
    Erasure,
    ErasureHook,
    ObjectReferences,
    personal_data_declarations,
)

CLOSED_STATUSES = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)
RETENTION_TASK = "hiring.tasks.candidates_anonymise_past_retention_task"
RETENTION_SCHEDULE_NAME = "Anonymise candidates past their retention period"
IMPORT_SWEEP_TASK = "hiring.tasks.import_previews_sweep_task"
IMPORT_SWEEP_SCHEDULE_NAME = "Delete import previews older than an hour"
SHORTEST_SCRUBBED = 3  # shorter values (initials) are not cut out of free text


def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _with_history(model: type[models.Model]) -> list[type[models.Model]]:
    history = getattr(model, "history", None)
    historical = getattr(history, "model", None)
    return [model, historical] if historical is not None else [model]


def _redact(value, keep: frozenset[str] = frozenset()):
    """Overwrite the strings of a JSON value, keeping the values under the keys in `keep`."""
    if isinstance(value, dict):
        return {k: (v if k in keep else _redact(v, keep)) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(v, keep) for v in value]
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
        "paid_stages": _paid_stages(application_ids),
    }


def _paid_stages(application_ids: list[int]) -> list[dict]:
    """The pay terms of the paid stages of the jobs the candidate applied to (one query)."""
    stages = (
        Stage.objects.filter(job__applications__in=application_ids, is_paid=True)
        .order_by("job_id", "position", "id")
        .values("job_id", "name", "pay_amount", "pay_currency", "pay_unit", "pay_expenses")
        .distinct()
    )
    return [
        {
            "job": row["job_id"],
            "stage": row["name"],
            "amount": row["pay_amount"],
            "currency": row["pay_currency"],
            "unit": row["pay_unit"],
            "expenses_reimbursed": row["pay_expenses"],
        }
        for row in stages
    ]


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
    """Overwrite a candidate's personal data everywhere an app declares it (PERSONAL_DATA, see
    hiring/personal_data.py), history tables, admin log and access log included; delete their files
    after commit. Idempotent: an anonymised candidate is left alone (returns None)."""
    now = now or timezone.now()
    locked = Candidate.objects.select_for_update().filter(pk=candidate.pk, anonymised_at__isnull=True).first()
    if locked is None:
        return None
    erasure = _erasure_of(locked, now=now)
    declarations = personal_data_declarations()
    # The rows of the candidate, by model, before anything is overwritten: the references name them.
    owned: dict[type[models.Model], list] = {}
    for declaration in declarations:
        if isinstance(declaration, CandidateRows):
            owned[declaration.model] = _anonymise_rows(declaration, erasure)
    for declaration in declarations:
        if isinstance(declaration, ObjectReferences):
            _anonymise_references(declaration, owned, erasure)
        elif isinstance(declaration, ErasureHook):
            erasure.count(declaration.name, import_string(declaration.function)(erasure))
    Candidate.objects.filter(pk=locked.pk).update(retain_until=None, anonymised_at=now)
    erasure.summary["files"] = len(erasure.files)
    log = ErasureLog.objects.create(
        company_id=locked.company_id,
        candidate_id=locked.pk,
        reason=reason,
        actor=actor,
        summary=erasure.summary,
        erased_at=now,
    )
    files = set(erasure.files)
    transaction.on_commit(lambda: _delete_files(files))
    return log


def _erasure_of(candidate: Candidate, *, now) -> Erasure:
    """What is known of the candidate, now and in their history: emails, and the values to scrub."""
    rows = [
        {
            "name": candidate.name,
            "email": candidate.email,
            "phone": candidate.phone,
            "resume": candidate.resume.name,
        }
    ]
    for model in _with_history(Candidate)[1:]:
        rows.extend(model.objects.filter(id=candidate.pk).values("name", "email", "phone", "resume"))
    values = set()
    for row in rows:
        values.update(v.strip().lower() for v in (row["name"], row["email"], row["phone"]) if v)
        if row["resume"]:
            values.update((row["resume"].lower(), row["resume"].rsplit("/", 1)[-1].lower()))
    return Erasure(
        candidate_id=candidate.pk,
        company_id=candidate.company_id,
        now=now,
        emails=frozenset(row["email"].lower() for row in rows if row["email"]),
        values=frozenset(v for v in values if len(v) >= SHORTEST_SCRUBBED),
    )


def _candidate_filter(declaration: CandidateRows, candidate_id: int) -> Q:
    condition = Q(pk__in=[])
    for path in declaration.paths:
        condition |= Q(**{path: candidate_id})
    return condition


def _anonymise_rows(declaration: CandidateRows, erasure: Erasure) -> list:
    """Overwrite the declared fields of the candidate's rows of one model and of its history rows.
    Returns the primary keys of the live rows."""
    base = declaration.model
    condition = _candidate_filter(declaration, erasure.candidate_id)
    pks = list(base._base_manager.filter(condition).values_list("pk", flat=True))
    updates = {}
    for f in declaration.text:
        keep_empty = Q(**{f: ""}) | Q(**{f"{f}__isnull": True})
        output = base._meta.get_field(f)
        updates[f] = Case(When(keep_empty, then=F(f)), default=Value(REDACTED), output_field=output)
    for f in (*declaration.clear, *declaration.files):
        updates[f] = Value("")
    for f, value in declaration.replace.items():
        is_expression = hasattr(value, "resolve_expression")
        updates[f] = value if is_expression else Value(value.format(candidate_id=erasure.candidate_id))
    for model in _with_history(base):
        rows = model._base_manager.filter(condition)
        for f in declaration.files:
            storage = base._meta.get_field(f).storage
            names = rows.exclude(**{f: ""}).values_list(f, flat=True)
            erasure.files.update((storage, name) for name in names if name)
        history_updates = {"history_change_reason": None} if model is not base else {}
        if updates or history_updates:
            erasure.count(model._meta.label, rows.update(**updates, **history_updates))
        if declaration.json:
            for obj in rows.only("pk", *declaration.json):
                for f in declaration.json:
                    setattr(obj, f, _redact(getattr(obj, f), declaration.keep))
                obj.save(update_fields=list(declaration.json))
    if declaration.after is not None:
        declaration.after(base._base_manager.filter(pk__in=pks))
    return pks


def _anonymise_references(declaration: ObjectReferences, owned: dict, erasure: Erasure) -> None:
    """Overwrite the declared fields of the rows that name one of the candidate's rows."""
    from django.contrib.contenttypes.models import ContentType

    model = declaration.model
    type_field = model._meta.get_field(declaration.type_field)
    condition = Q(pk__in=[])
    for target, pks in owned.items():
        if not pks:
            continue
        if type_field.is_relation:
            content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
            kind = {declaration.type_field: content_type}
        else:
            kind = {declaration.type_field: target._meta.label_lower}
        condition |= Q(**kind, **{f"{declaration.id_field}__in": [str(pk) for pk in pks]})
    fields = (*declaration.text, *declaration.json, *declaration.scrub)
    changed = 0
    for obj in model._base_manager.filter(condition).only("pk", *fields):
        for f in declaration.text:
            if getattr(obj, f):
                setattr(obj, f, REDACTED)
        for f in declaration.json:
            setattr(obj, f, _redact_json_or_text(getattr(obj, f), declaration.keep))
        for f in declaration.scrub:
            setattr(obj, f, _scrub(getattr(obj, f), erasure.values))
        obj.save(update_fields=list(fields))
        changed += 1
    erasure.count(model._meta.label, changed)


def _redact_json_or_text(value, keep: frozenset[str]):
    """A JSON value, or a text column holding JSON, with its strings overwritten (see _redact); a
    text that holds no JSON is overwritten whole."""
    if not isinstance(value, str):
        return _redact(value, keep)
    if not value:
        return value
    try:
        return json.dumps(_redact(json.loads(value), keep))
    except ValueError:
        return REDACTED


def _scrub(text: str, values: frozenset[str]) -> str:
    """`text` with every occurrence of the values (case-insensitive) cut out."""
    if not text:
        return text
    for value in sorted(values, key=len, reverse=True):
        text = re.sub(re.escape(value), REDACTED, text, flags=re.IGNORECASE)
    return text


def _delete_files(files: Iterable[tuple[Storage, str]]) -> None:
    """Through each file field's own storage (a shared object store in production, say)."""
    for storage, name in files:
        if storage.exists(name):
            storage.delete(name)


def candidate_erase(*, candidate: Candidate, actor) -> ErasureLog | None:
    """Erase a candidate now, on their request, whatever the state of their applications."""
    return candidate_anonymise(candidate=candidate, reason=ErasureReason.REQUEST, actor=actor)


def candidates_delete(*, candidates: Iterable[Candidate], actor) -> int:
    """Delete candidates as an erasure: each one's personal data is overwritten everywhere first (the
    admin log, history tables and files included), so that the rows a deletion leaves behind (its
    log entry, the "deleted" history rows) hold none of it. Returns how many were deleted."""
    deleted = 0
    for candidate in candidates:
        with transaction.atomic():
            candidate_anonymise(candidate=candidate, reason=ErasureReason.DELETED, actor=actor)
            deleted += Candidate.objects.filter(pk=candidate.pk).delete()[1].get(Candidate._meta.label, 0)
    return deleted


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
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=timezone.get_default_timezone_name(),
    )
    task, _ = PeriodicTask.objects.update_or_create(
        name=RETENTION_SCHEDULE_NAME,
        defaults={"task": RETENTION_TASK, "crontab": crontab, "interval": None, "enabled": True},
    )
    return task


@transaction.atomic
def import_sweep_schedule_install(*, minutes: int = 10):
    """Install (or update) the beat schedule that deletes stale import previews. Idempotent."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period=IntervalSchedule.MINUTES)
    task, _ = PeriodicTask.objects.update_or_create(
        name=IMPORT_SWEEP_SCHEDULE_NAME,
        defaults={"task": IMPORT_SWEEP_TASK, "interval": interval, "crontab": None, "enabled": True},
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
