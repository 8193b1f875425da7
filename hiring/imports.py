"""Import candidates and their applications from one CSV or XLSX file, all or nothing.

One row is one application: a job (by id or by title), the candidate's email and name, and
optionally phone, location, links, source and the stage to start in. A known email in the job's
company updates that candidate instead of creating a duplicate. Every row is checked before
anything is written; if any row fails, nothing is written. Reads and writes are batched, so the
service stays usable for large files when the row limit is raised.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from import_export.formats.base_formats import CSV, XLSX
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import Application, ApplicationStatus, Candidate, Job, JobStatus, Source, Stage, StageChange

DEFAULT_MAX_ROWS = 5000
BATCH = 1000

# Accepted spellings of each column, after lower-casing and turning spaces and dashes into "_".
COLUMNS = {
    "job_id": ("job_id", "job_number"),
    "job_title": ("job_title", "job"),
    "email": ("email", "e_mail", "email_address"),
    "name": ("name", "full_name", "candidate", "candidate_name"),
    "phone": ("phone", "phone_number"),
    "location": ("location", "city"),
    "linkedin_url": ("linkedin_url", "linkedin"),
    "github_url": ("github_url", "github"),
    "website_url": ("website_url", "website", "site"),
    "source": ("source",),
    "stage": ("stage", "stage_name"),
    "tags": ("tags",),
}
CANDIDATE_FIELDS = (
    "name",
    "phone",
    "location",
    "linkedin_url",
    "github_url",
    "website_url",
    "source",
    "tags",
)
LIMITS = {"name": 200, "phone": 50, "location": 200, "tags": 500}
SOURCES = {**{v.lower(): v for v in Source.values}, **{label.lower(): v for v, label in Source.choices}}


class ImportRefused(ValidationError):
    """The whole file is refused (unreadable, empty, too long, missing columns)."""


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    """What an import did, or would do in a dry run, and why rows were refused."""

    rows: int = 0
    candidates_created: int = 0
    candidates_updated: int = 0
    applications_created: int = 0
    applications_existing: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.candidates_created} new candidates, {self.candidates_updated} updated, "
            f"{self.applications_created} new applications, {self.applications_existing} already there."
        )


def import_max_rows() -> int:
    return int(getattr(settings, "HIRELOOP_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _normalise(header) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def import_file_read(*, content: bytes, file_name: str, max_rows: int | None = None) -> list[dict]:
    """Read a CSV (UTF-8) or XLSX file into rows keyed by the canonical column names.

    Raises ImportRefused for a file that is empty, not UTF-8, unreadable, over the row limit or
    missing a required column. Nothing is written.
    """
    max_rows = import_max_rows() if max_rows is None else max_rows
    if not content or not content.strip():
        raise ImportRefused("The file is empty.")
    name = file_name.lower()
    if name.endswith(".xlsx"):
        try:
            dataset = XLSX().create_dataset(content)
        except Exception:
            raise ImportRefused("The file could not be read as an Excel (XLSX) workbook.")
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
        if "\x00" in text:
            raise ImportRefused("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
        # Counted before parsing: a file over the limit is refused without further work.
        lines = sum(1 for line in text.splitlines()[1:] if line.strip())
        if lines > max_rows:
            raise ImportRefused(f"The file has {lines} rows; at most {max_rows} can be imported at once.")
        try:
            dataset = CSV().create_dataset(text)
        except Exception:
            raise ImportRefused(
                "The file could not be read as CSV (check that every row has the same columns)."
            )
    else:
        raise ImportRefused("Upload a .csv (UTF-8) or .xlsx file.")

    headers = [_normalise(h) for h in (dataset.headers or [])]
    if not any(headers):
        raise ImportRefused("The file is empty.")
    if len(dataset) > max_rows:
        raise ImportRefused(f"The file has {len(dataset)} rows; at most {max_rows} can be imported at once.")
    mapping = {}
    for canonical, spellings in COLUMNS.items():
        for index, header in enumerate(headers):
            if header in spellings and canonical not in mapping:
                mapping[canonical] = index
    missing = [c for c in ("email", "name") if c not in mapping]
    if "job_id" not in mapping and "job_title" not in mapping:
        missing.insert(0, "job_id or job_title")
    if missing:
        raise ImportRefused(
            f"Missing columns: {', '.join(missing)}. Found: {', '.join(h for h in headers if h)}."
        )
    rows = []
    for raw in dataset:
        row = dict.fromkeys(COLUMNS, "")
        for canonical, index in mapping.items():
            value = raw[index] if index < len(raw) else ""
            row[canonical] = "" if value is None else str(value).strip()
        if any(row.values()):
            rows.append(row)
    if not rows:
        raise ImportRefused("The file has a header but no rows.")
    return rows


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _find_jobs(rows: list[dict], company_ids: list[int]) -> tuple[dict, dict]:
    """Jobs of the given companies named by the rows: by id, and by lower-cased title."""
    ids = {int(r["job_id"]) for r in rows if r.get("job_id", "").isdigit()}
    titles = {r["job_title"].lower() for r in rows if not r.get("job_id") and r.get("job_title")}
    by_id, by_title = {}, defaultdict(list)
    for chunk in _chunks(sorted(ids)):
        for job in Job.objects.filter(company_id__in=company_ids, pk__in=chunk):
            by_id[job.pk] = job
    for chunk in _chunks(sorted(titles)):
        jobs = Job.objects.annotate(title_lower=Lower("title")).filter(
            company_id__in=company_ids, title_lower__in=chunk
        )
        for job in jobs:
            by_title[job.title_lower].append(job)
    return by_id, by_title


def _check_row(
    line: int, row: dict, jobs_by_id, jobs_by_title, plans, url_validator
) -> tuple[list[str], dict]:
    """Validate one row without touching the database; returns its errors and cleaned values."""
    errors, clean = [], {}
    email = row.get("email", "")
    try:
        validate_email(email)
        clean["email"] = email
    except ValidationError:
        errors.append(f"malformed email {email!r}" if email else "the email is missing")
    if not row.get("name"):
        errors.append("the name is missing")
    for name, limit in LIMITS.items():
        if len(row.get(name, "")) > limit:
            errors.append(f"{name} is longer than {limit} characters")
    for name in ("linkedin_url", "github_url", "website_url"):
        value = row.get(name, "")
        if value:
            try:
                url_validator(value)
            except ValidationError:
                errors.append(f"{name.replace('_url', '')} is not a valid address: {value!r}")
    source = row.get("source", "")
    if source and source.lower() not in SOURCES:
        errors.append(f"unknown source {source!r} (use one of {', '.join(Source.values)})")
    clean["source"] = SOURCES.get(source.lower(), Source.OTHER) if source else ""

    job = None
    job_id, title = row.get("job_id", ""), row.get("job_title", "")
    if job_id:
        job = jobs_by_id.get(int(job_id)) if job_id.isdigit() else None
        if job is None:
            errors.append(f"unknown job {job_id!r} (no such job in your companies)")
    elif title:
        found = jobs_by_title.get(title.lower(), [])
        if not found:
            errors.append(f"unknown job {title!r} (no job with this title in your companies)")
        elif len(found) > 1:
            errors.append(f"several jobs are titled {title!r}; use the job_id column")
        else:
            job = found[0]
    else:
        errors.append("the job is missing")
    if job is not None:
        clean["job"] = job
        plan = plans.get(job.pk, [])
        if job.status == JobStatus.CLOSED:
            errors.append(f"the job {job.title} is closed")
        elif not plan:
            errors.append(f"the job {job.title} has no stages yet")
        stage_name = row.get("stage", "")
        if stage_name and plan:
            stage = next((s for s in plan if s.name.lower() == stage_name.lower()), None)
            if stage is None:
                errors.append(f"the stage {stage_name!r} is not part of the plan of {job.title}")
            clean["stage"] = stage
        elif plan:
            clean["stage"] = plan[0]
    return errors, clean


def applications_import(
    *,
    rows: list[dict],
    company_ids: Iterable[int],
    actor=None,
    dry_run: bool = False,
    max_rows: int | None = None,
) -> ImportReport:
    """Check every row, then (unless dry_run or any row failed) create and update in bulk.

    Jobs are looked up only in `company_ids`: a job of another company is unknown. Returns a
    report with the counts and the row errors (line numbers as in the file, header = line 1).
    """
    max_rows = import_max_rows() if max_rows is None else max_rows
    report = ImportReport(rows=len(rows))
    if len(rows) > max_rows:
        raise ImportRefused(f"The file has {len(rows)} rows; at most {max_rows} can be imported at once.")
    company_ids = list(company_ids)
    jobs_by_id, jobs_by_title = _find_jobs(rows, company_ids)
    job_ids = {j.pk for j in jobs_by_id.values()} | {j.pk for js in jobs_by_title.values() for j in js}
    plans = defaultdict(list)
    for chunk in _chunks(sorted(job_ids)):
        for stage in Stage.objects.filter(job_id__in=chunk).order_by("job_id", "position", "id"):
            plans[stage.job_id].append(stage)

    url_validator = URLValidator()
    checked = []  # (line, row, clean)
    seen_pairs = {}
    for index, row in enumerate(rows):
        line = index + 2
        errors, clean = _check_row(line, row, jobs_by_id, jobs_by_title, plans, url_validator)
        if "email" in clean and "job" in clean:
            pair = (clean["email"].lower(), clean["job"].pk)
            if pair in seen_pairs:
                errors.append(f"the same candidate and job are already on line {seen_pairs[pair]}")
            else:
                seen_pairs[pair] = line
        for message in errors:
            report.errors.append(RowError(line, message))
        checked.append((line, row, clean))
    if report.errors:
        return report

    # Candidates already known in the jobs' companies, by lower-cased email.
    keys = sorted({(c["job"].company_id, c["email"].lower()) for _, _, c in checked})
    known: dict[tuple[int, str], Candidate] = {}
    for chunk in _chunks(keys):
        emails = {email for _, email in chunk}
        companies = {cid for cid, _ in chunk}
        for candidate in Candidate.objects.annotate(email_lower=Lower("email")).filter(
            company_id__in=companies, email_lower__in=emails
        ):
            known[(candidate.company_id, candidate.email_lower)] = candidate
    existing_pairs = set()
    known_ids = [c.pk for c in known.values()]
    for chunk in _chunks(known_ids):
        existing_pairs.update(
            Application.objects.filter(candidate_id__in=chunk, job_id__in=job_ids).values_list(
                "candidate_id", "job_id"
            )
        )

    new_candidates: dict[tuple[int, str], Candidate] = {}
    changed: dict[int, Candidate] = {}
    changed_fields: set[str] = set()
    for _, row, clean in checked:
        key = (clean["job"].company_id, clean["email"].lower())
        values = {name: row.get(name, "") for name in CANDIDATE_FIELDS}
        values["source"] = clean["source"]
        candidate = known.get(key)
        if candidate is None:
            candidate = new_candidates.get(key)
            if candidate is None:
                candidate = Candidate(company_id=key[0], email=clean["email"])
                new_candidates[key] = candidate
            for name, value in values.items():
                if value or not getattr(candidate, name):
                    setattr(candidate, name, value or (Source.OTHER if name == "source" else ""))
            continue
        # A known candidate: only the values the file gives overwrite.
        for name, value in values.items():
            if value and getattr(candidate, name) != value:
                setattr(candidate, name, value)
                changed[candidate.pk] = candidate
                changed_fields.add(name)

    report.candidates_created = len(new_candidates)
    report.candidates_updated = len(changed)
    pairs_to_create = []
    for _, _, clean in checked:
        key = (clean["job"].company_id, clean["email"].lower())
        candidate = known.get(key)
        if candidate is not None and (candidate.pk, clean["job"].pk) in existing_pairs:
            report.applications_existing += 1
            continue
        pairs_to_create.append((key, clean))
    report.applications_created = len(pairs_to_create)
    if dry_run:
        return report

    _write(
        actor=actor,
        new_candidates=list(new_candidates.values()),
        changed=list(changed.values()),
        changed_fields=sorted(changed_fields),
        known=known,
        new_by_key=new_candidates,
        pairs_to_create=pairs_to_create,
    )
    report.written = True
    return report


@transaction.atomic
def _write(*, actor, new_candidates, changed, changed_fields, known, new_by_key, pairs_to_create) -> None:
    """Write everything in one transaction, in batches, with change history rows."""
    if new_candidates:
        bulk_create_with_history(new_candidates, Candidate, batch_size=BATCH, default_user=actor)
        missing = [c for c in new_candidates if c.pk is None]
        if missing:  # databases that do not return ids from bulk inserts
            lookup = {
                (c.company_id, c.email.lower()): c.pk
                for c in Candidate.objects.filter(company_id__in={m.company_id for m in missing})
            }
            for candidate in missing:
                candidate.pk = lookup[(candidate.company_id, candidate.email.lower())]
    if changed:
        bulk_update_with_history(changed, Candidate, changed_fields, batch_size=BATCH, default_user=actor)

    now = timezone.now()
    applications = []
    for key, clean in pairs_to_create:
        candidate = known.get(key) or new_by_key[key]
        applications.append(
            Application(
                company_id=clean["job"].company_id,
                candidate_id=candidate.pk,
                job_id=clean["job"].pk,
                stage_id=clean["stage"].pk,
                status=ApplicationStatus.ACTIVE,
                source=clean["source"] or candidate.source or Source.OTHER,
                applied_at=now,
                stage_entered_at=now,
            )
        )
    if not applications:
        return
    bulk_create_with_history(applications, Application, batch_size=BATCH, default_user=actor)
    if any(a.pk is None for a in applications):
        rows = Application.objects.filter(applied_at=now, job_id__in={a.job_id for a in applications})
        ids = {(c, j): pk for c, j, pk in rows.values_list("candidate_id", "job_id", "pk")}
        for application in applications:
            application.pk = ids[(application.candidate_id, application.job_id)]
    changes = [
        StageChange(
            company_id=a.company_id,
            application_id=a.pk,
            from_stage=None,
            to_stage_id=a.stage_id,
            from_status="",
            to_status=ApplicationStatus.ACTIVE,
            actor=actor,
            note="Imported.",
            created_at=now,
        )
        for a in applications
    ]
    StageChange.objects.bulk_create(changes, batch_size=BATCH)
