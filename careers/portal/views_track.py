"""The portal's track choice: in a stage that offers tracks, each track's name and description,
and a form to choose or change it until that stage's interviews are scheduled."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from careers.portal.sections import application_section
from careers.portal.session import portal_application, portal_required
from config.ratelimit import rate_limited
from hiring.models import Track
from interviews.portal_actions import application_track_choose
from interviews.portal_selectors import application_track_stages


def track_section(request, application) -> dict:
    """The stages of the candidate's job that offer tracks (three queries, none without tracks)."""
    return {"track_stages": application_track_stages(application=application)}


@require_POST
@rate_limited("apply")
@portal_required
def track_choose_view(request, application_id):
    application = portal_application(request, application_id)
    try:
        track_id = int(request.POST.get("track", ""))
    except ValueError:
        raise Http404("No such track.") from None
    track = (
        Track.objects.filter(pk=track_id, stage__job_id=application.job_id).select_related("stage").first()
    )
    if track is None:
        raise Http404("No such track.")
    try:
        change = application_track_choose(application=application, track=track, by_candidate=True)
    except ValidationError:
        messages.error(
            request,
            _(
                "Your choice can no longer change: the interviews of this step are scheduled, or the "
                "application is closed. Contact the hiring team."
            ),
        )
    else:
        if change is not None:
            messages.success(request, _("Your choice is saved: %(track)s.") % {"track": track.name})
    return redirect("portal:application", application_id=application.pk)


# The application page's section of this feature (careers.portal.sections).
application_section(track_section)
