"""Writes of what the candidate does from the portal, and of the staff answers to it: the track
of a stage (chosen by the candidate, or recorded by staff with a note), take-home hand-ins,
requests for more time (asked by the candidate, accepted or refused by staff) and the
candidate-experience survey. Each service locks the application, writes its audit rows and its
outbox rows in one transaction. The rules and reads are in portal_selectors.py."""

import datetime
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from hiring.models import Application, ApplicationTrack, Track
from hiring.uploads import UploadValidator

from .handins import (
    HANDIN_KINDS,
    HANDIN_MAX_FILES,
    HANDIN_MAX_LINKS,
    ExtensionRequest,
    ExtensionStatus,
    HandIn,
    HandInFile,
    HandInLink,
    LateHandIns,
    SurveyAnswer,
    SurveyReceipt,
    TrackChange,
)
from .models import Decision, InterviewKit
from .notifications.portal import extension_notify, handin_notify, track_change_notify
from .portal_selectors import (
    EXTENSION_MAX_DAYS,
    handin_deadline,
    handin_kit_refusal,
    late_handins,
    survey_refusal,
    track_change_refusal,
)

NOTE_MAX = 2000


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("job").get(pk=application.pk)


# --- Tracks -------------------------------------------------------------------------------------


@transaction.atomic
def application_track_choose(
    *, application: Application, track: Track, actor=None, note: str = "", by_candidate: bool = False
) -> TrackChange | None:
    """Choose or change the track of one stage: by the candidate (`by_candidate`) or recorded by
    staff (`actor`, with a note saying how the candidate told them). Refused once that stage's
    interviews are scheduled. Writes the change and the emails; None when nothing changed."""
    note = note.strip()
    if not by_candidate and not note:
        raise ValidationError("Say how the candidate told you (a note is kept with the change).")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"The note may be at most {NOTE_MAX} characters.")
    locked = _lock(application)
    stage = track.stage
    refusal = track_change_refusal(application=locked, stage=stage)
    if refusal:
        raise ValidationError(refusal, code="refused")
    current = ApplicationTrack.objects.filter(application_id=locked.pk, stage_id=stage.pk).first()
    if current is not None and current.track_id == track.pk:
        return None
    ApplicationTrack.objects.update_or_create(
        application_id=locked.pk, stage_id=stage.pk, defaults={"track": track}
    )
    change = TrackChange.objects.create(
        company_id=locked.company_id,
        application=locked,
        stage=stage,
        from_track_id=current.track_id if current else None,
        to_track=track,
        actor=None if by_candidate else actor,
        by_candidate=by_candidate,
        note=note,
        created_at=timezone.now(),
    )
    track_change_notify(change)
    return change


# --- Take-home hand-ins ---------------------------------------------------------------------------

_https = URLValidator(schemes=["https"])


def _links_checked(links: list[str]) -> list[str]:
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > HANDIN_MAX_LINKS:
        raise ValidationError(f"At most {HANDIN_MAX_LINKS} links.", code="links")
    for link in cleaned:
        if len(link) > 500:
            raise ValidationError("A link may be at most 500 characters.", code="links")
        try:
            _https(link)
        except ValidationError as exc:
            raise ValidationError(f"Not a valid https:// address: {link[:100]}", code="links") from exc
    return list(dict.fromkeys(cleaned))


def _files_checked(files: list) -> None:
    if len(files) > HANDIN_MAX_FILES:
        raise ValidationError(f"At most {HANDIN_MAX_FILES} files.", code="files")
    check = UploadValidator(HANDIN_KINDS)
    for upload in files:
        check(upload)  # by content, and at most HIRELOOP_UPLOAD_MAX_MB
        upload.seek(0)


def _take_home_open(application: Application, kit: InterviewKit) -> Application:
    """The application, locked, when `kit` is one of its take-homes open to a hand-in (not handed
    in yet); else ValidationError."""
    locked = _lock(application)
    refusal = handin_kit_refusal(application=locked, kit=kit)
    if refusal:
        raise ValidationError(refusal, code="refused")
    if HandIn.objects.filter(application_id=locked.pk, kit_id=kit.pk).exists():
        raise ValidationError("You already handed this in.", code="already")
    return locked


@transaction.atomic
def handin_submit(
    *,
    application: Application,
    kit: InterviewKit,
    files: list,
    links: list[str],
    comment: str = "",
    now: datetime.datetime | None = None,
) -> HandIn:
    """Hand in a take-home or trial: files (checked by content, size-limited) and https links,
    once per kit. After the deadline it is refused, or accepted and flagged as late, as the
    company chose. Writes the candidate's receipt and the team's email."""
    now = now or timezone.now()
    locked = _take_home_open(application, kit)
    links = _links_checked(links)
    if not files and not links:
        raise ValidationError("Hand in at least one file or one link.", code="empty")
    if len(comment) > 4000:
        raise ValidationError("The comment may be at most 4000 characters.")
    _files_checked(files)
    deadline = handin_deadline(application=locked, kit=kit)
    late = deadline is not None and now > deadline
    if late and late_handins(locked.company_id) == LateHandIns.REFUSE:
        raise ValidationError(
            "The deadline has passed: hand-ins are no longer accepted. Ask for more time.", code="late"
        )
    try:
        with transaction.atomic():
            handin = HandIn.objects.create(
                company_id=locked.company_id,
                application=locked,
                kit=kit,
                comment=comment.strip(),
                deadline=deadline or now,
                is_late=late,
                submitted_at=now,
            )
    except IntegrityError as exc:  # a second tab, at the same moment
        raise ValidationError("You already handed this in.", code="already") from exc
    for upload in files:
        row = HandInFile(
            handin=handin, name=PurePosixPath(upload.name or "file").name[:200], size=upload.size or 0
        )
        row.file.save(upload.name or "file", upload, save=False)
        row.save()
    HandInLink.objects.bulk_create([HandInLink(handin=handin, url=link) for link in links])
    handin_notify(handin)
    return handin


@transaction.atomic
def extension_request_create(
    *, application: Application, kit: InterviewKit, requested_until: datetime.datetime, reason: str
) -> ExtensionRequest:
    """The candidate asks for more time on a take-home, until `requested_until`, with a reason."""
    locked = _take_home_open(application, kit)
    reason = reason.strip()
    if not reason or len(reason) > NOTE_MAX:
        raise ValidationError(f"Say why you need more time (at most {NOTE_MAX} characters).", code="reason")
    deadline = handin_deadline(application=locked, kit=kit)
    if deadline is None or requested_until <= deadline:
        raise ValidationError("Ask for a date after the current deadline.", code="date")
    if requested_until > deadline + datetime.timedelta(days=EXTENSION_MAX_DAYS):
        raise ValidationError(f"Ask for at most {EXTENSION_MAX_DAYS} more days.", code="date")
    if ExtensionRequest.objects.filter(
        application_id=locked.pk, kit_id=kit.pk, status=ExtensionStatus.REQUESTED
    ).exists():
        raise ValidationError("You already asked for more time; the team will answer soon.", code="open")
    request = ExtensionRequest.objects.create(
        company_id=locked.company_id,
        application=locked,
        kit=kit,
        requested_until=requested_until,
        reason=reason,
        created_at=timezone.now(),
    )
    extension_notify(request, deadline=deadline)
    return request


@transaction.atomic
def extension_request_decide(
    *, request: ExtensionRequest, accept: bool, actor, note: str = ""
) -> ExtensionRequest:
    """Staff accept (the requested date becomes the deadline) or refuse a request for more time."""
    locked = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ExtensionStatus.REQUESTED:
        raise ValidationError(f"This request was already {locked.get_status_display().lower()}.")
    if len(note) > NOTE_MAX:
        raise ValidationError(f"The note may be at most {NOTE_MAX} characters.")
    locked.status = ExtensionStatus.ACCEPTED if accept else ExtensionStatus.REFUSED
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note.strip()
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    application = Application.objects.get(pk=locked.application_id)
    extension_notify(locked, deadline=handin_deadline(application=application, kit=locked.kit))
    return locked


# --- The candidate-experience survey ----------------------------------------------------------------


@transaction.atomic
def survey_answer_create(*, application: Application, score: int, comment: str = "") -> SurveyAnswer:
    """The candidate's answer, once per application, after a decision. The answer keeps the job
    and the stage decided, never who answered (see handins.py); the receipt keeps only that this
    application's candidate did."""
    locked = _lock(application)
    refusal = survey_refusal(application=locked)
    if refusal:
        raise ValidationError(refusal, code="refused")
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError("Choose a score from 1 to 5.")
    if len(comment) > 2000:
        raise ValidationError("The comment may be at most 2000 characters.")
    try:
        with transaction.atomic():
            SurveyReceipt.objects.create(application=locked)
    except IntegrityError as exc:
        raise ValidationError("You already answered, thank you.", code="refused") from exc
    last = Decision.objects.filter(application_id=locked.pk).order_by("-decided_at", "-id").first()
    return SurveyAnswer.objects.create(
        company_id=locked.company_id,
        job_id=locked.job_id,
        stage_id=last.stage_id if last else locked.stage_id,
        score=score,
        comment=comment.strip(),
        answered_on=timezone.localdate(),
    )
