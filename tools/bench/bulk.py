"""The inline bulk advance: 50 applications confirmed through the admin action, emails sent inline.

Each measured request is the confirmed POST of a fresh selection (the confirmation page before it
is not timed): 50 active applications of the first benchmark company that have a next stage.
Tasks run inline (no broker) and mail goes to an in-memory sink, whatever the environment says.
"""

import re
import time

from celery import current_app
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from hiring.models import Application, ApplicationStatus, Stage

from .measure import Result, Target, admin_url, context, percentile

SELECTION = 50
SELECTION_RE = re.compile(r'name="selection" value="([^"]+)"')


def _advanceable(company_id: int, count: int) -> list[int]:
    has_next = Stage.objects.filter(job_id=OuterRef("job_id"), position__gt=OuterRef("stage__position"))
    return list(
        Application.objects.filter(company_id=company_id, status=ApplicationStatus.ACTIVE)
        .filter(Exists(has_next))
        .order_by("-applied_at", "-id")
        .values_list("pk", flat=True)[:count]
    )


def _advance(client: Client, url: str, ids: list[int]):
    """One bulk advance: the confirmation page, then the timed confirmed POST."""
    base = {"action": "advance_selected", "_selected_action": [str(pk) for pk in ids]}
    page = client.post(url, base)
    match = SELECTION_RE.search(page.content.decode()) if page.status_code == 200 else None
    if match is None:
        return None, page.status_code, 0, []
    data = {**base, "apply": "1", "select_across": "1", "selection": match.group(1), "note": ""}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, data)
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, response.status_code, len(queries.captured_queries), ids


def measure_bulk_advance(*, company_id: int, user, warmup: int, requests: int, out) -> Result:
    result = Result(
        name="bulk_advance_inline",
        label=f"Bulk advance, {SELECTION} applications (inline)",
        target=Target(p95_ms=2000, options=None),
    )
    url = admin_url("hiring_application_changelist")
    result.url = url
    client = Client()
    client.force_login(user)
    conf = current_app.conf
    eager = conf.task_always_eager
    conf.task_always_eager = True
    times = []
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for i in range(max(1, warmup) + max(1, requests)):
                ids = _advanceable(company_id, SELECTION)
                if len(ids) < SELECTION:
                    result.misses.append(f"only {len(times)} requests: ran out of applications to advance")
                    break
                elapsed, status, queries, _ = _advance(client, url, ids)
                if status != 302 or elapsed is None:
                    result.status = f"HTTP {status}"
                    out.write(f"  {result.label}: {result.status}\n")
                    return result
                if i >= max(1, warmup):
                    times.append(elapsed)
                    result.queries = queries
    finally:
        conf.task_always_eager = eager
    if not times:
        result.status = "no applications to advance"
        return result
    result.requests = len(times)
    result.p50_ms = round(percentile(times, 50), 1)
    result.p95_ms = round(percentile(times, 95), 1)
    result.judge()
    out.write(
        f"  {result.label}: p50 {result.p50_ms} ms, p95 {result.p95_ms} ms,"
        f" {result.queries} queries ({len(times)} requests)\n"
    )
    return result


def run(*, requests: int, out) -> list[Result]:
    """The bench line for the inline bulk action. Each request moves 50 applications of the dataset:
    a few are enough."""
    ctx = context()
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"]):
        return [
            measure_bulk_advance(
                company_id=ctx.company_id, user=ctx.company_user, warmup=1, requests=min(requests, 5), out=out
            )
        ]
