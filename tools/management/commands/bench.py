"""`python manage.py bench`: generate a big dataset on PostgreSQL, then measure the admin on it."""

import json
import os
import platform
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from tools.bench import bulk, careers, companies, generate, io, measure

DETAILS = (
    "seconds",
    "rows",
    "rows_per_second",
    "per_second",
    "memory_growth_mb",
    "streamed",
    "first_byte_ms",
)


class Command(BaseCommand):
    help = (
        "Generate a benchmark dataset (PostgreSQL only) and measure the admin's pages, import, export "
        "and notifications on it; prints a table with targets and writes JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=1_000_000, help="applications to generate")
        parser.add_argument("--companies", type=int, default=50, help="companies sharing them")
        parser.add_argument("--requests", type=int, default=30, help="measured requests per page")
        parser.add_argument("--warmup", type=int, default=3, help="requests per page before measuring")
        parser.add_argument(
            "--reuse", action="store_true", help="keep the dataset in the database when it has the same size"
        )
        parser.add_argument(
            "--json",
            default=str(Path(settings.BASE_DIR) / "var" / "bench" / "bench.json"),
            help="JSON output",
        )
        parser.add_argument("--io-rows", type=int, default=100_000, help="rows to import and to export")
        parser.add_argument("--skip-io", action="store_true", help="skip import, export and notifications")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark runs on PostgreSQL only (its figures are PostgreSQL figures, and the "
                "generator uses COPY). Set DATABASE_URL=postgres://... to a database of its own."
            )
        if options["applications"] < options["companies"] or options["companies"] < 1:
            raise CommandError("Give at least one application per company.")
        out = self.stdout
        started = time.perf_counter()
        size = (options["applications"], options["companies"])
        dataset: dict = {"applications": size[0], "companies": size[1]}

        existing = companies.dataset_size()
        if options["reuse"] and existing == size:
            out.write(f"Reusing the dataset in the database: {size[0]:,} applications, {size[1]} companies")
            dataset["reused"] = True
            # A migration or an earlier run may have rewritten rows since: fresh statistics and
            # visibility maps, as after generating.
            vacuum_started = time.perf_counter()
            companies.vacuum_analyze()
            out.write(f"  VACUUM ANALYZE in {time.perf_counter() - vacuum_started:.1f} s")
        else:
            out.write(f"Generating {size[0]:,} applications across {size[1]} companies...")
            try:
                dataset.update(generate.generate(applications=size[0], companies=size[1], out=out))
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            dataset["reused"] = False

        out.write(f"Measuring pages: {options['warmup']} warm-up and {options['requests']} requests each...")
        results = measure.run(warmup=options["warmup"], requests=options["requests"], out=out)
        results += bulk.run(requests=options["requests"], out=out)
        out.write("Measuring the careers site...")
        results += careers.run(warmup=options["warmup"], requests=options["requests"], out=out)
        if options["skip_io"]:
            out.write("Skipping import, export and notifications (--skip-io).")
        else:
            out.write("Measuring import, export and notifications...")
            results += io.run(rows=options["io_rows"], out=out)

        floor = next((r for r in results if r.name == measure.FLOOR_LIST), None)
        measure.apply_floor(results, floor)
        self._print_table(results)
        report = {
            "measured_at": timezone.now().isoformat(),
            "seconds": round(time.perf_counter() - started, 1),
            "dataset": dataset,
            "environment": {
                "python": platform.python_version(),
                "postgresql": connection.cursor().connection.info.server_version,
                "cpus": os.cpu_count(),
            },
            "options": {k: options[k] for k in ("requests", "warmup", "io_rows", "skip_io")},
            "floor": {
                "list_p50_ms": floor.p50_ms if floor else None,
                "empty_p50_ms": next((r.p50_ms for r in results if r.name == measure.FLOOR_EMPTY), None),
                "company_list_max_ratio": measure.COMPANY_LIST_MAX_RATIO,
                "about": "p50 of a plain admin list of 50 rows (auth.Group, tools/bench/floor.py; "
                "ratio 1.0) and of the same list filtered to no row, as the company user, measured "
                "first; each admin page's ratio_to_floor is over its own floor_p50_ms, the floor list "
                "requested once after each of its timed requests",
            },
            "measures": {r.name: r.as_dict() for r in results},
            "misses": [f"{r.label}: {'; '.join(r.misses)}" for r in results if r.misses],
        }
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, default=str))
        out.write(f"Wrote {path}")

    def _print_table(self, results):
        columns = f"{'p50 ms':>8} {'p95 ms':>8} {'x floor':>7} {'queries':>7}"
        header = f"{'measure':<44} {columns}  {'target':<30} result"
        lines = [
            "",
            f"x floor: p50 over the p50 of the {measure.FLOOR_ROWS}-row floor list requested between the "
            "page's own requests (or measured first, for pages without); company lists must stay "
            f"within {measure.COMPANY_LIST_MAX_RATIO:g}x (target x<={measure.COMPANY_LIST_MAX_RATIO:g}).",
            header,
            "-" * len(header),
        ]
        for r in results:
            p50 = f"{r.p50_ms:.1f}" if r.p50_ms is not None else "-"
            p95 = f"{r.p95_ms:.1f}" if r.p95_ms is not None else "-"
            ratio = f"{r.ratio:.2f}" if r.ratio is not None else "-"
            queries = str(r.queries) if r.queries is not None else "-"
            verdict = r.verdict if not r.misses else f"MISS ({'; '.join(r.misses)})"
            figures = f"{p50:>8} {p95:>8} {ratio:>7} {queries:>7}"
            lines.append(f"{r.label:<44} {figures}  {r.target.describe():<30} {verdict}")
            details = [f"{key}={r.extra[key]}" for key in DETAILS if key in r.extra]
            if details:
                lines.append(f"{'':<44} {', '.join(details)}")
        self.stdout.write("\n".join(lines))
