"""Bulk input and output figures: import and export of many rows, notification throughput.

Each figure goes through the product's own code path (the import service, the export of the
application list, the notification benchmark) when this version of Hireloop has it, and is reported
as "not available" otherwise.
"""

import csv
import importlib
import io
import os
import re
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command, get_commands
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from hiring.models import Job, JobStatus

from .measure import NOT_AVAILABLE, Result, Target, admin_url, context


def _find(module_name: str, *names: str):
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    for name in names:
        if hasattr(module, name):
            return getattr(module, name)
    return None


def _rss_bytes() -> int:
    """Resident memory of this process (Linux), 0 where /proc is not available."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


class PeakMemory:
    """Samples the process's resident memory in a thread: the growth over the start is the figure."""

    def __init__(self, every: float = 0.05):
        self.every = every
        self.start = self.peak = 0
        self._stop = threading.Event()

    def __enter__(self):
        self.start = self.peak = _rss_bytes()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.start) / 2**20, 1)


def import_file(*, rows: int, company_id: int) -> bytes:
    """A CSV of new candidates applying to the company's open jobs, as a recruiter would upload it."""
    job_ids = list(
        Job.objects.filter(company_id=company_id, status=JobStatus.OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["job_id", "email", "name", "phone", "location", "source"])
    for i in range(rows):
        writer.writerow(
            [
                job_ids[i % len(job_ids)],
                f"imported{i}@import.example.com",
                f"Imported Person {i:06d}",
                f"+44 20 {i:08d}",
                "London",
                "job_board",
            ]
        )
    return buffer.getvalue().encode()


def measure_import(*, rows: int, out=sys.stdout) -> Result:
    """The import service (as the admin's import runs it) on a CSV of `rows` new applications.

    The import is rolled back afterwards, so the dataset stays the same for the next run."""
    result = Result(name="import", label=f"Import of {rows:,} rows", target=Target(options=None))
    result.extra.update(target_seconds=60, target_memory_mb=200)
    read = _find("hiring.imports", "import_file_read")
    write = _find("hiring.imports", "applications_import")
    if read is None or write is None:
        result.status = NOT_AVAILABLE
        out.write(f"  {result.label}: {NOT_AVAILABLE}\n")
        return result
    ctx = context()
    content = import_file(rows=rows, company_id=ctx.company_id)
    out.write(f"  {result.label}: importing...\n")
    out.flush()
    with PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        with transaction.atomic():
            parsed = read(content=content, file_name="bench.csv", max_rows=rows)
            report = write(rows=parsed, company_ids=[ctx.company_id], actor=ctx.company_user, max_rows=rows)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
            transaction.set_rollback(True)
    written = getattr(report, "applications_created", None)
    errors = getattr(report, "errors", [])
    result.extra.update(
        seconds=round(seconds, 2),
        # CPU time of this process (the database's work is not in it): steadier than the wall clock
        # on a loaded machine.
        cpu_seconds=round(cpu_seconds, 2),
        rows=rows,
        rows_per_second=round(rows / max(seconds, 1e-9)),
        applications_created=written,
        memory_growth_mb=memory.growth_mb,
        row_errors=len(errors),
    )
    if errors:
        result.status = f"refused: {errors[0]}"
    if seconds > 60 * rows / 100_000:
        result.misses.append(f"{seconds:.1f} s for {rows:,} rows (target 60 s per 100,000)")
    if memory.growth_mb > 200:
        result.misses.append(f"memory grew {memory.growth_mb} MB (target under 200 MB)")
    out.write(
        f"  {result.label}: {seconds:.1f} s ({cpu_seconds:.1f} s CPU here), memory +{memory.growth_mb} MB, "
        f"{written} applications\n"
    )
    return result


def measure_export(*, rows: int, out=sys.stdout) -> Result:
    """The application list's CSV export as a superuser downloads it, read until `rows` rows."""
    result = Result(name="export", label=f"Export of {rows:,} rows", target=Target(options=None))
    result.extra.update(target_seconds=20)
    url = admin_url("hiring_application_export")
    if url is None:
        result.status = NOT_AVAILABLE
        out.write(f"  {result.label}: {NOT_AVAILABLE}\n")
        return result
    client = Client()
    client.force_login(context().superuser)
    result.url = url
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        started = time.perf_counter()
        response = client.get(url)
        first_byte = None
        lines = -1  # the header line
        if response.status_code == 200 and getattr(response, "streaming", False):
            for chunk in response.streaming_content:
                if first_byte is None:
                    first_byte = time.perf_counter() - started
                lines += chunk.count(b"\n")
                if lines >= rows:
                    break
            response.close()
        elif response.status_code == 200:
            lines += response.content.count(b"\n")
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        result.status = f"HTTP {response.status_code}"
        out.write(f"  {result.label}: {result.status}\n")
        return result
    streamed = bool(getattr(response, "streaming", False))
    result.extra.update(
        seconds=round(seconds, 2),
        rows=lines,
        rows_per_second=round(lines / max(seconds, 1e-9)),
        first_byte_ms=round((first_byte or seconds) * 1000, 1),
        streamed=streamed,
    )
    if seconds > 20 * rows / 100_000:
        result.misses.append(f"{seconds:.1f} s for {lines:,} rows (target 20 s per 100,000)")
    if not streamed:
        result.misses.append("not streamed")
    out.write(f"  {result.label}: {lines:,} rows in {seconds:.1f} s, streamed={streamed}\n")
    return result


def measure_notifications(*, out=sys.stdout) -> Result:
    """Notifications per second through one real worker, with the notifications benchmark command
    (it needs a broker: CELERY_BROKER_URL)."""
    result = Result(
        name="notifications_throughput", label="Notification throughput", target=Target(options=None)
    )
    result.extra.update(target_per_second=200)
    if "notifications_bench" not in get_commands():
        result.status = NOT_AVAILABLE
    elif not settings.CELERY_BROKER_URL or settings.CELERY_BROKER_URL.startswith("memory"):
        result.status = f"{NOT_AVAILABLE} (set CELERY_BROKER_URL to a broker: it runs a worker)"
    if result.status != "ok":
        out.write(f"  {result.label}: {result.status}\n")
        return result
    report = io.StringIO()
    try:
        call_command("notifications_bench", stdout=report)
    except Exception as exc:  # the figure is reported as missing, the rest of the run goes on
        result.status = f"failed: {exc}"
        out.write(f"  {result.label}: {result.status}\n")
        return result
    text = report.getvalue()
    result.extra["report"] = text.strip()
    rate = re.search(r"([\d.]+) notifications/s", text)
    latency = re.search(r"p50 (\d+) ms, p95 (\d+) ms", text)
    if rate:
        result.extra["per_second"] = float(rate.group(1))
        if result.extra["per_second"] < 200:
            result.misses.append(f"{result.extra['per_second']:.0f}/s < 200/s")
    if latency:
        result.p50_ms, result.p95_ms = float(latency.group(1)), float(latency.group(2))
    out.write(f"  {result.label}: {result.extra.get('per_second')}/s\n")
    return result


def run(*, rows: int, out=sys.stdout) -> list[Result]:
    return [
        measure_import(rows=rows, out=out),
        measure_export(rows=rows, out=out),
        measure_notifications(out=out),
    ]
