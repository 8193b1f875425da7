"""Import candidates and their applications from one CSV or XLSX file, all or nothing.

One row is one application: a job (by id or by title), the candidate's email and name, and
optionally phone, location, links, source and the stage to start in. A known email in the job's
company updates that candidate instead of creating a duplicate. Every row is checked before
anything is written; if any row fails, nothing is written.

The file is streamed, never held as rows: a first pass checks every row, CHUNK rows at a time
(with the jobs and stages they name looked up once), and remembers only which candidate each row
is for; a second pass, in one transaction, writes CHUNK rows at a time with bulk inserts
(candidates, applications, their history rows and the "Imported." stage changes). Memory stays
flat however long the file is.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .import_writes import BATCH, import_rows_create
from .models import Application, ApplicationStatus, Candidate, Job, JobStatus, Source, Stage, StageChange
from .tagging import tags_add_from_text
from .xlsx import XlsxLimit, XlsxLimits, xlsx_rows

DEFAULT_MAX_ROWS = 5000
MAX_COLUMNS = 100  # columns of any row
MAX_CELL_CHARS = 10_000  # characters of any cell; the longest field kept is far shorter
CHUNK = 2000  # rows checked, and then written, at a time

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
    "tags",  # comma-separated names of the company's tags, added to the candidate's
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


# Import notifiers: how the candidates of an import are told (the "application received" email of
# the interviews app's outbox) without the hiring app importing it. Called INSIDE the import's
# transaction with the entry stage change of each application it creates, and only when the person
# importing chose to tell the candidates; they write outbox rows there and enqueue on commit only.
IMPORT_NOTIFIERS: list[Callable[[StageChange], object]] = []


def register_import_notifier(handler: Callable[[StageChange], object]) -> Callable[[StageChange], object]:
    """Call `handler(change)` for each application an import creates with notify_candidates.
    Registering twice is a no-op."""
    if handler not in IMPORT_NOTIFIERS:
        IMPORT_NOTIFIERS.append(handler)
    return handler


def import_max_rows() -> int:
    return int(getattr(settings, "HIRELOOP_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _normalise(header) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


class ImportRows:
    """The rows of an uploaded file, keyed by the canonical column names. They are parsed again
    from the file's content on each pass instead of being kept: `numbered()` yields (line, row) with
    the line as in the file (header = line 1); `len()` is the number of rows; `rows[:20]` a preview."""

    def __init__(self, *, records: Callable[[], Iterator[tuple[int, list]]], mapping: dict, count: int):
        self._records = records
        self.mapping = mapping
        self.count = count

    def numbered(self) -> Iterator[tuple[int, dict]]:
        for line, raw in self._records():
            row = dict.fromkeys(COLUMNS, "")
            for canonical, index in self.mapping.items():
                value = raw[index] if index < len(raw) else ""
                row[canonical] = "" if value is None else str(value).strip()
            if any(row.values()):
                yield line, row

    def __iter__(self) -> Iterator[dict]:
        return (row for _, row in self.numbered())

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(islice(iter(self), index.start, index.stop, index.step))
        for row in islice(iter(self), index, None):
            return row
        raise IndexError(index)


def _cell_too_long(line: int) -> ImportRefused:
    return ImportRefused(
        f"Line {line}: a cell is longer than {MAX_CELL_CHARS:,} characters; shorten it and try again."
    )


def _too_many_rows(max_rows: int) -> ImportRefused:
    return ImportRefused(
        f"The file has more than {max_rows} rows; at most {max_rows} can be imported at once."
    )


def _csv_records(text: str) -> Callable[[], Iterator[tuple[int, list]]]:
    def records():
        reader = csv.reader(io.StringIO(text))
        line = 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The csv module's own field limit (131,072 characters) is far above ours.
                if "field larger than field limit" in str(exc):
                    raise _cell_too_long(line)
                raise
            start, line = line, reader.line_num + 1
            if any(len(value) > MAX_CELL_CHARS for value in record):
                raise _cell_too_long(start)
            if record:  # a blank line is no row
                yield start, record

    return records


def _xlsx_records(content: bytes, *, max_rows: int) -> Callable[[], Iterator[tuple[int, list]]]:
    limits = XlsxLimits(rows=max_rows + 1, columns=MAX_COLUMNS, cell_chars=MAX_CELL_CHARS)

    def records():
        try:
            yield from xlsx_rows(io.BytesIO(content), limits=limits)
        except XlsxLimit as exc:
            if exc.what.startswith("the sheet has more than"):
                raise _too_many_rows(max_rows)
            if exc.what.startswith("a cell is longer"):
                raise _cell_too_long(exc.line)
            where = f"Line {exc.line}: " if exc.line else ""
            raise ImportRefused(f"{where}The workbook was refused: {exc.what}.")

    return records


def import_file_read(*, content: bytes, file_name: str, max_rows: int | None = None) -> ImportRows:
    """Check a CSV (UTF-8) or XLSX file and return its rows, read lazily (see ImportRows).

    Raises ImportRefused for a file that is empty, not UTF-8, unreadable, over the row limit or
    missing a required column. Nothing is written.
    """
    max_rows = import_max_rows() if max_rows is None else max_rows
    if not content or not content.strip():
        raise ImportRefused("The file is empty.")
    name = file_name.lower()
    if name.endswith(".xlsx"):
        unreadable = "The file could not be read as an Excel (XLSX) workbook."
        records = _xlsx_records(content, max_rows=max_rows)
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
        if "\x00" in text:
            raise ImportRefused("The file is not UTF-8 text. Save it as CSV UTF-8 and try again.")
        # Counted before parsing: a file over the limit is refused without further work.
        lines = sum(1 for line in io.StringIO(text) if line.strip()) - 1
        if lines > max_rows:
            raise ImportRefused(f"The file has {lines} rows; at most {max_rows} can be imported at once.")
        unreadable = "The file could not be read as CSV (check that every row has the same columns)."
        records = _csv_records(text)
    else:
        raise ImportRefused("Upload a .csv (UTF-8) or .xlsx file.")

    # One pass over the file: the header, the number of rows, and no row wider than the header.
    try:
        stream = records()
        _, header = next(stream, (0, []))
        headers = [_normalise(h) for h in header]
        if not any(headers):
            raise ImportRefused("The file is empty.")
        count = 0
        for _, record in stream:
            if len(record) > len(headers):
                raise ImportRefused(unreadable)
            count += 1
            if count > max_rows:  # checked while reading: the rest of the file is never parsed
                break
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(unreadable)
    if count > max_rows:
        raise _too_many_rows(max_rows)
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

    def data_records():
        stream = records()
        next(stream, None)  # the header
        yield from stream

    rows = ImportRows(records=data_records, mapping=mapping, count=0)
    rows.count = sum(1 for _ in rows.numbered())
    if not rows.count:
        raise ImportRefused("The file has a header but no rows.")
    return rows


def _chunks(items, size: int = BATCH):
    """Lists of `size` items of any iterable, the last one shorter."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Jobs:
    """Jobs of the given companies named by the rows (by id, and by lower-cased title) and their
    stage plans, looked up once per chunk for the names not seen before."""

    def __init__(self, company_ids: list[int]):
        self.company_ids = company_ids
        self.by_id: dict[int, Job] = {}
        self.by_title: dict[str, list[Job]] = defaultdict(list)
        self.plans: dict[int, list[Stage]] = defaultdict(list)
        self._ids_seen: set[int] = set()
        self._titles_seen: set[str] = set()

    def load(self, rows: list[dict]) -> None:
        ids = {int(r["job_id"]) for r in rows if r.get("job_id", "").isdigit()} - self._ids_seen
        titles = {
            r["job_title"].lower() for r in rows if not r.get("job_id") and r.get("job_title")
        } - self._titles_seen
        self._ids_seen |= ids
        self._titles_seen |= titles
        found = []
        for chunk in _chunks(sorted(ids)):
            for job in Job.objects.filter(company_id__in=self.company_ids, pk__in=chunk):
                self.by_id[job.pk] = job
                found.append(job)
        for chunk in _chunks(sorted(titles)):
            jobs = Job.objects.annotate(title_lower=Lower("title")).filter(
                company_id__in=self.company_ids, title_lower__in=chunk
            )
            for job in jobs:
                self.by_title[job.title_lower].append(job)
                found.append(job)
        new = sorted({job.pk for job in found} - self.plans.keys())
        for chunk in _chunks(new):
            for stage in Stage.objects.filter(job_id__in=chunk).order_by("job_id", "position", "id"):
                self.plans[stage.job_id].append(stage)
        for job_id in new:
            self.plans.setdefault(job_id, [])


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


def _values(row: dict, clean: dict) -> dict:
    return {**{name: row.get(name, "") for name in CANDIDATE_FIELDS}, "source": clean["source"]}


@dataclass
class _Candidate:
    """What the check pass remembers of a candidate named on several rows: the first row's line,
    the line of each of its jobs, and the later rows' values (a non-empty value overwrites)."""

    jobs: dict[int, int]
    values: dict[str, str] = field(default_factory=dict)


def applications_import(
    *,
    rows: Iterable[dict],
    company_ids: Iterable[int],
    actor=None,
    dry_run: bool = False,
    max_rows: int | None = None,
    notify_candidates: bool = False,
) -> ImportReport:
    """Check every row, then (unless dry_run or any row failed) create and update in bulk, in one
    transaction.

    Candidates are told only with notify_candidates: each application created (not one that was
    there already) then gets its "application received" email, written in the same transaction.

    Jobs are looked up only in `company_ids`: a job of another company is unknown. Returns a
    report with the counts and the row errors (line numbers as in the file, header = line 1).
    `rows` is what import_file_read returns, or any list of rows (line = position + 2).
    """
    max_rows = import_max_rows() if max_rows is None else max_rows
    if isinstance(rows, ImportRows):
        numbered = rows.numbered
    else:
        rows = list(rows)

        def numbered():
            return ((index + 2, row) for index, row in enumerate(rows))

    report = ImportReport(rows=len(rows))
    if len(rows) > max_rows:
        raise ImportRefused(f"The file has {len(rows)} rows; at most {max_rows} can be imported at once.")
    jobs = _Jobs(list(company_ids))
    url_validator = URLValidator()

    def checked(chunk):
        jobs.load([row for _, row in chunk])
        for line, row in chunk:
            errors, clean = _check_row(line, row, jobs.by_id, jobs.by_title, jobs.plans, url_validator)
            yield line, row, clean, errors

    # Pass 1: check every row. Remembered per candidate (company, lower-cased email): the line and
    # job of its first row, and for candidates on several rows, the _Candidate above.
    first: dict[tuple[int, str], tuple[int, int]] = {}
    repeated: dict[tuple[int, str], _Candidate] = {}
    for chunk in _chunks(numbered(), CHUNK):
        for line, row, clean, errors in checked(chunk):
            if "email" in clean and "job" in clean:
                key, job_id = (clean["job"].company_id, clean["email"].lower()), clean["job"].pk
                if key not in first:
                    first[key] = (line, job_id)
                else:
                    seen = repeated.setdefault(key, _Candidate(jobs={first[key][1]: first[key][0]}))
                    if job_id in seen.jobs:
                        errors.append(f"the same candidate and job are already on line {seen.jobs[job_id]}")
                    else:
                        seen.jobs[job_id] = line
                        seen.values.update((k, v) for k, v in _values(row, clean).items() if v)
            for message in errors:
                report.errors.append(RowError(line, message))
    if report.errors:
        return report

    # Pass 2: count, and unless dry_run write, chunk by chunk in one transaction.
    with nullcontext() if dry_run else transaction.atomic():
        now = timezone.now()
        for chunk in _chunks(numbered(), CHUNK):
            _import_chunk(
                list(checked(chunk)),
                first=first,
                repeated=repeated,
                report=report,
                actor=actor,
                now=now,
                write=not dry_run,
                notify=notify_candidates,
            )
    report.written = not dry_run
    return report


def _import_chunk(
    chunk, *, first, repeated, report: ImportReport, actor, now, write: bool, notify: bool = False
) -> None:
    """Create or update the candidates first named in this chunk and create the applications that
    are not there yet, with their history rows and "Imported." stage changes."""
    keys = {(clean["job"].company_id, clean["email"].lower()) for _, _, clean, _ in chunk}
    known: dict[tuple[int, str], Candidate] = {}
    for part in _chunks(sorted(keys)):
        emails = {email for _, email in part}
        companies = {cid for cid, _ in part}
        for candidate in Candidate.objects.annotate(email_lower=Lower("email")).filter(
            company_id__in=companies, email_lower__in=emails
        ):
            if (candidate.company_id, candidate.email_lower) in keys:
                known[(candidate.company_id, candidate.email_lower)] = candidate
    job_ids = {clean["job"].pk for _, _, clean, _ in chunk}
    existing_pairs = set()
    for part in _chunks([c.pk for c in known.values()]):
        existing_pairs.update(
            Application.objects.filter(candidate_id__in=part, job_id__in=job_ids).values_list(
                "candidate_id", "job_id"
            )
        )

    new: dict[tuple[int, str], dict] = {}  # candidate rows to create, by key
    tag_texts: dict[tuple[int, str], str] = {}  # the "tags" column, by key (added after the writes)
    changed: list[Candidate] = []
    changed_fields: set[str] = set()
    to_apply = []
    for line, row, clean, _ in chunk:
        key = (clean["job"].company_id, clean["email"].lower())
        if first[key][0] == line:
            values = _values(row, clean)
            if key in repeated:
                values.update(repeated[key].values)
            tag_texts[key] = values.pop("tags", "")
            candidate = known.get(key)
            if candidate is None:
                new[key] = {
                    "company_id": key[0],
                    "email": clean["email"],
                    **{
                        name: value or (Source.OTHER if name == "source" else "")
                        for name, value in values.items()
                    },
                }
            else:
                # A known candidate: only the values the file gives overwrite.
                fields = [n for n, value in values.items() if value and getattr(candidate, n) != value]
                for name in fields:
                    setattr(candidate, name, values[name])
                if fields:
                    changed.append(candidate)
                    changed_fields.update(fields)
        candidate = known.get(key)
        if candidate is not None and (candidate.pk, clean["job"].pk) in existing_pairs:
            report.applications_existing += 1
            continue
        to_apply.append((key, clean))
    report.candidates_created += len(new)
    report.candidates_updated += len(changed)
    report.applications_created += len(to_apply)
    if not write:
        return

    if new:
        import_rows_create(Candidate, list(new.values()), actor=actor, now=now)
    if changed:
        bulk_update_with_history(
            changed, Candidate, sorted(changed_fields), batch_size=BATCH, default_user=actor
        )
    ids = {key: row["id"] for key, row in new.items()} | {key: c.pk for key, c in known.items()}
    tags_add_from_text(texts={(k[0], ids[k]): text for k, text in tag_texts.items() if text})
    applications = []
    for key, clean in to_apply:
        # A candidate first named in an earlier chunk was written then and is known now.
        if key in new:
            candidate_id, candidate_source = new[key]["id"], new[key]["source"]
        else:
            candidate_id, candidate_source = known[key].pk, known[key].source
        applications.append(
            {
                "company_id": clean["job"].company_id,
                "candidate_id": candidate_id,
                "job_id": clean["job"].pk,
                "stage_id": clean["stage"].pk,
                "status": ApplicationStatus.ACTIVE,
                "source": clean["source"] or candidate_source or Source.OTHER,
                "applied_at": now,
                "stage_entered_at": now,
            }
        )
    if not applications:
        return
    import_rows_create(Application, applications, actor=actor, now=now)
    changes = [
        {
            "company_id": a["company_id"],
            "application_id": a["id"],
            "from_stage_id": None,
            "to_stage_id": a["stage_id"],
            "from_status": "",
            "to_status": ApplicationStatus.ACTIVE,
            "actor_id": actor.pk if actor is not None else None,
            "note": "Imported.",
            "created_at": now,
        }
        for a in applications
    ]
    import_rows_create(StageChange, changes, actor=actor, now=now, history=False)
    if notify:
        for row in changes:
            change = StageChange(**row)
            for handler in IMPORT_NOTIFIERS:
                handler(change)
