"""Measures the admin as its users see it: Django's test client, logged in, warm-up then N requests.

Each measure reports p50 and p95 server time, the query count of a request and the largest
`<select>` on the page. A page that this version of Hireloop does not have yet is reported as
"not available" rather than failing the run.

Machines are noisy, so the run also measures a floor (see `floor`): a 50-row admin list of a plain
model and an empty admin page, first on their own, then the 50-row floor again once after each
timed request of every admin page, by the same client: the page's ratio (`ratio_to_floor`) is its
p50 over the p50 of the floor requests interleaved with it, so a load that comes and goes during
the run weighs on both alike. Pages measured without interleaved floor requests (bulk actions, the
careers site, the portal) are given against the floor measured first. Every company list must stay
within COMPANY_LIST_MAX_RATIO of its floor.
"""

import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from hiring.models import Application, Candidate, Job

from .board import board_measure
from .companies import SUPERUSER, bench_companies
from .floor import FLOOR_PREFIX, FLOOR_ROWS, FLOOR_URLCONF, floor_groups
from .generate import LAST_NAMES
from .results import (  # noqa: F401 (the command and the tests read them here)
    COMPANY_LIST_MAX_RATIO,
    COMPANY_LISTS,
    FLOOR_EMPTY,
    FLOOR_LIST,
    NOT_AVAILABLE,
    Result,
    Target,
    apply_floor,
    percentile,
    ratio_to_floor,
)
from .search_data import search_measures

# A page slower than this in total stops being measured (its figures come from fewer requests).
PAGE_BUDGET_SECONDS = 60
SELECT_RE = re.compile(r"<select\b.*?</select>", re.S | re.I)
OPTION_RE = re.compile(r"<option\b", re.I)
BIG_TABLES = ("hiring_application", "hiring_candidate", "hiring_candidate_tags", "hiring_resumetext")


def floor_plan(company: Client) -> list[tuple]:
    """The two floor measures, as lines of `run`'s plan (served under `floor.FLOOR_URLCONF`)."""
    floor_groups()
    groups = f"/bench-floor/auth/group/?{urlencode({'name__startswith': FLOOR_PREFIX})}"
    return [
        (FLOOR_LIST, f"Floor: {FLOOR_ROWS}-row admin list of a plain model", company, groups, Target(), None),
        (FLOOR_EMPTY, "Floor: empty admin page", company, "/bench-floor/auth/group/?id=0", Target(), None),
    ]


def max_select_options(html: str) -> int:
    return max((len(OPTION_RE.findall(block)) for block in SELECT_RE.findall(html)), default=0)


@dataclass
class Context:
    """Who and what the measures use: the first benchmark company and its data."""

    company_id: int
    company_user: object
    superuser: object
    application_id: int
    email: str
    name_prefix: str
    applications: int
    candidate_id: int


def context() -> Context:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    company = bench_companies().first()
    if company is None:
        raise RuntimeError("No benchmark data: run the benchmark without --reuse first.")
    application = Application.objects.filter(company=company).order_by("-applied_at", "-id").first()
    candidate = Candidate.objects.filter(company=company).order_by("id")[7]
    first, last = candidate.name.split(" ", 1)
    return Context(
        company_id=company.pk,
        company_user=User.objects.get(username=f"{company.slug}-admin"),
        superuser=User.objects.get(username=SUPERUSER),
        application_id=application.pk,
        email=candidate.email.upper(),  # case must not matter
        name_prefix=f"{first} {last[:2]}",
        applications=Application.objects.count(),
        candidate_id=candidate.pk,
    )


def resume_download_url(candidate_id: int) -> str | None:
    """The checked résumé download of one candidate of the company, with a 1 MB PDF stored for it
    in the private storage the first time (the generated candidates have no résumé)."""
    from django.core.files.base import ContentFile

    from hiring.uploads import download_url_name

    candidate = Candidate.objects.get(pk=candidate_id)
    if not candidate.resume:
        pdf = b"%PDF-1.4\n" + b"% benchmark resume\n" * (1024 * 1024 // 19) + b"%%EOF\n"
        candidate.resume.save("resume.pdf", ContentFile(pdf), save=False)
        Candidate.objects.filter(pk=candidate.pk).update(resume=candidate.resume.name)
    return admin_url(download_url_name(Candidate, "resume"), candidate.pk)


def bulk_job_url(company_id: int, user, *, rows: int = 500) -> str | None:
    """The page of a finished bulk job of the company that moved `rows` applications (one is made,
    as the service leaves it, the first time: the generated data has none)."""
    from hiring.models import BulkAction, BulkJob, BulkJobResult, BulkJobStatus

    job = BulkJob.objects.filter(company_id=company_id, user=user, total=rows).first()
    if job is None:
        applications = Application.objects.filter(company_id=company_id).order_by("id")
        ids = list(applications.values_list("id", flat=True)[:rows])
        job = BulkJob.objects.create(
            company_id=company_id,
            user=user,
            action=BulkAction.ADVANCE,
            status=BulkJobStatus.DONE,
            total=len(ids),
            done=len(ids),
            moved=len(ids) - 50,
            refused=50,
        )
        BulkJobResult.objects.bulk_create(
            BulkJobResult(
                job=job,
                application_ref=pk,
                application_id=pk,
                moved=i >= 50,
                reason="" if i >= 50 else "Someone else moved this application meanwhile.",
            )
            for i, pk in enumerate(ids)
        )
    return admin_url("hiring_application_bulkjob", job.pk)


def calibration_page_url(company_id: int) -> str | None:
    """The calibration page of the company's interviewer with the most scorecards."""
    from django.db.models import Count

    from interviews.models import Scorecard

    busiest = (
        Scorecard.objects.filter(company_id=company_id)
        .values("interviewer_id")
        .annotate(n=Count("id"))
        .order_by("-n", "interviewer_id")
        .first()
    )
    return admin_url("dashboard_calibration", busiest["interviewer_id"]) if busiest else None


def admin_url(name: str, *args, query: str = "") -> str | None:
    try:
        url = reverse(f"admin:{name}", args=args)
    except NoReverseMatch:
        return None
    return f"{url}?{query}" if query else url


def autocomplete_url(term: str) -> str | None:
    """The admin's autocomplete for candidates (or jobs) as a form of the application page uses it."""
    for source, admin_obj in admin.site._registry.items():
        for field_name in getattr(admin_obj, "autocomplete_fields", ()):
            try:
                target = source._meta.get_field(field_name).related_model
            except Exception:  # noqa: S112 (a name that is not a model field has no target)
                continue
            if target in (Candidate, Job) and target in admin.site._registry:
                query = urlencode(
                    {
                        "app_label": source._meta.app_label,
                        "model_name": source._meta.model_name,
                        "field_name": field_name,
                        "term": term if target is Candidate else "engineer",
                    }
                )
                if target is Candidate or source is Application:
                    return admin_url("autocomplete", query=query)
    return None


def notification_changelist() -> str | None:
    for model in admin.site._registry:
        if model._meta.app_label == "interviews" and model.__name__ == "Notification":
            return admin_url(f"interviews_{model._meta.model_name}_changelist")
    return None


def _request(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        else:
            body = response.content
        elapsed = (time.perf_counter() - started) * 1000
    return response, body, elapsed, queries.captured_queries


def measure_page(
    result: Result,
    client: Client,
    url: str | None,
    *,
    warmup: int,
    requests: int,
    out,
    inspect: Callable[[Result, list[dict]], None] | None = None,
    floor_url: str | None = None,
) -> Result:
    """Warm-up then `requests` timed GETs of `url`; with `floor_url`, one GET of the floor after
    each timed one, whose p50 is recorded as `floor_p50_ms` (the page's floor at that moment)."""
    if url is None:
        result.status = NOT_AVAILABLE
        out.write(f"  {result.label}: {NOT_AVAILABLE}\n")
        return result
    result.url = url
    budget_started = time.perf_counter()
    for _ in range(warmup):
        _request(client, url)
        if time.perf_counter() - budget_started > PAGE_BUDGET_SECONDS:
            break
    times, sql_times, floor_times = [], [], []
    for i in range(requests):
        if times and time.perf_counter() - budget_started > PAGE_BUDGET_SECONDS:
            result.misses.append(f"too slow: stopped after {len(times)} requests")
            break
        response, body, elapsed, captured = _request(client, url)
        if response.status_code != 200:
            result.status = f"HTTP {response.status_code}"
            out.write(f"  {result.label}: {result.status} at {url}\n")
            return result
        times.append(elapsed)
        sql_times.append(sql_ms(captured))
        if floor_url:
            floor_times.append(_request(client, floor_url)[2])
        if i == 0:
            result.queries = len(captured)
            content_type = response.get("Content-Type", "")
            result.max_select_options = max_select_options(body.decode()) if "html" in content_type else 0
            if inspect:
                inspect(result, captured)
    if floor_times:
        result.extra["floor_p50_ms"] = round(percentile(floor_times, 50), 1)
    return measured(result, times, sql_times, out)


def sql_ms(captured: list[dict]) -> float:
    """The database's share of one request, from the queries Django captured."""
    return sum(float(q.get("time") or 0) for q in captured) * 1000


def measure_public_page(
    result: Result,
    client: Client,
    url: str,
    *,
    warmup: int,
    requests: int,
    out,
    subnet: int,
    expect: bytes | None = None,
    missing: str = "unexpected page",
) -> Result:
    """GETs of a public page (careers site, portal), each from its own address 10.<subnet>.x.y (the
    public pages' rate limits count per address). A response other than 200, or without `expect`
    in it, stops the measure with that status (`missing` for the latter). Records the largest query
    count and whether it was the same on every request (`queries_constant`)."""
    result.url = url
    times, sql_times, counts = [], [], set()
    for i in range(warmup + requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=f"10.{subnet}.{i // 250}.{i % 250 + 1}")
            elapsed = (time.perf_counter() - started) * 1000
        failure = None
        if response.status_code != 200:
            failure = f"HTTP {response.status_code}"
        elif expect is not None and expect not in response.content:
            failure = missing
        if failure:
            result.status = failure
            out.write(f"  {result.label}: {result.status} at {url}\n")
            return result
        if i >= warmup:
            times.append(elapsed)
            sql_times.append(sql_ms(queries.captured_queries))
            counts.add(len(queries.captured_queries))
    result.queries = max(counts)
    result.extra["queries_constant"] = len(counts) == 1
    return measured(result, times, sql_times, out)


def measured(result: Result, times: list[float], sql_times: list[float], out) -> Result:
    """Record the p50 and p95 of the timed requests on the result, judge it and print its line."""
    result.requests = len(times)
    result.p50_ms = round(percentile(times, 50), 1)
    result.p95_ms = round(percentile(times, 95), 1)
    result.extra["sql_p50_ms"] = round(percentile(sql_times, 50), 1)
    result.judge()
    out.write(
        f"  {result.label}: p50 {result.p50_ms} ms (SQL {result.extra['sql_p50_ms']} ms),"
        f" p95 {result.p95_ms} ms, {result.queries} queries ({len(times)} requests)\n"
    )
    out.flush()
    return result


def whole_table_counts(captured: list[dict]) -> list[str]:
    """COUNT(*) queries over a whole big table (no WHERE)."""
    found = []
    for query in captured:
        sql = query["sql"]
        if "COUNT(*)" in sql.upper() and " WHERE " not in sql.upper():
            if any(f'FROM "{table}"' in sql for table in BIG_TABLES):
                found.append(sql)
    return found


def seq_scans(captured: list[dict]) -> list[str]:
    """Sequential scans of the applications or candidates tables in the plans of the queries."""
    found = []
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT") or not any(f'"{t}"' in sql for t in BIG_TABLES):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            for table in BIG_TABLES:
                if f"Seq Scan on {table}" in plan:
                    found.append(f"Seq Scan on {table} in: {sql[:300]}")
    return found


def check_no_whole_table_count(result: Result, captured: list[dict]) -> None:
    counts = whole_table_counts(captured)
    result.extra["whole_table_counts"] = len(counts)
    if counts:
        result.misses.append("COUNT(*) over the whole table")


def check_no_seq_scan(result: Result, captured: list[dict]) -> None:
    scans = seq_scans(captured)
    result.extra["seq_scans"] = scans
    if scans:
        result.misses.append("sequential scan of a big table")


def run(*, warmup: int, requests: int, out=sys.stdout) -> list[Result]:
    """Every page measure. Returns results in a fixed order."""
    ctx = context()
    company = Client()
    company.force_login(ctx.company_user)
    root = Client()
    root.force_login(ctx.superuser)
    list_target = Target(p50_ms=60, p95_ms=150, queries=8)
    company_list_target = Target(p50_ms=60, p95_ms=150, queries=8, max_ratio=COMPANY_LIST_MAX_RATIO)
    root_target = Target(p50_ms=80, queries=8)
    search_target = Target(p95_ms=200, queries=8)
    deep_page = max(1, min(500, ctx.applications // 100))
    notifications = notification_changelist()
    plan = [
        *floor_plan(company),
        (
            "applications_company",
            "Applications, page 1 (company)",
            company,
            admin_url("hiring_application_changelist"),
            company_list_target,
            None,
        ),
        (
            "applications_superuser",
            "Applications, page 1 (superuser)",
            root,
            admin_url("hiring_application_changelist"),
            root_target,
            check_no_whole_table_count,
        ),
        (
            "applications_deep_page",
            f"Applications, page {deep_page} (superuser)",
            root,
            admin_url("hiring_application_changelist", query=f"p={deep_page}"),
            Target(p95_ms=500, queries=8),
            None,
        ),
        (
            "candidates_company",
            "Candidates, page 1 (company)",
            company,
            admin_url("hiring_candidate_changelist"),
            company_list_target,
            None,
        ),
        (
            "candidates_superuser",
            "Candidates, page 1 (superuser)",
            root,
            admin_url("hiring_candidate_changelist"),
            root_target,
            check_no_whole_table_count,
        ),
        (
            "interviews_company",
            "Interviews, page 1 (company)",
            company,
            admin_url("interviews_interview_changelist"),
            company_list_target,
            None,
        ),
        (
            "interviews_superuser",
            "Interviews, page 1 (superuser)",
            root,
            admin_url("interviews_interview_changelist"),
            root_target,
            None,
        ),
        (
            "scorecards_company",
            "Scorecards, page 1 (company)",
            company,
            admin_url("interviews_scorecard_changelist"),
            company_list_target,
            None,
        ),
        (
            "scorecards_superuser",
            "Scorecards, page 1 (superuser)",
            root,
            admin_url("interviews_scorecard_changelist"),
            root_target,
            None,
        ),
        (
            "notifications_company",
            "Notifications, page 1 (company)",
            company,
            notifications,
            company_list_target,
            None,
        ),
        (
            "notifications_superuser",
            "Notifications, page 1 (superuser)",
            root,
            notifications,
            root_target,
            None,
        ),
        (
            "application_change",
            "Application change page (company)",
            company,
            admin_url("hiring_application_change", ctx.application_id),
            Target(queries=16),  # 15, plus the answers to the application questions since issue 18
            None,
        ),
        (
            "autocomplete",
            "Autocomplete, candidates (company)",
            company,
            autocomplete_url(ctx.name_prefix.split(" ")[0][:3]),
            Target(queries=3),
            None,
        ),
        (
            "search_email_company",
            "Search by exact email (company)",
            company,
            admin_url("hiring_application_changelist", query=urlencode({"q": ctx.email})),
            search_target,
            check_no_seq_scan,
        ),
        (
            "search_email_superuser",
            "Search by exact email (superuser)",
            root,
            admin_url("hiring_application_changelist", query=urlencode({"q": ctx.email})),
            search_target,
            check_no_seq_scan,
        ),
        (
            "search_name_company",
            "Search by name prefix (company)",
            company,
            admin_url("hiring_application_changelist", query=urlencode({"q": ctx.name_prefix})),
            search_target,
            check_no_seq_scan,
        ),
        (
            "search_name_superuser",
            "Search by name prefix (superuser)",
            root,
            admin_url("hiring_application_changelist", query=urlencode({"q": ctx.name_prefix})),
            search_target,
            check_no_seq_scan,
        ),
        # Search by surname, by a tag and by a résumé word (tools/bench/search_data.py).
        *search_measures(
            ctx.company_id, company, search_target, check_no_seq_scan, admin_url, common=LAST_NAMES
        ),
        (
            "resume_download",
            "Résumé download, 1 MB (company)",
            company,
            resume_download_url(ctx.candidate_id),
            Target(p50_ms=60, queries=8),
            None,
        ),
        (
            "bulk_job_page",
            "Bulk job page, 500 applications (company)",
            company,
            bulk_job_url(ctx.company_id, ctx.company_user),
            list_target,
            None,
        ),
        board_measure(Target(p50_ms=80, queries=12)),  # the board of the largest job (tools/bench/board.py)
        (
            "dashboard_company",
            "Dashboard (company)",
            company,
            admin_url("dashboard"),
            Target(p50_ms=150, queries=9),  # 8, plus the gate pass rates per job since issue 20
            None,
        ),
        (
            "calibration_page",
            "Calibration page, busiest interviewer (company)",
            company,
            calibration_page_url(ctx.company_id),
            Target(p50_ms=300, queries=10),
            None,
        ),
    ]
    results = []
    floor_url = plan[0][3]
    # The floor's URLs are those of the product plus /bench-floor/ (tools/bench/floor.py).
    with override_settings(
        DEBUG=False, ALLOWED_HOSTS=["testserver", "127.0.0.1", "localhost"], ROOT_URLCONF=FLOOR_URLCONF
    ):
        for name, label, client, url, target, inspect in plan:
            result = Result(name=name, label=label, target=target)
            measure_page(
                result,
                client,
                url,
                warmup=warmup,
                requests=requests,
                out=out,
                inspect=inspect,
                floor_url=None if name in (FLOOR_LIST, FLOOR_EMPTY) else floor_url,
            )
            results.append(result)
    return results
