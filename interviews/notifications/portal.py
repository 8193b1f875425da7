"""What the candidate's portal actions (and the staff answers to them) write to the outbox: a
confirmation to the candidate, and the team concerned (the company's recruiters and the job's
hiring manager; for a hand-in, the kit's interviewers as well). Each is called inside the
transaction of its cause."""

from django.conf import settings
from django.db.models import Q

from hiring.models import Application, Membership, Role, Track
from interviews.selectors import candidate_time_zone

from .candidate_links import candidate_link
from .context import admin_link, application_context, when
from .events import NotificationEvent as E
from .outbox import Recipient, outbox_enqueue_on_commit, outbox_write, recipient_candidate, recipients_members
from .templates import STAFF_LANGUAGE, notification_templates_resolve


def _team(application: Application, *, kit_id: int | None = None) -> list[Recipient]:
    """Recruiters of the company, the job's hiring manager and, with `kit_id`, the kit's default
    interviewers and those on this application's interviews of that kit."""
    who = Q(company_id=application.company_id) & (Q(role=Role.RECRUITER) | Q(managed_jobs=application.job_id))
    if kit_id is not None:
        who |= Q(default_kits=kit_id) | Q(
            scorecards__interview__kit_id=kit_id, scorecards__interview__application_id=application.pk
        )
    members = Membership.objects.filter(who, company_id=application.company_id).select_related("user")
    return recipients_members(members.distinct().order_by("pk"))


def _write(application: Application, events: tuple[str, str], context, occurrence: str, kit_id=None):
    """`context(tz_name)`: the event's values with times in that zone (the candidate's own zone in
    their email, the site's in the team's)."""
    candidate_event, team_event = events
    staff = notification_templates_resolve(application.company_id, [team_event], STAFF_LANGUAGE)
    mine = notification_templates_resolve(
        application.company_id, [candidate_event], application.candidate.language or STAFF_LANGUAGE
    )
    base = application_context(application)
    candidate_tz = candidate_time_zone(application.candidate)
    common = {
        "company_id": application.company_id,
        "subject_of": f"application-{application.pk}",
        "occurrence": occurrence,
        "application_id": application.pk,
    }
    ids = outbox_write(
        event=candidate_event,
        template=mine[candidate_event],
        recipients=[recipient_candidate(application)],
        context={
            **base,
            **context(candidate_tz),
            "link": "",
            "portal_link": candidate_link(application.candidate),
        },
        **common,
    )
    ids += outbox_write(
        event=team_event,
        template=staff[team_event],
        recipients=_team(application, kit_id=kit_id),
        context={
            **base,
            **context(settings.TIME_ZONE),
            "link": admin_link("admin:hiring_application_change", application.pk),
        },
        **common,
    )
    return outbox_enqueue_on_commit(ids)


def _loaded(application: Application) -> Application:
    return Application.objects.select_related("company", "candidate", "job", "stage").get(pk=application.pk)


def track_change_notify(change) -> list[int]:
    """A track chosen or changed: the candidate's confirmation and the team's heads-up."""
    application = _loaded(change.application)
    tracks = {t.pk: t for t in Track.objects.filter(pk__in=[change.to_track_id, change.from_track_id])}
    actor = change.actor
    values = {
        "track_stage": change.stage.name,
        "track_name": tracks[change.to_track_id].name,
        "previous_track": tracks[change.from_track_id].name if change.from_track_id in tracks else "",
        "changed_by": "the candidate"
        if change.by_candidate or actor is None
        else (actor.get_full_name() or actor.get_username()),
        "note": change.note,
    }
    return _write(application, (E.TRACK_CHOSEN, E.TRACK_CHOSEN_TEAM), lambda tz: values, f"track-{change.pk}")


def handin_notify(handin) -> list[int]:
    """A hand-in: the candidate's receipt; the team and the kit's interviewers."""
    application = _loaded(handin.application)
    values = {
        "kit_name": handin.kit.name,
        "is_late": "yes" if handin.is_late else "",
        "files": [f.name for f in handin.files.all()],
        "links": [link.url for link in handin.links.all()],
    }
    return _write(
        application,
        (E.HANDIN_RECEIVED, E.HANDIN_RECEIVED_TEAM),
        lambda tz: {**values, "deadline": when(handin.deadline, tz)},
        f"handin-{handin.pk}",
        handin.kit_id,
    )


def extension_notify(request, *, deadline) -> list[int]:
    """More time asked (by the candidate), accepted or refused (by staff)."""
    application = _loaded(request.application)
    values = {
        "kit_name": request.kit.name,
        "extension_status": request.status,
        "reason": request.reason,
        "note": request.decision_note,
    }

    def context(tz):
        return {
            **values,
            "deadline": when(deadline, tz) if deadline else "",
            "requested_deadline": when(request.requested_until, tz),
        }

    return _write(
        application,
        (E.EXTENSION_UPDATED, E.EXTENSION_UPDATED_TEAM),
        context,
        f"extension-{request.pk}-{request.status}",
    )
