"""Reads and rules of the candidate's portal actions: when a track may still change, which
take-homes are open to an application and when they are due, who on the team may read a
hand-in, and whether the survey may be answered. The portal, the admin and the services
(portal_actions.py) share them."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from hiring.models import Application, ApplicationStatus, ApplicationTrack, Stage, Track
from hiring.roles import READERS
from hiring.selectors import roles_by_company

from .handins import (
    ExtensionRequest,
    ExtensionStatus,
    HandIn,
    HandInPolicy,
    KitBriefFile,
    LateHandIns,
    SurveyReceipt,
    TrackChange,
)
from .kits import kit_deadline, kit_is_candidate_facing
from .models import WINDOW_FORMATS, Decision, Interview, InterviewKit, InterviewStatus, Scorecard

OPEN = (ApplicationStatus.ACTIVE, ApplicationStatus.ON_HOLD)
EXTENSION_MAX_DAYS = 30


# --- Tracks -------------------------------------------------------------------------------------


def track_change_refusal(*, application: Application, stage: Stage) -> str | None:
    """Why the track of this stage may not be chosen or changed now, or None when it may: the
    stage must be in the application's job and offer tracks, the application open, and no
    interview of that stage scheduled (or held) yet."""
    if stage.job_id != application.job_id:
        raise ValueError("The track belongs to another job's plan.")  # never offered: a bug
    if application.status not in OPEN:
        return "This application is closed: its tracks no longer change."
    if (
        Interview.objects.filter(application_id=application.pk, kit__stage_id=stage.pk)
        .exclude(status=InterviewStatus.CANCELLED)
        .exists()
    ):
        return (
            f"The interviews of {stage.name} are already scheduled: the track can no longer change. "
            "Contact the hiring team."
        )
    return None


@dataclass
class StageTracks:
    stage: Stage
    tracks: list[Track]
    chosen_id: int | None
    locked: bool  # interviews of the stage are scheduled
    changes: list[TrackChange] = field(default_factory=list)


def application_track_stages(*, application: Application, with_changes: bool = False) -> list[StageTracks]:
    """The stages of the application's job that offer tracks, each with its tracks, the choice
    and whether it may still change (a constant number of queries)."""
    scheduled = Interview.objects.filter(application_id=application.pk, kit__stage_id=OuterRef("pk")).exclude(
        status=InterviewStatus.CANCELLED
    )
    chosen = ApplicationTrack.objects.filter(application_id=application.pk, stage_id=OuterRef("pk"))
    stages = (
        Stage.objects.filter(job_id=application.job_id, tracks__isnull=False)
        .distinct()
        .annotate(is_locked=Exists(scheduled), chosen_id=chosen.values("track_id")[:1])
        .prefetch_related(Prefetch("tracks", queryset=Track.objects.order_by("position", "id")))
        .order_by("position", "id")
    )
    changes: dict[int, list[TrackChange]] = {}
    if with_changes:
        for c in TrackChange.objects.filter(application_id=application.pk).select_related(
            "actor", "from_track", "to_track"
        ):
            changes.setdefault(c.stage_id, []).append(c)
    closed = application.status not in OPEN
    return [
        StageTracks(
            stage=s,
            tracks=list(s.tracks.all()),
            chosen_id=s.chosen_id,
            locked=s.is_locked or closed,
            changes=changes.get(s.pk, []),
        )
        for s in stages
    ]


def page_track_stages(
    *, application: Application, plan, tracks, changes, scheduled_stage_ids
) -> list[StageTracks]:
    """`application_track_stages` (with the changes) from what the application page read with the
    application: its plan (stages annotated `offers_tracks` and `chosen_track_id`), the job's
    tracks, the track changes and the stages with interviews scheduled (no query)."""
    by_stage: dict[int, list[Track]] = {}
    for track in sorted(tracks, key=lambda t: (t.position, t.pk)):
        by_stage.setdefault(track.stage_id, []).append(track)
    changed: dict[int, list[TrackChange]] = {}
    for change in sorted(changes, key=lambda c: (c.created_at, c.pk)):
        changed.setdefault(change.stage_id, []).append(change)
    closed = application.status not in OPEN
    return [
        StageTracks(
            stage=s,
            tracks=by_stage.get(s.pk, []),
            chosen_id=s.chosen_track_id,
            locked=s.pk in scheduled_stage_ids or closed,
            changes=changed.get(s.pk, []),
        )
        for s in plan
        if s.offers_tracks
    ]


# --- Take-homes -----------------------------------------------------------------------------------


def late_handins(company_id: int) -> str:
    """The company's rule for hand-ins after the deadline (refused unless it chose otherwise)."""
    policy = HandInPolicy.objects.filter(company_id=company_id).values_list("late_handins", flat=True).first()
    return policy or LateHandIns.REFUSE


def handin_kit_refusal(*, application: Application, kit: InterviewKit) -> str | None:
    """Why this kit takes no hand-in (nor request for more time) from the application now, or None:
    a candidate-facing take-home or trial of the application's current stage, of the track chosen
    there (when the kit has one), on an open application."""
    if kit.company_id != application.company_id or kit.stage_id != application.stage_id:
        return "This take-home is not part of your current step."
    if kit.format not in WINDOW_FORMATS or not kit_is_candidate_facing(kit):
        return "This session takes no hand-in."
    if application.status not in OPEN:
        return "This application is closed."
    if kit.track_id is not None:
        chosen = ApplicationTrack.objects.filter(application_id=application.pk, stage_id=kit.stage_id)
        if not chosen.filter(track_id=kit.track_id).exists():
            return "This take-home belongs to a track you did not choose."
    return None


def handin_deadline(*, application: Application, kit: InterviewKit) -> datetime.datetime | None:
    """When the hand-in is due: the latest accepted request for more time, else the day the
    application entered the stage plus the kit's window (kits.kit_deadline)."""
    extended = (
        ExtensionRequest.objects.filter(
            application_id=application.pk, kit_id=kit.pk, status=ExtensionStatus.ACCEPTED
        )
        .order_by("-requested_until")
        .values_list("requested_until", flat=True)
        .first()
    )
    base = kit_deadline(kit, application.stage_entered_at) if kit.stage_id == application.stage_id else None
    if extended is not None and (base is None or extended > base):
        return extended
    return base


@dataclass
class TakeHome:
    kit: InterviewKit
    deadline: datetime.datetime | None
    handin: HandIn | None
    extension: ExtensionRequest | None  # the latest request
    briefs: list[KitBriefFile]

    @property
    def can_ask_more_time(self) -> bool:
        return self.handin is None and (
            self.extension is None or self.extension.status != ExtensionStatus.REQUESTED
        )


def application_take_homes(*, application: Application) -> list[TakeHome]:
    """The take-homes of the application's current stage open to the candidate (their track's),
    each with its deadline, brief files, hand-in and latest request for more time. Constant
    number of queries."""
    chosen = ApplicationTrack.objects.filter(application_id=application.pk, stage_id=application.stage_id)
    kits = list(
        InterviewKit.objects.filter(
            stage_id=application.stage_id, format__in=WINDOW_FORMATS, is_internal=False
        )
        .filter(Q(track__isnull=True) | Q(track_id__in=chosen.values("track_id")))
        .prefetch_related(Prefetch("brief_files", queryset=KitBriefFile.objects.order_by("title", "id")))
        .order_by("position", "id")
    )
    ids = [k.pk for k in kits]
    handins = {
        h.kit_id: h
        for h in HandIn.objects.filter(application_id=application.pk, kit_id__in=ids).prefetch_related(
            "files", "links"
        )
    }
    requests: dict[int, list[ExtensionRequest]] = {}
    for r in ExtensionRequest.objects.filter(application_id=application.pk, kit_id__in=ids):
        requests.setdefault(r.kit_id, []).append(r)  # newest first
    result = []
    for kit in kits:
        mine = requests.get(kit.pk, [])
        accepted = [r.requested_until for r in mine if r.status == ExtensionStatus.ACCEPTED]
        base = kit_deadline(kit, application.stage_entered_at)
        deadline = max([d for d in [base, *accepted] if d is not None], default=None)
        result.append(
            TakeHome(
                kit=kit,
                deadline=deadline,
                handin=handins.get(kit.pk),
                extension=mine[0] if mine else None,
                briefs=list(kit.brief_files.all()),
            )
        )
    return result


def handin_visibility(user, *, roles=None) -> Q:
    """Who on the team reads a hand-in (as a condition on HandIn rows): superusers; company
    admins, recruiters and hiring managers of its company; and the interviewers on the panel of
    an interview of the same application, of the hand-in's stage or a later one. Nobody else (other
    interviewers, other companies)."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    roles = roles_by_company(user) if roles is None else roles
    readers = [cid for cid, role in roles.items() if role in READERS]
    on_panel = Scorecard.objects.filter(
        interviewer__user_id=user.pk,
        interviewer__company_id=OuterRef("company_id"),
        interview__application_id=OuterRef("application_id"),
        interview__kit__stage__position__gte=OuterRef("kit__stage__position"),
    )
    return Q(company_id__in=readers) | Q(Exists(on_panel))


def handins_visible_to(user, queryset: QuerySet | None = None, *, roles=None) -> QuerySet:
    qs = HandIn.objects.all() if queryset is None else queryset
    return qs.filter(handin_visibility(user, roles=roles))


def scorecard_handins(*, scorecard: Scorecard, user, roles=None) -> list[HandIn]:
    """The hand-ins the scorecard's page shows its reader: the application's, of the scorecard's
    stage and the earlier ones, that this user may read (files and links prefetched; constant
    number of queries)."""
    interview = scorecard.interview
    qs = HandIn.objects.filter(
        application_id=interview.application_id,
        kit__stage__position__lte=interview.kit.stage.position,
    )
    return list(
        handins_visible_to(user, qs, roles=roles)
        .select_related("kit__stage")
        .prefetch_related("files", "links")
        .order_by(F("kit__stage__position"), "kit__position", "pk")
    )


# --- The survey -----------------------------------------------------------------------------------


def survey_state(*, application: Application) -> str:
    """ "open", "answered" or "closed": the survey opens after a decision (a decision recorded, or
    the application hired or rejected) and takes one answer per application."""
    if SurveyReceipt.objects.filter(application_id=application.pk).exists():
        return "answered"
    decided = application.status in (ApplicationStatus.HIRED, ApplicationStatus.REJECTED) or (
        Decision.objects.filter(application_id=application.pk).exists()
    )
    return "open" if decided else "closed"


def survey_refusal(*, application: Application) -> str | None:
    """Why the survey may not be answered for this application, or None when it may."""
    state = survey_state(application=application)
    if state == "closed":
        return "The survey opens once a decision is taken on your application."
    if state == "answered":
        return "You already answered, thank you."
    return None
