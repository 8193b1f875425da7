"""What the pipeline board's cards show of the interviews: scorecards done and owed, and the latest
recommendation the viewer may read, as annotations computed in SQL for the cards of a page."""

from django.db.models import CharField, Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Scorecard, ScorecardStatus
from .selectors import OWING_STATUSES, scorecards_visible_to


def application_card_annotations(user, *, roles=None, now=None) -> dict:
    """Annotations for a query of applications, computed per row in SQL (no query per card):

    - `scorecards_done`: submitted scorecards of the application's interviews;
    - `scorecards_owed`: drafts of its interviews that have started and still expect feedback
      (scheduled or completed: the scorecards `interviewer_owed_scorecards` lists to each
      interviewer);
    - `latest_recommendation`: the recommendation of the latest submitted scorecard the user may
      read by the independence rule (`scorecard_visibility`), "" when none.
    """
    now = now or timezone.now()
    of_application = Scorecard.objects.filter(interview__application_id=OuterRef("pk")).order_by()

    def counted(qs: QuerySet):
        return Coalesce(
            Subquery(qs.values("interview__application_id").annotate(n=Count("pk")).values("n")[:1]),
            0,
            output_field=IntegerField(),
        )

    submitted = of_application.filter(status=ScorecardStatus.SUBMITTED)
    owed = of_application.filter(
        status=ScorecardStatus.DRAFT, interview__status__in=OWING_STATUSES, interview__starts_at__lte=now
    )
    latest = scorecards_visible_to(user, submitted, roles=roles).order_by("-submitted_at", "-id")
    return {
        "scorecards_done": counted(submitted),
        "scorecards_owed": counted(owed),
        "latest_recommendation": Coalesce(
            Subquery(latest.values("recommendation")[:1]), Value(""), output_field=CharField()
        ),
    }
