"""The pipeline board's measure: the board of the benchmark's largest job, seen by its company's
admin (the generator gives the last company one job of up to 20,000 applications)."""

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from django.urls import NoReverseMatch, reverse

from hiring.models import Application

from .companies import bench_companies


def board_measure(target) -> tuple:
    """The plan entry of `measure.run` for the pipeline board of the benchmark's largest job (the
    generator makes one of 20,000 applications when the data is big enough), seen by its company's
    admin; its label gives the job's size."""
    largest = (
        Application.objects.filter(company__in=bench_companies())
        .order_by()
        .values("job_id", "company__slug")
        .annotate(n=Count("pk"))
        .order_by("-n", "job_id")
        .first()
    )
    if largest is None:
        return ("job_board", "Board of a job (no applications)", None, None, target, None)
    label = f"Board of a job with {largest['n']:,} applications (company)"
    try:
        url = reverse("admin:hiring_job_board", args=[largest["job_id"]])
    except NoReverseMatch:  # a version without the board: reported as not available
        return ("job_board", label, None, None, target, None)
    client = Client()
    client.force_login(get_user_model().objects.get(username=f"{largest['company__slug']}-admin"))
    return ("job_board", label, client, url, target, None)
