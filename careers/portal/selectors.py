"""Reads of the candidate portal, always of one candidate (request.portal_candidate): their
applications with the job and stage. Nothing internal (kits marked internal, notes, scorecards,
verdicts) is read here."""

from django.db.models import QuerySet

from hiring.models import Application, Candidate


def portal_applications(candidate: Candidate) -> QuerySet:
    """The candidate's applications, newest first, with job and stage (one query)."""
    return (
        Application.objects.filter(candidate=candidate)
        .select_related("job", "stage")
        .only(
            "id", "status", "applied_at", "stage_entered_at", "decided_at", "job__id", "job__title",
            "job__company_id", "stage__id", "stage__name", "stage__kind", "stage__position",
        )
        .order_by("-applied_at", "-id")
    )  # fmt: skip
