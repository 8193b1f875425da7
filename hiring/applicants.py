"""Candidates who apply themselves (the careers site's application form).

`application_submit` is the one write of a posted form, in one transaction:

- **Once per form.** The form carries a random key; the first post records it
  (`ApplicationSubmission`, unique key), a replayed post or a second click finds it and writes
  nothing more (`SubmissionResult.replayed`).
- **One candidate per address and company.** The candidate is found by email, whatever its case
  (the `candidate_email_unique_per_company` constraint), or created; two forms racing to create
  the same candidate meet on that constraint and the second uses the first's row. An existing
  candidate's details are filled only where empty.
- **The usual entry.** The application enters the plan's first stage through
  `services.application_create` (its move history and its "application received" email, in the
  candidate's language), with the source "careers site".
- **No enumeration.** An address that already applied to the job gets the same result as a new
  one: nothing is created or changed, and the caller answers exactly as for a fresh application.

A résumé saved to the storage by a transaction that then fails is deleted again.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from .models import Application, ApplicationSubmission, Candidate, Job, Source
from .resume_text import candidate_resume_text_refresh
from .services import application_create

# Details of a candidate that a form fills only where the candidate has none yet.
FILLED_WHEN_EMPTY = ("phone", "location", "linkedin_url", "github_url", "website_url")


@dataclass(frozen=True)
class ApplicantDetails:
    """What the form asks of the candidate (checked by the form: sizes, URLs, the résumé's content)."""

    name: str
    email: str
    phone: str = ""
    location: str = ""
    linkedin_url: str = ""
    github_url: str = ""
    website_url: str = ""
    resume: UploadedFile | None = None
    language: str = ""


@dataclass(frozen=True)
class SubmissionResult:
    submission: ApplicationSubmission
    # True when this key had been posted before: nothing was written this time.
    replayed: bool
    # The application this post created; None on a replay and when the address had already applied.
    application: Application | None


def candidate_by_email(*, company_id: int, email: str) -> Candidate | None:
    """The company's candidate with this address, whatever its case (uses the unique index)."""
    return (
        Candidate.objects.alias(email_lower=Lower("email"))
        .filter(company_id=company_id, email_lower=email.strip().lower())
        .order_by("pk")
        .first()
    )


def application_submit(
    *,
    job: Job,
    key: str,
    details: ApplicantDetails,
    today: datetime.date | None = None,
    record_answers: Callable[[Application], object] | None = None,
) -> SubmissionResult:
    """Apply to a job from the careers site (see the module docstring). `record_answers(application)`
    runs in the same transaction right after the application is created (the job's questionnaire).
    Raises ValidationError when the job takes no applications (closed, no stages)."""
    saved: list = []
    try:
        return _submit(
            job=job, key=key, details=details, today=today, record_answers=record_answers, saved=saved
        )
    except BaseException:
        for file in saved:  # the transaction is undone: so is the file it stored
            file.storage.delete(file.name)
        raise


@transaction.atomic
def _submit(*, job, key, details, today, record_answers, saved) -> SubmissionResult:
    earlier = ApplicationSubmission.objects.filter(key=key).first()
    if earlier is not None:
        return SubmissionResult(submission=earlier, replayed=True, application=None)
    try:
        with transaction.atomic():
            submission = ApplicationSubmission.objects.create(company_id=job.company_id, job=job, key=key)
    except IntegrityError:
        # A second click that arrived while the first was being written: the first one's row.
        earlier = ApplicationSubmission.objects.get(key=key)
        return SubmissionResult(submission=earlier, replayed=True, application=None)

    today = today or timezone.localdate()
    nothing = SubmissionResult(submission=submission, replayed=False, application=None)
    candidate = candidate_by_email(company_id=job.company_id, email=details.email)
    created = False
    if candidate is None:
        candidate = _candidate_create(job=job, details=details, today=today, saved=saved)
        created = candidate is not None
        if not created:  # another form created this address meanwhile: theirs is used
            candidate = candidate_by_email(company_id=job.company_id, email=details.email)
    if not created:
        if Application.objects.filter(candidate=candidate, job=job).exists():
            return nothing
        _candidate_fill(candidate=candidate, details=details, today=today, saved=saved)
    try:
        with transaction.atomic():
            application = application_create(
                candidate=candidate, job=job, source=Source.CAREERS_SITE, actor=None
            )
            if record_answers is not None:
                record_answers(application)
    except IntegrityError:
        # Another form of the same address for the same job won the race (application_one_per_job).
        return nothing
    except ValidationError:
        if Application.objects.filter(candidate=candidate, job=job).exists():
            return nothing  # ... and committed between the check above and application_create's
        raise
    submission.application = application
    submission.save(update_fields=["application"])
    return SubmissionResult(submission=submission, replayed=False, application=application)


def _candidate_create(*, job, details: ApplicantDetails, today, saved) -> Candidate | None:
    values = {f.name: getattr(details, f.name) for f in fields(details) if f.name != "resume"}
    candidate = Candidate(company_id=job.company_id, source=Source.CAREERS_SITE, consent_on=today, **values)
    candidate.email = details.email.strip()
    if details.resume is not None:
        candidate.resume = details.resume
    try:
        with transaction.atomic():
            candidate.full_clean(exclude=["resume"], validate_constraints=False)
            candidate.save()
    except IntegrityError:
        # Another form created this address in the meantime: the caller uses theirs.
        if candidate.resume and candidate.resume.name and candidate.resume._committed:
            candidate.resume.storage.delete(candidate.resume.name)
        return None
    if candidate.resume:
        saved.append(candidate.resume)
        candidate_resume_text_refresh(candidate=candidate)
    return candidate


def _candidate_fill(*, candidate: Candidate, details: ApplicantDetails, today, saved) -> None:
    """Fill the candidate's empty details from the form; record the consent and the language."""
    changed = ["consent_on", "language"]
    candidate.consent_on = today
    # The language they just used: the emails this application causes are written in it.
    candidate.language = details.language or candidate.language
    for name in FILLED_WHEN_EMPTY:
        value = getattr(details, name)
        if value and not getattr(candidate, name):
            setattr(candidate, name, value)
            changed.append(name)
    if details.resume is not None and not candidate.resume:
        candidate.resume = details.resume
        changed.append("resume")
    candidate.save(update_fields=changed)
    if "resume" in changed:
        saved.append(candidate.resume)
        candidate_resume_text_refresh(candidate=candidate)


# --- Candidates changing their own details (the candidate portal) ----------------------------------

# What a candidate may change of their own row; the email changes only through a confirmed link.
SELF_SERVICE_FIELDS = ("name", "phone", "location", "linkedin_url", "github_url", "website_url", "time_zone")


@transaction.atomic
def candidate_details_update(*, candidate: Candidate, changes: dict[str, str]) -> list[str]:
    """Set the candidate's own details (SELF_SERVICE_FIELDS only, checked by the model) with a
    history row; returns the names of the fields that changed (empty: nothing was written)."""
    unknown = set(changes) - set(SELF_SERVICE_FIELDS)
    if unknown:
        raise ValidationError(f"These details cannot be changed here: {', '.join(sorted(unknown))}.")
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(locked, name, changes[name])
    locked.full_clean(exclude=["company", "resume"], validate_unique=False)
    locked.save(update_fields=changed)
    for name in changed:
        setattr(candidate, name, changes[name])
    return changed


@transaction.atomic
def candidate_email_change(*, candidate: Candidate, email: str) -> None:
    """Give the candidate a new address (once its owner confirmed it): refused with a
    ValidationError when another candidate of the company already has it."""
    email = email.strip()
    taken = (
        Candidate.objects.filter(company_id=candidate.company_id, email__iexact=email)
        .exclude(pk=candidate.pk)
        .exists()
    )
    if taken:
        raise ValidationError("Another candidate of this company already has this address.")
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    locked.email = email
    locked.full_clean(exclude=["company", "resume"], validate_unique=False)
    try:
        with transaction.atomic():
            locked.save(update_fields=["email"])
    except IntegrityError as exc:  # taken meanwhile
        raise ValidationError("Another candidate of this company already has this address.") from exc
    candidate.email = email
