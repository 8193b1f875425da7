"""Writes for the interviews app: rubric releases for templates' kits, interviews and their panels,
scorecards (draft, submit, amend) and stage decisions. Interview plans are in plans.py."""

import datetime
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from hiring.models import (
    Application,
    ApplicationStatus,
    Membership,
    RejectionKind,
    RejectionReason,
)
from hiring.services import (
    application_advance,
    application_check_expected,
    application_hire,
    application_reject,
    rejection_reason_check,
)
from rubrics.models import Rubric
from rubrics.services import rubric_lock, rubric_new_version

from .ai_use import AIUseInput, ai_use_errors, ai_use_write
from .models import (
    Decision,
    DecisionOutcome,
    Interview,
    InterviewKit,
    InterviewStatus,
    Rating,
    Recommendation,
    Scorecard,
    ScorecardAmendment,
    ScorecardStatus,
)
from .notifications.producers import (
    interview_notify_cancelled,
    interview_notify_off_panel,
    interview_notify_rescheduled,
    interview_notify_scheduled,
)
from .outcomes import CheckInput, GateInput, outcomes_errors, outcomes_write
from .overrides import decision_bar, overrides_create
from .reference_checks import ReferenceInput, reference_errors, reference_write
from .scorecard_rules import EVIDENCE_KEY, RatingInput, _evidence_competency, scorecard_check_complete  # noqa: F401
from .selectors import scorecard_version, user_owes_scorecard


@transaction.atomic
def rubric_release_new_version(*, rubric: Rubric) -> Rubric:
    """Create the next version of a rubric and point every process template's kits at it.

    Kits of jobs keep the version their scores were given with.
    """
    new = rubric_new_version(rubric=rubric)
    InterviewKit.objects.filter(rubric=rubric, stage__template__isnull=False).update(rubric=new)
    return new


# --- Interviews -----------------------------------------------------------------------------


def interview_time_zone(name: str) -> zoneinfo.ZoneInfo:
    """The time zone an interview is shown in, or a ValidationError saying the name is unknown (the
    interview form shows the same refusal on its time zone field)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a path
        raise ValidationError(f"Unknown time zone {name!r}; use an IANA name such as Europe/Paris.") from None


def interview_check(
    *,
    application: Application,
    kit: InterviewKit,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    time_zone: str,
    interviewers: Iterable[Membership],
) -> None:
    """Refuse an interview that cannot happen as described (the same check the admin form shows)."""
    errors = []
    if kit.stage.job_id != application.job_id:
        errors.append(f"The kit {kit.name} is not part of this job's interview plan.")
    if ends_at <= starts_at:
        errors.append("The interview must end after it starts.")
    try:
        interview_time_zone(time_zone)
    except ValidationError as exc:
        errors.extend(exc.messages)
    interviewers = list(interviewers)
    if not interviewers:
        errors.append("Choose at least one interviewer.")
    strangers = [m.display_name for m in interviewers if m.company_id != application.company_id]
    if strangers:
        errors.append(f"Not members of {application.company}: {', '.join(strangers)}.")
    if application.status not in (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD):
        errors.append(
            f"This application is {application.get_status_display().lower()}; it has no more interviews."
        )
    if errors:
        raise ValidationError(errors)


def _scorecard_untouched(scorecard: Scorecard) -> bool:
    """A draft nobody has written anything in yet."""
    return (
        scorecard.status == ScorecardStatus.DRAFT
        and not scorecard.recommendation
        and not scorecard.summary.strip()
        and not scorecard.red_flags.exists()
        and not scorecard.ratings.filter(Q(score__isnull=False) | ~Q(evidence="")).exists()
    )


def interview_check_panel(*, interview: Interview, interviewers: Iterable[Membership]) -> None:
    """Refuse a panel change that would drop a scorecard somebody has started or submitted."""
    wanted = {m.pk for m in interviewers}
    if not wanted:
        raise ValidationError("An interview keeps at least one interviewer.")
    for scorecard in interview.scorecards.select_related("interviewer").exclude(interviewer_id__in=wanted):
        if not _scorecard_untouched(scorecard):
            raise ValidationError(
                f"{scorecard.interviewer.display_name} has already started or submitted a scorecard "
                "for this interview and stays on the panel."
            )


@transaction.atomic
def interview_set_interviewers(*, interview: Interview, interviewers: Iterable[Membership]) -> Interview:
    """Assign the panel: a draft scorecard for each new interviewer; a removed interviewer's draft
    is deleted only while nothing has been written in it."""
    wanted = {m.pk: m for m in interviewers}
    strangers = [m.display_name for m in wanted.values() if m.company_id != interview.company_id]
    if strangers:
        raise ValidationError(f"Not members of this company: {', '.join(strangers)}.")
    interview_check_panel(interview=interview, interviewers=wanted.values())
    current = {sc.interviewer_id: sc for sc in interview.scorecards.select_related("interviewer__user")}
    removed = [sc.interviewer for member_id, sc in current.items() if member_id not in wanted]
    for member_id, scorecard in current.items():
        if member_id not in wanted:
            scorecard.delete()
    added = [member_id for member_id in wanted if member_id not in current]
    Scorecard.objects.bulk_create(
        Scorecard(
            company_id=interview.company_id,
            interview=interview,
            interviewer_id=member_id,
            interview_starts_at=interview.starts_at,
        )
        for member_id in added
    )
    if interview.status == InterviewStatus.SCHEDULED and interview.ends_at > timezone.now():
        # The invite goes to whoever has not had it for this version of the interview yet; whoever
        # was taken off the panel gets a cancellation of their invite.
        interview_notify_scheduled(interview=interview)
        interview_notify_off_panel(interview=interview, members=removed)
    return interview


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    kit: InterviewKit,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    time_zone: str = "UTC",
    location: str = "",
    video_url: str = "",
    interviewers: Iterable[Membership],
) -> Interview:
    """Schedule one session of a kit of the job's plan, with a draft scorecard per interviewer."""
    interviewers = list(interviewers)
    ends_at = ends_at or starts_at + datetime.timedelta(minutes=kit.duration_minutes)
    interview_check(
        application=application,
        kit=kit,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        interviewers=interviewers,
    )
    interview = Interview.objects.create(
        company_id=application.company_id,
        application=application,
        kit=kit,
        starts_at=starts_at,
        ends_at=ends_at,
        timezone=time_zone,
        location=location.strip(),
        video_url=video_url.strip(),
    )
    interview_set_interviewers(interview=interview, interviewers=interviewers)
    return interview


def _lock_interview(interview: Interview, *allowed: str) -> Interview:
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    if locked.status not in allowed:
        raise ValidationError(
            f"This interview is {locked.get_status_display().lower()}; it cannot be changed that way."
        )
    return locked


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    time_zone: str | None = None,
    location: str | None = None,
    video_url: str | None = None,
) -> Interview:
    """Move a scheduled interview; the invite's sequence goes up so calendars replace the old one."""
    locked = _lock_interview(interview, InterviewStatus.SCHEDULED)
    interview_check(
        application=locked.application,
        kit=locked.kit,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone or locked.timezone,
        interviewers=[sc.interviewer for sc in locked.scorecards.select_related("interviewer")],
    )
    moved = (starts_at, ends_at, time_zone or locked.timezone) != (
        locked.starts_at,
        locked.ends_at,
        locked.timezone,
    )
    previous_start = locked.starts_at
    locked.starts_at, locked.ends_at = starts_at, ends_at
    locked.timezone = time_zone or locked.timezone
    if location is not None:
        locked.location = location.strip()
    if video_url is not None:
        locked.video_url = video_url.strip()
    if moved:
        locked.sequence += 1
    locked.save()
    if starts_at != previous_start:
        # The scorecard list is ordered by this copy of the start.
        locked.scorecards.update(interview_starts_at=starts_at)
    if moved:
        interview_notify_rescheduled(interview=locked, previous_start=previous_start)
    return locked


def _set_status(interview: Interview, status: str, *allowed: str) -> Interview:
    locked = _lock_interview(interview, *allowed)
    locked.status = status
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence"])
    interview.status, interview.sequence = locked.status, locked.sequence
    return locked


@transaction.atomic
def interview_cancel(*, interview: Interview) -> Interview:
    """Cancel a scheduled interview; its scorecards are no longer owed."""
    locked = _set_status(interview, InterviewStatus.CANCELLED, InterviewStatus.SCHEDULED)
    interview_notify_cancelled(interview=locked)
    return locked


@transaction.atomic
def interview_complete(*, interview: Interview, now: datetime.datetime | None = None) -> Interview:
    """Mark a scheduled interview as held, once it has started."""
    if interview.starts_at > (now or timezone.now()):
        raise ValidationError("This interview has not started yet.")
    return _set_status(interview, InterviewStatus.COMPLETED, InterviewStatus.SCHEDULED)


@transaction.atomic
def interview_mark_no_show(*, interview: Interview, now: datetime.datetime | None = None) -> Interview:
    """Record that the candidate did not come; the scorecards are no longer owed."""
    if interview.starts_at > (now or timezone.now()):
        raise ValidationError("This interview has not started yet.")
    return _set_status(interview, InterviewStatus.NO_SHOW, InterviewStatus.SCHEDULED)


# --- Scorecards -----------------------------------------------------------------------------


class ScorecardConflict(ValidationError):
    """The scorecard changed since the page that posted was loaded: submitted, or amended, meanwhile
    (another tab or window). The admin keeps what was typed and says what happened."""


def _lock_scorecard(scorecard: Scorecard) -> Scorecard:
    return Scorecard.objects.select_for_update().select_related("interview__kit__rubric").get(pk=scorecard.pk)


def _write(
    locked: Scorecard,
    *,
    ratings: Iterable[RatingInput],
    red_flag_ids: Iterable[int],
    recommendation: str,
    summary: str,
    complete: bool,
    gates: Iterable[GateInput] = (),
    checks: Iterable[CheckInput] = (),
    ai_use: AIUseInput | None = None,
    reference: ReferenceInput | None = None,
) -> None:
    """Write the content of a scorecard; `complete` applies the rules of a submitted scorecard."""
    rubric = locked.interview.kit.rubric
    competencies = {c.pk: c for c in rubric.competencies.all()}
    ratings, gates, checks = list(ratings), list(gates), list(checks)
    errors = outcomes_errors(rubric, gates, checks, complete=complete)
    errors += ai_use_errors(locked.interview.kit, ai_use) + reference_errors(
        locked, reference, complete=complete
    )
    unknown = [r.competency_id for r in ratings if r.competency_id not in competencies]
    if unknown:
        errors.append("Some ratings are for competencies of another rubric.")
    for r in ratings:
        name = competencies.get(r.competency_id, None)
        if r.score is not None and not rubric.scale_min <= r.score <= rubric.scale_max:
            errors.append(f"{name}: choose a score from {rubric.scale_min} to {rubric.scale_max}.")
    flag_ids = set(red_flag_ids)
    allowed_flags = set(rubric.red_flags.values_list("pk", flat=True))
    if flag_ids - allowed_flags:
        errors.append("Some red flags are not part of this rubric.")
    if recommendation and recommendation not in Recommendation.values:
        errors.append("Choose a recommendation: strong no, no, yes or strong yes.")
    if complete:
        try:
            scorecard_check_complete(
                ratings=ratings, recommendation=recommendation, scores_required=bool(competencies)
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                name = competencies.get(_evidence_competency(key))
                errors += [f"{name}: {m}" if name else m for m in messages]
    if errors:
        raise ValidationError(errors)
    existing = {r.competency_id: r for r in locked.ratings.all()}
    new, changed = [], []
    for r in ratings:
        row = existing.get(r.competency_id)
        if row is None:
            new.append(
                Rating(
                    scorecard=locked,
                    competency_id=r.competency_id,
                    score=r.score,
                    evidence=r.evidence.strip(),
                    scale_min=rubric.scale_min,
                    scale_max=rubric.scale_max,
                )
            )
        elif (row.score, row.evidence) != (r.score, r.evidence.strip()):
            row.score, row.evidence = r.score, r.evidence.strip()
            changed.append(row)
    Rating.objects.bulk_create(new)
    Rating.objects.bulk_update(changed, ["score", "evidence"])
    locked.red_flags.set(flag_ids)
    outcomes_write(locked, gates, checks)
    ai_use_write(locked, ai_use)
    reference_write(locked, reference)
    locked.recommendation = recommendation
    locked.summary = summary.strip()
    if any(r.score is not None for r in ratings):
        # Scores now refer to this rubric: its meaning may no longer change.
        rubric_lock(rubric=rubric)


def _refuse_not_owed(locked: Scorecard) -> None:
    if locked.interview.status not in (InterviewStatus.SCHEDULED, InterviewStatus.COMPLETED):
        raise ValidationError(
            f"The interview was {locked.interview.get_status_display().lower()}; no scorecard is expected."
        )


@transaction.atomic
def scorecard_save_draft(
    *,
    scorecard: Scorecard,
    ratings: Iterable[RatingInput],
    red_flag_ids: Iterable[int] = (),
    recommendation: str = "",
    summary: str = "",
    gates: Iterable[GateInput] = (),
    checks: Iterable[CheckInput] = (),
    ai_use: AIUseInput | None = None,
    reference: ReferenceInput | None = None,
) -> Scorecard:
    """Save a draft to resume later. Scores must be on the scale; the rest may be incomplete."""
    locked = _lock_scorecard(scorecard)
    if locked.status != ScorecardStatus.DRAFT:
        raise ScorecardConflict("This scorecard has been submitted; amend it with a reason to change it.")
    _refuse_not_owed(locked)
    _write(
        locked,
        ratings=ratings,
        red_flag_ids=red_flag_ids,
        recommendation=recommendation,
        summary=summary,
        complete=False,
        gates=gates,
        checks=checks,
        ai_use=ai_use,
        reference=reference,
    )
    locked.save()
    return locked


@transaction.atomic
def scorecard_submit(
    *,
    scorecard: Scorecard,
    ratings: Iterable[RatingInput],
    red_flag_ids: Iterable[int] = (),
    recommendation: str,
    summary: str = "",
    now: datetime.datetime | None = None,
    gates: Iterable[GateInput] = (),
    checks: Iterable[CheckInput] = (),
    ai_use: AIUseInput | None = None,
    reference: ReferenceInput | None = None,
) -> Scorecard:
    """Submit a scorecard: evidence for every score, a recommendation; it is locked afterwards."""
    locked = _lock_scorecard(scorecard)
    if locked.status != ScorecardStatus.DRAFT:
        raise ScorecardConflict("This scorecard has already been submitted.")
    _refuse_not_owed(locked)
    now = now or timezone.now()
    if locked.interview.starts_at > now:
        raise ValidationError("The interview has not started yet; submit the scorecard after it.")
    _write(
        locked,
        ratings=ratings,
        red_flag_ids=red_flag_ids,
        recommendation=recommendation,
        summary=summary,
        complete=True,
        gates=gates,
        checks=checks,
        ai_use=ai_use,
        reference=reference,
    )
    locked.status = ScorecardStatus.SUBMITTED
    locked.submitted_at = now
    locked.save()
    return locked


def scorecard_snapshot(scorecard: Scorecard) -> dict:
    """A scorecard's content as JSON, kept with an amendment."""
    return {
        "recommendation": scorecard.recommendation,
        "summary": scorecard.summary,
        "submitted_at": scorecard.submitted_at.isoformat() if scorecard.submitted_at else None,
        "red_flags": sorted(scorecard.red_flags.values_list("description", flat=True)),
        "ratings": [
            {
                "competency": r.competency.name,
                "competency_id": r.competency_id,
                "score": r.score,
                "evidence": r.evidence,
            }
            for r in scorecard.ratings.select_related("competency")
        ],
    }


@transaction.atomic
def scorecard_amend(
    *,
    scorecard: Scorecard,
    reason: str,
    actor,
    ratings: Iterable[RatingInput],
    red_flag_ids: Iterable[int] = (),
    recommendation: str,
    summary: str = "",
    expected_version: int | None = None,
    gates: Iterable[GateInput] = (),
    checks: Iterable[CheckInput] = (),
    ai_use: AIUseInput | None = None,
    reference: ReferenceInput | None = None,
) -> ScorecardAmendment:
    """Change a submitted scorecard, keeping what it said before and why it changed.

    `expected_version` is the version the amendment was written against (see
    `scorecard_version`): when another amendment was saved meanwhile, this one is refused
    (ScorecardConflict) instead of silently replacing it.
    """
    locked = _lock_scorecard(scorecard)
    if locked.status != ScorecardStatus.SUBMITTED:
        raise ValidationError("Only a submitted scorecard is amended; save the draft instead.")
    if expected_version is not None:
        # Counted under the scorecard's row lock: a concurrent amendment has committed by now.
        version = scorecard_version(amendment_count=locked.amendments.count())
        if version != expected_version:
            raise ScorecardConflict(
                f"This scorecard was amended meanwhile (it is now at version {version}, your "
                f"amendment was written against version {expected_version}); nothing was saved."
            )
    if not reason.strip():
        raise ValidationError("Say why the scorecard is amended.")
    amendment = ScorecardAmendment.objects.create(
        scorecard=locked, amended_by=actor, reason=reason.strip(), previous=scorecard_snapshot(locked)
    )
    _write(
        locked,
        ratings=ratings,
        red_flag_ids=red_flag_ids,
        recommendation=recommendation,
        summary=summary,
        complete=True,
        gates=gates,
        checks=checks,
        ai_use=ai_use,
        reference=reference,
    )
    locked.save()
    return amendment


# --- Decisions ------------------------------------------------------------------------------


@transaction.atomic
def decision_record(
    *,
    application: Application,
    outcome: str,
    actor,
    reason: str = "",
    rejection_reason: RejectionReason | None = None,
    expected_stage_id: int | None = None,
    expected_status: str | None = None,
    overrides: dict[str, str] | None = None,
) -> Decision:
    """Record the decision for the application's current stage next to the hire-bar verdict, and
    make the move it decides (advance, reject, hire) in the same transaction.

    A decision against the verdict needs a written reason, kept with the decision: for advance
    and reject, the verdict of the current stage; for a hire, the loop's (every stage with a bar
    passed; a failed or missing verdict needs the reason). The job's
    hiring manager may override failing clauses (`overrides`: {"<stage id>-<clause id>": reason},
    interviews.overrides), each with its own reason, recorded on the decision; a stage whose every
    failing clause is overridden counts as passed. The verdict is
    the one the actor may read; an actor who still owes a scorecard on the application may not
    decide (independence: the verdict would show them the others' scores). With
    `expected_stage_id` / `expected_status` (what the decision form showed), a decision for an
    application moved meanwhile is refused and nothing is recorded.
    """
    if outcome not in DecisionOutcome.values:
        raise ValidationError(f"Unknown decision {outcome!r}.")
    expected = {"expected_stage_id": expected_stage_id, "expected_status": expected_status}
    application_check_expected(application=application, **expected)
    if user_owes_scorecard(user=actor, application_id=application.pk):
        raise ValidationError("You still owe a scorecard for this candidate: submit it before deciding.")
    if outcome == DecisionOutcome.REJECT:
        rejection_reason_check(
            company_id=application.company_id, reason=rejection_reason, kind=RejectionKind.COMPANY
        )
    stage = application.stage
    bar = decision_bar(application=application, actor=actor, outcome=outcome, overrides=overrides)
    if bar.against and not reason.strip():
        raise ValidationError(bar.against_message)
    decision = Decision.objects.create(
        company_id=application.company_id,
        application=application,
        stage=stage,
        outcome=outcome,
        verdict_passed=bar.verdict_passed,
        against_verdict=bar.against,
        reason=reason.strip(),
        verdict_snapshot=bar.snapshot,
        decided_by=actor,
    )
    overrides_create(decision=decision, actor=actor, overridden=bar.overridden)
    note = reason.strip() or f"Decision: {DecisionOutcome(outcome).label.lower()}."
    if outcome == DecisionOutcome.ADVANCE:
        application_advance(application=application, actor=actor, note=note, **expected)
    elif outcome == DecisionOutcome.REJECT:
        application_reject(
            application=application, reason=rejection_reason, actor=actor, note=reason, **expected
        )
    else:
        application_hire(application=application, actor=actor, note=note, **expected)
    return decision
